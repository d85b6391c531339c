import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link squeeze}. */
export interface SqueezeOptions {
  /** The dimension(s) to remove when they have size 1; absent = every size-1 dimension. */
  dim?: number | readonly number[] | null;
}

/** `torch.squeeze(input, dim=None)`. */
const SIG = signature('squeeze', ['dim']);

/**
 * A view of `input` without size-1 dimensions: all of them, or only `dim` (a dimension whose size
 * is not 1 is left alone, like PyTorch).
 *
 * @example
 * ```ts
 * import { zeros, squeeze } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = zeros([3, 1, 4, 1]);
 * squeeze(x).shape; // [3, 4]
 * x.squeeze(1).shape; // [3, 4, 1]
 * squeeze(x, { dim: 0 }).shape; // [3, 1, 4, 1]
 * ```
 */
export function squeeze(input: Tensor, dim?: number | readonly number[] | SqueezeOptions | null): Tensor;
export function squeeze(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('squeeze', input);
  const arg = parseArgs(SIG, args).dim;
  const dim = arg;
  const nd = input.ndim;
  let candidates: number[];
  if (arg === undefined || arg === null) {
    candidates = input.shape.map((_, i) => i);
  } else {
    const list = typeof arg === 'number' ? [arg] : Array.isArray(arg) ? (arg as number[]) : null;
    if (!list) throw new TypeError(`squeeze: expected dim as an integer, a list of integers or { dim }, got ${JSON.stringify(dim)}`);
    candidates = list.map((d) => normalizeDim('squeeze', d, nd));
  }
  const removed = [...new Set(candidates.filter((d) => d < nd && input.shape[d] === 1))].sort((a, b) => a - b);
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < nd; i++) {
    if (removed.includes(i)) continue;
    shape.push(input.shape[i]!);
    strides.push(input._strides[i]!);
  }
  const out = input._view(shape, strides, input._offset);
  record('squeeze', [input], { dim: removed }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link squeeze}: `x.squeeze()`, `x.squeeze(1)`. */
    squeeze(dim?: number | readonly number[] | SqueezeOptions | null): Tensor;
  }
}
Tensor.prototype.squeeze = function (this: Tensor, ...args: unknown[]): Tensor {
  return (squeeze as (...a: unknown[]) => Tensor)(this, ...args);
};
