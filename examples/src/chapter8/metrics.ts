/** mAP of the chapter's held-out predictions, with the vision package's `MeanAveragePrecision`. */
import { MeanAveragePrecision, tensor } from 'tensorgrad';
import type { ScenePrediction } from './ssd.js';

/**
 * Mean average precision at one IoU threshold (COCO's 101-point interpolation, pycocotools'
 * matching) over the classes with ground truth, and the AP of each class label.
 *
 * @example
 * ```ts
 * import { sceneMeanAp } from './metrics.js';
 * const hit = {
 *   detection: { boxes: Float32Array.of(0, 0, 10, 10, 20, 20, 30, 30), scores: Float32Array.of(0.9, 0.8), labels: Int32Array.of(1, 2) },
 *   target: { boxes: Float32Array.of(0, 0, 10, 10), labels: Int32Array.of(1) },
 * };
 * const r = sceneMeanAp([hit], 0.5);
 * [r.map, r.perClass[1]].map((v) => +v.toFixed(9)); // [1, 1]
 * ```
 */
export function sceneMeanAp(predictions: readonly ScenePrediction[], iouThreshold = 0.5): { map: number; perClass: Record<number, number> } {
  const metric = new MeanAveragePrecision({ iouThresholds: [iouThreshold], classMetrics: true });
  const boxes = (b: Float32Array) => tensor(Array.from(b)).reshape([b.length / 4, 4]);
  metric.update(
    predictions.map((p) => ({ boxes: boxes(p.detection.boxes), scores: tensor(Array.from(p.detection.scores)), labels: tensor(Array.from(p.detection.labels), { dtype: 'int32' }) })),
    predictions.map((p) => ({ boxes: boxes(p.target.boxes), labels: tensor(Array.from(p.target.labels), { dtype: 'int32' }) })),
  );
  const r = metric.compute();
  const perClass: Record<number, number> = {};
  if (r.mapPerClass !== -1) r.classes.forEach((c, i) => (perClass[c] = (r.mapPerClass as number[])[i]!));
  return { map: r.map, perClass };
}
