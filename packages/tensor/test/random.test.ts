// The random generator: MT19937 (the default, PyTorch's; its values against PyTorch are in
// random-pytorch.test.ts) and the xoshiro128** option against hand-computed outputs, seeding and
// reproducibility, independence of generators, states, and sample statistics (uniform, normal,
// integers) over 1e5 draws for both algorithms.
import { describe, expect, it } from 'vitest';
import { Generator, defaultGenerator, manualSeed, memory, rand, randint, randn, tidy, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';

function meanStd(a: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / (a.length - 1)) };
}

describe('Generator', () => {
  it('is MT19937 by default: the reference outputs of init_genrand(5489) and of seed 0', () => {
    const g = new Generator(5489);
    expect(g.algorithm).toBe('mt19937');
    // the first outputs of the reference mt19937ar.c (and std::mt19937's default seed)
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
    // C++ [rand.predef]: the 10000th output of std::mt19937 seeded with 5489 is 4123659995
    const g5489 = new Generator(5489);
    for (let i = 0; i < 9999; i++) g5489.nextUint32();
    expect(g5489.nextUint32()).toBe(4123659995);
    // seeds use their low 32 bits, like torch.manual_seed
    expect(new Generator(2n ** 40n + 5489n).nextUint32()).toBe(3499211612);
  });

  it('restores an MT19937 state mid-stream, including the cached normal', () => {
    const g = new Generator(3);
    for (let i = 0; i < 700; i++) g.nextUint32(); // past one regeneration of the 624 words
    g.normal();
    const st = g.getState();
    const a = [g.normal(), g.normal(), g.random(), g.nextUint32()];
    const h = new Generator(9).setState(st);
    expect([h.normal(), h.normal(), h.random(), h.nextUint32()]).toEqual(a);
    expect(h.initialSeed()).toBe(3);
  });

  it('is xoshiro128** on request: outputs from the state [1, 2, 3, 4] match the reference algorithm', () => {
    // by hand: rotl(s1 * 5, 7) * 9, then the xoshiro128 state update
    const g = new Generator(0, { algorithm: 'xoshiro128**' }).setState({ seed: 0, words: [1, 2, 3, 4], spare: null });
    expect(g.nextUint32()).toBe(11520);
    expect(g.nextUint32()).toBe(0);
    expect(g.nextUint32()).toBe(5927040);
  });

  it('reproduces its stream after re-seeding and differs between seeds', () => {
    const g = new Generator(123);
    const a = Array.from({ length: 10 }, () => g.random());
    g.manualSeed(123);
    const b = Array.from({ length: 10 }, () => g.random());
    expect(b).toEqual(a);
    const c = Array.from({ length: 10 }, () => new Generator(124).random());
    expect(c[0]).not.toBe(a[0]);
    expect(new Generator(2n ** 60n).initialSeed()).toBe(2n ** 60n);
    expect(new Generator(2n ** 60n).nextUint32()).toBe(new Generator(0).nextUint32()); // low 32 bits
    expect(new Generator(2n ** 60n, { algorithm: 'xoshiro128**' }).initialSeed()).toBe(2n ** 60n);
    expect(new Generator(5).manualSeed(9).initialSeed()).toBe(9);
  });

  it('restores its state, including the cached normal sample', () => {
    const g = new Generator(7);
    g.normal();
    const st = g.getState();
    const a = [g.normal(), g.normal(), g.random()];
    g.setState(st);
    expect([g.normal(), g.normal(), g.random()]).toEqual(a);
  });

  it('seed() picks a fresh seed and reports it', () => {
    const g = new Generator();
    const s = g.seed();
    expect(Number.isSafeInteger(s)).toBe(true);
    expect(g.initialSeed()).toBe(s);
  });

  it.each(['mt19937', 'xoshiro128**'] as const)('%s draws uniforms in [0, 1) with mean 1/2 and variance 1/12', (algorithm) => {
    const g = new Generator(1, { algorithm });
    const n = 100_000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = g.random();
      b[i] = g.random24();
    }
    for (const x of [a, b]) {
      expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...x)).toBeLessThan(1);
      const { mean, std } = meanStd(x);
      // standard error of the mean is 0.289 / sqrt(1e5) ≈ 0.0009
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
      expect(Math.abs(std - Math.sqrt(1 / 12))).toBeLessThan(0.005);
    }
    // 24-bit uniforms are exact float32 values
    for (let i = 0; i < 100; i++) expect(Math.fround(b[i]!)).toBe(b[i]);
  });

  it.each(['mt19937', 'xoshiro128**'] as const)('%s draws unbiased integers and permutations', (algorithm) => {
    const g = new Generator(3, { algorithm });
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[g.integer(1, 7) - 1]++;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - n / 6) ** 2 / (n / 6);
    expect(chi2).toBeLessThan(25); // 5 degrees of freedom: p < 1e-4 above 25.7
    const p = g.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(g.permutation(0)).toEqual([]);
  });

  it('rejects bad seeds, states and ranges', () => {
    expect(() => new Generator(-1)).toThrow(/non-negative integer seed/);
    expect(() => new Generator().manualSeed(1.5)).toThrow(/manualSeed: expected a non-negative integer seed/);
    expect(() => new Generator().manualSeed(2 ** 60)).toThrow(/bigint/);
    expect(() => new Generator(2n ** 64n)).toThrow(/\[0, 2\^64\)/);
    expect(() => new Generator(0, { algorithm: 'philox' as never })).toThrow(/unknown algorithm philox/);
    const xo = new Generator(0, { algorithm: 'xoshiro128**' });
    expect(() => xo.setState({ seed: 0, words: [0, 0, 0, 0], spare: null })).toThrow(/all-zero/);
    expect(() => xo.setState({} as never)).toThrow(/getState/);
    expect(() => new Generator().setState({ algorithm: 'mt19937', seed: 0, words: [1], left: 1, next: 0, spare: null })).toThrow(/624 integers/);
    expect(() => new Generator().setState(xo.getState())).toThrow(/expected the state of a 'mt19937' generator/);
    expect(() => new Generator().integer(3, 3)).toThrow(/low < high/);
  });
});

describe('global seeding and tensors', () => {
  it('manualSeed makes rand, randn and randint reproducible', () => {
    const before = memory().numTensors;
    tidy(() => {
      expect(manualSeed(42)).toBe(defaultGenerator);
      const a = [rand([5]).dataSync(), randn([5]).dataSync(), randint(0, 100, [5]).dataSync()];
      manualSeed(42);
      const b = [rand([5]).dataSync(), randn([5]).dataSync(), randint(0, 100, [5]).dataSync()];
      expect(b).toEqual(a);
      expect(defaultGenerator.initialSeed()).toBe(42);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('a passed generator is independent of the global one', () => {
    tidy(() => {
      manualSeed(0);
      const g = new Generator(0);
      const a = rand([4], { generator: g }).dataSync();
      rand([100]); // advances only the global generator
      g.manualSeed(0);
      expect(rand([4], { generator: g }).dataSync()).toEqual(a);
      manualSeed(0);
      expect(rand([4]).dataSync()).toEqual(a); // same seed, same algorithm
    });
  });

  it('randn has mean 0 and std 1 over 1e5 samples, in float32 and float64', () => {
    tidy(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const z = randn([100_000], { dtype, generator: new Generator(11) }).dataSync();
        const { mean, std } = meanStd(z);
        // standard errors: 1 / sqrt(1e5) ≈ 0.0032 for the mean, ≈ 0.0022 for the std
        expect(Math.abs(mean)).toBeLessThan(0.015);
        expect(Math.abs(std - 1)).toBeLessThan(0.01);
        // about 68.27% within one standard deviation
        let inside = 0;
        for (let i = 0; i < z.length; i++) if (Math.abs(z[i]!) < 1) inside++;
        expect(Math.abs(inside / z.length - 0.6827)).toBeLessThan(0.01);
      }
    });
  });

  it('float32 rand never rounds up to 1 and uniform_/normal_ follow their parameters', () => {
    tidy(() => {
      const u = rand([100_000], { generator: new Generator(5) }).dataSync();
      let max = 0;
      for (let i = 0; i < u.length; i++) max = Math.max(max, u[i]!);
      expect(max).toBeLessThan(1);
      const w = zeros([100_000]).uniform_(-2, 4, { generator: new Generator(6) }).dataSync();
      const s = meanStd(w);
      expect(Math.min(...w)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...w)).toBeLessThan(4);
      expect(Math.abs(s.mean - 1)).toBeLessThan(0.03);
      expect(Math.abs(s.std - 6 / Math.sqrt(12))).toBeLessThan(0.02);
      const n = zeros([100_000], { dtype: 'float64' }).normal_(3, 0.5, { generator: new Generator(8) }).dataSync();
      const t = meanStd(n);
      expect(Math.abs(t.mean - 3)).toBeLessThan(0.01);
      expect(Math.abs(t.std - 0.5)).toBeLessThan(0.01);
    });
  });
});
