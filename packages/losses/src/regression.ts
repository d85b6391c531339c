import { abs, lt, mul, square, sub, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { applyReduction, bindLoss, checkReduction, checkSameShape, type LegacyReductionOptions, type Reduction, type ReductionOptions } from './common.js';

const MSE_LOSS = signature('mseLoss', ['input', 'target', 'sizeAverage', 'reduce', 'reduction'], { required: 2 });
const L1_LOSS = signature('l1Loss', ['input', 'target', 'sizeAverage', 'reduce', 'reduction'], { required: 2 });
const SMOOTH_L1_LOSS = signature('smoothL1Loss', ['input', 'target', 'sizeAverage', 'reduce', 'reduction', 'beta'], { required: 2 });
const HUBER_LOSS = signature('huberLoss', ['input', 'target', 'reduction', 'delta'], { required: 2 });

/** Options of {@link mseLoss} (PyTorch's keywords). */
export type MSELossOptions = LegacyReductionOptions;
/** Options of {@link l1Loss} (PyTorch's keywords). */
export type L1LossOptions = LegacyReductionOptions;

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends LegacyReductionOptions {
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
 * // PyTorch's positional form: F.mse_loss(x, y, None, None, 'sum')
 * await mseLoss(tensor([1, 2]), tensor([0, 0]), null, null, 'sum').item(); // 5
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options?: MSELossOptions): Tensor;
export function mseLoss(input: Tensor, target: Tensor, sizeAverage?: null, reduce?: null, reduction?: Reduction, options?: MSELossOptions): Tensor;
export function mseLoss(...args: unknown[]): Tensor {
  const a = bindLoss(MSE_LOSS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape('mseLoss', input, target);
  const reduction = checkReduction('mseLoss', a.reduction);
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
 * await l1Loss(tensor([1, 2, 3]), tensor([2, 2, 5]), null, null, 'sum').item(); // 3
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options?: L1LossOptions): Tensor;
export function l1Loss(input: Tensor, target: Tensor, sizeAverage?: null, reduce?: null, reduction?: Reduction, options?: L1LossOptions): Tensor;
export function l1Loss(...args: unknown[]): Tensor {
  const a = bindLoss(L1_LOSS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape('l1Loss', input, target);
  const reduction = checkReduction('l1Loss', a.reduction);
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
 * await smoothL1Loss(tensor([0, 0]), tensor([0.5, 3]), null, null, 'none', 2).array(); // [0.0625, 2]
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1LossOptions): Tensor;
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  sizeAverage?: null,
  reduce?: null,
  reduction?: Reduction,
  beta?: number,
  options?: SmoothL1LossOptions,
): Tensor;
export function smoothL1Loss(...args: unknown[]): Tensor {
  const a = bindLoss(SMOOTH_L1_LOSS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape('smoothL1Loss', input, target);
  const reduction = checkReduction('smoothL1Loss', a.reduction);
  const beta = checkNonNegative('smoothL1Loss', 'beta', a.beta, 1, false);
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
 * await huberLoss(tensor([0, 0]), tensor([0.5, 3]), 'none', 2).array(); // [0.125, 4]
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options?: HuberLossOptions): Tensor;
export function huberLoss(input: Tensor, target: Tensor, reduction?: Reduction, delta?: number, options?: HuberLossOptions): Tensor;
export function huberLoss(...args: unknown[]): Tensor {
  const a = bindLoss(HUBER_LOSS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape('huberLoss', input, target);
  const reduction = checkReduction('huberLoss', a.reduction);
  const delta = checkNonNegative('huberLoss', 'delta', a.delta, 1, true);
  return tidy(() => {
    const d = abs(sub(input, target));
    const loss = where(lt(d, delta), mul(square(d), 0.5), mul(sub(d, 0.5 * delta), delta));
    return applyReduction(loss, reduction);
  });
}
