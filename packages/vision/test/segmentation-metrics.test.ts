import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { argmax, manualSeed, memory, oneHot, randint, randn, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { MulticlassJaccardIndex, multiclassAccuracy, multiclassConfusionMatrix, multiclassJaccardIndex } from '@tensorgrad/vision';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

// An independent computation in numpy (per-pixel loops written from the definitions, not from
// the confusion matrix), run at test time.
const NUMPY = `
import json, sys
import numpy as np
cases = json.load(sys.stdin)
out = []
for c in cases:
    p = np.array(c['preds']).ravel(); t = np.array(c['target']).ravel(); C = c['numClasses']; ig = c['ignoreIndex']
    keep = np.ones_like(t, dtype=bool) if ig is None else t != ig
    p, t = p[keep], t[keep]
    cm = np.zeros((C, C), dtype=np.int64)
    for a, b in zip(t, p):
        cm[a, b] += 1
    inter = np.array([np.sum((p == k) & (t == k)) for k in range(C)], dtype=float)
    union = np.array([np.sum((p == k) | (t == k)) for k in range(C)], dtype=float)
    iou = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    w = (union > 0).astype(float)
    if ig is not None and 0 <= ig < C: w[ig] = 0
    macro = float(np.sum(w * iou) / np.sum(w))
    union_kept = union.sum() - (union[ig] if ig is not None and 0 <= ig < C else 0)
    micro = float(inter.sum() / union_kept)
    support = np.array([np.sum(t == k) for k in range(C)], dtype=float)
    weighted = float(np.sum(support * iou) / support.sum())
    recall = np.where(support > 0, inter / np.maximum(support, 1), 0.0)
    present = (union > 0).astype(float)
    out.append({'cm': cm.tolist(), 'iou': iou.tolist(), 'macro': macro, 'micro': micro, 'weighted': weighted,
                'pixelAccuracy': float(np.mean(p == t)), 'recall': recall.tolist(), 'macroAccuracy': float(np.sum(present * recall) / present.sum())})
print(json.dumps(out))
`;

interface Ref {
  cm: number[][];
  iou: number[];
  macro: number;
  micro: number;
  weighted: number;
  pixelAccuracy: number;
  recall: number[];
  macroAccuracy: number;
}

function numpy(cases: { preds: number[]; target: number[]; numClasses: number; ignoreIndex: number | null }[]): Ref[] | null {
  const r = spawnSync('/usr/bin/python3', ['-c', NUMPY], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as Ref[];
}
const numpyMissing = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status !== 0;

const close = async (t: Tensor, want: number | number[]): Promise<void> => {
  const got = Array.from(await t.data());
  const w = Array.isArray(want) ? want : [want];
  expect(got.length).toBe(w.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(w[i]!, 5));
};

describe('segmentation metrics (torchmetrics names)', () => {
  it('leaves no tensor behind when given [N, C, …] scores (their argmax is freed)', async () => {
    // scores whose argmax is [0, 1, 2, 2]; target [0, 1, 1, 2]
    const scores = tensor([[[[5, 0, 0, 0]], [[0, 5, 5, 0]], [[0, 0, 6, 5]]]]);
    const target = tensor([[[0, 1, 1, 2]]], { dtype: 'int32' });
    const metric = new MulticlassJaccardIndex({ numClasses: 3, average: 'none' });
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const outs = [
        multiclassConfusionMatrix(scores, target, { numClasses: 3 }),
        multiclassJaccardIndex(scores, target, { numClasses: 3, average: 'none' }),
        multiclassAccuracy(scores, target, { numClasses: 3, average: 'micro' }),
      ];
      expect(await outs[0]!.array()).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
      await close(outs[1]!, [1, 0.5, 0.5]);
      await close(outs[2]!, 0.75);
      outs.forEach((t) => t.dispose());
      metric.update(scores, target);
    }
    await close(metric.compute(), [1, 0.5, 0.5]);
    metric.dispose();
    expect(memory().numTensors).toBe(before + 1); // the compute() result above, not disposed
    // a prediction out of range is refused after the argmax was taken: still nothing left behind
    const wide = tensor([[[[0, 0, 0, 0]], [[0, 0, 0, 0]], [[0, 0, 0, 0]]]]);
    const bad = tensor([[[0, 1, 7, 2]]], { dtype: 'int32' });
    const mark = memory().numTensors;
    expect(() => multiclassJaccardIndex(wide, bad, { numClasses: 3 })).toThrow(/target 7 \(at flat index 2\) is not a class/);
    expect(() => multiclassAccuracy(wide, bad, { numClasses: 3 })).toThrow(/target 7/);
    expect(() => multiclassConfusionMatrix(wide, bad, { numClasses: 3 })).toThrow(/target 7/);
    expect(memory().numTensors).toBe(mark);
  });

  it('hand-computed: absent classes are left out of the mean, ignoreIndex pixels out of everything', async () => {
    // target / prediction of 8 pixels, 4 classes; class 3 never occurs; the last pixel is ignored
    const target = tensor([[0, 0, 0, 1, 1, 2, 2, 255]], { dtype: 'int32' });
    const preds = tensor([[0, 0, 1, 1, 2, 2, 2, 3]], { dtype: 'int32' });
    expect(await multiclassConfusionMatrix(preds, target, 4, null, 255).array()).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    // IoU: class 0: 2/3, class 1: 1/3, class 2: 2/3, class 3: 0 (empty union)
    await close(multiclassJaccardIndex(preds, target, { numClasses: 4, ignoreIndex: 255, average: 'none' }), [2 / 3, 1 / 3, 2 / 3, 0]);
    await close(multiclassJaccardIndex(preds, target, { numClasses: 4, ignoreIndex: 255 }), 5 / 9);
    await close(multiclassJaccardIndex(preds, target, { numClasses: 4, ignoreIndex: 255, average: 'micro' }), 5 / 9);
    await close(multiclassAccuracy(preds, target, { numClasses: 4, ignoreIndex: 255, average: 'micro' }), 5 / 7);
    await close(multiclassAccuracy(preds, target, { numClasses: 4, ignoreIndex: 255, average: 'none' }), [2 / 3, 1 / 2, 1, 0]);
    await close(multiclassAccuracy(preds, target, { numClasses: 4, ignoreIndex: 255 }), (2 / 3 + 1 / 2 + 1) / 3);
    await close(multiclassConfusionMatrix(preds, target, { numClasses: 4, ignoreIndex: 255, normalize: 'pred' }).narrow(1, 1, 1).reshape([-1]), [0.5, 0.5, 0, 0]);
    await close(multiclassConfusionMatrix(preds, target, { numClasses: 4, ignoreIndex: 255, normalize: 'all' }).sum(), 1);
  });

  it.skipIf(numpyMissing)('random label maps and [N, C, H, W] scores: confusion matrix, IoU (none/macro/micro/weighted) and accuracy equal numpy’s', async () => {
    manualSeed(7);
    const cases: { preds: number[]; target: number[]; numClasses: number; ignoreIndex: number | null; scores?: Tensor; p: Tensor; t: Tensor }[] = [];
    for (const [numClasses, ignoreIndex, shape] of [
      [5, null, [2, 6, 7]],
      [6, 255, [3, 5, 4]],
      [4, 0, [2, 8, 8]],
      [7, null, [1, 9, 5]],
    ] as const) {
      let t = randint(0, numClasses, [...shape], { dtype: 'int32' });
      if (ignoreIndex === 255) t = tidy(() => t.where(randn([...shape]).lt(1), 255));
      // mostly right predictions from scores, so the IoUs are far from 0 and from 1
      const scores = tidy(() => randn([shape[0], numClasses, shape[1], shape[2]]).add(oneHot(t.clamp(0, numClasses - 1), numClasses).permute([0, 3, 1, 2]).float().mul(1.5)));
      const p = argmax(scores, { dim: 1 }).int();
      cases.push({ preds: Array.from(await p.data()), target: Array.from(await t.data()), numClasses, ignoreIndex, scores, p, t });
    }
    const refs = numpy(cases.map(({ preds, target, numClasses, ignoreIndex }) => ({ preds, target, numClasses, ignoreIndex })));
    expect(refs).not.toBeNull();
    for (const [i, c] of cases.entries()) {
      const r = refs![i]!;
      const o = { numClasses: c.numClasses, ignoreIndex: c.ignoreIndex };
      expect(await multiclassConfusionMatrix(c.p, c.t, o).array(), `case ${i}`).toEqual(r.cm);
      expect(await multiclassConfusionMatrix(c.scores!, c.t, o).array(), `case ${i} scores`).toEqual(r.cm);
      await close(multiclassJaccardIndex(c.p, c.t, { ...o, average: 'none' }), r.iou);
      await close(multiclassJaccardIndex(c.scores!, c.t, o), r.macro);
      await close(multiclassJaccardIndex(c.p, c.t, { ...o, average: 'micro' }), r.micro);
      await close(multiclassJaccardIndex(c.p, c.t, { ...o, average: 'weighted' }), r.weighted);
      await close(multiclassAccuracy(c.p, c.t, { ...o, average: 'micro' }), r.pixelAccuracy);
      await close(multiclassAccuracy(c.p, c.t, { ...o, average: 'none' }), r.recall);
      await close(multiclassAccuracy(c.p, c.t, o), r.macroAccuracy);
      expect(r.macro).toBeGreaterThan(0.1);
      expect(r.macro).toBeLessThan(0.95);
      // accumulated in two halves along the batch gives the same as all at once
      const m = new MulticlassJaccardIndex(c.numClasses, 'none', c.ignoreIndex);
      const n = c.t.shape[0]!;
      if (n > 1) {
        m.update(c.scores!.narrow(0, 0, 1), c.t.narrow(0, 0, 1));
        m.update(c.p.narrow(0, 1, n - 1), c.t.narrow(0, 1, n - 1));
      } else {
        m.update(c.p, c.t);
      }
      expect(await m.confmat.array()).toEqual(r.cm);
      await close(m.compute(), r.iou);
      m.dispose();
    }
  });

  it('refuses bad input with what was expected', () => {
    const t = tensor([[0, 1, 2]], { dtype: 'int32' });
    expect(message(() => multiclassJaccardIndex(tensor([[0, 1, 3]], { dtype: 'int32' }), t, 3))).toMatch(/prediction 3 \(at flat index 2\) is not a class; expected values in \[0, 2\]/);
    expect(message(() => multiclassJaccardIndex(t, tensor([[0, 5, 1]], { dtype: 'int32' }), { numClasses: 3, ignoreIndex: 255 }))).toMatch(/target 5 .* or ignoreIndex 255/);
    expect(message(() => multiclassJaccardIndex(t, t.float(), 3))).toMatch(/target to be an int32 tensor/);
    expect(message(() => multiclassJaccardIndex(t.float(), t, 3))).toMatch(/int32 class indices, got float32/);
    expect(message(() => multiclassJaccardIndex(randn([1, 4, 3]), t, 3))).toMatch(/numClasses = 3 scores in dim 1, got 4/);
    expect(message(() => multiclassJaccardIndex(randn([2, 2]), t, 3))).toMatch(/expected preds to be class indices shaped as target \[1, 3\] or scores/);
    expect(message(() => multiclassJaccardIndex(t, t, { numClasses: 1 }))).toMatch(/numClasses to be an integer >= 2, got 1/);
    expect(message(() => multiclassJaccardIndex(t, t, { numClasses: 3, average: 'mean' as never }))).toMatch(/average to be 'micro', 'macro', 'weighted', 'none' or null, got "mean"/);
    expect(message(() => multiclassJaccardIndex(t, t, { numClasses: 3, ignore_index: 1 } as never))).toMatch(/ignoreIndex/);
    expect(message(() => multiclassConfusionMatrix(t, t, { numClasses: 3, normalize: 'rows' as never }))).toMatch(/normalize to be 'true'/);
    expect(message(() => multiclassAccuracy(t, t, { numClasses: 3, topK: 2 }))).toMatch(/topK = 2 is not supported/);
    expect(message(() => new MulticlassJaccardIndex({ numClasses: 3 }).compute())).toMatch(/no batch was added/);
  });
});
