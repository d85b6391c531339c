/**
 * torchvision's `_box_inter_union`: pairwise intersection and union areas of two box sets.
 * @internal
 */
import { add, clamp, maximum, minimum, mul, sub, type Tensor } from '@tensorgrad/tensor';
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
