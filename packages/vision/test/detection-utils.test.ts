// torchvision.models.detection._utils (BoxCoder, Matcher, SSDMatcher,
// BalancedPositiveNegativeSampler) against Debian's torchvision 0.14, run at test time: inputs
// are drawn in Python (seeded) and sent over as exact float32 values.
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import { BalancedPositiveNegativeSampler, BoxCoder, Matcher, SSDMatcher, boxIou } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision cross-checks: ${missing}`);

const PY = `
import json, math, torch
from torchvision.models.detection import _utils as U
from torchvision.ops import box_iou
g = torch.Generator().manual_seed(7)
def boxes(n, scale=50.0):
    xy = torch.rand(n, 2, generator=g) * scale
    wh = torch.rand(n, 2, generator=g) * scale / 2 + 1
    return torch.cat([xy, xy + wh], 1)
out = {}
# BoxCoder: encode (two images) and decode with K = 3 classes, one code large enough to be clipped
coder = U.BoxCoder((10.0, 10.0, 5.0, 5.0))
ref = [boxes(4), boxes(3)]
props = [boxes(4), boxes(3)]
enc = coder.encode(ref, props)
codes = torch.randn(7, 12, generator=g) * 2
codes[0, 2] = 40.0
dec = coder.decode(codes, props)
out['coder'] = {'ref': [r.tolist() for r in ref], 'props': [p.tolist() for p in props], 'enc': [e.tolist() for e in enc],
                'codes': codes.tolist(), 'dec': dec.tolist()}
# Matcher on IoU matrices (random boxes; one with exact ties from duplicated anchors)
gt = boxes(5)
anchors = boxes(40)
anchors[10] = anchors[3]
anchors[11] = gt[2]
anchors[12] = gt[2]
iou = box_iou(gt, anchors)
out['iou'] = {'gt': gt.tolist(), 'anchors': anchors.tolist(),
  'm1': U.Matcher(0.5, 0.3)(iou).tolist(),
  'm2': U.Matcher(0.5, 0.3, allow_low_quality_matches=True)(iou).tolist(),
  'm3': U.Matcher(0.2, 0.2, True)(iou).tolist(),
  'ssd': U.SSDMatcher(0.5)(iou).tolist()}
# SSDMatcher where two ground truths share their best prediction
q = torch.tensor([[0.3, 0.9, 0.1], [0.2, 0.8, 0.4], [0.6, 0.1, 0.0]])
out['ssd_shared'] = {'q': q.tolist(), 'm': U.SSDMatcher(0.5)(q).tolist()}
# sampler after torch.manual_seed(3): three images
matched = [torch.randint(-1, 4, (60,), generator=g), torch.randint(-1, 2, (25,), generator=g), torch.tensor([0, 0, 1, -1])]
torch.manual_seed(3)
pos, neg = U.BalancedPositiveNegativeSampler(16, 0.25)(matched)
out['sampler'] = {'matched': [m.tolist() for m in matched], 'pos': [p.tolist() for p in pos], 'neg': [n.tolist() for n in neg]}
print(json.dumps(out))
`;

type Nested = number | Nested[];
function close(got: Nested, want: Nested, tol: number): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length === want.length).toBe(true);
    want.forEach((w, i) => close((got as Nested[])[i]!, w, tol));
  } else expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
}
const t32 = (v: unknown) => tensor(v as number[][]);
const asBool = (v: number[]) => v.map((x) => x === 1);

describe.skipIf(missing !== null)('detection utils against torchvision 0.14', () => {
  const ref = missing ? {} : (JSON.parse(runPython(PY, [])) as Record<string, Record<string, unknown>>);

  it('BoxCoder.encode / decode (weights 10, 10, 5, 5; K = 3; a clipped dw)', async () => {
    const c = ref.coder!;
    const coder = new BoxCoder({ weights: [10, 10, 5, 5] });
    const enc = coder.encode((c.ref as number[][][]).map(t32), (c.props as number[][][]).map(t32));
    expect(enc.map((e) => e.shape)).toEqual([
      [4, 4],
      [3, 4],
    ]);
    for (let i = 0; i < 2; i++) close((await enc[i]!.array()) as Nested, (c.enc as Nested[])[i]!, 2e-5);
    const dec = coder.decode(t32(c.codes), (c.props as number[][][]).map(t32));
    expect(dec.shape).toEqual([7, 3, 4]);
    close((await dec.array()) as Nested, c.dec as Nested, 2e-5);
  });

  it('BoxCoder round trip: decodeSingle(encodeSingle(gt, p), p) = gt, and it is differentiable', async () => {
    const c = ref.coder!;
    const gt = t32((c.ref as number[][][])[0]);
    const p = t32((c.props as number[][][])[0]).requiresGrad_();
    const coder = new BoxCoder([1, 1, 1, 1]);
    const back = coder.decodeSingle(coder.encodeSingle(gt, p), p);
    close((await back.array()) as Nested, (await gt.array()) as Nested, 1e-5);
    back.sum().backward();
    expect(p.grad!.shape).toEqual([4, 4]);
  });

  it('Matcher (with and without low-quality matches, ties included) and SSDMatcher', async () => {
    const m = ref.iou!;
    const iou = boxIou(t32(m.gt), t32(m.anchors));
    expect(await new Matcher(0.5, 0.3)(iou).array()).toEqual(m.m1);
    expect(await new Matcher({ highThreshold: 0.5, lowThreshold: 0.3, allowLowQualityMatches: true })(iou).array()).toEqual(m.m2);
    expect(await new Matcher(0.2, 0.2, true).call(iou).array()).toEqual(m.m3);
    expect(await new SSDMatcher(0.5)(iou).array()).toEqual(m.ssd);
    const matches = new Matcher(0.5, 0.3)(iou);
    expect(matches.dtype).toBe('int32');
    const s = ref.ssd_shared!;
    expect(await new SSDMatcher({ threshold: 0.5 })(t32(s.q)).array()).toEqual(s.m);
  });

  it("BalancedPositiveNegativeSampler: torchvision's selection after the same manual seed (sync and async)", async () => {
    const s = ref.sampler!;
    const matched = (s.matched as number[][]).map((m) => tensor(m, { dtype: 'int32' }));
    manualSeed(3);
    const [pos, neg] = new BalancedPositiveNegativeSampler(16, 0.25)(matched);
    for (let i = 0; i < 3; i++) {
      expect(pos[i]!.dtype).toBe('bool');
      expect(await pos[i]!.array()).toEqual(asBool((s.pos as number[][])[i]!));
      expect(await neg[i]!.array()).toEqual(asBool((s.neg as number[][])[i]!));
    }
    const [pos2, neg2] = await new BalancedPositiveNegativeSampler({ batchSizePerImage: 16, positiveFraction: 0.25, generator: new Generator(3) }).callAsync(matched);
    expect(await pos2[0]!.array()).toEqual(asBool((s.pos as number[][])[0]!));
    expect(await neg2[2]!.array()).toEqual(asBool((s.neg as number[][])[2]!));
  });
});

describe('detection utils: argument errors', () => {
  it('BoxCoder refuses bad weights, shapes and unknown keys', () => {
    expect(() => new BoxCoder([1, 1, 1] as never)).toThrow(/4 finite non-zero numbers/);
    expect(() => new BoxCoder({ weights: [1, 1, 1, 1], bboxXformclip: 2 } as never)).toThrow(/bboxXformClip/);
    const c = new BoxCoder([1, 1, 1, 1]);
    expect(() => c.encodeSingle(tensor([[0, 0, 1, 1]]), tensor([[0, 0, 1, 1], [0, 0, 2, 2]]))).toThrow(/one row per box/);
    expect(() => c.decodeSingle(tensor([[0, 0, 1]]), tensor([[0, 0, 1, 1]]))).toThrow(/\[N, 4·K\]/);
    expect(() => c.decode(tensor([[0, 0, 0, 0]]), tensor([[0, 0, 1, 1]]) as never)).toThrow(/wrap it in an array/);
  });
  it('Matcher refuses low > high and empty matrices with torchvision\'s reasons', () => {
    expect(() => new Matcher(0.3, 0.5)).toThrow(/lowThreshold <= highThreshold/);
    expect(() => new Matcher({ highThreshold: 0.5, lowThreshold: 0.3, allowLowQuality: true } as never)).toThrow(/allowLowQualityMatches/);
    expect(() => new Matcher(0.5, 0.3)(tensor([]).reshape(0, 3))).toThrow(/no ground-truth boxes/);
    expect(() => new Matcher(0.5, 0.3)(tensor([]).reshape(2, 0))).toThrow(/no proposal boxes/);
    expect(() => new SSDMatcher(0.5)(tensor([0.5]) as Tensor)).toThrow(/\[M, N\]/);
  });
  it('BalancedPositiveNegativeSampler refuses a bad fraction, batch size or generator', () => {
    expect(() => new BalancedPositiveNegativeSampler(8, 1.5)).toThrow(/positiveFraction in \[0, 1\]/);
    expect(() => new BalancedPositiveNegativeSampler(-1, 0.5)).toThrow(/non-negative integer/);
    expect(() => new BalancedPositiveNegativeSampler(8, 0.5, { generator: 3 } as never)).toThrow(/Generator/);
    expect(() => new BalancedPositiveNegativeSampler(8, 0.5)(tensor([0, 1]) as never)).toThrow(/wrap it in an array/);
  });
});
