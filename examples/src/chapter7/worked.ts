/**
 * The book's chapter 7 basics worked by hand, in plain numbers: the intersection over union of two
 * boxes (the book's `get_iou`), non-max suppression one step at a time, and the average precision
 * of a handful of detections. The guide (docs/chapter-07.md) and the tests compare each with the
 * library's `boxIou`, `nms` and `MeanAveragePrecision`.
 */

/** A box as `[x1, y1, x2, y2]` (top-left and bottom-right corners, the book's and torchvision's `xyxy`). */
export type Box = readonly [number, number, number, number];

/**
 * The book's `get_iou(boxA, boxB, epsilon=1e-5)`: the area of the overlap of two `xyxy` boxes over
 * the area of their union (plus `epsilon`, which keeps two empty boxes from dividing by zero).
 * Boxes that do not overlap give 0.
 *
 * @example
 * ```ts
 * import { getIou } from './worked.js';
 * // overlap 2×2 = 4, union 16 + 16 − 4 = 28: 4 / 28 = 1/7
 * getIou([0, 0, 4, 4], [2, 2, 6, 6], 0); // 0.14285714285714285
 * getIou([0, 0, 4, 4], [5, 5, 6, 6]); // 0
 * ```
 */
export function getIou(boxA: Box, boxB: Box, epsilon = 1e-5): number {
  const x1 = Math.max(boxA[0], boxB[0]);
  const y1 = Math.max(boxA[1], boxB[1]);
  const x2 = Math.min(boxA[2], boxB[2]);
  const y2 = Math.min(boxA[3], boxB[3]);
  const width = x2 - x1;
  const height = y2 - y1;
  if (width < 0 || height < 0) return 0;
  const areaOverlap = width * height;
  const areaA = (boxA[2] - boxA[0]) * (boxA[3] - boxA[1]);
  const areaB = (boxB[2] - boxB[0]) * (boxB[3] - boxB[1]);
  const areaCombined = areaA + areaB - areaOverlap;
  return areaOverlap / (areaCombined + epsilon);
}

/** One step of {@link nmsByHand}: the box kept, and the boxes it suppressed with their IoU. */
export interface NmsStep {
  /** Index of the highest-scoring box still in play: it is kept. */
  kept: number;
  /** Boxes removed in this step because their IoU with `kept` is above the threshold. */
  suppressed: { index: number; iou: number }[];
}

/**
 * Non-max suppression written out: sort the boxes by score, keep the best one left, remove every
 * remaining box whose IoU with it is above `iouThreshold`, and repeat until no box is left. Returns
 * the kept indices (by decreasing score, as torchvision's `nms`) and the steps taken.
 *
 * @example
 * ```ts
 * import { nmsByHand } from './worked.js';
 * const boxes = [[10, 10, 50, 50], [12, 12, 52, 52], [60, 60, 100, 100]] as const;
 * const { keep, steps } = nmsByHand(boxes, [0.9, 0.8, 0.7], 0.5);
 * keep; // [0, 2]
 * steps[0]!.suppressed.map((s) => s.index); // [1]
 * ```
 */
export function nmsByHand(boxes: readonly Box[], scores: readonly number[], iouThreshold: number): { keep: number[]; steps: NmsStep[] } {
  if (boxes.length !== scores.length) {
    throw new RangeError(`nmsByHand: expected one score per box, got ${boxes.length} boxes and ${scores.length} scores`);
  }
  let remaining = boxes.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const keep: number[] = [];
  const steps: NmsStep[] = [];
  while (remaining.length > 0) {
    const best = remaining[0]!;
    keep.push(best);
    const step: NmsStep = { kept: best, suppressed: [] };
    const rest: number[] = [];
    for (const i of remaining.slice(1)) {
      const iou = getIou(boxes[best]!, boxes[i]!, 0);
      if (iou > iouThreshold) step.suppressed.push({ index: i, iou });
      else rest.push(i);
    }
    steps.push(step);
    remaining = rest;
  }
  return { keep, steps };
}

/** A detection of {@link averagePrecisionByHand}: which image, its box and its score. */
export interface ToyDetection {
  /** The image it was found in. */
  image: number;
  /** Its box, `xyxy`. */
  box: Box;
  /** Its confidence. */
  score: number;
}

/** A ground-truth object of {@link averagePrecisionByHand}: which image and its box. */
export interface ToyObject {
  /** The image it is in. */
  image: number;
  /** Its box, `xyxy`. */
  box: Box;
}

/** How {@link averagePrecisionByHand} turns the precision–recall curve into one number. */
export type ApInterpolation = 'all-point' | '11-point' | '101-point';

/** What {@link averagePrecisionByHand} found: each detection's verdict, the curve and the area under it. */
export interface ToyAveragePrecision {
  /** Per detection in decreasing score order: true positive (1) or false positive (0). */
  tp: number[];
  /** Precision after each detection, in that order. */
  precision: number[];
  /** Recall after each detection, in that order. */
  recall: number[];
  /** The average precision. */
  ap: number;
}

/**
 * The average precision of one class, worked the way VOC and COCO define it: sort the detections
 * by score; each is a true positive when its best-overlapping ground-truth box of the same image
 * has IoU ≥ `iouThreshold` and was not matched by a higher-scoring detection, else a false
 * positive; accumulate precision and recall; then take the area under the precision envelope
 * (precision made non-increasing from the right) — at every recall step (`'all-point'`, VOC
 * 2010+), or averaged over the recalls 0, 0.1, …, 1 (`'11-point'`, VOC 2007) or 0, 0.01, …, 1
 * (`'101-point'`, COCO and torchmetrics).
 *
 * @example
 * ```ts
 * import { averagePrecisionByHand } from './worked.js';
 * const objects = [{ image: 0, box: [0, 0, 10, 10] }, { image: 1, box: [0, 0, 10, 10] }] as const;
 * const detections = [
 *   { image: 0, box: [0, 0, 10, 10], score: 0.9 }, // true positive
 *   { image: 1, box: [50, 50, 60, 60], score: 0.8 }, // false positive
 *   { image: 1, box: [0, 0, 10, 10], score: 0.7 }, // true positive
 * ] as const;
 * const r = averagePrecisionByHand(detections, objects);
 * r.precision; // [1, 0.5, 0.6666666666666666]
 * r.recall; // [0.5, 0.5, 1]
 * r.ap; // 0.8333333333333333
 * ```
 */
export function averagePrecisionByHand(
  detections: readonly ToyDetection[],
  objects: readonly ToyObject[],
  options: { iouThreshold?: number; interpolation?: ApInterpolation } = {},
): ToyAveragePrecision {
  const iouThreshold = options.iouThreshold ?? 0.5;
  const interpolation = options.interpolation ?? 'all-point';
  if (objects.length === 0) throw new RangeError('averagePrecisionByHand: expected at least one ground-truth object, got none (recall is undefined)');
  const order = detections.map((_, i) => i).sort((a, b) => detections[b]!.score - detections[a]!.score || a - b);
  const matched = new Set<number>();
  const tp: number[] = [];
  for (const d of order) {
    const det = detections[d]!;
    let best = -1;
    let bestIou = -1;
    objects.forEach((o, j) => {
      if (o.image !== det.image) return;
      const iou = getIou(det.box, o.box, 0);
      if (iou > bestIou) {
        bestIou = iou;
        best = j;
      }
    });
    const hit = best >= 0 && bestIou >= iouThreshold && !matched.has(best);
    if (hit) matched.add(best);
    tp.push(hit ? 1 : 0);
  }
  const precision: number[] = [];
  const recall: number[] = [];
  let cumTp = 0;
  tp.forEach((t, i) => {
    cumTp += t;
    precision.push(cumTp / (i + 1));
    recall.push(cumTp / objects.length);
  });
  // the envelope: the best precision at this recall or any higher one
  const envelope = precision.slice();
  for (let i = envelope.length - 2; i >= 0; i--) envelope[i] = Math.max(envelope[i]!, envelope[i + 1]!);
  let ap = 0;
  if (interpolation === 'all-point') {
    let previousRecall = 0;
    recall.forEach((r, i) => {
      ap += (r - previousRecall) * envelope[i]!;
      previousRecall = r;
    });
  } else {
    const points = interpolation === '11-point' ? 11 : 101;
    for (let k = 0; k < points; k++) {
      const r = k / (points - 1);
      const i = recall.findIndex((x) => x >= r - 1e-12);
      ap += i < 0 ? 0 : envelope[i]!;
    }
    ap /= points;
  }
  return { tp, precision, recall, ap };
}
