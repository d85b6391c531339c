import { assertTensor, decompose, sameBackend, scalarTensor } from '../engine.js';
import { broadcastShapes, formatShape, shapeSize, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cat } from '../ops/cat.js';
import { countNonzeroSync, nonzeroStatic } from '../ops/nonzero.js';
import { indexPut } from '../ops/index-put.js';
import { assignResult } from './copy_.js';
import '../ops/expand.js';
import '../ops/reshape.js';
import '../ops/slice.js';

/**
 * `input` with its positions where `mask` is true filled, in row-major order, from the first
 * elements of `source` (not recorded). On backends that can read synchronously, `source` must
 * have at least as many elements as `mask` has true elements; elsewhere the count is not read
 * back and positions past `source`'s length keep their values.
 * @internal
 */
export function maskedScatterValue(op: string, input: Tensor, mask: Tensor, source: Tensor, exact: boolean): Tensor {
  assertTensor(op, mask, 'mask');
  assertTensor(op, source, 'source');
  sameBackend(op, [input, mask, source], ['input', 'mask', 'source']);
  if (mask.dtype !== 'bool') {
    throw new TypeError(`${op}: expected mask to be a bool tensor, got ${mask.dtype}; build it with a comparison (x.gt(0)) or convert it with .bool()`);
  }
  const shape = broadcastShapes(op, input.shape, mask.shape);
  if (!shapesEqual(shape, input.shape)) {
    throw new RangeError(`${op}: mask of shape ${formatShape(mask.shape)} cannot be broadcast to the input's shape ${formatShape(input.shape)}; the mask may only broadcast, not the input`);
  }
  const n = shapeSize(input.shape);
  const l = source.numel();
  return decompose(() => {
    const flatMask = mask.expand([...shape]).reshape([n]);
    let size = Math.min(l, n);
    if (input.backendInstance.readSync) {
      const count = countNonzeroSync(op, flatMask, '');
      if (exact ? count !== l && l !== 1 : count > l) {
        throw new RangeError(
          exact
            ? `${op}: shape mismatch: value tensor of shape ${formatShape(source.shape)} cannot be broadcast to the indexing result of shape [${count}] (the mask has ${count} true elements)`
            : `${op}: expected source to have at least ${count} elements (the number of true mask elements), got ${l} (shape ${formatShape(source.shape)})`,
        );
      }
      size = count;
    }
    // padding rows (past the count) point at one extra element that is dropped afterwards
    const pos = nonzeroStatic(flatMask, { size, fillValue: n }).reshape([size]);
    const extended = cat([input.reshape([n]), scalarTensor(0, input.dtype, input.backendInstance).reshape([1])]);
    const values = l === 1 && exact ? source.reshape([]) : source.reshape([l]).slice(0, 0, size);
    return indexPut(extended, [pos], values).slice(0, 0, n).reshape([...input.shape]);
  });
}

declare module '../tensor.js' {
  interface Tensor {
    /**
     * In-place PyTorch `x.masked_scatter_(mask, source)`: the positions where the bool `mask`
     * (broadcast to this tensor's shape) is true are filled, in row-major order, from the first
     * elements of `source` (read in row-major order, converted to this tensor's dtype). On
     * backends that can read synchronously, `source` must have at least as many elements as the
     * mask has true elements (PyTorch's check); on asynchronous backends (WebGPU) the count is
     * not read back, so that check is skipped and positions past `source`'s length keep their
     * values. Not recorded: throws on a tensor that requires grad unless under `noGrad()`.
     * Returns `this`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([[1, 2], [3, 4]]);
     * x.maskedScatter_(x.gt(1), tensor([10, 20, 30, 40]));
     * await x.array(); // [[1, 10], [20, 30]]
     * ```
     */
    maskedScatter_(mask: Tensor, source: Tensor): this;
  }
}
Tensor.prototype.maskedScatter_ = function <T extends Tensor>(this: T, mask: Tensor, source: Tensor): T {
  return assignResult('maskedScatter_', this, () => maskedScatterValue('maskedScatter_', this, mask, source, false), true) as T;
};
