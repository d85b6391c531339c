import { mul, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes } from './box-checks.js';

const BOX_AREA = signature('boxArea', []);

/**
 * torchvision's `ops.box_area`: the area `(x2 - x1) * (y2 - y1)` of each box of `boxes`
 * (`[N, 4]`, `xyxy`) → `[N]`, in the boxes' dtype (float for float boxes, int for int boxes).
 *
 * Like torchvision it does not check `x1 <= x2` and `y1 <= y2`: a box with `x2 < x1` (and
 * `y2 >= y1`) has a negative area, one inverted on both axes a positive one; a NaN coordinate
 * gives a NaN area. Differentiable.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { boxArea } from '@tensorgrad/vision';
 * await boxArea(tensor([[0, 0, 2, 3], [1, 1, 2, 2]])).array(); // [6, 1]
 * // no check of x1 <= x2: torchvision's negative area
 * await boxArea(tensor([[2, 0, 0, 3]])).array(); // [-6]
 * ```
 */
export function boxArea(boxes: Tensor): Tensor;
export function boxArea(boxes: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(BOX_AREA, rest);
  checkBoxes('boxArea', 'boxes', boxes);
  return tidy(() => mul(sub(boxes.select(1, 2), boxes.select(1, 0)), sub(boxes.select(1, 3), boxes.select(1, 1))));
}
