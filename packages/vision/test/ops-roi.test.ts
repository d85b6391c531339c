// torchvision.ops RoI pooling and NMS beyond vision.json: RoIs outside the image, inverted and
// degenerate RoIs, both RoI formats, aligned/sampling variants, gradients; NMS with NaN scores, ties,
// inverted boxes and extreme thresholds; batchedNms; MultiScaleRoIAlign over a 3-level pyramid —
// all checked against Debian's torchvision 0.14 run at test time. Then float64 gradchecks (forward
// and the backward ops' own gradients), the modules and argument errors.
import { describe, expect, it } from 'vitest';
import { memory, NotSupportedError, tensor, type Tensor } from '@tensorgrad/tensor';
import { roiAlignBackward, roiPool as roiPoolOp, roiPoolBackward } from '@tensorgrad/tensor/backend';
import { gradcheck } from '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import { batchedNms, batchedNmsAsync, MultiScaleRoIAlign, nms, nmsAsync, roiAlign, RoIAlign, roiPool, RoIPool } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision cross-checks: ${missing}`);

/** A deterministic pseudo-random sequence (the same numbers go to torchvision through JSON). */
function values(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((lo + ((hi - lo) * s) / 2 ** 32) * 1e4) / 1e4;
  });
}

const N = 2;
const C = 3;
const H = 7;
const W = 9;
const X = values(N * C * H * W, 1);
// RoIs in image coordinates (spatialScale 0.5 maps them onto the 7×9 maps): inside, partly and
// wholly outside, negative, inverted (x2 < x1), degenerate, fractional, covering everything
const ROIS = [
  [0, 1, 1, 10, 8],
  [1, -6, -4, 5, 3],
  [0, 14, 10, 30, 24],
  [1, 40, 40, 50, 60],
  [0, 12, 9, 3, 2],
  [1, 6, 6, 6, 6],
  [0, 0.3, 2.7, 7.9, 11.2],
  [1, -10, -10, 40, 40],
  [0, 17, 0, 19, 13],
  [1, -50, -40, 150, 160], // large: an adaptive grid of up to 67×67 samples per bin, mostly outside
];

const PY_ROI = `
import json, sys, torch
from torchvision import ops
a = json.loads(sys.argv[1])
out = {}
for dt, name in ((torch.float32, 'float32'), (torch.float64, 'float64')):
    x = torch.tensor(a['x'], dtype=dt).reshape(${N}, ${C}, ${H}, ${W})
    rois = torch.tensor(a['rois'], dtype=dt)
    for key, (os, kw) in a['align'].items():
        xx = x.clone().requires_grad_()
        y = ops.roi_align(xx, rois, os, **kw)
        g = torch.tensor(a['g'][:y.numel()], dtype=dt).reshape(y.shape)
        (y * g).sum().backward()
        out[name + '/align/' + key] = [y.flatten().tolist(), xx.grad.flatten().tolist()]
    for key, (os, kw) in a['pool'].items():
        xx = x.clone().requires_grad_()
        y = ops.roi_pool(xx, rois, os, **kw)
        g = torch.tensor(a['g'][:y.numel()], dtype=dt).reshape(y.shape)
        (y * g).sum().backward()
        out[name + '/pool/' + key] = [y.flatten().tolist(), xx.grad.flatten().tolist()]
    # the list-of-boxes form: one [L, 4] tensor per image
    boxes = [rois[rois[:, 0] == i, 1:] for i in range(${N})]
    out[name + '/align-list'] = ops.roi_align(x, boxes, [2, 3], 0.5, 2).flatten().tolist()
print(json.dumps(out))
`;

const ALIGN: Record<string, [number | number[], Record<string, unknown>]> = {
  adaptive: [3, { spatial_scale: 0.5 }],
  sr2: [[2, 4], { spatial_scale: 0.5, sampling_ratio: 2 }],
  aligned: [[3, 2], { spatial_scale: 0.5, aligned: true }],
  'aligned-sr1': [2, { spatial_scale: 0.25, sampling_ratio: 1, aligned: true }],
  scale1: [[1, 3], { spatial_scale: 1 }],
};
const POOL: Record<string, [number | number[], Record<string, unknown>]> = {
  'out3-s0.5': [3, { spatial_scale: 0.5 }],
  'out2x4-s1': [[2, 4], { spatial_scale: 1 }],
  'out4-s0.3': [4, { spatial_scale: 0.3 }],
};
const camel = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

async function expectClose(t: Tensor, expected: number[], tol: number, what: string): Promise<void> {
  const got = Array.from(await t.data());
  expect(got.length, what).toBe(expected.length);
  got.forEach((v, i) => {
    if (Math.abs(v - expected[i]!) > tol * (1 + Math.abs(expected[i]!))) expect.fail(`${what}[${i}]: got ${v}, torchvision ${expected[i]}`);
  });
}

describe.skipIf(missing !== null)('roiAlign and roiPool against torchvision', () => {
  const g = values(ROIS.length * C * 16, 7);
  const ref = JSON.parse(runPython(PY_ROI, [JSON.stringify({ x: X, rois: ROIS, g, align: ALIGN, pool: POOL })])) as Record<string, unknown>;
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float32' ? 1e-5 : 1e-12;
    for (const [key, [os, kw]] of Object.entries(ALIGN)) {
      it(`roiAlign ${key} (${dtype}): values and input gradient, RoIs outside and inverted included`, async () => {
        const x = tensor(X, { dtype }).reshape([N, C, H, W]).requiresGrad_();
        const y = roiAlign(x, tensor(ROIS, { dtype }), { outputSize: os as number, ...camel(kw) });
        const [want, wantGrad] = ref[`${dtype}/align/${key}`] as [number[], number[]];
        await expectClose(y, want, tol, 'output');
        y.backward(tensor(g.slice(0, y.numel()), { dtype }).reshape([...y.shape]));
        await expectClose(x.grad!, wantGrad, tol, 'grad');
      });
    }
    for (const [key, [os, kw]] of Object.entries(POOL)) {
      it(`roiPool ${key} (${dtype}): values (0 for empty bins) and input gradient`, async () => {
        const x = tensor(X, { dtype }).reshape([N, C, H, W]).requiresGrad_();
        const y = roiPool(x, tensor(ROIS, { dtype }), { outputSize: os as number, ...camel(kw) });
        const [want, wantGrad] = ref[`${dtype}/pool/${key}`] as [number[], number[]];
        await expectClose(y, want, 0, 'output');
        y.backward(tensor(g.slice(0, y.numel()), { dtype }).reshape([...y.shape]));
        await expectClose(x.grad!, wantGrad, tol, 'grad');
      });
    }
    it(`roiAlign takes one [L, 4] tensor per image (${dtype})`, async () => {
      const x = tensor(X, { dtype }).reshape([N, C, H, W]);
      const boxes = [0, 1].map((i) => tensor(ROIS.filter((r) => r[0] === i).map((r) => r.slice(1)), { dtype }));
      await expectClose(roiAlign(x, boxes, [2, 3], 0.5, 2), ref[`${dtype}/align-list`] as number[], tol, 'output');
    });
  }
});

describe('roiAlign and roiPool gradients (float64 finite differences)', () => {
  const rois = tensor([[0, 0.3, 0.7, 5.1, 4.2], [1, -2.2, 1.4, 3.3, 9.6], [0, 2.5, 1.5, 2.2, 1.2]], { dtype: 'float64' });
  const x = (): Tensor => tensor(values(N * C * 5 * 6, 3), { dtype: 'float64' }).reshape([N, C, 5, 6]);
  it('roiAlign (adaptive, aligned, fixed sampling)', () => {
    expect(gradcheck((t) => roiAlign(t, rois, { outputSize: [2, 3], spatialScale: 0.8 }), [x()])).toBe(true);
    expect(gradcheck((t) => roiAlign(t, rois, { outputSize: 2, spatialScale: 1, samplingRatio: 3, aligned: true }), [x()])).toBe(true);
  });
  it('roiPool (random values: no ties)', () => {
    expect(gradcheck((t) => roiPool(t, rois, { outputSize: [2, 2], spatialScale: 0.9 }), [x()])).toBe(true);
  });
  it('the backward ops are differentiable in their gradient input (double backward)', () => {
    const attrs = { spatialScale: 0.8, pooledHeight: 2, pooledWidth: 3, samplingRatio: -1, aligned: false, inputShape: [N, C, 5, 6] };
    const g = tensor(values(3 * C * 6, 5), { dtype: 'float64' }).reshape([3, C, 2, 3]);
    expect(gradcheck((t) => roiAlignBackward(t, rois, attrs), [g])).toBe(true);
    const [, argmax] = roiPoolOp(x(), rois, { spatialScale: 0.9, pooledHeight: 2, pooledWidth: 3 });
    expect(gradcheck((t) => roiPoolBackward(t, rois, argmax, { inputShape: [N, C, 5, 6] }), [g])).toBe(true);
  });
});

const BOXES = [
  [0, 0, 10, 10],
  [1, 1, 11, 11],
  [0, 0, 10, 10],
  [20, 20, 30, 30],
  [21, 19, 29, 31],
  [10, 10, 0, 0], // inverted: torchvision computes with its (positive) area and a clamped intersection
  [5, 0, 15, 10],
  [30, 30, 25, 40], // inverted in x only: negative area
  [2, 2, 8, 8],
  [50, 50, 60, 60],
];
const SCORES = [0.5, 0.9, 0.5, null, 0.8, 0.7, 0.5, 0.6, 0.95, 0.5]; // null = NaN; ties at 0.5
const IDXS = [0, 0, 1, 1, 1, 0, 2, 2, 0, 1];
const PY_NMS = `
import json, sys, torch
from torchvision import ops
a = json.loads(sys.argv[1])
b = torch.tensor(a['boxes'], dtype=torch.float32)
s = torch.tensor([float('nan') if v is None else v for v in a['scores']], dtype=torch.float32)
i = torch.tensor(a['idxs'])
out = {}
for t in a['thresholds']:
    out['nms/%s' % t] = ops.nms(b, s, t).tolist()
    out['batched/%s' % t] = ops.batched_nms(b, s, i, t).tolist()
print(json.dumps(out))
`;
const THRESHOLDS = [0, 0.1, 0.3, 0.5, 0.7, 1];

describe.skipIf(missing !== null)('nms and batchedNms against torchvision', () => {
  const ref = JSON.parse(runPython(PY_NMS, [JSON.stringify({ boxes: BOXES, scores: SCORES, idxs: IDXS, thresholds: THRESHOLDS })])) as Record<string, number[]>;
  const boxes = (): Tensor => tensor(BOXES);
  const scores = (): Tensor => tensor(SCORES.map((v) => v ?? NaN));
  for (const t of THRESHOLDS) {
    it(`iouThreshold ${t}: NaN score first, ties in index order, inverted boxes as torchvision`, async () => {
      expect(await nms(boxes(), scores(), { iouThreshold: t }).array()).toEqual(ref[`nms/${t}`]);
      expect(await (await nmsAsync(boxes(), scores(), t)).array()).toEqual(ref[`nms/${t}`]);
      const idxs = tensor(IDXS, { dtype: 'int32' });
      expect(await batchedNms(boxes(), scores(), idxs, { iouThreshold: t }).array()).toEqual(ref[`batched/${t}`]);
      expect(await (await batchedNmsAsync(boxes(), scores(), idxs, t)).array()).toEqual(ref[`batched/${t}`]);
    });
  }
});

describe('nms edge cases', () => {
  it('empty input gives an empty int32 [0]', async () => {
    const kept = nms(tensor([], { dtype: 'float32' }).reshape([0, 4]), tensor([]), 0.5);
    expect([kept.dtype, kept.shape]).toEqual(['int32', [0]]);
    const b = batchedNms(tensor([], { dtype: 'float64' }).reshape([0, 4]), tensor([], { dtype: 'float64' }), tensor([], { dtype: 'int32' }), 0.5);
    expect([b.dtype, b.shape]).toEqual(['int32', [0]]);
  });
  it('float64 boxes run in float64', async () => {
    const b = tensor([[0, 0, 1, 1], [0, 0, 1, 1 + 1e-12]], { dtype: 'float64' });
    expect(await nms(b, tensor([1, 0.5], { dtype: 'float64' }), { iouThreshold: 1 - 1e-11 }).array()).toEqual([0]);
  });
  it('refuses malformed input with what was expected', () => {
    expect(() => nms(tensor([[0, 0, 1]]), tensor([1]), 0.5)).toThrow(/expected boxes of shape \[N, 4\]/);
    expect(() => nms(tensor([[0, 0, 1, 1]]), tensor([1, 2]), 0.5)).toThrow(/expected scores of shape \[1\]/);
    expect(() => nms(tensor([[0, 0, 1, 1]]), tensor([1], { dtype: 'float64' }), 0.5)).toThrow(/scores to have the boxes' dtype \(float32\)/);
    expect(() => nms(tensor([[0, 0, 1, 1]], { dtype: 'int32' }), tensor([1], { dtype: 'int32' }), 0.5)).toThrow(TypeError);
    expect(() => nms(tensor([[0, 0, 1, 1]]), tensor([1]), { iouTreshold: 0.5 } as never)).toThrow(/did you mean 'iouThreshold'/);
    expect(() => batchedNms(tensor([[0, 0, 1, 1]]), tensor([1]), tensor([0, 1], { dtype: 'int32' }), 0.5)).toThrow(/expected idxs of shape \[1\]/);
  });
  it('names nmsAsync where the backend cannot read synchronously', () => {
    const boxes = tensor([[0, 0, 1, 1]]);
    const backend = boxes.backendInstance as { readSync?: unknown };
    const readSync = backend.readSync;
    backend.readSync = undefined;
    try {
      let err: unknown;
      try {
        nms(boxes, tensor([1]), 0.5);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotSupportedError);
      expect((err as NotSupportedError).kind).toBe('sync-read');
      expect((err as Error).message).toMatch(/await nmsAsync/);
    } finally {
      backend.readSync = readSync;
    }
  });
});

const PY_POOLER = `
import json, sys, torch
from collections import OrderedDict
from torchvision import ops
a = json.loads(sys.argv[1])
m = ops.MultiScaleRoIAlign(['p2', 'p3', 'p5'], [3, 2], 2, canonical_scale=16)
feats = OrderedDict()
grads = []
for name, shape, data in a['features']:
    t = torch.tensor(data, dtype=torch.float64).reshape(shape).requires_grad_()
    feats[name] = t
boxes = [torch.tensor(b, dtype=torch.float64).reshape(-1, 4) for b in a['boxes']]
y = m(feats, boxes, a['image_shapes'])
g = torch.tensor(a['g'][:y.numel()], dtype=torch.float64).reshape(y.shape)
(y * g).sum().backward()
print(json.dumps({'y': y.flatten().tolist(), 'grads': {k: (v.grad.flatten().tolist() if v.grad is not None else None) for k, v in feats.items()}, 'scales': m.scales}))
`;

describe.skipIf(missing !== null)('MultiScaleRoIAlign against torchvision', () => {
  // a 4-level pyramid of a 64×80 batch (strides 4, 8, 16, 32) of which p4 is not pooled, and a
  // canonical scale of 16: boxes from one pixel to the whole image map to levels 2 to 5; as in
  // torchvision the third pooled map (p5) takes level 4 and level-5 boxes stay zero
  const shapes: [string, number[]][] = [
    ['p2', [2, 2, 16, 20]],
    ['p3', [2, 2, 8, 10]],
    ['p4', [2, 2, 4, 5]],
    ['p5', [2, 2, 2, 3]],
  ];
  const features = shapes.map(([name, shape], i) => [name, shape, values(shape.reduce((a, b) => a * b), 11 + i)] as const);
  const boxes = [
    [2, 3, 9, 8, 10, 12, 50, 40, 0, 0, 64, 60, 30, 5, 31, 6, 0, 0, 10, 12],
    [1, 1, 20, 30, 5, 5, 70, 60, 40, 10, 58, 33],
  ];
  const imageShapes: [number, number][] = [
    [64, 80],
    [60, 72],
  ];
  const g = values(8 * 2 * 6, 21);
  const ref = JSON.parse(runPython(PY_POOLER, [JSON.stringify({ features, boxes, image_shapes: imageShapes, g })])) as {
    y: number[];
    grads: Record<string, number[] | null>;
    scales: number[];
  };
  it('pools each box from its FPN level, in the boxes order, with the inferred scales and gradients', async () => {
    const pooler = new MultiScaleRoIAlign(['p2', 'p3', 'p5'], [3, 2], 2, { canonicalScale: 16 });
    const maps = new Map(features.map(([name, shape, data]) => [name, tensor([...data], { dtype: 'float64' }).reshape([...shape]).requiresGrad_()]));
    const y = pooler.call(maps, boxes.map((b) => tensor(b, { dtype: 'float64' }).reshape([-1, 4])), imageShapes);
    await expectClose(y, ref.y, 1e-12, 'output');
    // levels 2 (box 0), 3 (box 4) and 4 (box 5) are pooled, level 5 (box 1) is left at zero
    const row = (b: number): number[] => ref.y.slice(b * 12, (b + 1) * 12);
    expect([0, 4, 5].map((b) => row(b).some((v) => v !== 0))).toEqual([true, true, true]);
    expect(row(1).every((v) => v === 0)).toBe(true);
    expect(pooler.scales).toEqual(ref.scales);
    y.backward(tensor(g.slice(0, y.numel()), { dtype: 'float64' }).reshape([...y.shape]));
    for (const [name, want] of Object.entries(ref.grads)) {
      const t = maps.get(name)!;
      if (want === null) expect(t.grad, name).toBeNull();
      else await expectClose(t.grad!, want, 1e-12, `grad ${name}`);
    }
  });
  it('gives the same on a backend that cannot read synchronously (levels mapped on the backend)', async () => {
    const pooler = new MultiScaleRoIAlign({ featmapNames: ['p2', 'p3', 'p5'], outputSize: [3, 2], samplingRatio: 2, canonicalScale: 16 });
    const maps = Object.fromEntries(features.map(([name, shape, data]) => [name, tensor([...data], { dtype: 'float64' }).reshape([...shape]).requiresGrad_()]));
    const bs = boxes.map((b) => tensor(b, { dtype: 'float64' }).reshape([-1, 4]));
    const backend = bs[0]!.backendInstance as { readSync?: unknown };
    const readSync = backend.readSync;
    backend.readSync = undefined;
    let y: Tensor;
    try {
      y = pooler.call(maps, bs, imageShapes);
      y.backward(tensor(g.slice(0, y.numel()), { dtype: 'float64' }).reshape([...y.shape]));
    } finally {
      backend.readSync = readSync;
    }
    await expectClose(y, ref.y, 1e-12, 'output');
    await expectClose(maps.p3!.grad!, ref.grads.p3!, 1e-12, 'grad p3');
  });
});

describe('RoIAlign and RoIPool modules, argument errors', () => {
  const x = tensor(values(2 * 1 * 4 * 4, 9)).reshape([2, 1, 4, 4]);
  it('the modules call the functions with their options', async () => {
    const rois = tensor([[1, 0, 0, 3, 3]]);
    expect(await new RoIAlign([2, 2], 1, 2, true).call(x, rois).array()).toEqual(await roiAlign(x, rois, { outputSize: 2, samplingRatio: 2, aligned: true }).array());
    expect(await new RoIPool({ outputSize: 2, spatialScale: 1 }).call(x, rois).array()).toEqual(await roiPool(x, rois, 2).array());
  });
  it('refuses a batch index outside the input', () => {
    expect(() => roiAlign(x, tensor([[2, 0, 0, 1, 1]]), 2)).toThrow(/batch index rois\[k, 0\] to be in \[0, 2\).*got 2 at row 0/);
    expect(() => roiPool(x, tensor([[-1, 0, 0, 1, 1]]), 2)).toThrow(RangeError);
  });
  it('refuses malformed boxes, sizes and options', () => {
    expect(() => roiAlign(x, tensor([[0, 0, 1, 1]]), 2)).toThrow(/pass per-image \[L, 4\] boxes as a list/);
    expect(() => roiAlign(x, [tensor([[0, 0, 1, 1, 1]])], 2)).toThrow(/boxes\[0\] of shape \[L, 4\]/);
    expect(() => roiAlign(x, tensor([[0, 0, 0, 1, 1]], { dtype: 'float64' }), 2)).toThrow(/rois to have the dtype of input \(float32\)/);
    expect(() => roiAlign(x, tensor([[0, 0, 0, 1, 1]]), 0)).toThrow(/outputSize to be a positive integer/);
    expect(() => roiAlign(x, tensor([[0, 0, 0, 1, 1]]), { outputSize: 2, samplingRatioo: 2 } as never)).toThrow(/did you mean 'samplingRatio'/);
    expect(() => roiAlign(x.reshape([2, 16]), tensor([[0, 0, 0, 1, 1]]), 2)).toThrow(/4-D input/);
    // @ts-expect-error torchvision's RoIAlign requires samplingRatio
    expect(() => new RoIAlign(2, 1)).toThrow(/new RoIAlign: missing required argument/);
    expect(() => new MultiScaleRoIAlign([], 2, 2)).toThrow(/featmapNames/);
  });
  it('refuses boxes whose dtype is not the input\'s, as torchvision (int boxes, float64 boxes for a float32 input)', () => {
    const rows = [[0, 0, 1, 1]];
    for (const f of [roiAlign, roiPool]) {
      expect(() => f(x, [tensor(rows, { dtype: 'int32' })], 2)).toThrow(/expected floating-point boxes, got int32 for boxes\[0\]; convert them with \.float\(\)/);
      expect(() => f(x, tensor([[0, 0, 0, 1, 1]], { dtype: 'int32' }), 2)).toThrow(TypeError);
      expect(() => f(x, [tensor(rows, { dtype: 'float64' })], 2)).toThrow(/rois to have the dtype of input \(float32\), got float64/);
      expect(() => f(x.to('float64'), [tensor(rows)], 2)).toThrow(/rois to have the dtype of input \(float64\), got float32/);
      expect(() => f(x, [tensor(rows), tensor(rows, { dtype: 'float64' })], 2)).toThrow(/every boxes\[i\] to have one dtype/);
    }
  });
  it('refuses RoIs for images the input lacks: an empty batch, a list longer than the batch, empty planes', () => {
    expect(() => roiAlign(tensor([]).reshape([0, 1, 4, 4]), [tensor([[0, 0, 1, 1]])], 2)).toThrow(/in \[0, 0\) \(the input has 0 images\)/);
    expect(() => roiPool(x, [tensor([[0, 0, 1, 1]]), tensor([[0, 0, 1, 1]]), tensor([[0, 0, 1, 1]])], 2)).toThrow(/got 2 at row 2/);
    expect(() => roiAlign(tensor([]).reshape([2, 1, 0, 4]), tensor([[0, 0, 0, 1, 1]]), 2)).toThrow(/non-empty planes/);
    // no RoIs, no images or no channels: empty results of the right shape
    expect(roiAlign(tensor([]).reshape([0, 1, 4, 4]), tensor([]).reshape([0, 5]), 2).shape).toEqual([0, 1, 2, 2]);
    expect(roiPool(tensor([]).reshape([2, 0, 4, 4]), [tensor([[0, 0, 1, 1]])], 2).shape).toEqual([1, 0, 2, 2]);
  });
  it('a RoI far larger than the image costs only its samples inside the image', async () => {
    const huge = tensor([[0, -1e30, -1e30, 1e30, 1e30]]);
    const y = roiAlign(x, huge, 2);
    // 1e30-pixel bins: the few samples that land on the image are divided by a grid of ~1e59
    expect(Array.from(await y.data()).every((v) => Number.isFinite(v) && Math.abs(v) < 1e-20)).toBe(true);
  });
  it('an empty list of RoIs gives an empty result', () => {
    expect(roiAlign(x, tensor([], { dtype: 'float32' }).reshape([0, 5]), 3).shape).toEqual([0, 1, 3, 3]);
    expect(roiPool(x, tensor([], { dtype: 'float32' }).reshape([0, 5]), 3).shape).toEqual([0, 1, 3, 3]);
  });
});

const PY_NAN_ROIS = `
import json, sys, torch
from torchvision import ops
a = json.loads(sys.argv[1])
x = torch.tensor(a['x']).reshape(${N}, ${C}, ${H}, ${W})
rois = torch.tensor([[float(v) for v in r] for r in a['rois']])
xx = x.clone().requires_grad_()
y = ops.roi_pool(xx, rois, [2, 3], 0.5)
y.sum().backward()
# adaptive sampling: with a fixed sampling_ratio torchvision's CPU kernel reads out of bounds (segfaults)
print(json.dumps({'pool': y.flatten().tolist(), 'grad': xx.grad.flatten().tolist(), 'align': ops.roi_align(x, rois, [2, 3], 0.5).flatten().tolist()}))
`;

describe.skipIf(missing !== null)('RoIs with a NaN coordinate', () => {
  // a box regressor that diverged gives NaN boxes: torchvision pools a box with a NaN x1, y1 (or
  // all four) to 0 (RoIPool's bins are empty, RoIAlign's sample grid is) and sends it no gradient;
  // tensorgrad did -FLT_MAX, which poisons every layer after the pooling
  const nan = Number.NaN;
  const rows = [
    [0, nan, 1, 6, 6],
    [1, 1, nan, 6, 6],
    [1, nan, nan, nan, nan],
    [0, 1, 1, 6, 6],
  ];
  const ref = JSON.parse(runPython(PY_NAN_ROIS, [JSON.stringify({ x: X, rois: rows.map((r) => r.map((v) => (Number.isNaN(v) ? 'nan' : v))) })])) as Record<string, number[]>;
  const per = C * 6;
  it('roiPool gives 0 and no gradient, roiAlign 0, as torchvision', async () => {
    const x = tensor(X).reshape([N, C, H, W]).requiresGrad_();
    const y = roiPool(x, tensor(rows), { outputSize: [2, 3], spatialScale: 0.5 });
    await expectClose(y, ref.pool!, 1e-6, 'roiPool');
    expect(ref.pool!.slice(0, 3 * per).every((v) => v === 0)).toBe(true);
    y.sum().backward();
    await expectClose(x.grad!, ref.grad!, 1e-6, 'roiPool grad');
    await expectClose(roiAlign(x.detach(), tensor(rows), [2, 3], 0.5), ref.align!, 1e-6, 'roiAlign');
  });
  it('a NaN x2 or y2 gives 0 too (torchvision: whatever its undefined int conversion gives)', async () => {
    const x = tensor(X).reshape([N, C, H, W]);
    const r = tensor([
      [0, 1, 1, nan, 6],
      [1, 1, 1, 6, nan],
    ]);
    expect(Array.from(await roiPool(x, r, { outputSize: [2, 3], spatialScale: 0.5 }).data()).every((v) => v === 0)).toBe(true);
    expect(Array.from(await roiAlign(x, r, [2, 3], 0.5, 2).data()).every((v) => v === 0)).toBe(true);
  });
});

describe('the RoI wrappers free what they create', () => {
  it('roiAlign, roiPool and the modules with per-image [L, 4] boxes leave no tensor behind', () => {
    const x = tensor(values(2 * 1 * 4 * 4, 9)).reshape([2, 1, 4, 4]);
    const boxes = [tensor([[0, 0, 2, 2], [1, 1, 3, 3]]), tensor([[0.5, 0, 3, 2]])];
    const scores = tensor([0.5, 0.7]);
    const idxs = tensor([0, 1], { dtype: 'int32' });
    const before = memory().numTensors;
    roiAlign(x, boxes, 2).dispose();
    roiPool(x, boxes, { outputSize: 2 }).dispose();
    new RoIAlign(2, 1, 2).call(x, boxes).dispose();
    new RoIPool(2, 1).call(x, boxes).dispose();
    nms(boxes[0]!, scores, 0.5).dispose();
    batchedNms(boxes[0]!, scores, idxs, 0.5).dispose();
    expect(memory().numTensors).toBe(before);
  });
});

const PY_BATCHED_NEGATIVE = `
import json, sys, torch
from torchvision.ops import boxes as B
a = json.loads(sys.argv[1])
out = {}
for key, rows in a['boxes'].items():
    b = torch.tensor([[float(v) for v in r] for r in rows])
    s = torch.tensor(a['scores'][:len(rows)])
    i = torch.tensor(a['idxs'][:len(rows)])
    out[key] = [B._batched_nms_vanilla(b, s, i, 0.5).tolist(), B._batched_nms_coordinate_trick(b, s, i, 0.5).tolist()]
print(json.dumps(out))
`;

describe.skipIf(missing !== null)('batchedNms with negative or NaN coordinates', () => {
  const boxes: Record<string, (number | string)[][]> = {
    // every coordinate <= -1: torchvision's trick (below 1000 boxes) offsets nothing, so the
    // category-1 copy of box 0 is suppressed across categories; its per-category loop keeps it
    negative: [
      [-10, -10, -1, -1],
      [-10, -10, -1, -1],
      [-9, -9, -2, -2],
      [-30, -20, -12, -11],
      [-31, -20, -12, -11],
    ],
    // straddling 0 with a small maximum: the trick's offset (max + 1 = 3) is shorter than the boxes
    straddling: [
      [-20, -20, 2, 2],
      [-19, -19, 2, 2],
      [-20, -18, 1, 2],
      [0, 0, 2, 2],
      [-20, -20, 0, 0],
    ],
    // one NaN coordinate: the maximum is NaN, so the trick shifts every box to NaN and nothing is suppressed
    nan: [
      [0, 0, 10, 10],
      [1, 1, 10, 10],
      [1, 1, 10, 10],
      ['nan', 0, 5, 5],
    ],
  };
  const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
  const idxs = [0, 1, 1, 2, 2];
  const ref = JSON.parse(runPython(PY_BATCHED_NEGATIVE, [JSON.stringify({ boxes, scores, idxs })])) as Record<string, [number[], number[]]>;
  const t = (rows: (number | string)[][]): Tensor => tensor(rows.map((r) => r.map((v) => (v === 'nan' ? Number.NaN : (v as number)))));
  for (const key of ['negative', 'straddling']) {
    it(`${key}: categories never suppress each other (torchvision's per-category path)`, async () => {
      const [vanilla, trick] = ref[key]!;
      expect(trick, "torchvision's coordinate trick differs here").not.toEqual(vanilla);
      const b = t(boxes[key]!);
      const s = tensor(scores.slice(0, b.shape[0]));
      const i = tensor(idxs.slice(0, b.shape[0]), { dtype: 'int32' });
      expect(await batchedNms(b, s, i, 0.5).array()).toEqual(vanilla);
      expect(await (await batchedNmsAsync(b, s, i, { iouThreshold: 0.5 })).array()).toEqual(vanilla);
    });
  }
  it("a NaN coordinate: torchvision's coordinate trick (what it runs below 1000 boxes)", async () => {
    const b = t(boxes.nan!);
    const got = await batchedNms(b, tensor(scores.slice(0, 4)), tensor(idxs.slice(0, 4), { dtype: 'int32' }), 0.5).array();
    expect(ref.nan![1], 'the trick keeps the duplicate in category 1').not.toEqual(ref.nan![0]);
    expect(got).toEqual(ref.nan![1]);
  });
});

describe.skipIf(missing !== null)('nms with a NaN coordinate', () => {
  it('the NaN box is kept and suppresses nothing, as torchvision', async () => {
    const rows = [
      [0, 0, 10, 10],
      [Number.NaN, 0, 10, 10],
      [0, 0, 10, 10],
      [1, 1, 10, 10],
    ];
    const py = `
import json, torch
from torchvision import ops
b = torch.tensor([[0, 0, 10, 10], [float('nan'), 0, 10, 10], [0, 0, 10, 10], [1, 1, 10, 10.]])
print(json.dumps(ops.nms(b, torch.tensor([0.5, 0.9, 0.4, 0.3]), 0.5).tolist()))
`;
    const want = JSON.parse(runPython(py, [])) as number[];
    expect(want).toEqual([1, 0]);
    expect(await nms(tensor(rows), tensor([0.5, 0.9, 0.4, 0.3]), 0.5).array()).toEqual(want);
  });
});
