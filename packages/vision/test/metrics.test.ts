// Detection metrics against an independent numpy reference (pycocotools' COCOeval algorithm and
// the VOC devkit's voc_eval/voc_ap, written in scripts/fixtures/tgfixtures/detection_metrics.py;
// bash scripts/fixtures/generate.sh detection_metrics): random scenes, ties and difficult boxes,
// more than 100 detections per image, custom thresholds, xywh input, perfect and empty
// predictions, a class absent from the targets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import {
  MeanAveragePrecision,
  averagePrecision,
  averagePrecisionAsync,
  precisionRecallCurve,
  vocAp,
  type DetectionPrediction,
  type DetectionTarget,
  type MeanAveragePrecisionOptions,
} from '@tensorgrad/vision';
import { toTensor, type GT } from './fixture-cases.js';

interface VocRef {
  iouThreshold: number;
  allPoint: { map: number; classes: number[]; apPerClass: number[] };
  elevenPoint: { map: number; classes: number[]; apPerClass: number[] };
  curves: { label: number; precision: number[]; recall: (number | 'NaN')[]; scores: number[]; numGroundTruth: number }[];
}
interface MetricCase {
  id: string;
  preds: Record<string, GT>[];
  targets: Record<string, GT>[];
  options: MeanAveragePrecisionOptions;
  coco: Record<string, number | number[]>;
  voc: VocRef;
}
const file = fileURLToPath(new URL('../../conformance/fixtures/generated/detection_metrics.json', import.meta.url));
const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: MetricCase[] }).cases;

// bool tensors of the fixture hold true/false
const boolTensor = (t: GT) => tensor((t.data as unknown[]).map((v) => v === true));
function inputs(c: MetricCase): { preds: DetectionPrediction[]; targets: DetectionTarget[] } {
  const preds = c.preds.map((p) => ({ boxes: toTensor(p.boxes!), scores: toTensor(p.scores!), labels: toTensor(p.labels!) }));
  const targets = c.targets.map((t) => ({
    boxes: toTensor(t.boxes!),
    labels: toTensor(t.labels!),
    ...(t.difficult ? { difficult: (t.difficult as GT).dtype === ('bool' as GT['dtype']) ? boolTensor(t.difficult) : toTensor(t.difficult) } : {}),
  }));
  return { preds, targets };
}
const withoutDifficult = (targets: DetectionTarget[]) => targets.map(({ boxes, labels }) => ({ boxes, labels }));
function close(got: unknown, want: unknown, id: string): void {
  if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length === want.length, `${id}: length`).toBe(true);
    want.forEach((w, i) => close((got as unknown[])[i], w, `${id}[${i}]`));
  } else if (want === 'NaN') expect(Number.isNaN(got), id).toBe(true);
  else expect(Math.abs((got as number) - (want as number)), `${id}: got ${String(got)}, want ${String(want)}`).toBeLessThanOrEqual(1e-12);
}

describe('MeanAveragePrecision (COCO) against the reference', () => {
  for (const c of cases) {
    it(`${c.id}: every key of compute()`, () => {
      const { preds, targets } = inputs(c);
      const metric = new MeanAveragePrecision(c.options);
      // two update() calls (images split in halves) give the same as one
      const h = Math.ceil(preds.length / 2);
      metric.update(preds.slice(0, h), withoutDifficult(targets.slice(0, h)));
      metric.update(preds.slice(h), withoutDifficult(targets.slice(h)));
      const got = metric.compute() as unknown as Record<string, unknown>;
      expect(Object.keys(got).sort()).toEqual(Object.keys(c.coco).sort());
      for (const [k, v] of Object.entries(c.coco)) close(got[k], v, `${c.id} ${k}`);
    });
  }
  it('edge/perfect gives map = 1 and reset() forgets the images', async () => {
    const c = cases.find((x) => x.id === 'edge/perfect')!;
    const { preds, targets } = inputs(c);
    const metric = new MeanAveragePrecision();
    await metric.updateAsync(preds, targets);
    expect(metric.compute().map).toBe(1);
    metric.reset();
    expect(metric.compute()).toMatchObject({ map: -1, classes: [] });
  });
});

describe('VOC averagePrecision / precisionRecallCurve against the reference', () => {
  for (const c of cases) {
    it(`${c.id}: all-point and 11-point AP, curves`, async () => {
      const { preds, targets } = inputs(c);
      const boxFormat = c.options.boxFormat ?? 'xyxy';
      const thr = c.voc.iouThreshold;
      const all = averagePrecision(preds, targets, { iouThreshold: thr, boxFormat });
      close(all.map, c.voc.allPoint.map, `${c.id} allPoint.map`);
      expect(all.classes).toEqual(c.voc.allPoint.classes);
      close(all.apPerClass, c.voc.allPoint.apPerClass, `${c.id} allPoint.apPerClass`);
      const eleven = await averagePrecisionAsync(preds, targets, { iouThreshold: thr, interpolation: '11-point', boxFormat });
      close(eleven.map, c.voc.elevenPoint.map, `${c.id} elevenPoint.map`);
      close(eleven.apPerClass, c.voc.elevenPoint.apPerClass, `${c.id} elevenPoint.apPerClass`);
      const curves = precisionRecallCurve(preds, targets, { iouThreshold: thr, boxFormat });
      expect(curves.map((x) => x.label)).toEqual(c.voc.curves.map((x) => x.label));
      curves.forEach((cv, i) => {
        const want = c.voc.curves[i]!;
        expect(cv.numGroundTruth).toBe(want.numGroundTruth);
        close(cv.precision, want.precision, `${c.id} curve ${cv.label} precision`);
        close(cv.recall, want.recall, `${c.id} curve ${cv.label} recall`);
        close(cv.scores, want.scores, `${c.id} curve ${cv.label} scores`);
      });
    });
  }
});

describe('vocAp', () => {
  it('computes the devkit values by hand: all-point and 11-point', () => {
    // recall 0.25, 0.5 (precision 1, 2/3): all-point = 0.25·1 + 0.25·(2/3); 11-point: t = 0…0.2 → 1, 0.3…0.5 → 2/3
    expect(vocAp([0.25, 0.25, 0.5], [1, 0.5, 2 / 3])).toBeCloseTo(0.25 + 0.25 * (2 / 3), 14);
    expect(vocAp([0.25, 0.25, 0.5], [1, 0.5, 2 / 3], true)).toBeCloseTo((3 * 1 + 3 * (2 / 3)) / 11, 14);
    expect(vocAp([], [])).toBe(0);
  });
  it('refuses arrays of different lengths, non-numbers and unknown keys', () => {
    expect(() => vocAp([0.5], [1, 1])).toThrow(/same length/);
    expect(() => vocAp(['a'] as never, [1])).toThrow(/array of numbers/);
    expect(() => vocAp([1], [1], { use_07_metric: true } as never)).toThrow(/use07Metric/);
  });
});

describe('detection metrics: argument errors', () => {
  const p = [{ boxes: tensor([[0, 0, 1, 1]]), scores: tensor([0.5]), labels: tensor([1], { dtype: 'int32' }) }];
  const t = [{ boxes: tensor([[0, 0, 1, 1]]), labels: tensor([1], { dtype: 'int32' }) }];
  it('refuses mismatched lists, shapes, float labels, NaN scores and unknown keys', () => {
    const m = new MeanAveragePrecision();
    expect(() => m.update(p, [])).toThrow(/as many targets as preds/);
    expect(() => m.update([{ ...p[0]!, scores: tensor([0.5, 0.2]) }], t)).toThrow(/scores of shape \[1\]/);
    expect(() => m.update([{ ...p[0]!, boxes: tensor([[0, 0, 1]]) }], t)).toThrow(/\[N, 4\]/);
    expect(() => m.update([{ ...p[0]!, labels: tensor([1]) }], t)).toThrow(/integer class ids/);
    expect(() => m.update([{ ...p[0]!, scores: tensor([NaN]) }], t)).toThrow(/NaN/);
    expect(() => m.update([{ ...p[0]!, score: tensor([1]) } as never], t)).toThrow(/score/);
    expect(() => m.update(p, [{ ...t[0]!, difficult: tensor([true]) }])).toThrow(/difficult/);
    expect(() => averagePrecision(p, t, { interpolation: '11point' as never })).toThrow(/did you mean '11-point'/);
    expect(() => averagePrecision(p, t, { iouThreshold: 1.5 })).toThrow(/iouThreshold in \[0, 1\]/);
  });
  it('refuses bad constructor options', () => {
    expect(() => new MeanAveragePrecision({ iouType: 'segm' as never })).toThrow(/only iouType 'bbox'/);
    expect(() => new MeanAveragePrecision({ boxFormat: 'xyhw' as never })).toThrow(/did you mean 'xywh'/);
    expect(() => new MeanAveragePrecision({ iouThresholds: [] })).toThrow(/non-empty list/);
    expect(() => new MeanAveragePrecision({ maxDetectionThresholds: [0] })).toThrow(/positive integers/);
    expect(() => new MeanAveragePrecision({ class_metrics: true } as never)).toThrow(/classMetrics/);
  });
});
