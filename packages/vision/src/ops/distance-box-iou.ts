import { add, div, mul, square, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, floatBoxes } from './box-checks.js';
import { boxInterUnion, enclosingWh } from './box-inter-union.js';

const DIOU = signature('distanceBoxIou', ['eps']);

/** Options of {@link distanceBoxIou} (torchvision's keyword). */
export interface DistanceBoxIouOptions {
  /** Added to the squared diagonal of the enclosing box against division by zero (default `1e-7`). */
  eps?: number;
}

/**
 * torchvision's `ops.distance_box_iou` (DIoU, Zheng et al. 2020): for every pair of `boxes1`
 * `[N, 4]` and `boxes2` `[M, 4]` (`xyxy`), `iou - d² / (c² + eps)` with `d` the distance between
 * the box centres and `c` the diagonal of the smallest enclosing box → `[N, M]`, in `[-1, 1]`.
 * Differentiable in both inputs. As in torchvision, `x1 <= x2` is not checked and NaN propagates.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { distanceBoxIou } from '@tensorgrad/vision';
 * const a = tensor([[0, 0, 2, 2]]);
 * const b = tensor([[0, 0, 2, 2], [2, 0, 4, 2]]);
 * // the second pair: iou 0, centres 2 apart, enclosing diagonal² 16 + 4
 * await distanceBoxIou(a, b).array(); // [[1, -0.2]]
 * ```
 */
export function distanceBoxIou(boxes1: Tensor, boxes2: Tensor, options?: DistanceBoxIouOptions): Tensor;
export function distanceBoxIou(boxes1: Tensor, boxes2: Tensor, eps?: number): Tensor;
export function distanceBoxIou(boxes1: Tensor, boxes2: Tensor, ...rest: unknown[]): Tensor {
  const op = 'distanceBoxIou';
  const a = parseArgs(DIOU, rest);
  checkBoxes(op, 'boxes1', boxes1);
  checkBoxes(op, 'boxes2', boxes2);
  const eps = a.eps ?? 1e-7;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${op}: expected eps to be a non-negative number, got ${String(eps)}`);
  return tidy(() => {
    const b1 = floatBoxes(boxes1);
    const b2 = floatBoxes(boxes2);
    const { inter, union } = boxInterUnion(b1, b2);
    const iou = div(inter, union);
    const whi = enclosingWh(b1, b2);
    const diag = add(add(square(whi.select(2, 0)), square(whi.select(2, 1))), eps);
    const cx = (b: Tensor) => div(add(b.select(1, 0), b.select(1, 2)), 2);
    const cy = (b: Tensor) => div(add(b.select(1, 1), b.select(1, 3)), 2);
    const dx = sub(cx(b1).unsqueeze(1), cx(b2).unsqueeze(0));
    const dy = sub(cy(b1).unsqueeze(1), cy(b2).unsqueeze(0));
    const centres = add(square(dx), square(dy));
    return sub(iou, div(centres, diag));
  });
}
