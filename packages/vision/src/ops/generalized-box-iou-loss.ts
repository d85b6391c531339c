import { add, div, maximum, minimum, mul, sub, type Tensor } from '@tensorgrad/tensor';
import { signature } from '../args.js';
import { boxPairLoss } from './box-pair-loss.js';

const GIOU_LOSS = signature('generalizedBoxIouLoss', ['reduction', 'eps']);

/** Options of {@link generalizedBoxIouLoss} (torchvision's keywords). */
export interface GeneralizedBoxIouLossOptions {
  /** `'none'` (default): one loss per box pair; `'mean'` or `'sum'` over them. */
  reduction?: 'none' | 'mean' | 'sum';
  /** Added to the denominators against division by zero (default `1e-7`). */
  eps?: number;
}

/**
 * torchvision's `ops.generalized_box_iou_loss`: `1 - GIoU` of the matching boxes of `boxes1` and
 * `boxes2` (element-wise, not pairwise: `[..., 4]` each, `xyxy`, broadcast against each other),
 * `eps` added to the union and to the enclosing area; the loss is in `[0, 2]` and is non-zero
 * (with a gradient) even when the boxes do not overlap. Symmetric in its inputs; differentiable in
 * both. `reduction: 'mean'` of no boxes is 0, as in torchvision.
 *
 * As in torchvision, `x1 <= x2` and `y1 <= y2` are not checked, and NaN coordinates propagate.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { generalizedBoxIouLoss } from '@tensorgrad/vision';
 * const pred = tensor([[0, 0, 1, 1], [2, 0, 3, 1]]);
 * const target = tensor([[0, 0, 1, 1], [0, 0, 1, 1]]);
 * await generalizedBoxIouLoss(pred, target).array(); // [0, 1.3333333]
 * await generalizedBoxIouLoss(pred, target, { reduction: 'sum' }).item(); // 1.3333333
 * ```
 */
export function generalizedBoxIouLoss(boxes1: Tensor, boxes2: Tensor, options?: GeneralizedBoxIouLossOptions): Tensor;
export function generalizedBoxIouLoss(boxes1: Tensor, boxes2: Tensor, reduction?: 'none' | 'mean' | 'sum', eps?: number): Tensor;
export function generalizedBoxIouLoss(boxes1: Tensor, boxes2: Tensor, ...rest: unknown[]): Tensor {
  return boxPairLoss(GIOU_LOSS, boxes1, boxes2, rest, ({ c1: [x1, y1, x2, y2], c2: [x1g, y1g, x2g, y2g], iou, union, eps }) => {
    // smallest enclosing box
    const areaC = mul(sub(maximum(x2, x2g), minimum(x1, x1g)), sub(maximum(y2, y2g), minimum(y1, y1g)));
    return sub(1, sub(iou, div(sub(areaC, union), add(areaC, eps))));
  });
}
