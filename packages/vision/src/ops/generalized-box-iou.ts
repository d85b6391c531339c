import { div, mul, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, floatBoxes } from './box-checks.js';
import { boxInterUnion, enclosingWh } from './box-inter-union.js';

const GIOU = signature('generalizedBoxIou', []);

/**
 * torchvision's `ops.generalized_box_iou`: the generalized IoU
 * `iou - (C - union) / C` of every pair (`C` the area of the smallest box enclosing both),
 * `boxes1` `[N, 4]` against `boxes2` `[M, 4]` (`xyxy`) → `[N, M]`, in `[-1, 1]` for valid boxes.
 * Differentiable in both inputs.
 *
 * As in torchvision, `x1 <= x2` and `y1 <= y2` are not checked (inverted boxes get negative
 * areas), degenerate boxes may give NaN (`0 / 0`), and NaN coordinates propagate.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { generalizedBoxIou } from '@tensorgrad/vision';
 * const a = tensor([[0, 0, 1, 1]]);
 * const b = tensor([[0, 0, 1, 1], [2, 0, 3, 1]]);
 * await generalizedBoxIou(a, b).array(); // [[1, -0.3333333]]
 * ```
 */
export function generalizedBoxIou(boxes1: Tensor, boxes2: Tensor): Tensor;
export function generalizedBoxIou(boxes1: Tensor, boxes2: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(GIOU, rest);
  checkBoxes('generalizedBoxIou', 'boxes1', boxes1);
  checkBoxes('generalizedBoxIou', 'boxes2', boxes2);
  return tidy(() => {
    const b1 = floatBoxes(boxes1);
    const b2 = floatBoxes(boxes2);
    const { inter, union } = boxInterUnion(b1, b2);
    const iou = div(inter, union);
    const whi = enclosingWh(b1, b2);
    const areai = mul(whi.select(2, 0), whi.select(2, 1));
    return sub(iou, div(sub(areai, union), areai));
  });
}
