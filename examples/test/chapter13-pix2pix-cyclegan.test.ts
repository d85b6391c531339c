// Chapter 13: pix2pix and CycleGAN — parameter counts at the book's sizes, state-dict keys, shapes
// and outputs equal to the same modules built in PyTorch, the image pool, and a few training steps.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, loadSafetensors, manualSeed, memory, noGrad, rand, tensor, tidy, zeros, type AnyModule, type Tensor } from 'tensorgrad';
import { runPython, torchMissingReason } from '../../packages/vision/test/torchvision.js';
import { Discriminator, GeneratorUNet, generatorL1, pix2pixTrainStep, sobelEdges } from '../src/chapter13/pix2pix.js';
import { createCycleGAN, cycleGANTrainStep, Discriminator as CycleDiscriminator, disposeCycleGAN, GeneratorResNet, ReplayBuffer } from '../src/chapter13/cyclegan.js';
import { parsePix2PixArgs } from '../src/chapter13/pix2pix-main.js';
import { parseCycleGANArgs } from '../src/chapter13/cyclegan-main.js';

const REFERENCE = readFileSync(new URL('./chapter13_reference.py', import.meta.url), 'utf8');
const missing = torchMissingReason();
if (missing) console.warn(`skipping the PyTorch cross-checks of chapter 13: ${missing}`);

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
function countOf(make: () => AnyModule): number {
  const m = make();
  const n = count(m);
  m.dispose();
  return n;
}
/**
 * The parameter count at width `w` from builds at widths 1, 2 and 3: every weight is in·out·k² with
 * in and out each a multiple of the width or a constant, every bias a multiple of the width or a
 * constant, so the count is a quadratic in the width and three values fix it (Lagrange).
 */
function extrapolate(make: (width: number) => AnyModule, w: number): number {
  const [f1, f2, f3] = [1, 2, 3].map((x) => countOf(() => make(x))) as [number, number, number];
  return (f1 * (w - 2) * (w - 3)) / 2 - f2 * (w - 1) * (w - 3) + (f3 * (w - 1) * (w - 2)) / 2;
}

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('chapter 13: parameter counts at the book’s sizes (3 channels, 256×256)', () => {
  // the literals are PyTorch's sum(p.numel() for p in m.parameters()) for the reference modules
  // (chapter13_reference.py, torch 1.13); building the 54 M-parameter U-Net here would take half a
  // minute, so each count comes from three narrow builds of the same classes (see extrapolate)
  it('GeneratorUNet 54,404,099, pix2pix Discriminator 2,767,808, GeneratorResNet(9) 11,378,179, CycleGAN Discriminator 2,764,737', () => {
    expect(extrapolate((w) => new GeneratorUNet({ ngf: w }), 64)).toBe(54_404_099);
    expect(extrapolate((w) => new Discriminator({ ndf: w }), 64)).toBe(2_767_808);
    expect(extrapolate((w) => new GeneratorResNet(9, { ngf: w }), 64)).toBe(11_378_179);
    expect(extrapolate((w) => new CycleDiscriminator({ ndf: w }), 64)).toBe(2_764_737);
    // the extrapolation reproduces a count it can check directly (width 8, built for real)
    expect(extrapolate((w) => new GeneratorResNet(9, { ngf: w }), 8)).toBe(countOf(() => new GeneratorResNet(9, { ngf: 8 })));
    // the run's small models (1 channel, 32×32), as PyTorch counts them
    expect(countOf(() => new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 5, ngf: 16 }))).toBe(1_041_153);
    expect(countOf(() => new Discriminator({ inChannels: 1, ndf: 16 }))).toBe(174_832);
  });
});

describe('chapter 13: the book’s structures equal PyTorch’s on loaded weights', () => {
  it.skipIf(missing !== null)('keys, shapes, counts and outputs of narrow builds (the book’s layers, 2 filters wide); PyTorch’s counts at the book’s sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch13-'));
    const before = memory().numTensors;
    try {
      const out = runPython(
        REFERENCE +
          `
import sys, json
torch.manual_seed(0)
g = torch.Generator().manual_seed(1)
models = {'unet': GeneratorUNet(3, 3, 8, 2), 'patch': Pix2PixDiscriminator(3, 2), 'resnet': GeneratorResNet(9, 3, 2), 'cycled': CycleDiscriminator(3, 2)}
info = {}
io = {'x256': torch.rand(1, 3, 256, 256, generator=g) * 2 - 1, 'y64': torch.rand(2, 3, 64, 64, generator=g) * 2 - 1, 'z64': torch.rand(2, 3, 64, 64, generator=g) * 2 - 1,
      'x32': torch.rand(2, 3, 32, 32, generator=g) * 2 - 1}
for name, m in models.items():
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-0.3, 0.3, generator=g)
    m.eval()
    save(sys.argv[1] + '/' + name + '.safetensors', m.state_dict())
    info[name] = {'count': sum(p.numel() for p in m.parameters()), 'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()]}
with torch.no_grad():
    io['unet'] = models['unet'](io['x256'])
    io['patch'] = models['patch'](io['y64'], io['z64'])
    io['resnet'] = models['resnet'](io['x32'])
    io['cycled'] = models['cycled'](io['y64'])
save(sys.argv[1] + '/io.safetensors', io)
c = lambda m: sum(p.numel() for p in m.parameters())
info['book'] = [c(GeneratorUNet()), c(Pix2PixDiscriminator()), c(GeneratorResNet()), c(CycleDiscriminator())]
print(json.dumps(info))
`,
        [dir],
      );
      const { book, ...info } = JSON.parse(out.trim().split('\n').pop()!) as Record<string, { count: number; keys: [string, number[]][] }> & { book: number[] };
      // PyTorch's counts of the book's models (3 channels, 256×256), the literals of the test above
      expect(book).toEqual([54_404_099, 2_767_808, 11_378_179, 2_764_737]);
      const mine: Record<string, AnyModule> = {
        unet: new GeneratorUNet({ ngf: 2 }),
        patch: new Discriminator({ ndf: 2 }),
        resnet: new GeneratorResNet(9, { ngf: 2 }),
        cycled: new CycleDiscriminator({ ndf: 2 }),
      };
      // PyTorch's counts of these builds
      expect(Object.fromEntries(Object.entries(info).map(([k, v]) => [k, v.count]))).toEqual({ unet: 53_411, patch: 3_166, resnet: 11_843, cycled: 3_071 });
      const { tensors: io } = await loadSafetensors(join(dir, 'io.safetensors'));
      for (const [name, m] of Object.entries(mine)) {
        expect(count(m)).toBe(info[name]!.count);
        const sd = m.stateDict();
        expect(Object.entries(sd).map(([k, v]) => [k, v.shape])).toEqual(info[name]!.keys);
        for (const t of Object.values(sd)) t.dispose();
        const { tensors: theirs } = await loadSafetensors(join(dir, `${name}.safetensors`));
        expect(m.loadStateDict(theirs, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
        for (const t of Object.values(theirs)) t.dispose();
        m.eval();
      }
      const got = tidy(() => noGrad(() => ({
        unet: (mine.unet as GeneratorUNet)(io.x256!),
        patch: (mine.patch as Discriminator)(io.y64!, io.z64!),
        resnet: (mine.resnet as GeneratorResNet)(io.x32!),
        cycled: (mine.cycled as CycleDiscriminator)(io.y64!),
      })));
      expect(got.unet.shape).toEqual([1, 3, 256, 256]);
      expect(got.patch.shape).toEqual([2, 1, 4, 4]);
      for (const name of ['unet', 'patch', 'resnet', 'cycled'] as const) {
        expect(await maxDiff(got[name], io[name]!)).toBeLessThan(1e-4);
        // the outputs vary, so the comparison can fail
        const v = await io[name]!.data();
        let [lo, hi] = [Infinity, -Infinity];
        for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
        expect(hi - lo).toBeGreaterThan(0.05);
      }
      for (const t of [...Object.values(got), ...Object.values(io)]) t.dispose();
      for (const m of Object.values(mine)) m.dispose();
      expect(memory().numTensors).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('chapter 13: ReplayBuffer (the reference’s image pool)', () => {
  it('stores at most maxSize, returns the inputs while filling, then replaces about half at random', async () => {
    const before = memory().numTensors;
    let s = 12345;
    const random = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const pool = new ReplayBuffer({ maxSize: 50, random });
    expect(new ReplayBuffer().maxSize).toBe(50);
    expect(() => new ReplayBuffer(0)).toThrow(/maxSize to be a positive integer.*got 0/);
    // images are constant [1, 2, 2] tensors holding their number: 0…59 while filling (batches of 6)
    for (let b = 0; b < 10; b++) {
      const batch = tidy(() => tensor(Array.from({ length: 6 }, (_, i) => b * 6 + i)).reshape([6, 1, 1, 1]).expand([6, 1, 2, 2]));
      const out = pool.pushAndPop(batch);
      const got = Array.from(await out.data()).filter((_, i) => i % 4 === 0);
      if (b < 8) expect(got).toEqual([0, 1, 2, 3, 4, 5].map((i) => b * 6 + i)); // 48 stored: all returned as given
      expect(pool.length).toBe(Math.min(50, (b + 1) * 6));
      batch.dispose();
      out.dispose();
    }
    // full: 2000 more images, one by one; count those swapped for a stored (older) one
    let replaced = 0;
    const seen = new Set<number>();
    for (let k = 0; k < 2000; k++) {
      const id = 1000 + k;
      const image = tidy(() => zeros([1, 1, 2, 2]).add(id));
      const out = pool.pushAndPop(image);
      image.dispose();
      const v = (await out.data())[0]!;
      if (v !== id) {
        replaced++;
        expect(v).toBeLessThan(id); // an older image
        expect(seen.has(v)).toBe(false); // each stored image comes back at most once
        seen.add(v);
      }
      out.dispose();
      expect(pool.length).toBe(50);
    }
    // Binomial(2000, ½): mean 1000, standard deviation ≈ 22
    expect(replaced).toBeGreaterThan(900);
    expect(replaced).toBeLessThan(1100);
    pool.dispose();
    expect(pool.length).toBe(0);
    // nothing leaks once the pool is disposed (its stored copies are freed)
    expect(memory().numTensors).toBe(before);
  });
});

describe('chapter 13: training steps', () => {
  it('pix2pix: a few steps on a tiny fixed edge→image set lower the generator’s L1 to the targets', () => {
    const before = memory().numTensors;
    manualSeed(0);
    // 4 fixed "garments": bright rectangles of different sizes on a dark 32×32 canvas, and their edges
    const [src, trg] = tidy(() => {
      const rects = [[6, 24, 8, 22], [4, 28, 10, 20], [10, 20, 4, 26], [8, 26, 8, 26]] as const;
      const data = new Float32Array(4 * 1024);
      rects.forEach(([r0, r1, c0, c1], i) => {
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) data[i * 1024 + r * 32 + c] = 0.4 + 0.015 * (r + c);
      });
      const x = tensor(Array.from(data)).reshape([4, 1, 32, 32]);
      return [sobelEdges(x).mul(2).sub(1), x.mul(2).sub(1)].map((t) => t.clone()) as [Tensor, Tensor];
    });
    const generator = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 4, ngf: 8 });
    const discriminator = new Discriminator({ inChannels: 1, ndf: 8 });
    const adam = { lr: 2e-3, betas: [0.5, 0.999] as [number, number] };
    const m = { generator, discriminator, optimizerG: new Adam(generator.parameters(), adam), optimizerD: new Adam(discriminator.parameters(), adam) };
    const l0 = generatorL1(generator, src, trg);
    const losses = Array.from({ length: 12 }, () => pix2pixTrainStep(m, src, trg));
    const l1 = generatorL1(generator, src, trg);
    for (const l of losses) {
      expect(Number.isFinite(l.lossD) && Number.isFinite(l.lossG)).toBe(true);
      expect(l.lossG).toBeCloseTo(l.lossGAN + 100 * l.lossPixel, 3);
    }
    expect(l1).toBeLessThan(l0 * 0.7);
    m.optimizerG.dispose();
    m.optimizerD.dispose();
    generator.dispose();
    discriminator.dispose();
    src.dispose();
    trg.dispose();
    expect(memory().numTensors).toBe(before);
  }, 60_000);

  it('CycleGAN: a few steps with the image pool lower the cycle and identity losses', () => {
    const before = memory().numTensors;
    manualSeed(1);
    let s = 7;
    const random = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const m = createCycleGAN({ generator: { numResidualBlocks: 1, channels: 1, ngf: 4 }, discriminator: { channels: 1, ndf: 4 }, lr: 2e-3, random });
    const [a, b] = tidy(() => [rand([1, 1, 32, 32]).mul(2).sub(1).clone(), rand([1, 1, 32, 32]).mul(0.5).clone()]);
    const losses = Array.from({ length: 8 }, () => cycleGANTrainStep(m, a!, b!));
    for (const l of losses) expect(l.lossG).toBeCloseTo(l.lossGAN + 10 * l.lossCycle + 5 * l.lossIdentity, 3);
    expect(losses.at(-1)!.lossCycle).toBeLessThan(losses[0]!.lossCycle * 0.9);
    expect(losses.at(-1)!.lossIdentity).toBeLessThan(losses[0]!.lossIdentity * 0.9);
    expect(m.fakeABuffer!.length).toBe(8);
    disposeCycleGAN(m);
    a!.dispose();
    b!.dispose();
    expect(memory().numTensors).toBe(before);
  }, 60_000);
});

describe('chapter 13: command lines', () => {
  it('parse with node:util and refuse bad arguments', () => {
    expect(parsePix2PixArgs(['--epochs', '3', '--limit', '500', '--num-downs', '5', '--out', 'x'])).toEqual({ epochs: 3, train: 500, numDowns: 5, out: 'x' });
    expect(() => parsePix2PixArgs(['--epochs', 'two'])).toThrow(/--epochs: expected a positive integer, got two/);
    expect(() => parsePix2PixArgs(['--epoch', '1'])).toThrow(/Unknown option '--epoch'/);
    expect(parseCycleGANArgs(['--class-a', '0', '--class-b', '6', '--no-pool', '--residual-blocks', '9'])).toEqual({ classA: 0, classB: 6, pool: false, numResidualBlocks: 9 });
    expect(() => parseCycleGANArgs(['--class-a', '10'])).toThrow(/--class-a: expected a Fashion-MNIST class 0–9, got 10/);
    expect(parseCycleGANArgs(['-h'])).toBeNull();
  });
});
