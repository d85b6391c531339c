import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { fillNormal } from '../creation/rand.js';
import type { RandomFillOptions } from '../random.js';
import { fillRandomInPlace } from './uniform_.js';

/** `Tensor.normal_(mean=0, std=1, *, generator=None)`. */
const NORMAL = signature('normal_', ['mean', 'std', 'generator'], { keywordOnly: ['generator'] });

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Fills this floating-point tensor in place with normal samples of mean `mean` (default 0)
     * and standard deviation `std` (default 1), drawn from `options.generator` or the global
     * generator; returns `this`. The values are PyTorch's `normal_` for the same generator state
     * (its vectorised path for contiguous tensors of 16 or more elements, the scalar one otherwise).
     *
     * @example
     * ```ts
     * import { zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const w = zeros([4]).normal_(0, 0.01);
     * ```
     */
    normal_(mean?: number, std?: number, options?: RandomFillOptions): this;
  }
}
Tensor.prototype.normal_ = function <T extends Tensor>(this: T, ...args: unknown[]): T {
  const { mean = 0, std = 1, generator } = parseArgs(NORMAL, args) as { mean?: number; std?: number } & RandomFillOptions;
  const options = { generator };
  if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new TypeError(`normal_: expected mean to be a finite number, got ${String(mean)}`);
  if (typeof std !== 'number' || !(std >= 0) || std === Infinity) {
    throw new RangeError(`normal_: expects std >= 0.0, got std=${String(std)}`);
  }
  return fillRandomInPlace('normal_', this, options.generator, (d, g) => fillNormal(d, g, mean, std, this.isContiguous())) as T;
};
