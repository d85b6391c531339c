import { parseArgs, signature } from '../signature.js';
import { findBackendSync } from '../backend.js';
import { isFloating } from '../dtype.js';
import { assertTensor, castUntracked, fromArray, kernelTensor, runKernel } from '../engine.js';
import { isGradEnabled, noGrad } from '../autograd-core.js';
import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { NotSupportedError } from '../not-supported.js';

/**
 * Checks that `self` may be modified in place: in-place ops are not recorded for autodiff, so
 * (as PyTorch does for leaves) a tensor that requires grad can only be modified under `noGrad`.
 * @internal
 */
export function checkInplace(op: string, self: Tensor): void {
  assertTensor(op, self, 'self');
  if (self.requiresGrad && isGradEnabled()) {
    const what = self.isLeaf ? 'a leaf tensor that requires grad' : 'a tensor that is part of an autodiff graph';
    throw new Error(
      `${op}: ${what} cannot be modified in place while grad mode is on (in-place ops are not recorded); ` +
        `wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place op (e.g. x.${op.replace(/_$/, '')}(...))`,
    );
  }
}

/**
 * Writes `src` (broadcast to `dst`'s shape, cast to its dtype) through `dst`'s strides into its
 * shared storage. `src` may live on another backend when that backend can read synchronously.
 * @internal
 */
export function writeInto(op: string, dst: Tensor, src: Tensor, allowFloatToInt = true): void {
  if (dst.shape.some((d, i) => d > 1 && dst._strides[i] === 0)) {
    throw new Error(
      `${op}: more than one element of the tensor being written refers to a single memory location (it is an expanded view, shape ${formatShape(dst.shape)}); call .clone() first`,
    );
  }
  let source = src;
  let moved: Tensor | null = null;
  try {
    if (src.backendInstance !== dst.backendInstance) {
      const readSync = src.backendInstance.readSync;
      if (!readSync) {
        throw new NotSupportedError(
          op,
          src.backend,
          'sync-read',
          `${op}: cannot copy synchronously from backend '${src.backend}' to '${dst.backend}'; move it first with await toAsync(src, '${dst.backend}')`,
        );
      }
      moved = fromArray(findBackendSync(dst.backend), src.dataSync(), src.shape, src.dtype, true);
      source = moved;
    }
    const shape = broadcastShapes(op, dst.shape, source.shape);
    if (!shapesEqual(shape, dst.shape)) {
      throw new RangeError(
        `${op}: the result of shape ${formatShape(shape)} does not fit the tensor being modified in place, of shape ${formatShape(dst.shape)}; ` +
          'the other operand must broadcast to its shape',
      );
    }
    if (!allowFloatToInt && isFloating(source.dtype) && !isFloating(dst.dtype)) {
      throw new TypeError(`${op}: result type ${source.dtype} can't be cast to the desired output type ${dst.dtype}; convert the tensor with .float() first`);
    }
    const cast = castUntracked(op, source, dst.dtype);
    try {
      const backend = dst.backendInstance;
      runKernel(op, 'copy_', { backend, shape: dst.shape, dtype: dst.dtype }, kernelTensor(dst), kernelTensor(cast, dst.shape), {});
    } finally {
      if (cast !== source) cast.dispose();
    }
  } finally {
    moved?.dispose();
  }
}

/**
 * Computes `fn()` under noGrad (a fresh tensor), writes it into `self` and frees it.
 * @internal
 */
export function assignResult(op: string, self: Tensor, fn: () => Tensor, allowFloatToInt = false): Tensor {
  checkInplace(op, self);
  const r = noGrad(fn);
  try {
    writeInto(op, self, r, allowFloatToInt);
  } finally {
    r.dispose();
  }
  return self;
}

/** `Tensor.copy_(src, non_blocking=False)`. */
const COPY = signature('copy_', [], { unsupported: { nonBlocking: 'copies are synchronous; omit it' } });

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Copies the elements of `src` into this tensor in place (PyTorch's `copy_`), broadcasting
     * `src` to this tensor's shape and converting its dtype; writes through views into the shared
     * storage. `src` may be on another backend that can read synchronously. Returns `this`.
     *
     * @example
     * ```ts
     * import { zeros, tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = zeros([2, 2]);
     * x.copy_(tensor([1, 2]));
     * await x.array(); // [[1, 2], [1, 2]]
     * ```
     */
    copy_(src: Tensor): this;
  }
}
Tensor.prototype.copy_ = function <T extends Tensor>(this: T, src: Tensor, ...rest: unknown[]): T {
  parseArgs(COPY, rest);
  checkInplace('copy_', this);
  assertTensor('copy_', src, 'src');
  writeInto('copy_', this, src);
  return this;
};
