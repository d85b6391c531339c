import { add, div, maximum, minimum, mul, square, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, checkReduction, floatBoxes } from './box-checks.js';
import { lossInterUnion } from './box-inter-union.js';

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
  const op = 'distanceBoxIouLoss';
  const a = parseArgs(DIOU_LOSS, rest);
  checkBoxes(op, 'boxes1', boxes1, true);
  checkBoxes(op, 'boxes2', boxes2, true);
  const reduction = checkReduction(op, a.reduction ?? 'none');
  const eps = a.eps ?? 1e-7;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${op}: expected eps to be a non-negative number, got ${String(eps)}`);
  return tidy(() => {
    const { inter, union, c1, c2 } = lossInterUnion(floatBoxes(boxes1), floatBoxes(boxes2));
    const [x1, y1, x2, y2] = c1 as [Tensor, Tensor, Tensor, Tensor];
    const [x1g, y1g, x2g, y2g] = c2 as [Tensor, Tensor, Tensor, Tensor];
    const iou = div(inter, add(union, eps));
    const diag = add(add(square(sub(maximum(x2, x2g), minimum(x1, x1g))), square(sub(maximum(y2, y2g), minimum(y1, y1g)))), eps);
    const dx = sub(div(add(x2, x1), 2), div(add(x1g, x2g), 2));
    const dy = sub(div(add(y2, y1), 2), div(add(y1g, y2g), 2));
    const loss = add(sub(1, iou), div(add(square(dx), square(dy)), diag));
    if (reduction === 'mean') return loss.numel() > 0 ? loss.mean() : mul(loss.sum(), 0);
    if (reduction === 'sum') return loss.sum();
    return loss;
  });
}
