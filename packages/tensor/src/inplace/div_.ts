import type { TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import type { DivOptions } from '../ops/div.js';
import { assignResult } from './copy_.js';
import '../ops/div.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * In-place `this /= other` (broadcasting `other` to this tensor's shape); returns `this`.
     * True division of an integer tensor gives floats, which cannot be stored in place (as in
     * PyTorch): use `{ roundingMode: 'trunc' | 'floor' }` or convert with `.float()` first. Not
     * recorded for autodiff: on a tensor that requires grad, use it inside `noGrad()`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([2, 5]);
     * x.div_(2);
     * await x.array(); // [1, 2.5]
     * ```
     */
    div_(other: TensorOrScalar, options?: DivOptions): this;
  }
}
Tensor.prototype.div_ = function <T extends Tensor>(this: T, other: TensorOrScalar, ...rest: unknown[]): T {
  return assignResult('div_', this, () => (this.div as (...a: unknown[]) => Tensor)(other, ...rest)) as T;
};
