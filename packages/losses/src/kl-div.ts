import { div, eq, exp, log, mul, sub, sum, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { applyReduction, bindLoss, checkReduction, checkSameShape } from './common.js';

const KL_DIV = signature('klDiv', ['input', 'target', 'sizeAverage', 'reduce', 'reduction', 'logTarget'], { required: 2 });

/** The reductions of {@link klDiv}. */
export type KLDivReduction = 'mean' | 'batchmean' | 'sum' | 'none';

/** Options of {@link klDiv}. */
export interface KLDivLossOptions {
  /** Deprecated in PyTorch: only `null` is accepted; use `reduction`. */
  sizeAverage?: null;
  /** Deprecated in PyTorch: only `null` is accepted; use `reduction`. */
  reduce?: null;
  /**
   * `'mean'` (default, PyTorch's: the mean over every element), `'batchmean'` (the sum divided
   * by the batch size `input.shape[0]`: the mathematically correct KL divergence), `'sum'`, `'none'`.
   */
  reduction?: KLDivReduction;
  /** `true`: `target` holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence with `input` holding log-probabilities:
 * `target·(log(target) - input)` (0 where `target = 0`), or `exp(target)·(target - input)` with
 * `logTarget`. Input and target must have the same shape.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { klDiv } from '@tensorgrad/losses';
 * const logq = tensor([[-1, -1], [-2, -2]]);
 * const p = tensor([[0.5, 0.5], [1, 0]]);
 * await klDiv(logq, p, { reduction: 'none' }).array(); // [[0.1534264, 0.1534264], [2, 0]]
 * await klDiv(logq, p, { reduction: 'batchmean' }).item(); // 1.1534264
 * await klDiv(logq, p, null, null, 'batchmean').item(); // 1.1534264
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options?: KLDivLossOptions): Tensor;
export function klDiv(input: Tensor, target: Tensor, sizeAverage?: null, reduce?: null, reduction?: KLDivReduction, logTarget?: boolean, options?: KLDivLossOptions): Tensor;
export function klDiv(...args: unknown[]): Tensor {
  const op = 'klDiv';
  const a = bindLoss(KL_DIV, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, a.reduction, ['mean', 'batchmean', 'sum', 'none'] as const);
  if (reduction === 'batchmean' && input.ndim === 0) {
    throw new RangeError(`${op}: reduction 'batchmean' needs a batch dimension, got a 0-d input; use 'sum' or 'mean'`);
  }
  return tidy(() => {
    let loss: Tensor;
    if (a.logTarget === true) {
      loss = mul(exp(target), sub(target, input));
    } else {
      // xlogy(t, t) - t·x: t·log(t) is 0 where t = 0
      const safe = where(eq(target, 0), 1, target);
      loss = sub(mul(target, log(safe)), mul(target, input));
    }
    if (reduction === 'batchmean') return div(sum(loss), input.shape[0]!);
    return applyReduction(loss, reduction);
  });
}
