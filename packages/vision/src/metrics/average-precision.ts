import { parseArgs, signature } from '../args.js';
import { nearestKey } from '@tensorgrad/tensor/backend';
import type { BoxFormat } from '../ops/box-convert.js';
import { readDetections, readDetectionsAsync, type DetectionPrediction, type DetectionTarget, type HostImage } from './detection-inputs.js';
import { checkIouThreshold, vocCurves } from './precision-recall-curve.js';
import { vocAp } from './voc-ap.js';

const AP = signature('averagePrecision', ['iouThreshold', 'interpolation', 'boxFormat']);
const AP_ASYNC = signature('averagePrecisionAsync', ['iouThreshold', 'interpolation', 'boxFormat']);

/** How {@link averagePrecision} integrates the precision–recall curve (PASCAL VOC's two rules). */
export type ApInterpolation = 'all-point' | '11-point';

/** Options of {@link averagePrecision}. */
export interface AveragePrecisionOptions {
  /** The IoU above which a detection matches (default `0.5`, VOC's). */
  iouThreshold?: number;
  /** `'all-point'` (default, VOC2010 on) or `'11-point'` (VOC2007). */
  interpolation?: ApInterpolation;
  /** The format of the boxes (default `'xyxy'`). */
  boxFormat?: BoxFormat;
}

/** The result of {@link averagePrecision}. */
export interface AveragePrecisionResult {
  /** The mean of `apPerClass` over the classes that have ground truth (`-1` when none has). */
  map: number;
  /** The class labels, sorted (those of the predictions and of the targets). */
  classes: number[];
  /** The AP of each class of `classes`; `-1` for a class without (non-difficult) ground truth, as torchmetrics. */
  apPerClass: number[];
}

function checkInterpolation(op: string, v: unknown): ApInterpolation {
  const i = v ?? 'all-point';
  if (i === 'all-point' || i === '11-point') return i;
  const near = typeof i === 'string' ? nearestKey(i, ['all-point', '11-point']) : null;
  throw new RangeError(`${op}: expected interpolation 'all-point' or '11-point', got ${JSON.stringify(i)}` + (near ? ` (did you mean '${near}'?)` : ''));
}

function summarize(images: readonly HostImage[], thr: number, interpolation: ApInterpolation): AveragePrecisionResult {
  const curves = vocCurves(images, thr);
  const apPerClass = curves.map((c) => (c.numGroundTruth > 0 ? vocAp(c.recall, c.precision, { use07Metric: interpolation === '11-point' }) : -1));
  const valid = apPerClass.filter((v) => v > -1);
  return { map: valid.length > 0 ? valid.reduce((s, v) => s + v, 0) / valid.length : -1, classes: curves.map((c) => c.label), apPerClass };
}

/**
 * PASCAL VOC's average precision per class and its mean (mAP) at one IoU threshold: the
 * {@link precisionRecallCurve} of each class integrated with {@link vocAp} (`interpolation`
 * `'all-point'` or `'11-point'`). `difficult` ground truth is ignored as VOC does; a class with no
 * ground truth gets AP `-1` and is left out of the mean.
 *
 * The tensors are read back synchronously; use {@link averagePrecisionAsync} on WebGPU.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { averagePrecision } from '@tensorgrad/vision';
 * const preds = [{ boxes: tensor([[0, 0, 10, 10], [20, 20, 30, 30]]), scores: tensor([0.9, 0.8]), labels: tensor([1, 2], { dtype: 'int32' }) }];
 * const targets = [{ boxes: tensor([[0, 0, 10, 11], [50, 50, 60, 60]]), labels: tensor([1, 2], { dtype: 'int32' }) }];
 * averagePrecision(preds, targets); // { map: 0.5, classes: [1, 2], apPerClass: [1, 0] }
 * averagePrecision(preds, targets, { iouThreshold: 0.95, interpolation: '11-point' }).map; // 0
 * ```
 */
export function averagePrecision(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], options?: AveragePrecisionOptions): AveragePrecisionResult;
export function averagePrecision(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): AveragePrecisionResult {
  const a = parseArgs(AP, rest);
  const thr = checkIouThreshold('averagePrecision', a.iouThreshold);
  const interpolation = checkInterpolation('averagePrecision', a.interpolation);
  return summarize(readDetections('averagePrecision', preds, targets, a.boxFormat ?? 'xyxy', true), thr, interpolation);
}

/**
 * The asynchronous form of {@link averagePrecision}, for every backend.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { averagePrecisionAsync } from '@tensorgrad/vision';
 * const preds = [{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.9]), labels: tensor([1], { dtype: 'int32' }) }];
 * const targets = [{ boxes: tensor([[0, 0, 10, 10]]), labels: tensor([1], { dtype: 'int32' }) }];
 * (await averagePrecisionAsync(preds, targets)).map; // 1
 * ```
 */
export async function averagePrecisionAsync(
  preds: readonly DetectionPrediction[],
  targets: readonly DetectionTarget[],
  options?: AveragePrecisionOptions,
): Promise<AveragePrecisionResult>;
export async function averagePrecisionAsync(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): Promise<AveragePrecisionResult> {
  const a = parseArgs(AP_ASYNC, rest);
  const thr = checkIouThreshold('averagePrecisionAsync', a.iouThreshold);
  const interpolation = checkInterpolation('averagePrecisionAsync', a.interpolation);
  return summarize(await readDetectionsAsync('averagePrecisionAsync', preds, targets, a.boxFormat ?? 'xyxy', true), thr, interpolation);
}
