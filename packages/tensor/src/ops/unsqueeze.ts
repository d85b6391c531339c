import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link unsqueeze}. */
export interface UnsqueezeOptions {
  /** Where the new size-1 dimension goes (negative counts from the end, `-1` = last). */
  dim: number;
}

function parseDim(op: string, d: unknown): number {
  if (typeof d !== 'number' || !Number.isInteger(d)) {
    throw new TypeError(`${op}: expected dim as an integer or { dim }, got ${JSON.stringify(d)}`);
  }
  return d;
}

/** `torch.unsqueeze(input, dim)`. */
const SIG = signature('unsqueeze', ['dim'], { required: 1 });

/**
 * A view of `input` with a new size-1 dimension inserted at `dim` (in `[-ndim-1, ndim]`).
 *
 * @example
 * ```ts
 * import { tensor, unsqueeze } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2, 3]);
 * unsqueeze(x, 0).shape; // [1, 3]
 * x.unsqueeze(-1).shape; // [3, 1]
 * unsqueeze(x, { dim: 1 }).shape; // [3, 1]
 * ```
 */
export function unsqueeze(input: Tensor, dim: number | UnsqueezeOptions): Tensor;
export function unsqueeze(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('unsqueeze', input);
  const nd = input.ndim;
  const d = normalizeDim('unsqueeze', parseDim('unsqueeze', parseArgs(SIG, args).dim), nd + 1);
  const shape = [...input.shape];
  const strides = [...input._strides];
  const stride = d >= nd ? 1 : shape[d]! * strides[d]!;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  const out = input._view(shape, strides, input._offset);
  record('unsqueeze', [input], { dim: d }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link unsqueeze}: `x.unsqueeze(0)`. */
    unsqueeze(dim: number | UnsqueezeOptions): Tensor;
  }
}
Tensor.prototype.unsqueeze = function (this: Tensor, ...args: unknown[]): Tensor {
  return (unsqueeze as (...a: unknown[]) => Tensor)(this, ...args);
};
