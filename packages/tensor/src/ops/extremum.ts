/**
 * The shared front-ends of `max`/`min` and `argmax`/`argmin` (internal: not re-exported from the
 * package index).
 */
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape, normalizeDim, reducedShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { parseArgs, signature, type Signature } from '../signature.js';
import { valuesIndices, type ValuesIndices } from '../values-indices.js';

// `torch.max(input, dim, keepdim=False)` and friends; `argmax(input, dim=None, keepdim=False)`
const SIGS: Record<'max' | 'min' | 'argmax' | 'argmin', Signature<'dim' | 'keepdim'>> = {
  max: signature('max', ['dim', 'keepdim']),
  min: signature('min', ['dim', 'keepdim']),
  argmax: signature('argmax', ['dim', 'keepdim']),
  argmin: signature('argmin', ['dim', 'keepdim']),
};

/** `max`/`min` (which selects the kernel, the messages and the recorded op). */
export function extremum(op: 'max' | 'min', input: Tensor, args: readonly unknown[]): Tensor | ValuesIndices {
  assertTensor(op, input);
  if (args[0] instanceof Tensor) {
    throw new TypeError(
      `${op}: the element-wise form ${op}(a, b) is not supported; use where(a.${op === 'max' ? 'ge' : 'le'}(b), a, b)`,
    );
  }
  const a = parseArgs(SIGS[op], args);
  const dimArg = a.dim;
  const keepdim = a.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: expected keepdim to be a boolean, got ${String(keepdim)}`);
  const backend = input.backendInstance;
  if (dimArg === undefined || dimArg === null) {
    if (input.numel() === 0) {
      throw new RangeError(
        `${op}: cannot reduce an empty tensor (shape ${formatShape(input.shape)}) without a dim; pass a dim whose size is non-zero, e.g. ${op}(x, { dim: 1 })`,
      );
    }
    const ctx = { backend, shape: [], dtype: input.dtype } as const;
    const [v, i] = runKernel(op, op, ctx, kernelTensor(input), { dim: null, keepdim: false });
    backend.free(i.handle);
    const values = wrapResult(backend, v);
    record(op, [input], { dim: null, keepdim: false }, [values]);
    return values;
  }
  if (typeof dimArg !== 'number') {
    throw new TypeError(`${op}: expected dim to be an integer (one dim), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
  }
  const dim = normalizeDim(op, dimArg, input.ndim);
  if (input.ndim > 0 && input.shape[dim] === 0) {
    throw new RangeError(`${op}: expected reduction dim ${dim} to have non-zero size, got shape ${formatShape(input.shape)}`);
  }
  const ctx = { backend, shape: reducedShape(input.shape, dim, keepdim), dtype: input.dtype };
  const [v, i] = runKernel(op, op, ctx, kernelTensor(input), { dim, keepdim });
  const values = wrapResult(backend, v);
  const indices = wrapResult(backend, i);
  record(op, [input], { dim, keepdim }, [values, indices]);
  return valuesIndices(values, indices);
}

/** `argmax`/`argmin`. */
export function argExtremum(op: 'argmax' | 'argmin', input: Tensor, args: readonly unknown[]): Tensor {
  assertTensor(op, input);
  const a = parseArgs(SIGS[op], args);
  const dimArg = a.dim;
  const keepdim = a.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: expected keepdim to be a boolean, got ${String(keepdim)}`);
  let dim: number | null = null;
  if (dimArg === undefined || dimArg === null) {
    if (input.numel() === 0) {
      throw new RangeError(
        `${op}: cannot reduce an empty tensor (shape ${formatShape(input.shape)}) without a dim; pass a dim whose size is non-zero`,
      );
    }
  } else {
    if (typeof dimArg !== 'number') {
      throw new TypeError(`${op}: expected dim to be an integer (one dim), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
    }
    dim = normalizeDim(op, dimArg, input.ndim);
    if (input.ndim > 0 && input.shape[dim] === 0) {
      throw new RangeError(`${op}: expected reduction dim ${dim} to have non-zero size, got shape ${formatShape(input.shape)}`);
    }
  }
  const backend = input.backendInstance;
  const ctx = { backend, shape: reducedShape(input.shape, dim, keepdim), dtype: 'int32' } as const;
  return wrapResult(backend, runKernel(op, op, ctx, kernelTensor(input), { dim, keepdim }));
}

