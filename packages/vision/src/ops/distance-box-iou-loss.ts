import { add, div, maximum, minimum, square, sub, type Tensor } from '@tensorgrad/tensor';
import { signature } from '../args.js';
import { boxPairLoss } from './box-pair-loss.js';

const DIOU_LOSS = signature('distanceBoxIouLoss', ['reduction', 'eps']);

/** Options of {@link distanceBoxIouLoss} (torchvision's keywords). */
export interface DistanceBoxIouLossOptions {
  /** `'none'` (default): one loss per box pair; `'mean'` or `'sum'` over them. */
  reduction?: 'none' | 'mean' | 'sum';
  /** Added to the union and to the squared enclosing diagonal against division by zero (default `1e-7`). */
  eps?: number;
}

/**
 * torchvision's `ops.distance_box_iou_loss` (DIoU loss): `1 - iou + d² / c²` of the matching
 * boxes of `boxes1` and `boxes2` (element-wise: `[..., 4]` each, `xyxy`), `d` the distance of the
 * centres and `c` the diagonal of the smallest enclosing box (`eps` added to the union and to
 * `c²`). Unlike the IoU loss it still pulls non-overlapping boxes together. Differentiable in both
 * inputs; `reduction: 'mean'` of no boxes is 0, as in torchvision. `x1 <= x2` is not checked.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { distanceBoxIouLoss } from '@tensorgrad/vision';
 * const pred = tensor([[0, 0, 2, 2], [2, 0, 4, 2]]);
 * const target = tensor([[0, 0, 2, 2], [0, 0, 2, 2]]);
 * // the second pair: 1 - 0 + 2² / (4² + 2²)
 * await distanceBoxIouLoss(pred, target).array(); // [0, 1.2]
 * ```
 */
export function distanceBoxIouLoss(boxes1: Tensor, boxes2: Tensor, options?: DistanceBoxIouLossOptions): Tensor;
export function distanceBoxIouLoss(boxes1: Tensor, boxes2: Tensor, reduction?: 'none' | 'mean' | 'sum', eps?: number): Tensor;
export function distanceBoxIouLoss(boxes1: Tensor, boxes2: Tensor, ...rest: unknown[]): Tensor {
  return boxPairLoss(DIOU_LOSS, boxes1, boxes2, rest, ({ c1: [x1, y1, x2, y2], c2: [x1g, y1g, x2g, y2g], iou, eps }) => {
    const diag = add(add(square(sub(maximum(x2, x2g), minimum(x1, x1g))), square(sub(maximum(y2, y2g), minimum(y1, y1g)))), eps);
    const dx = sub(div(add(x2, x1), 2), div(add(x1g, x2g), 2));
    const dy = sub(div(add(y2, y1), 2), div(add(y1g, y2g), 2));
    return add(sub(1, iou), div(add(square(dx), square(dy)), diag));
  });
}
