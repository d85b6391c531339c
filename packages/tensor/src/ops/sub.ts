import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import { mul } from './mul.js';

/** Options of {@link sub}. */
export interface SubOptions {
  /** Multiplier of `other` (PyTorch's `alpha`). Default 1. */
  alpha?: number;
}

/** `torch.sub(input, other, *, alpha=1)`. */
const SIG = signature('sub', ['alpha'], { keywordOnly: ['alpha'] });

/**
 * Element-wise `input - alpha * other`, broadcasting like PyTorch; either operand may be a
 * number. Not defined for two bool operands.
 *
 * @example
 * ```ts
 * import { tensor, sub } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sub(tensor([[10], [20]]), tensor([1, 2])).array(); // [[9, 8], [19, 18]]
 * await tensor([5, 6]).sub(1, { alpha: 2 }).array(); // [3, 4]
 * ```
 */
export function sub(input: TensorOrScalar, other: TensorOrScalar, options?: SubOptions): Tensor;
export function sub(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  const alpha = parseArgs(SIG, rest).alpha ?? 1;
  if (typeof alpha !== 'number') throw new TypeError(`sub: expected alpha to be a number, got ${typeof alpha}`);
  if (alpha !== 1) {
    if (typeof other === 'number') return binaryOp('sub', input, other * alpha, {}, 'arith');
    const scaled = mul(other, alpha);
    try {
      return binaryOp('sub', input, scaled, {}, 'arith');
    } finally {
      scaled.dispose();
    }
  }
  return binaryOp('sub', input, other, {}, 'arith');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sub}. */
    sub(other: TensorOrScalar, options?: SubOptions): Tensor;
  }
}
Tensor.prototype.sub = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (sub as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
