// batchNorm, layerNorm, dropout, interpolate: float64 gradchecks, dropout statistics and seeding,
// errors and leak checks (the PyTorch golden cases run in the conformance suite).
import { describe, expect, it } from 'vitest';
import { Generator, batchNorm, dropout, getBackend, groupNorm, instanceNorm, interpolate, layerNorm, manualSeed, memory, noGrad, ones, tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { gradcheck } from '@tensorgrad/autodiff';

function rnd(shape: number[], seed: number, requiresGrad = true): Tensor {
  const g = new Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const arr = Float64Array.from({ length: n }, () => g.random() * 4 - 2);
  const t = fromArray(getBackend(), arr, shape, 'float64');
  t.requiresGrad = requiresGrad;
  return t;
}

describe('float64 gradcheck', () => {
  const check = (name: string, shapes: number[][], fn: (...xs: Tensor[]) => Tensor): void => {
    it(name, () => {
      const before = memory().numTensors;
      const xs = shapes.map((s, i) => rnd(s, 10 + i));
      const outShape = noGrad(() => {
        const y = fn(...xs);
        const s = y.shape;
        y.dispose();
        return s;
      });
      const r = rnd([...outShape], 99, false);
      expect(gradcheck((...ts) => fn(...ts).mul(r).sum(), xs)).toBe(true);
      r.dispose();
      for (const x of xs) x.dispose();
      expect(memory().numTensors).toBe(before);
    });
  };
  const stats = (c: number): [Tensor, Tensor] => [zeros([c], { dtype: 'float64' }), ones([c], { dtype: 'float64' })];
  check('batchNorm training [N,C,H,W] with weight and bias', [[3, 2, 2, 3], [2], [2]], (x, w, b) => {
    const [m, v] = stats(2);
    const y = batchNorm(x!, m, v, w, b, { training: true });
    m.dispose();
    v.dispose();
    return y;
  });
  check('batchNorm training [N,C] without running stats or affine', [[5, 3]], (x) => batchNorm(x!, null, null, { training: true }));
  check('batchNorm evaluation [N,C,L]', [[2, 3, 4], [3], [3]], (x, w, b) => {
    const m = tensor([0.1, -0.2, 0.3], { dtype: 'float64' });
    const v = tensor([0.5, 1.5, 2], { dtype: 'float64' });
    const y = batchNorm(x!, m, v, w, b);
    m.dispose();
    v.dispose();
    return y;
  });
  check('layerNorm last two dims with weight and bias', [[2, 3, 4], [3, 4], [3, 4]], (x, w, b) => layerNorm(x!, [3, 4], w, b));
  check('layerNorm whole input, no affine', [[3, 5]], (x) => layerNorm(x!, [3, 5]));
  check('interpolate nearest scale 2', [[1, 2, 3, 3]], (x) => interpolate(x!, { scaleFactor: 2 }));
  check('interpolate nearest downsample', [[1, 1, 5, 7]], (x) => interpolate(x!, { size: [3, 2] }));
  check('interpolate bilinear', [[2, 1, 3, 4]], (x) => interpolate(x!, { size: [5, 7], mode: 'bilinear' }));
  check('interpolate bilinear alignCorners downsample', [[1, 2, 5, 6]], (x) => interpolate(x!, { size: [2, 4], mode: 'bilinear', alignCorners: true }));
  check('interpolate linear 3-D', [[2, 2, 5]], (x) => interpolate(x!, { scaleFactor: 1.5, mode: 'linear' }));
  check('dropout (fixed mask by seed)', [[4, 5]], (x) => dropout(x!, { p: 0.3, generator: new Generator(7) }));
});

describe('batchNorm specifics', () => {
  it('cumulative moving average with momentum null and numBatchesTracked', async () => {
    const x = tensor([[1, 10], [3, 30]]);
    const m = tensor([4, 4]);
    const v = tensor([4, 4]);
    batchNorm(x, m, v, { training: true, momentum: null, numBatchesTracked: 2 }).dispose();
    // factor 1/2: mean [2, 20], unbiased var [2, 200]
    expect(await m.array()).toEqual([3, 12]);
    expect(await v.array()).toEqual([3, 102]);
    expect(() => batchNorm(x, m, v, { training: true, momentum: null })).toThrow(/numBatchesTracked/);
    x.dispose();
    m.dispose();
    v.dispose();
  });
  it('leaves running stats alone in evaluation mode and errors clearly', () => {
    const before = memory().numTensors;
    const x = tensor([[1, 2], [3, 4]]);
    const m = tensor([1, 1]);
    const v = tensor([1, 1]);
    batchNorm(x, m, v).dispose();
    expect(Array.from(m.dataSync())).toEqual([1, 1]);
    expect(() => batchNorm(x)).toThrow(/evaluation mode/);
    expect(() => batchNorm(x, tensor([1, 2, 3]), v)).toThrow(/runningMean of shape \[3\]|expected runningMean/);
    expect(() => batchNorm(tensor([[1, 2]]), null, null, { training: true })).toThrow(/more than 1 value per channel/);
    expect(() => batchNorm(tensor([1, 2]), m, v)).toThrow(/2-D to 5-D/);
    x.dispose();
    m.dispose();
    v.dispose();
    // the tensors created inline in the expectations above leak by design of the test; count them
    expect(memory().numTensors - before).toBeLessThanOrEqual(3);
  });
});

describe('empty inputs of the normalizations (found by the property sweeps, PyTorch 1.13 semantics)', () => {
  it('batchNorm in training takes an empty batch and leaves the running stats alone; C = 0 is no error', async () => {
    const m = tensor([1, 2]);
    const v = tensor([3, 4]);
    const y = batchNorm(zeros([0, 2, 3]), m, v, { training: true });
    expect(y.shape).toEqual([0, 2, 3]);
    expect(await m.array()).toEqual([1, 2]); // torch: running_mean unchanged for an empty batch
    expect(await v.array()).toEqual([3, 4]);
    expect(batchNorm(zeros([2, 0, 3]), null, null, { training: true }).shape).toEqual([2, 0, 3]);
    // exactly one value per channel is still PyTorch's error
    expect(() => batchNorm(zeros([1, 2, 1]), null, null, { training: true })).toThrow(/more than 1 value per channel/);
  });
  it('groupNorm of an empty batch: empty output, zero weight gradient', async () => {
    const x = zeros([0, 4, 2]).requiresGrad_();
    const w = ones([4]).requiresGrad_();
    const y = groupNorm(x, 2, w, zeros([4]));
    expect(y.shape).toEqual([0, 4, 2]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 4, 2]);
    expect(await w.grad!.array()).toEqual([0, 0, 0, 0]);
  });
  it('layerNorm over zero-size dims', () => {
    expect(layerNorm(zeros([2, 0]), [0]).shape).toEqual([2, 0]);
    expect(layerNorm(zeros([0]), 0).shape).toEqual([0]);
    expect(() => layerNorm(zeros([2, 3]), [-1])).toThrow(/non-negative integer/);
  });
  it('instanceNorm of an empty batch with running stats: the stats become NaN (the mean over no instances), as torch', async () => {
    const m = tensor([1, 2, 3]);
    const v = tensor([1, 2, 3]);
    expect(instanceNorm(zeros([0, 3, 2]), m, v, { useInputStats: true }).shape).toEqual([0, 3, 2]);
    expect(Array.from(await m.data()).every(Number.isNaN)).toBe(true);
    expect(Array.from(await v.data()).every(Number.isNaN)).toBe(true);
  });
});

describe('layerNorm specifics', () => {
  it('errors on a mismatched normalizedShape or weight', () => {
    const x = zeros([2, 3]);
    const w = ones([2]);
    expect(() => layerNorm(x, [4])).toThrow(/last 1 dims are normalizedShape \[4\]/);
    expect(() => layerNorm(x, [3], w)).toThrow(/weight of shape/);
    expect(() => layerNorm(x, [])).toThrow(/normalizedShape/);
    x.dispose();
    w.dispose();
  });
});

describe('dropout', () => {
  it('keeps about 1-p of the elements, scaled by 1/(1-p), reproducibly by seed', () => {
    const before = memory().numTensors;
    const x = ones([20000]);
    const y1 = dropout(x, { p: 0.3, generator: new Generator(123) });
    const y2 = dropout(x, { p: 0.3, generator: new Generator(123) });
    const y3 = dropout(x, { p: 0.3, generator: new Generator(124) });
    const a = Array.from(y1.dataSync());
    const kept = a.filter((v) => v !== 0);
    expect(Math.abs(kept.length / a.length - 0.7)).toBeLessThan(0.015);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.7, 6);
    expect(Array.from(y2.dataSync())).toEqual(a);
    expect(Array.from(y3.dataSync())).not.toEqual(a);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
    for (const t of [x, y1, y2, y3]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
  it('uses the global generator seeded by manualSeed', () => {
    const x = ones([100]);
    manualSeed(5);
    const a = dropout(x);
    manualSeed(5);
    const b = dropout(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    for (const t of [x, a, b]) t.dispose();
  });
  it('p = 0 and training false alias the input; p = 1 zeros; gradient uses the mask', () => {
    const before = memory().numTensors;
    const x = tensor([1, 2, 3, 4], { requiresGrad: true });
    const a = dropout(x, { p: 0 });
    const b = dropout(x, { training: false });
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    expect(a).not.toBe(x);
    const z = dropout(x, { p: 1 });
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0]);
    const y = dropout(x, { p: 0.5, generator: new Generator(1) });
    const s = y.sum();
    s.backward();
    const ys = Array.from(y.dataSync());
    expect(Array.from(x.grad!.dataSync())).toEqual(ys.map((v, i) => v / (i + 1)));
    for (const t of [a, b, z, y, s, x]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
  it('errors', () => {
    const x = ones([2]);
    expect(() => dropout(x, { p: 1.5 })).toThrow(/between 0 and 1/);
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => dropout(i)).toThrow(/floating-point/);
    x.dispose();
    i.dispose();
  });
});

describe('interpolate specifics', () => {
  it('errors name the mode and the expected input', () => {
    const x = zeros([1, 1, 2, 2]);
    expect(() => interpolate(x, { scaleFactor: 2, mode: 'bicubic' })).toThrow(/mode 'bicubic' is not supported yet/);
    // a wrong value of the argument (CONTRIBUTING.md: RangeError), not a bare Error
    expect(() => interpolate(x, { scaleFactor: 2, mode: 'bicubic' })).toThrow(RangeError);
    expect(() => interpolate(x, { scaleFactor: 2, mode: 42 as never })).toThrow(TypeError);
    expect(() => interpolate(x, { scaleFactor: 2, mode: 'linear' })).toThrow(/needs a 3-D input/);
    expect(() => interpolate(x, { scaleFactor: 2, alignCorners: true })).toThrow(/alignCorners/);
    expect(() => interpolate(x, {})).toThrow(/exactly one of size and scaleFactor/);
    expect(() => interpolate(x, { size: [2, 2], scaleFactor: 2 })).toThrow(/exactly one/);
    expect(() => interpolate(zeros([2, 2]), { size: 3 })).toThrow(/3-D \[N, C, L\] or 4-D/);
    x.dispose();
  });
  it('bilinear alignCorners against hand computation', async () => {
    const x = tensor([[[[0, 3], [6, 9]]]]);
    const y = interpolate(x, { size: [3, 4], mode: 'bilinear', alignCorners: true });
    expect(await y.array()).toEqual([[[[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]]]);
    x.dispose();
    y.dispose();
  });
});
