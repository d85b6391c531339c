import { nearestKey } from '@tensorgrad/tensor/backend';
import { parseArgs, signature } from '../args.js';
import { checkFormat } from '../ops/box-checks.js';
import type { BoxFormat } from '../ops/box-convert.js';
import { cocoAccumulate, cocoSummarize, linspace } from './coco-eval.js';
import { classesOf, readDetections, readDetectionsAsync, type DetectionPrediction, type DetectionTarget, type HostImage } from './detection-inputs.js';

const NEW_MAP = signature('new MeanAveragePrecision', ['boxFormat', 'iouType', 'iouThresholds', 'recThresholds', 'maxDetectionThresholds', 'classMetrics']);
const UPDATE = signature('MeanAveragePrecision.update', []);

/** Options of {@link MeanAveragePrecision} (torchmetrics' keywords). */
export interface MeanAveragePrecisionOptions {
  /** The format of the boxes passed to `update` (default `'xyxy'`). */
  boxFormat?: BoxFormat;
  /** Only `'bbox'` (box detection; torchmetrics' `'segm'` is not supported). */
  iouType?: 'bbox';
  /** The IoU thresholds (default COCO's `0.5:0.05:0.95`, numpy's `linspace(0.5, 0.95, 10)`). */
  iouThresholds?: readonly number[];
  /** The recall thresholds of the interpolated precision (default COCO's 101: `linspace(0, 1, 101)`). */
  recThresholds?: readonly number[];
  /** The maximum numbers of detections per image (default `[1, 10, 100]`); `mar<n>` is reported for each, the AP for the last. */
  maxDetectionThresholds?: readonly number[];
  /** Also report `mapPerClass` and `mar<last>PerClass` (default `false`: they are `-1`). */
  classMetrics?: boolean;
}

/**
 * What {@link MeanAveragePrecision.compute} returns: torchmetrics' keys in camelCase. Every value
 * is `-1` where it is undefined (no ground truth in the range, or an IoU threshold of 0.5 / 0.75
 * not among `iouThresholds`). `mar<n>` keys follow `maxDetectionThresholds` (`mar1`, `mar10`,
 * `mar100` by default).
 */
export interface MeanAveragePrecisionResult {
  /** AP averaged over the IoU thresholds, recall thresholds and classes (area all, last max detections). */
  map: number;
  /** AP at IoU 0.5. */
  map50: number;
  /** AP at IoU 0.75. */
  map75: number;
  /** AP of ground truth smaller than 32² pixels. */
  mapSmall: number;
  /** AP of ground truth between 32² and 96² pixels. */
  mapMedium: number;
  /** AP of ground truth larger than 96² pixels. */
  mapLarge: number;
  /** AR of small ground truth (last max detections). */
  marSmall: number;
  /** AR of medium ground truth. */
  marMedium: number;
  /** AR of large ground truth. */
  marLarge: number;
  /** AP of each class of `classes` (with `classMetrics`; otherwise `-1`). */
  mapPerClass: number[] | -1;
  /** The class labels seen, sorted. */
  classes: number[];
  /** `mar1`, `mar10`, `mar100` (for the default max detections) and `mar100PerClass`. */
  [key: `mar${number}`]: number;
  [key: `mar${number}PerClass`]: number[] | -1;
}

function checkList(op: string, name: string, v: unknown, ok: (x: number) => boolean, what: string): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !ok(x))) {
    throw new RangeError(`${op}: expected ${name} to be a non-empty list of ${what}, got ${JSON.stringify(v)}`);
  }
  return [...(v as number[])];
}

/**
 * Mean average precision and recall for object detection, COCO's evaluation (pycocotools'
 * `COCOeval` for boxes) with torchmetrics' `MeanAveragePrecision` interface: `update(preds,
 * targets)` with one entry per image (`{ boxes, scores, labels }` and `{ boxes, labels }`) as
 * often as needed, then `compute()`. Detections are matched greedily by decreasing score to the
 * unmatched ground truth of highest IoU at each threshold; precision is interpolated at 101
 * recall points; `mapSmall`/`mapMedium`/`mapLarge` restrict to ground truth of area `< 32²`,
 * `32²–96²`, `> 96²`; `mar<n>` keeps the `n` best detections per image. Classes with no ground
 * truth count as `-1` and are left out of the means. Crowd annotations and masks are not
 * supported.
 *
 * `update` reads the tensors back synchronously; on WebGPU use `await updateAsync(...)`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { MeanAveragePrecision } from '@tensorgrad/vision';
 * const metric = new MeanAveragePrecision({ classMetrics: true });
 * metric.update(
 *   [{ boxes: tensor([[10, 10, 50, 50], [60, 60, 70, 70]]), scores: tensor([0.9, 0.6]), labels: tensor([0, 1], { dtype: 'int32' }) }],
 *   [{ boxes: tensor([[10, 10, 50, 50], [100, 100, 120, 120]]), labels: tensor([0, 1], { dtype: 'int32' }) }],
 * );
 * const r = metric.compute();
 * r.map; // 0.5
 * r.mapPerClass; // [1, 0]
 * r.mar100; // 0.5
 * r.mapMedium; // 1
 * ```
 */
export class MeanAveragePrecision {
  /** The box format of the inputs. */
  readonly boxFormat: BoxFormat;
  /** Always `'bbox'`. */
  readonly iouType = 'bbox' as const;
  /** The IoU thresholds. */
  readonly iouThresholds: readonly number[];
  /** The recall thresholds. */
  readonly recThresholds: readonly number[];
  /** The maximum detections per image, increasing. */
  readonly maxDetectionThresholds: readonly number[];
  /** Whether per-class values are reported. */
  readonly classMetrics: boolean;
  private images: HostImage[] = [];

  constructor(options: MeanAveragePrecisionOptions = {}) {
    const op = 'new MeanAveragePrecision';
    const a = parseArgs(NEW_MAP, [options]);
    this.boxFormat = checkFormat(op, 'boxFormat', a.boxFormat ?? 'xyxy');
    if (a.iouType !== undefined && a.iouType !== 'bbox') {
      const near = typeof a.iouType === 'string' ? nearestKey(a.iouType, ['bbox']) : null;
      throw new RangeError(`${op}: only iouType 'bbox' is supported (torchmetrics' 'segm' is not), got ${JSON.stringify(a.iouType)}` + (near ? ` (did you mean '${near}'?)` : ''));
    }
    this.iouThresholds = checkList(op, 'iouThresholds', a.iouThresholds, (x) => x >= 0 && x <= 1, 'numbers in [0, 1]') ?? linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1);
    this.recThresholds = checkList(op, 'recThresholds', a.recThresholds, (x) => x >= 0 && x <= 1, 'numbers in [0, 1]') ?? linspace(0, 1, Math.round(1 / 0.01) + 1);
    const md = checkList(op, 'maxDetectionThresholds', a.maxDetectionThresholds, (x) => Number.isSafeInteger(x) && x > 0, 'positive integers') ?? [1, 10, 100];
    this.maxDetectionThresholds = [...md].sort((x, y) => x - y);
    const cm = a.classMetrics ?? false;
    if (typeof cm !== 'boolean') throw new TypeError(`${op}: expected classMetrics to be a boolean, got ${String(cm)}`);
    this.classMetrics = cm;
  }

  /**
   * Adds a batch of images: `preds[i]` the detections and `targets[i]` the ground truth of image
   * `i` (read back synchronously).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { MeanAveragePrecision } from '@tensorgrad/vision';
   * const m = new MeanAveragePrecision();
   * m.update([{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.5]), labels: tensor([1], { dtype: 'int32' }) }], [{ boxes: tensor([[0, 0, 10, 10]]), labels: tensor([1], { dtype: 'int32' }) }]);
   * m.compute().map50; // 1
   * ```
   */
  update(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): void {
    parseArgs(UPDATE, rest);
    this.images.push(...readDetections('MeanAveragePrecision.update', preds, targets, this.boxFormat, false));
  }

  /**
   * The asynchronous form of {@link MeanAveragePrecision.update}, for every backend.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { MeanAveragePrecision } from '@tensorgrad/vision';
   * const m = new MeanAveragePrecision({ boxFormat: 'xywh' });
   * await m.updateAsync([{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.5]), labels: tensor([1], { dtype: 'int32' }) }], [{ boxes: tensor([[0, 0, 10, 5]]), labels: tensor([1], { dtype: 'int32' }) }]);
   * m.compute().map50; // 1
   * ```
   */
  async updateAsync(preds: readonly DetectionPrediction[], targets: readonly DetectionTarget[], ...rest: unknown[]): Promise<void> {
    parseArgs({ ...UPDATE, name: 'MeanAveragePrecision.updateAsync' }, rest);
    this.images.push(...(await readDetectionsAsync('MeanAveragePrecision.updateAsync', preds, targets, this.boxFormat, false)));
  }

  /**
   * The metrics over every image added since the last {@link MeanAveragePrecision.reset}.
   *
   * @example
   * ```ts
   * import { MeanAveragePrecision } from '@tensorgrad/vision';
   * new MeanAveragePrecision().compute().map; // -1
   * ```
   */
  compute(): MeanAveragePrecisionResult {
    const classes = classesOf(this.images);
    const md = this.maxDetectionThresholds;
    const acc = cocoAccumulate(this.images, classes, this.iouThresholds, this.recThresholds, md);
    const last = md.length - 1;
    // pycocotools: np.where(iouThr == p.iouThrs), an exact comparison
    const tOf = (v: number) => this.iouThresholds.indexOf(v);
    const at = (v: number) => (tOf(v) < 0 ? -1 : cocoSummarize(acc, true, tOf(v), 0, last));
    const result: Record<string, unknown> = {
      map: cocoSummarize(acc, true, null, 0, last),
      map50: at(0.5),
      map75: at(0.75),
      mapSmall: cocoSummarize(acc, true, null, 1, last),
      mapMedium: cocoSummarize(acc, true, null, 2, last),
      mapLarge: cocoSummarize(acc, true, null, 3, last),
    };
    md.forEach((n, m) => (result[`mar${n}`] = cocoSummarize(acc, false, null, 0, m)));
    result.marSmall = cocoSummarize(acc, false, null, 1, last);
    result.marMedium = cocoSummarize(acc, false, null, 2, last);
    result.marLarge = cocoSummarize(acc, false, null, 3, last);
    result.mapPerClass = this.classMetrics ? classes.map((_, k) => cocoSummarize(acc, true, null, 0, last, k)) : -1;
    result[`mar${md[last]}PerClass`] = this.classMetrics ? classes.map((_, k) => cocoSummarize(acc, false, null, 0, last, k)) : -1;
    result.classes = classes;
    return result as unknown as MeanAveragePrecisionResult;
  }

  /**
   * Forgets every image added so far.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { MeanAveragePrecision } from '@tensorgrad/vision';
   * const m = new MeanAveragePrecision();
   * m.update([{ boxes: tensor([[0, 0, 10, 10]]), scores: tensor([0.5]), labels: tensor([1], { dtype: 'int32' }) }], [{ boxes: tensor([[0, 0, 10, 10]]), labels: tensor([1], { dtype: 'int32' }) }]);
   * m.reset();
   * m.compute().classes; // []
   * ```
   */
  reset(): void {
    this.images = [];
  }
}
