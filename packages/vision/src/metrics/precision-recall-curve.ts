import { parseArgs, signature } from '../args.js';
import type { BoxFormat } from '../ops/box-convert.js';
import { byScoreDesc, classesOf, iouOf, readDetections, readDetectionsAsync, type DetectionPrediction, type DetectionTarget, type HostImage } from './detection-inputs.js';

const PR_CURVE = signature('precisionRecallCurve', ['iouThreshold', 'boxFormat']);
const PR_CURVE_ASYNC = signature('precisionRecallCurveAsync', ['iouThreshold', 'boxFormat']);

/** Options of {@link precisionRecallCurve}. */
export interface PrecisionRecallCurveOptions {
  /** A detection is a true positive when its IoU with the best-overlapping ground truth of its class is above this (strictly, as VOC); default `0.5`. */
  iouThreshold?: number;
  /** The format of the boxes (default `'xyxy'`). */
  boxFormat?: BoxFormat;
}

/** The precision–recall curve of one class: one point per detection of the class, by decreasing score. */
export interface PrecisionRecallCurve {
  /** The class label. */
  label: number;
  /** The precision after each detection: true positives / detections so far. */
  precision: number[];
  /** The recall after each detection: true positives / `numGroundTruth` (NaN when the class has no ground truth). */
  recall: number[];
  /** The detections' scores, decreasing. */
  scores: number[];
  /** The number of ground-truth boxes of the class that are not "difficult". */
  numGroundTruth: number;
}

/** VOC's per-class evaluation on host images (the devkit's `voc_eval`, continuous coordinates). @internal */
export function vocCurves(images: readonly HostImage[], iouThreshold: number): PrecisionRecallCurve[] {
  return classesOf(images).map((label) => {
    let numGroundTruth = 0;
    const gtOf: number[][] = images.map((im) => {
      const g: number[] = [];
      im.gtLabels.forEach((l, j) => {
        if (l === label) {
          g.push(j);
          if (!im.gtDifficult[j]) numGroundTruth++;
        }
      });
      return g;
    });
    const dets: [number, number][] = [];
    images.forEach((im, i) => im.dtLabels.forEach((l, j) => l === label && dets.push([i, j])));
    const order = byScoreDesc(dets.length, (k) => images[dets[k]![0]]!.dtScores[dets[k]![1]]!);
    const detected = images.map((im) => new Uint8Array(im.gtLabels.length));
    const precision: number[] = [];
    const recall: number[] = [];
    const scores: number[] = [];
    let tp = 0;
    let fp = 0;
    for (const k of order) {
      const [i, j] = dets[k]!;
      const im = images[i]!;
      let ovmax = -Infinity;
      let jmax = -1;
      for (const g of gtOf[i]!) {
        const ov = iouOf(im.dtBoxes, j, im.gtBoxes, g);
        if (ov > ovmax) {
          ovmax = ov;
          jmax = g;
        }
      }
      if (ovmax > iouThreshold) {
        if (!im.gtDifficult[jmax]) {
          if (!detected[i]![jmax]) {
            tp++;
            detected[i]![jmax] = 1;
          } else fp++;
        } // a match to a difficult box counts neither way
      } else fp++;
      scores.push(im.dtScores[j]!);
      recall.push(numGroundTruth > 0 ? tp / numGroundTruth : NaN);
      precision.push(tp / Math.max(tp + fp, Number.EPSILON));
    }
    return { label, precision, recall, scores, numGroundTruth };
  });
}

/** Validates the IoU threshold. @internal */
export function checkIouThreshold(op: string, v: unknown): number {
  const t = v ?? 0.5;
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new RangeError(`${op}: expected iouThreshold in [0, 1], got ${String(v)}`);
  return t;
}

/**
 * The precision–recall curve of every class (the sorted labels of predictions and targets) over a
 * set of images, with PASCAL VOC's matching: the detections of a class, by decreasing score (ties
 * in input order), are each compared with the ground truth of their image that overlaps them most;
 * above `iouThreshold` the first such detection is a true positive and later ones false positives,
 * a match to a `difficult` box counts neither way, otherwise it is a false positive. IoUs use
 * continuous coordinates (torchvision's `boxIou`, not the devkit's `+1` pixel convention).
 *
 * The tensors are read back synchronously; use {@link precisionRecallCurveAsync} on WebGPU.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { precisionRecallCurve } from '@tensorgrad/vision';
 * const preds = [{ boxes: tensor([[0, 0, 10, 10], [20, 20, 30, 30]]), scores: tensor([0.9, 0.8]), labels: tensor([1, 1], { dtype: 'int32' }) }];
 * const targets = [{ boxes: tensor([[0, 0, 10, 11], [50, 50, 60, 60]]), labels: tensor([1, 1], { dtype: 'int32' }) }];
 * const [c] = precisionRecallCurve(preds, targets);
 * c!.precision; // [1, 0.5]
 * c!.recall; // [0.5, 0.5]
 * ```
 */
export function precisionRecallCurve(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], options?: PrecisionRecallCurveOptions): PrecisionRecallCurve[];
export function precisionRecallCurve(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): PrecisionRecallCurve[] {
  const a = parseArgs(PR_CURVE, rest);
  const thr = checkIouThreshold('precisionRecallCurve', a.iouThreshold);
  return vocCurves(readDetections('precisionRecallCurve', preds, targets, a.boxFormat ?? 'xyxy', true), thr);
}

/**
 * The asynchronous form of {@link precisionRecallCurve} (reads the tensors with `await data()`,
 * so it works on every backend).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { precisionRecallCurveAsync } from '@tensorgrad/vision';
 * const preds = [{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.9]), labels: tensor([3], { dtype: 'int32' }) }];
 * const targets = [{ boxes: tensor([[0, 0, 10, 10]]), labels: tensor([3], { dtype: 'int32' }) }];
 * (await precisionRecallCurveAsync(preds, targets))[0]!.recall; // [1]
 * ```
 */
export async function precisionRecallCurveAsync(
  preds: readonly DetectionPrediction[],
  targets: readonly DetectionTarget[],
  options?: PrecisionRecallCurveOptions,
): Promise<PrecisionRecallCurve[]>;
export async function precisionRecallCurveAsync(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): Promise<PrecisionRecallCurve[]> {
  const a = parseArgs(PR_CURVE_ASYNC, rest);
  const thr = checkIouThreshold('precisionRecallCurveAsync', a.iouThreshold);
  return vocCurves(await readDetectionsAsync('precisionRecallCurveAsync', preds, targets, a.boxFormat ?? 'xyxy', true), thr);
}
