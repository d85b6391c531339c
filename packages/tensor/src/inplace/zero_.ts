import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { fillInPlace } from './fill_.js';

/** `Tensor.zero_()`: no arguments. */
const ZERO = signature('zero_', []);

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Sets every element to zero in place; returns `this`.
     *
     * @example
     * ```ts
     * import { ones } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await ones([2]).zero_().array(); // [0, 0]
     * ```
     */
    zero_(): this;
  }
}
Tensor.prototype.zero_ = function <T extends Tensor>(this: T, ...rest: unknown[]): T {
  parseArgs(ZERO, rest);
  return fillInPlace('zero_', this, 0) as T;
};
