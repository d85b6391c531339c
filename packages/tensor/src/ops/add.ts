import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import { mul } from './mul.js';

/** Options of {@link add}. */
export interface AddOptions {
  /** Multiplier of `other` (PyTorch's `alpha`). Default 1. */
  alpha?: number;
}

/** `torch.add(input, other, *, alpha=1)`. */
const SIG = signature('add', ['alpha'], { keywordOnly: ['alpha'] });

/**
 * Element-wise `input + alpha * other`, broadcasting like PyTorch; either operand may be a number.
 *
 * @example
 * ```ts
 * import { tensor, add } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await add(tensor([1, 2]), tensor([[10], [20]])).array(); // [[11, 12], [21, 22]]
 * await tensor([1, 2]).add(1, { alpha: 2 }).array(); // [3, 4]
 * ```
 */
export function add(input: TensorOrScalar, other: TensorOrScalar, options?: AddOptions): Tensor;
export function add(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  const alpha = parseArgs(SIG, rest).alpha ?? 1;
  if (typeof alpha !== 'number') throw new TypeError(`add: expected alpha to be a number, got ${typeof alpha}`);
  if (alpha !== 1) {
    if (typeof other === 'number') return binaryOp('add', input, other * alpha, {}, 'arith');
    const scaled = mul(other, alpha);
    try {
      return binaryOp('add', input, scaled, {}, 'arith');
    } finally {
      scaled.dispose();
    }
  }
  return binaryOp('add', input, other, {}, 'arith');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link add}. */
    add(other: TensorOrScalar, options?: AddOptions): Tensor;
  }
}
Tensor.prototype.add = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (add as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
