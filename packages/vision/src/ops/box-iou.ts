import { div, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, floatBoxes } from './box-checks.js';
import { boxInterUnion } from './box-inter-union.js';

const BOX_IOU = signature('boxIou', []);

/**
 * torchvision's `ops.box_iou`: the intersection over union (Jaccard index) of every pair of
 * boxes, `boxes1` `[N, 4]` against `boxes2` `[M, 4]` (both `xyxy`) → `[N, M]`. Integer boxes
 * give float32 IoUs. Differentiable in both inputs.
 *
 * Like torchvision there is no check of `x1 <= x2`, `y1 <= y2`: inverted boxes have torchvision's
 * negative areas, which enter the union as they are (the intersection is clamped at 0). Two
 * empty boxes give `0 / 0 = NaN`, and a NaN coordinate gives NaN in its row or column.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { boxIou } from '@tensorgrad/vision';
 * const a = tensor([[0, 0, 2, 2]]);
 * const b = tensor([[1, 1, 3, 3], [0, 0, 2, 2], [5, 5, 6, 6]]);
 * await boxIou(a, b).array(); // [[0.1428571, 1, 0]]
 * ```
 */
export function boxIou(boxes1: Tensor, boxes2: Tensor): Tensor;
export function boxIou(boxes1: Tensor, boxes2: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(BOX_IOU, rest);
  checkBoxes('boxIou', 'boxes1', boxes1);
  checkBoxes('boxIou', 'boxes2', boxes2);
  return tidy(() => {
    const { inter, union } = boxInterUnion(floatBoxes(boxes1), floatBoxes(boxes2));
    return div(inter, union);
  });
}
