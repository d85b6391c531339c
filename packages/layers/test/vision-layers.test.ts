// The vision layers of issue #13 against PyTorch 1.13 (fixtures/generated/layers-vision.json,
// written by scripts/fixtures/generate.sh layers-vision): output, input and parameter gradients
// and the running statistics after a training forward, float32 and float64 on the CPU; and
// F.pad's non-constant modes with their gradients. Errors follow PyTorch's checks.
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { getBackend, manualSeed, pad, tensor, zeros, ones, instanceNorm, groupNorm, pixelShuffle, pixelUnshuffle, dropout2d } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import {
  assertClose,
  goldenToTensor,
  loadGenerated,
  runChecked,
  runLayerGoldenCase,
  seededRng,
  toleranceFor,
  type LayerGoldenCase,
  type LayersVisionCase,
} from '@tensorgrad/conformance';
import {
  ConstantPad2d,
  Dropout2d,
  GroupNorm,
  InstanceNorm2d,
  PixelShuffle,
  PixelUnshuffle,
  ReflectionPad2d,
  ReplicationPad2d,
  Sequential,
  ZeroPad2d,
  Conv2d,
  summary,
} from '@tensorgrad/layers';

const file = loadGenerated<LayersVisionCase>('layers-vision');

describe('vision layers match PyTorch (layers-vision.json)', () => {
  for (const c of file.cases.filter((k) => k.kind === 'layer')) {
    it(c.id, async () => {
      if (c.seed !== undefined) manualSeed(c.seed);
      await runChecked(getBackend(), c.dtype, seededRng(c.id), tg, (ctx) => runLayerGoldenCase(ctx, c as unknown as LayerGoldenCase));
    });
  }
});

describe("pad's reflect, replicate and circular modes match F.pad (layers-vision.json)", () => {
  for (const c of file.cases.filter((k) => k.kind === 'op' && k.op === 'pad')) {
    it(c.id, async () => {
      const tol = toleranceFor(c.dtype);
      const x = goldenToTensor(c.inputs![0]!, getBackend()).requiresGrad_();
      const y = pad(x, c.attrs.pad as number[], { mode: c.attrs.mode as 'reflect' });
      await assertClose(y, c.output!, tol, `${c.id} output`);
      y.backward(goldenToTensor(c.gradOutput!, getBackend()));
      await assertClose(x.grad!, c.grads![0]!, tol, `${c.id} input grad`);
    });
  }
});

describe('errors say what was expected, what was given and how to fix it', () => {
  const x = (): tg.Tensor => zeros([1, 2, 3, 4]);
  it('pad: reflect padding must be smaller than the dim; circular wraps at most once; no value', () => {
    expect(() => pad(x(), [4, 0, 0, 0], { mode: 'reflect' })).toThrow(RangeError);
    expect(() => pad(x(), [4, 0, 0, 0], { mode: 'reflect' })).toThrow(/reflect padding must be smaller than the padded dim: got padding \(4, 0\) at dimension 3 of input \[1, ?2, ?3, ?4\] \(size 4\); use at most 3/);
    expect(() => pad(x(), [0, 0, 3, 0], { mode: 'reflect' })).toThrow(/dimension 2/);
    expect(() => pad(x(), [5, 0, 0, 0], { mode: 'circular' })).toThrow(/wraps around more than once/);
    expect(() => pad(x(), [0, -5, 0, 0], { mode: 'replicate' })).toThrow(/output size would be -1/);
    expect(() => pad(x(), [1, 1, 1, 1], { mode: 'reflect', value: 1 })).toThrow(/takes no value/);
    expect(() => pad(zeros([4]), [1, 1], { mode: 'reflect' })).toThrow(/2-D\/3-D/);
    expect(() => pad(x(), [1, 1], { mode: 'wrap' as 'reflect' })).toThrow(/expected mode to be one of 'constant', 'reflect', 'replicate', 'circular', got "wrap"/);
    expect(pad(x(), [1, 1, 0, 0], { mode: 'reflect', value: 0 }).shape).toEqual([1, 2, 3, 6]);
    expect(() => pad(x(), [1, 1], { mode: 'reflect' })).toThrow(/got 2 padding values for a 4-d input/);
  });
  it('the layers check their arguments and inputs', () => {
    expect(() => new GroupNorm(3, 4)).toThrow(/numChannels must be divisible by numGroups, got numChannels 4 and numGroups 3/);
    expect(() => groupNorm(zeros([1, 4, 2]), 3)).toThrow(/divisible by numGroups/);
    expect(() => new GroupNorm(2, 4).call(zeros([1, 6, 2]))).toThrow(/expected weight to be a vector of size 6/);
    expect(() => new InstanceNorm2d(3, { affine: true }).call(zeros([1, 2, 3, 3]))).toThrow(/match numFeatures \(3\)/);
    expect(() => new InstanceNorm2d(3).call(zeros([2, 3, 4]).reshape([1, 2, 3, 4]).sum(0))).not.toThrow();
    expect(() => new InstanceNorm2d(2).call(zeros([2, 2]))).toThrow(/3-D \[C, H, W\] or 4-D/);
    expect(() => instanceNorm(zeros([2, 3, 1, 1]))).toThrow(/more than 1 spatial element/);
    expect(() => pixelShuffle(zeros([1, 3, 2, 2]), 2)).toThrow(/divisible by upscaleFactor² = 4/);
    expect(() => pixelShuffle(zeros([3, 2]), 2)).toThrow(/at least 3 dims/);
    expect(() => pixelUnshuffle(zeros([1, 1, 3, 4]), 2)).toThrow(/height \(size\(-2\)\) = 3 to be divisible by downscaleFactor 2/);
    expect(() => new PixelShuffle(0)).toThrow(/positive integer/);
    expect(() => new Dropout2d(1.5)).toThrow(/between 0 and 1/);
    expect(() => new ReflectionPad2d([1, 2] as unknown as number)).toThrow(/\[left, right, top, bottom\]/);
    expect(() => new Dropout2d(0.5, true as false)).toThrow(/inplace/);
  });
});

describe('behaviour', () => {
  it('InstanceNorm2d: running statistics only with trackRunningStats, used in eval; num_batches_tracked never counts (as PyTorch)', async () => {
    const m = new InstanceNorm2d(2, { trackRunningStats: true, momentum: 0.5 });
    const x = tensor([[[[1, 3]], [[10, 30]]], [[[3, 5]], [[20, 40]]]]);
    m.call(x);
    expect(await m.running_mean!.array()).toEqual([1.5, 12.5]);
    expect(m.num_batches_tracked!.itemSync()).toBe(0);
    const evalOut = await m.eval().call(tensor([[[[1.5, 1.5]], [[12.5, 12.5]]]])).array();
    expect((evalOut as number[][][][]).flat(3).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(Object.keys(new InstanceNorm2d(2).stateDict())).toEqual([]);
  });
  it('Dropout2d zeroes whole channels, scales by 1/(1-p), and is the identity in eval mode', async () => {
    manualSeed(3);
    const y = (await new Dropout2d(0.25).call(ones([8, 16, 2, 2])).data()) as Float32Array;
    const per = Array.from({ length: 8 * 16 }, (_, i) => y.slice(4 * i, 4 * i + 4));
    expect(per.every((ch) => ch.every((v) => v === ch[0]) && (ch[0] === 0 || Math.abs(ch[0]! - 4 / 3) < 1e-6))).toBe(true);
    expect(await new Dropout2d().eval().call(ones([1, 1, 1, 1])).array()).toEqual([[[[1]]]]);
    expect(await dropout2d(ones([1, 2, 1, 1]), { p: 1 }).array()).toEqual([[[[0]], [[0]]]]);
  });
  it('pixelUnshuffle inverts pixelShuffle', async () => {
    const x = tg.arange(2 * 8 * 3 * 2).reshape([2, 8, 3, 2]);
    expect(await pixelUnshuffle(pixelShuffle(x, 2), 2).array()).toEqual(await x.array());
    expect(new PixelUnshuffle(2).call(new PixelShuffle(2).call(x)).shape).toEqual([2, 8, 3, 2]);
  });
  it('appear in toString() and state dicts with PyTorch names', () => {
    const model = new Sequential(new ReflectionPad2d(1), new Conv2d(3, 4, 3), new InstanceNorm2d(4, { affine: true }), new GroupNorm(2, 4), new ZeroPad2d(1), new ReplicationPad2d(1), new ConstantPad2d(1, 0.5), new PixelShuffle(2), new Dropout2d());
    model.call(zeros([1, 3, 8, 8]));
    const text = model.toString();
    for (const row of ['ReflectionPad2d-1', 'InstanceNorm2d-3', 'GroupNorm-4', 'ZeroPad2d-5', 'ReplicationPad2d-6', 'ConstantPad2d-7', 'PixelShuffle-8', 'Dropout2d-9']) expect(text).toContain(row);
    expect(text).toContain('[1, 1, 28, 28]');
    expect(Object.keys(model.stateDict())).toEqual(['1.weight', '1.bias', '2.weight', '2.bias', '3.weight', '3.bias']);
    const s = summary(model, [3, 8, 8]);
    expect(s.totalParams).toBe(3 * 4 * 9 + 4 + 4 + 4 + 4 + 4);
    expect(s.text).toContain('InstanceNorm2d-3');
  });
});
