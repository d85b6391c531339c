import { abs, lt, mul, square, sub, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { applyReduction, checkReduction, checkSameShape, type ReductionOptions } from './common.js';

/** Options of {@link mseLoss}. */
export type MSELossOptions = ReductionOptions;
/** Options of {@link l1Loss}. */
export type L1LossOptions = ReductionOptions;

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss switches from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss switches from quadratic to linear (default 1; must be positive). */
  delta?: number;
}

/**
 * Mean squared error: `(input - target)²`, reduced. Input and target must have the same shape.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { mseLoss } from '@tensorgrad/losses';
 * const loss = mseLoss(tensor([1, 2, 3]), tensor([1, 2, 5]));
 * await loss.item(); // 1.3333333
 * await mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: 'none' }).array(); // [1, 4]
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: MSELossOptions = {}): Tensor {
  checkSameShape('mseLoss', input, target);
  const reduction = checkReduction('mseLoss', options.reduction);
  return tidy(() => applyReduction(square(sub(input, target)), reduction));
}

/**
 * Mean absolute error: `|input - target|`, reduced. Input and target must have the same shape.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { l1Loss } from '@tensorgrad/losses';
 * await l1Loss(tensor([1, 2, 3]), tensor([2, 2, 5])).item(); // 1
 * await l1Loss(tensor([1, 2, 3]), tensor([2, 2, 5]), { reduction: 'sum' }).item(); // 3
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options: L1LossOptions = {}): Tensor {
  checkSameShape('l1Loss', input, target);
  const reduction = checkReduction('l1Loss', options.reduction);
  return tidy(() => applyReduction(abs(sub(input, target)), reduction));
}

function checkNonNegative(op: string, name: string, v: unknown, fallback: number, strict: boolean): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (strict && v === 0)) {
    throw new RangeError(`${op}: expected ${name} to be a ${strict ? 'positive' : 'non-negative'} finite number, got ${String(v)}`);
  }
  return v;
}

/**
 * Smooth L1 loss: with `d = |input - target|`, `0.5·d²/beta` where `d < beta` and
 * `d - 0.5·beta` elsewhere (PyTorch's `smooth_l1_loss`; `beta = 0` is the L1 loss).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { smoothL1Loss } from '@tensorgrad/losses';
 * await smoothL1Loss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).array(); // [0.125, 2.5]
 * await smoothL1Loss(tensor([0, 0]), tensor([0.5, 3]), { beta: 2, reduction: 'none' }).array(); // [0.0625, 2]
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkSameShape('smoothL1Loss', input, target);
  const reduction = checkReduction('smoothL1Loss', options.reduction);
  const beta = checkNonNegative('smoothL1Loss', 'beta', options.beta, 1, false);
  return tidy(() => {
    const d = abs(sub(input, target));
    if (beta === 0) return applyReduction(d, reduction);
    const loss = where(lt(d, beta), mul(square(d), 0.5 / beta), sub(d, 0.5 * beta));
    return applyReduction(loss, reduction);
  });
}

/**
 * Huber loss: with `d = |input - target|`, `0.5·d²` where `d < delta` and
 * `delta·(d - 0.5·delta)` elsewhere (equals `delta · smoothL1Loss` with `beta = delta`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { huberLoss } from '@tensorgrad/losses';
 * await huberLoss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).array(); // [0.125, 2.5]
 * await huberLoss(tensor([0, 0]), tensor([0.5, 3]), { delta: 2, reduction: 'none' }).array(); // [0.125, 4]
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkSameShape('huberLoss', input, target);
  const reduction = checkReduction('huberLoss', options.reduction);
  const delta = checkNonNegative('huberLoss', 'delta', options.delta, 1, true);
  return tidy(() => {
    const d = abs(sub(input, target));
    const loss = where(lt(d, delta), mul(square(d), 0.5), mul(sub(d, 0.5 * delta), delta));
    return applyReduction(loss, reduction);
  });
}
