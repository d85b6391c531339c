import { parseArgs, signature } from '../signature.js';
import type { TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import { assignResult } from './copy_.js';
import '../ops/mul.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * In-place `this *= other` (broadcasting `other` to this tensor's shape); returns `this`. Not
     * recorded for autodiff: on a tensor that requires grad, use it inside `noGrad()`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([[1, 2], [3, 4]]);
     * x.mul_(tensor([10, 100]));
     * await x.array(); // [[10, 200], [30, 400]]
     * ```
     */
    mul_(other: TensorOrScalar): this;
  }
}
Tensor.prototype.mul_ = function <T extends Tensor>(this: T, other: TensorOrScalar, ...rest: unknown[]): T {
  return assignResult('mul_', this, () => (this.mul as (...a: unknown[]) => Tensor)(other, ...rest)) as T;
};
