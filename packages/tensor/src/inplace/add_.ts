import type { TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import type { AddOptions } from '../ops/add.js';
import { assignResult } from './copy_.js';
import '../ops/add.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * In-place `this += alpha * other` (broadcasting `other` to this tensor's shape); writes
     * through views into the shared storage and returns `this`. Not recorded for autodiff: on a
     * tensor that requires grad, use it inside `noGrad()`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([1, 2]);
     * x.add_(1).add_(tensor([1, 1]), { alpha: 10 });
     * await x.array(); // [12, 13]
     * ```
     */
    add_(other: TensorOrScalar, options?: AddOptions): this;
  }
}
Tensor.prototype.add_ = function <T extends Tensor>(this: T, other: TensorOrScalar, ...rest: unknown[]): T {
  return assignResult('add_', this, () => (this.add as (...a: unknown[]) => Tensor)(other, ...rest)) as T;
};
