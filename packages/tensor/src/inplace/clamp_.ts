import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import type { ClampOptions } from '../ops/clamp.js';
import { assignResult } from './copy_.js';
import '../ops/clamp.js';

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Clamps every element into `[min, max]` in place (`x.clamp_(min, max)` or
     * `x.clamp_({ min, max })`); returns `this`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([-2, 0.5, 3]);
     * x.clamp_(-1, 1);
     * await x.array(); // [-1, 0.5, 1]
     * ```
     */
    clamp_(options?: ClampOptions): this;
    clamp_(min?: number | null, max?: number | null): this;
  }
}
Tensor.prototype.clamp_ = function <T extends Tensor>(this: T, ...args: unknown[]): T {
  return assignResult('clamp_', this, () => (this.clamp as (...a: unknown[]) => Tensor)(...args)) as T;
};
