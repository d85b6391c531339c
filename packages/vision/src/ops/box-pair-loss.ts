import { add, div, mul, tidy, type Tensor } from '@tensorgrad/tensor';
import { checkReduction } from '@tensorgrad/losses';
import { parseArgs, type Signature } from '../args.js';
import { checkBoxes, floatBoxes } from './box-checks.js';
import { lossInterUnion } from './box-inter-union.js';

/** What the element-wise IoU losses share: the coordinate columns of both box sets, the IoU, the union and `eps`. @internal */
export interface BoxPair {
  /** `[x1, y1, x2, y2]` of `boxes1`. */
  c1: [Tensor, Tensor, Tensor, Tensor];
  /** `[x1, y1, x2, y2]` of `boxes2`. */
  c2: [Tensor, Tensor, Tensor, Tensor];
  iou: Tensor;
  union: Tensor;
  eps: number;
}

/**
 * The body of torchvision's element-wise box losses (`generalized_box_iou_loss`,
 * `distance_box_iou_loss`): argument checks, `iou = inter / (union + eps)`, the loss `lossOf`
 * gives, and the reduction (`'mean'` of no boxes is 0, as in torchvision). @internal
 */
export function boxPairLoss(sig: Signature, boxes1: Tensor, boxes2: Tensor, rest: readonly unknown[], lossOf: (p: BoxPair) => Tensor): Tensor {
  const op = sig.name;
  const a = parseArgs(sig, rest);
  checkBoxes(op, 'boxes1', boxes1, true);
  checkBoxes(op, 'boxes2', boxes2, true);
  const reduction = checkReduction(op, a.reduction ?? 'none');
  const eps = a.eps ?? 1e-7;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${op}: expected eps to be a non-negative number, got ${String(eps)}`);
  return tidy(() => {
    const { inter, union, c1, c2 } = lossInterUnion(floatBoxes(boxes1), floatBoxes(boxes2));
    const iou = div(inter, add(union, eps));
    const loss = lossOf({ c1: c1 as BoxPair['c1'], c2: c2 as BoxPair['c2'], iou, union, eps });
    if (reduction === 'mean') return loss.numel() > 0 ? loss.mean() : mul(loss.sum(), 0);
    if (reduction === 'sum') return loss.sum();
    return loss;
  });
}
