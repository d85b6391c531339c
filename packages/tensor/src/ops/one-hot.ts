import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, runKernel, wrapResult } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { NotSupportedError } from '../not-supported.js';

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** Number of classes (absent or -1: the largest class value + 1). */
  numClasses?: number;
}

/** `F.one_hot(tensor, num_classes=-1)`. */
const SIG = signature('oneHot', ['numClasses']);

/**
 * One-hot encoding of int32 class indices: an int32 tensor of shape `[...indices.shape,
 * numClasses]` with a 1 at each class position. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor, oneHot } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const y = tensor([0, 2], { dtype: 'int32' });
 * await oneHot(y).array(); // [[1, 0, 0], [0, 0, 1]]
 * oneHot(y, { numClasses: 4 }).shape; // [2, 4]
 * ```
 */
export function oneHot(indices: Tensor, options?: OneHotOptions | number): Tensor;
export function oneHot(indices: Tensor, ...args: unknown[]): Tensor {
  assertTensor('oneHot', indices, 'indices');
  const given = (parseArgs(SIG, args).numClasses ?? -1) as number;
  if (indices.dtype !== 'int32') {
    throw new TypeError(`oneHot: expected an int32 tensor of class indices, got ${indices.dtype}; convert it with .int()`);
  }
  if (!Number.isInteger(given) || given < -1) throw new RangeError(`oneHot: numClasses must be a non-negative integer (or -1 to infer), got ${given}`);
  const b = indices.backendInstance;
  let numClasses = given;
  if (b.readSync && indices.numel() > 0) {
    const v = indices.dataSync();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < lo) lo = v[i]!;
      if (v[i]! > hi) hi = v[i]!;
    }
    if (lo < 0) throw new RangeError(`oneHot: class values must be non-negative, got ${lo}`);
    if (numClasses === -1) numClasses = hi + 1;
    else if (hi >= numClasses) throw new RangeError(`oneHot: class value ${hi} is out of range for numClasses ${numClasses}; expected values in [0, ${numClasses - 1}]`);
  } else if (numClasses === -1) {
    if (indices.numel() === 0) throw new Error('oneHot: cannot infer the number of classes from an empty tensor; pass { numClasses }');
    throw new NotSupportedError('oneHot', b.name, 'sync-read', `oneHot: cannot infer the number of classes on backend '${b.name}' (no synchronous read); pass { numClasses }`);
  }
  return wrapResult(b, runKernel('oneHot', 'oneHot', { backend: b, shape: [...indices.shape, numClasses], dtype: 'int32' }, kernelTensor(indices), { numClasses }));
}
