import { add, div, gt, maximum, minimum, mul, sub, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, checkReduction, floatBoxes, unbindBoxes } from './box-checks.js';

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
  const op = 'generalizedBoxIouLoss';
  const a = parseArgs(GIOU_LOSS, rest);
  checkBoxes(op, 'boxes1', boxes1, true);
  checkBoxes(op, 'boxes2', boxes2, true);
  const reduction = checkReduction(op, a.reduction ?? 'none');
  const eps = a.eps ?? 1e-7;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${op}: expected eps to be a non-negative number, got ${String(eps)}`);
  return tidy(() => {
    const [x1, y1, x2, y2] = unbindBoxes(floatBoxes(boxes1));
    const [x1g, y1g, x2g, y2g] = unbindBoxes(floatBoxes(boxes2));
    // intersection (0 where the boxes do not overlap, as torchvision's masked assignment)
    const xk1 = maximum(x1, x1g);
    const yk1 = maximum(y1, y1g);
    const xk2 = minimum(x2, x2g);
    const yk2 = minimum(y2, y2g);
    const iw = sub(xk2, xk1);
    const ih = sub(yk2, yk1);
    // (yk2 > yk1) & (xk2 > xk1): a - b > 0 exactly when a > b for floats (false for NaN)
    const overlap = gt(minimum(iw, ih), 0);
    const inter = where(overlap, mul(iw, ih), 0);
    const union = sub(add(mul(sub(x2, x1), sub(y2, y1)), mul(sub(x2g, x1g), sub(y2g, y1g))), inter);
    const iou = div(inter, add(union, eps));
    // smallest enclosing box
    const areaC = mul(sub(maximum(x2, x2g), minimum(x1, x1g)), sub(maximum(y2, y2g), minimum(y1, y1g)));
    const giou = sub(iou, div(sub(areaC, union), add(areaC, eps)));
    const loss = sub(1, giou);
    if (reduction === 'mean') return loss.numel() > 0 ? loss.mean() : mul(loss.sum(), 0);
    if (reduction === 'sum') return loss.sum();
    return loss;
  });
}
