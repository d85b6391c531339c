import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link maskedFill}. */
export interface MaskedFillOptions {
  /** The fill value (may be `-Infinity`, e.g. for attention masks). */
  value: number | boolean;
}

/** `torch.masked_fill(input, mask, value)`. */
const SIG = signature('maskedFill', ['value'], { required: 1 });

/**
 * A copy of `input` with `value` wherever the bool `mask` (broadcast to `input`'s shape) is true:
 * PyTorch's `masked_fill`. The value is converted to `input`'s dtype. Differentiable in `input`
 * (masked positions get zero gradient).
 *
 * @example
 * ```ts
 * import { tensor, maskedFill } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await maskedFill(x, tensor([true, false]), 0).array(); // [[0, 2], [0, 4]]
 * await x.maskedFill(x.gt(2), { value: -Infinity }).array(); // [[1, 2], [-Infinity, -Infinity]]
 * ```
 */
export function maskedFill(input: Tensor, mask: Tensor, value: number | boolean | MaskedFillOptions): Tensor;
export function maskedFill(input: Tensor, mask: Tensor, ...args: unknown[]): Tensor {
  assertTensor('maskedFill', input);
  assertTensor('maskedFill', mask, 'mask');
  const v = parseArgs(SIG, args).value;
  if (typeof v !== 'number' && typeof v !== 'boolean') {
    throw new TypeError(
      `maskedFill: expected value to be a number (or { value: number }), got ${v instanceof Tensor ? 'a Tensor (pass a number, e.g. await t.item())' : v === null ? 'null' : typeof v}`,
    );
  }
  if (mask.dtype !== 'bool') {
    throw new TypeError(`maskedFill: expected mask to be a bool tensor, got ${mask.dtype}; build it with a comparison (x.gt(0)) or convert it with .bool()`);
  }
  const backend = sameBackend('maskedFill', [input, mask], ['input', 'mask']);
  const shape = broadcastShapes('maskedFill', input.shape, mask.shape);
  if (!shapesEqual(shape, input.shape)) {
    throw new RangeError(
      `maskedFill: mask of shape ${formatShape(mask.shape)} cannot be broadcast to the input's shape ${formatShape(input.shape)}; the mask may only broadcast, not the input`,
    );
  }
  const attrs = { value: Number(v) };
  const ctx = { backend, shape: input.shape, dtype: input.dtype };
  const out = wrapResult(backend, runKernel('maskedFill', 'maskedFill', ctx, kernelTensor(input), kernelTensor(mask, shape), attrs));
  record('maskedFill', [input, mask], attrs, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link maskedFill}. */
    maskedFill(mask: Tensor, value: number | boolean | MaskedFillOptions): Tensor;
  }
}
Tensor.prototype.maskedFill = function (this: Tensor, mask: Tensor, ...args: unknown[]): Tensor {
  return (maskedFill as (...a: unknown[]) => Tensor)(this, mask, ...args);
};
