import type { TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';
import type { SubOptions } from '../ops/sub.js';
import { assignResult } from './copy_.js';
import '../ops/sub.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * In-place `this -= alpha * other` (broadcasting `other` to this tensor's shape); returns
     * `this`. Not recorded for autodiff: on a tensor that requires grad, use it inside `noGrad()`.
     *
     * @example
     * ```ts
     * import { tensor, noGrad } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const w = tensor([1, 2], { requiresGrad: true });
     * noGrad(() => w.sub_(tensor([0.5, 0.5]), { alpha: 2 }));
     * await w.array(); // [0, 1]
     * ```
     */
    sub_(other: TensorOrScalar, options?: SubOptions): this;
  }
}
Tensor.prototype.sub_ = function <T extends Tensor>(this: T, other: TensorOrScalar, ...rest: unknown[]): T {
  return assignResult('sub_', this, () => (this.sub as (...a: unknown[]) => Tensor)(other, ...rest)) as T;
};
