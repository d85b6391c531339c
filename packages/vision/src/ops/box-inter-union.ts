/**
 * torchvision's `_box_inter_union`: pairwise intersection and union areas of two box sets.
 * @internal
 */
import { add, clamp, gt, maximum, minimum, mul, sub, where, type Tensor } from '@tensorgrad/tensor';
import { boxArea } from './box-area.js';

/** Pairwise `[N, M]` intersection and union of `[N, 4]` and `[M, 4]` float boxes. @internal */
export function boxInterUnion(boxes1: Tensor, boxes2: Tensor): { inter: Tensor; union: Tensor } {
  const area1 = boxArea(boxes1);
  const area2 = boxArea(boxes2);
  const b1 = boxes1.unsqueeze(1); // [N, 1, 4]
  const lt = maximum(b1.narrow(2, 0, 2), boxes2.narrow(1, 0, 2)); // [N, M, 2]
  const rb = minimum(b1.narrow(2, 2, 2), boxes2.narrow(1, 2, 2)); // [N, M, 2]
  const wh = clamp(sub(rb, lt), { min: 0 });
  const inter = mul(wh.select(2, 0), wh.select(2, 1));
  const union = sub(add(area1.unsqueeze(1), area2), inter);
  return { inter, union };
}

/** Pairwise `[N, M, 2]` size (w, h) of the smallest box enclosing each pair. @internal */
export function enclosingWh(boxes1: Tensor, boxes2: Tensor): Tensor {
  const b1 = boxes1.unsqueeze(1);
  const lti = minimum(b1.narrow(2, 0, 2), boxes2.narrow(1, 0, 2));
  const rbi = maximum(b1.narrow(2, 2, 2), boxes2.narrow(1, 2, 2));
  return clamp(sub(rbi, lti), { min: 0 });
}

/**
 * torchvision's `_loss_inter_union`: element-wise intersection (0 where the boxes do not overlap,
 * as torchvision's masked assignment, with no gradient there) and union of `[..., 4]` boxes,
 * plus their coordinate columns.
 * @internal
 */
export function lossInterUnion(boxes1: Tensor, boxes2: Tensor): { inter: Tensor; union: Tensor; c1: Tensor[]; c2: Tensor[] } {
  const c1 = [0, 1, 2, 3].map((i) => boxes1.select(-1, i));
  const c2 = [0, 1, 2, 3].map((i) => boxes2.select(-1, i));
  const [x1, y1, x2, y2] = c1 as [Tensor, Tensor, Tensor, Tensor];
  const [x1g, y1g, x2g, y2g] = c2 as [Tensor, Tensor, Tensor, Tensor];
  const iw = sub(minimum(x2, x2g), maximum(x1, x1g));
  const ih = sub(minimum(y2, y2g), maximum(y1, y1g));
  // (ykis2 > ykis1) & (xkis2 > xkis1): a - b > 0 exactly when a > b for floats (false for NaN)
  const inter = where(gt(minimum(iw, ih), 0), mul(iw, ih), 0);
  const union = sub(add(mul(sub(x2, x1), sub(y2, y1)), mul(sub(x2g, x1g), sub(y2g, y1g))), inter);
  return { inter, union, c1, c2 };
}
