// torchvision.ops box utilities and losses: bad input (inverted boxes, NaN, degenerate boxes) and
// the cases vision.json does not cover (generalizedBoxIouLoss, removeSmallBoxes), checked against
// Debian's torchvision 0.14 run at test time; argument errors.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import {
  boxArea,
  boxConvert,
  boxIou,
  clipBoxesToImage,
  generalizedBoxIou,
  generalizedBoxIouLoss,
  removeSmallBoxes,
  removeSmallBoxesAsync,
  sigmoidFocalLoss,
} from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision cross-checks: ${missing}`);

// boxes with x2 < x1, y2 < y1, both, a degenerate one, a NaN coordinate, and ordinary ones
const BAD = [
  [0, 0, 4, 3],
  [4, 0, 0, 3],
  [0, 3, 4, 0],
  [4, 3, 0, 0],
  [1, 1, 1, 1],
  [0, NaN, 2, 2],
  [1, 1, 5, 6],
];
const OTHER = [
  [0, 0, 2, 2],
  [3, -1, 1, 4],
  [-2, -2, 10, 10],
];
// pairs for the element-wise GIoU loss: overlapping, disjoint, nested, touching, inverted
const P1 = [
  [0, 0, 2, 2],
  [0, 0, 1, 1],
  [1, 1, 2, 2],
  [0, 0, 1, 1],
  [0.5, 0.2, 3.1, 2.7],
  [2, 0, 0, 2],
];
const P2 = [
  [1, 1, 3, 3],
  [2, 2, 3, 4],
  [0, 0, 4, 4],
  [1, 0, 2, 1],
  [0.1, 0.4, 2.5, 3.3],
  [0, 0, 1, 1],
];

const PY = `
import json, sys, math, torch
from torchvision import ops
a = json.loads(sys.argv[1])
nan = lambda v: [nan(x) for x in v] if isinstance(v, list) else (float('nan') if v is None else v)  # JSON has no NaN
t = lambda v: torch.tensor(nan(v), dtype=torch.float64)
def clean(x):
    if isinstance(x, torch.Tensor): x = x.tolist()
    if isinstance(x, list): return [clean(v) for v in x]
    if isinstance(x, float) and math.isinf(x): return 'inf' if x > 0 else '-inf'
    return None if isinstance(x, float) and math.isnan(x) else x
bad, other = t(a['bad']), t(a['other'])
out = {
  'area': ops.box_area(bad),
  'iou': ops.box_iou(bad, other),
  'giou': ops.generalized_box_iou(bad, other),
  'clip': ops.clip_boxes_to_image(bad * 3 - 2, (5, 7)),
  'cxcywh': ops.box_convert(bad, 'xyxy', 'cxcywh'),
  'xywh_xyxy': ops.box_convert(bad, 'xywh', 'xyxy'),
  'small1': ops.remove_small_boxes(bad, 1.0),
  'smallneg': ops.remove_small_boxes(bad, -4.0),
}
for red in ['none', 'mean', 'sum']:
    p1, p2 = t(a['p1']).requires_grad_(), t(a['p2']).requires_grad_()
    l = ops.generalized_box_iou_loss(p1, p2, reduction=red)
    (l * torch.arange(1, l.numel() + 1, dtype=torch.float64).reshape(l.shape)).sum().backward()
    out['giouloss_' + red] = [l, p1.grad, p2.grad]
x = t(a['logits']).requires_grad_()
l = ops.sigmoid_focal_loss(x, t(a['targets']), alpha=-1, gamma=1.5, reduction='sum')
l.backward()
out['focal'] = [l, x.grad]
print(json.dumps({k: clean(v) for k, v in out.items()}))
`;

const LOGITS = [
  [0, 1000, -1000],
  [2.5, -0.7, 0],
];
const TARGETS = [
  [1, 0, 1],
  [0, 1, 0],
];

type Nested = number | string | null | Nested[];
const f64 = (v: number[][]) => tensor(v, { dtype: 'float64' });
// JSON has no NaN or Infinity: null and 'inf' / '-inf' stand for them on both sides
const nanToNull = (x: Nested): Nested =>
  Array.isArray(x) ? x.map(nanToNull) : typeof x !== 'number' ? x : Number.isNaN(x) ? null : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x;
async function arr(t: Tensor): Promise<Nested> {
  return nanToNull((await t.array()) as Nested);
}
function close(got: Nested, want: Nested, tol = 1e-12): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length === want.length).toBe(true);
    want.forEach((w, i) => close((got as Nested[])[i]!, w, tol));
  } else if (want === null || typeof want === 'string') expect(got).toBe(want);
  else expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
}

describe.skipIf(missing !== null)('box ops against torchvision 0.14 (float64, bad input included)', () => {
  const ref = missing
    ? {}
    : (JSON.parse(runPython(PY, [JSON.stringify({ bad: BAD, other: OTHER, p1: P1, p2: P2, logits: LOGITS, targets: TARGETS })])) as Record<string, Nested>);

  it('boxArea / boxIou / generalizedBoxIou: negative areas of inverted boxes and NaN propagate as in torchvision', async () => {
    close(await arr(boxArea(f64(BAD))), ref.area!);
    expect(((await boxArea(f64(BAD)).array()) as number[])[1]).toBe(-12); // x2 < x1: negative area
    close(await arr(boxIou(f64(BAD), f64(OTHER))), ref.iou!);
    close(await arr(generalizedBoxIou(f64(BAD), f64(OTHER))), ref.giou!);
  });

  it('clipBoxesToImage and boxConvert on inverted and NaN boxes', async () => {
    close(await arr(clipBoxesToImage(f64(BAD).mul(3).sub(2), { size: [5, 7] })), ref.clip!);
    close(await arr(boxConvert(f64(BAD), { inFmt: 'xyxy', outFmt: 'cxcywh' })), ref.cxcywh!);
    close(await arr(boxConvert(f64(BAD), 'xywh', 'xyxy')), ref.xywh_xyxy!);
  });

  it('removeSmallBoxes (sync and async): inverted boxes removed for minSize > 0, kept for a low negative one; NaN removed', async () => {
    const keep = removeSmallBoxes(f64(BAD), { minSize: 1 });
    expect(keep.dtype).toBe('int32');
    expect(await keep.array()).toEqual(ref.small1);
    expect(await removeSmallBoxes(f64(BAD), -4).array()).toEqual(ref.smallneg);
    expect(await (await removeSmallBoxesAsync(f64(BAD), { minSize: 1 })).array()).toEqual(ref.small1);
    expect(await removeSmallBoxes(f64([[0, 0, 1, 1]]), 2).array()).toEqual([]);
  });

  for (const reduction of ['none', 'mean', 'sum'] as const) {
    it(`generalizedBoxIouLoss (reduction ${reduction}): values and gradients of both inputs`, async () => {
      const p1 = f64(P1).requiresGrad_();
      const p2 = f64(P2).requiresGrad_();
      const l = generalizedBoxIouLoss(p1, p2, { reduction });
      const w = tensor(Array.from({ length: l.numel() }, (_, i) => i + 1), { dtype: 'float64' }).reshape(l.shape);
      l.mul(w).sum().backward();
      const [lw, g1, g2] = ref[`giouloss_${reduction}`] as Nested[];
      close(await arr(l), lw!);
      close(await arr(p1.grad!), g1!);
      close(await arr(p2.grad!), g2!);
    });
  }

  it('sigmoidFocalLoss: finite for logits of ±1000, alpha < 0 turns the weighting off; value and gradient', async () => {
    const x = f64(LOGITS).requiresGrad_();
    const l = sigmoidFocalLoss(x, f64(TARGETS), { alpha: -1, gamma: 1.5, reduction: 'sum' });
    l.backward();
    const [lw, g] = ref.focal as Nested[];
    close(await arr(l), lw!);
    close(await arr(x.grad!), g!);
  });
});

describe('box ops: argument errors', () => {
  const b = tensor([[0, 0, 1, 1]]);
  it('refuses boxes that are not [N, 4] ([..., 4] for the element-wise ops)', () => {
    expect(() => boxArea(tensor([0, 0, 1, 1]))).toThrow(/expected boxes of shape \[N, 4\].*got \[4\].*unsqueeze\(0\)/);
    expect(() => boxIou(b, tensor([[0, 0, 1]]))).toThrow(/boxIou: expected boxes2 of shape \[N, 4\]/);
    expect(() => generalizedBoxIou(tensor([[[0, 0, 1, 1]]]), b)).toThrow(RangeError);
    expect(() => boxConvert(tensor([[0, 0, 1]]), { inFmt: 'xyxy', outFmt: 'xywh' })).toThrow(/\[\.\.\., 4\]/);
    expect(() => clipBoxesToImage(tensor([1, 2]), { size: [2, 2] })).toThrow(RangeError);
    expect(() => boxArea([[0, 0, 1, 1]] as never)).toThrow(TypeError);
  });
  it('refuses unknown formats with the nearest valid spelling, and unknown option keys', () => {
    expect(() => boxConvert(b, { inFmt: 'xyxy', outFmt: 'cxcyhw' as never })).toThrow(/unsupported outFmt "cxcyhw".*did you mean 'cxcywh'/);
    expect(() => boxConvert(b, { inFmt: 'XYWH' as never, outFmt: 'xyxy' })).toThrow(/did you mean 'xywh'/);
    expect(() => boxConvert(b, { in_fmt: 'xyxy', outFmt: 'xyxy' } as never)).toThrow(/inFmt/);
    expect(() => removeSmallBoxes(b, { minsize: 1 } as never)).toThrow(/minSize/);
    expect(() => sigmoidFocalLoss(b, b, { reduction: 'meen' as never })).toThrow(/did you mean 'mean'/);
    expect(() => generalizedBoxIouLoss(b, b, { reduce: 'sum' } as never)).toThrow(/reduction/);
    expect(() => clipBoxesToImage(b, { size: [3] as never })).toThrow(/\[height, width\]/);
  });
  it('sigmoidFocalLoss refuses targets of another shape and integer logits', () => {
    expect(() => sigmoidFocalLoss(tensor([0, 1]), tensor([[0, 1]]))).toThrow(/same shape/);
    expect(() => sigmoidFocalLoss(tensor([0, 1], { dtype: 'int32' }), tensor([0, 1]))).toThrow(/float dtype/);
  });
  it('integer boxes: boxArea stays int32, IoUs are float32', async () => {
    const ib = tensor([[0, 0, 2, 2], [1, 1, 3, 3]], { dtype: 'int32' });
    expect(boxArea(ib).dtype).toBe('int32');
    const iou = boxIou(ib, ib);
    expect(iou.dtype).toBe('float32');
    close((await iou.array()) as Nested, [[1, 1 / 7], [1 / 7, 1]], 1e-6);
  });
});
