import { add, clamp, div, exp, ge, log, mul, neg, sub, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { applyReduction, bindLoss, checkBroadcastWeight, checkReduction, checkSameShape, type LegacyReductionOptions, type Reduction } from './common.js';

const BCE = signature('binaryCrossEntropy', ['input', 'target', 'weight', 'sizeAverage', 'reduce', 'reduction'], { required: 2 });
const BCE_WITH_LOGITS = signature('binaryCrossEntropyWithLogits', ['input', 'target', 'weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'], {
  required: 2,
});

/** Options of {@link binaryCrossEntropy}. */
export interface BCELossOptions extends LegacyReductionOptions {
  /** Per-element rescaling weight, broadcast against the input (e.g. one weight per column). */
  weight?: Tensor | null;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BCEWithLogitsLossOptions extends BCELossOptions {
  /** Weight of the positive term (`target = 1`), broadcast against the input: one value per class. */
  posWeight?: Tensor | null;
}

// PyTorch's BCE backward clamps p(1 - p) with the float 1e-12 (9.99999996e-13), in float64 too:
// its float64 gradient at a saturated input is 1/9.99999996e-13, not 1e12 (fixture bce.json)
const BCE_EPSILON = Math.fround(1e-12);

/**
 * Binary cross entropy between probabilities `input` (values in [0, 1]) and targets:
 * `-weight·(target·log(input) + (1 - target)·log(1 - input))`, each log clamped to `>= -100`
 * as PyTorch does. The gradient with respect to `input` is PyTorch's,
 * `weight·(input - target) / max(input·(1 - input), 1e-12)` (the float32 1e-12, in float64 too, as
 * PyTorch 1.13 computes it), finite where an input is exactly 0
 * or 1 (a saturated `sigmoid`), where differentiating the clamped logs would give 0·∞ = NaN.
 * Prefer {@link binaryCrossEntropyWithLogits} on raw scores: it is stable.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { binaryCrossEntropy } from '@tensorgrad/losses';
 * await binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 0])).item(); // 0.6931472
 * await binaryCrossEntropy(tensor([1, 0]), tensor([0, 1]), { reduction: 'none' }).array(); // [100, 100]
 * // PyTorch's positional form: F.binary_cross_entropy(p, y, w)
 * await binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 0]), tensor([2, 0])).item(); // 0.6931472
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: BCELossOptions): Tensor;
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  weight?: Tensor | null,
  sizeAverage?: null,
  reduce?: null,
  reduction?: Reduction,
  options?: BCELossOptions,
): Tensor;
export function binaryCrossEntropy(...args: unknown[]): Tensor {
  const op = 'binaryCrossEntropy';
  const a = bindLoss(BCE, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, a.reduction);
  const weight = checkBroadcastWeight(op, 'weight', a.weight, input.shape);
  if (input.backendInstance.readSync && input.numel() > 0) {
    const v = input.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!(v[i]! >= 0 && v[i]! <= 1)) {
        throw new RangeError(`${op}: expected every element of input to be a probability in [0, 1], got ${v[i]} at flat index ${i}; apply sigmoid() first or use binaryCrossEntropyWithLogits`);
      }
    }
  }
  return tidy(() => {
    const p = input.detach();
    const logP = clamp(log(p), { min: -100 });
    const log1mP = clamp(log(sub(1, p)), { min: -100 });
    // -(y·log p + (1 - y)·log(1 - p)): its value, and its gradient with respect to the target
    const value = neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
    // the gradient with respect to the input, as PyTorch's backward computes it:
    // (p - y) / max(p·(1 - p), 1e-12), carried by input·g - (input·g).detach(), which is exactly 0
    const g = div(sub(p, target.detach()), clamp(mul(p, sub(1, p)), { min: BCE_EPSILON }));
    const carrier = mul(input, g);
    let loss = add(value, sub(carrier, carrier.detach()));
    if (weight) loss = mul(loss, weight);
    return applyReduction(loss, reduction);
  });
}

// softplus(-x) = -log(sigmoid(x)) = log(1 + exp(-a)) + (x >= 0 ? 0 : -x) with a = |x|, written
// with where() rather than abs()/relu(): abs and relu have gradient 0 at x = 0 (PyTorch's
// convention), so max(-x, 0) + log(1 + exp(-|x|)) differentiates to 0 there instead of
// -sigmoid(-0) = -1/2, and a zero-initialised head would get the wrong gradient. where() sends the
// gradient at x = 0 to the x >= 0 branch, on which the expression is smooth; exp only ever sees
// -a <= 0, so nothing overflows and no branch produces an Infinity that 0·Infinity could turn into
// a NaN in the backward pass.
function softplusOfNegative(x: Tensor): Tensor {
  const nonNegative = ge(x, 0);
  const a = where(nonNegative, x, neg(x));
  return add(log(add(exp(neg(a)), 1)), where(nonNegative, 0, neg(x)));
}

/**
 * Binary cross entropy on logits: `sigmoid` and the loss in one numerically stable expression,
 * `weight·((1 - y)·x + (1 + (posWeight - 1)·y)·softplus(-x))` with `softplus(-x) = max(-x, 0) +
 * log(1 + exp(-|x|))`, which never overflows for huge `|x|`. Its gradient is PyTorch's,
 * `weight·((1 + (posWeight - 1)·y)·sigmoid(x) - posWeight·y)`, everywhere including `x = 0`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { binaryCrossEntropyWithLogits } from '@tensorgrad/losses';
 * await binaryCrossEntropyWithLogits(tensor([0, 0]), tensor([1, 0])).item(); // 0.6931472
 * await binaryCrossEntropyWithLogits(tensor([1000, -1000]), tensor([0, 1]), { reduction: 'none' }).array(); // [1000, 1000]
 * await binaryCrossEntropyWithLogits(tensor([0, 0]), tensor([1, 0]), null, null, null, 'sum').item(); // 1.3862944
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEWithLogitsLossOptions): Tensor;
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  weight?: Tensor | null,
  sizeAverage?: null,
  reduce?: null,
  reduction?: Reduction,
  posWeight?: Tensor | null,
  options?: BCEWithLogitsLossOptions,
): Tensor;
export function binaryCrossEntropyWithLogits(...args: unknown[]): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const a = bindLoss(BCE_WITH_LOGITS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, a.reduction);
  const weight = checkBroadcastWeight(op, 'weight', a.weight, input.shape);
  const posWeight = checkBroadcastWeight(op, 'posWeight', a.posWeight, input.shape);
  return tidy(() => {
    const softplusNeg = softplusOfNegative(input);
    const first = mul(sub(1, target), input);
    const second = posWeight ? mul(add(mul(sub(posWeight, 1), target), 1), softplusNeg) : softplusNeg;
    let loss = add(first, second);
    if (weight) loss = mul(loss, weight);
    return applyReduction(loss, reduction);
  });
}
