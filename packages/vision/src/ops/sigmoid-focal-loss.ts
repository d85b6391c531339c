import { add, exp, ge, isFloating, log, mul, neg, pow, shapesEqual, sigmoid, sub, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkReduction } from '@tensorgrad/losses';
import { checkTensor } from './box-checks.js';

const FOCAL = signature('sigmoidFocalLoss', ['alpha', 'gamma', 'reduction']);

/** Options of {@link sigmoidFocalLoss} (torchvision's keywords). */
export interface SigmoidFocalLossOptions {
  /** Weight of the positive class in `(0, 1)`, the negatives get `1 - alpha`; a negative value (torchvision: `-1`) turns the weighting off. Default `0.25`. */
  alpha?: number;
  /** Exponent of the modulating factor `(1 - p_t)`; `0` gives the (alpha-weighted) cross entropy. Default `2`. */
  gamma?: number;
  /** `'none'` (default): the loss per element; `'mean'` or `'sum'` over all elements. */
  reduction?: 'none' | 'mean' | 'sum';
}

// softplus(-x) = -log(sigmoid(x)), stable for every x, with the exact gradient -sigmoid(-x) at
// x = 0 too (where() sends it to the smooth branch; abs/relu would give 0 there), and exp only of
// non-positive numbers (no Infinity, so no 0 * Infinity NaN in the backward pass)
function softplusOfNegative(x: Tensor): Tensor {
  const nonNegative = ge(x, 0);
  const a = where(nonNegative, x, neg(x));
  return add(log(add(exp(neg(a)), 1)), where(nonNegative, 0, neg(x)));
}

/**
 * torchvision's `ops.sigmoid_focal_loss` (RetinaNet, Lin et al. 2017): for logits `inputs` and
 * binary targets `targets` (0/1 floats, same shape),
 * `alpha_t * (1 - p_t)^gamma * BCEWithLogits(inputs, targets)` with `p = sigmoid(inputs)`,
 * `p_t = p * t + (1 - p) * (1 - t)` and `alpha_t = alpha * t + (1 - alpha) * (1 - t)` (no
 * alpha weighting when `alpha < 0`). The cross entropy is computed stably from the logits, so
 * large logits give finite losses. Differentiable in `inputs` (and `targets`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { sigmoidFocalLoss } from '@tensorgrad/vision';
 * const logits = tensor([0, 0]);
 * const targets = tensor([1, 0]);
 * // 0.25 * 0.5^2 * log 2 and 0.75 * 0.5^2 * log 2
 * await sigmoidFocalLoss(logits, targets).array(); // [0.0433217, 0.1299651]
 * await sigmoidFocalLoss(logits, targets, { alpha: -1, gamma: 0, reduction: 'mean' }).item(); // 0.6931472
 * ```
 */
export function sigmoidFocalLoss(inputs: Tensor, targets: Tensor, options?: SigmoidFocalLossOptions): Tensor;
export function sigmoidFocalLoss(inputs: Tensor, targets: Tensor, alpha?: number, gamma?: number, reduction?: 'none' | 'mean' | 'sum'): Tensor;
export function sigmoidFocalLoss(inputs: Tensor, targets: Tensor, ...rest: unknown[]): Tensor {
  const op = 'sigmoidFocalLoss';
  const a = parseArgs(FOCAL, rest);
  checkTensor(op, 'inputs', inputs);
  checkTensor(op, 'targets', targets);
  if (!isFloating(inputs.dtype)) throw new TypeError(`${op}: expected inputs (logits) of a float dtype, got ${inputs.dtype}`);
  if (!shapesEqual(inputs.shape, targets.shape)) {
    throw new RangeError(`${op}: expected targets of the same shape as inputs [${inputs.shape.join(', ')}], got [${targets.shape.join(', ')}]`);
  }
  const alpha = a.alpha ?? 0.25;
  const gamma = a.gamma ?? 2;
  if (typeof alpha !== 'number' || Number.isNaN(alpha)) throw new TypeError(`${op}: expected alpha to be a number (negative to turn the weighting off), got ${String(alpha)}`);
  if (typeof gamma !== 'number' || !(gamma >= 0)) throw new TypeError(`${op}: expected gamma to be a non-negative number, got ${String(gamma)}`);
  const reduction = checkReduction(op, a.reduction ?? 'none');
  return tidy(() => {
    const t = targets.dtype === inputs.dtype ? targets : targets.to(inputs.dtype);
    const p = sigmoid(inputs);
    // binary_cross_entropy_with_logits: softplus(-x) + (1 - t) * x
    const ce = add(softplusOfNegative(inputs), mul(sub(1, t), inputs));
    const pT = add(mul(p, t), mul(sub(1, p), sub(1, t)));
    let loss = gamma === 0 ? ce : mul(ce, pow(sub(1, pT), gamma));
    if (alpha >= 0) loss = mul(add(mul(t, alpha), mul(sub(1, t), 1 - alpha)), loss);
    if (reduction === 'mean') return loss.mean();
    if (reduction === 'sum') return loss.sum();
    return loss;
  });
}
