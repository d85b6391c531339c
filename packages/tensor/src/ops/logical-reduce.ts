/** The shared front-end of `any` and `all` (internal: not re-exported from the package index). */
import { assertTensor, decompose } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { parseArgs, signature } from '../signature.js';
import type { Tensor } from '../tensor.js';

const SIGS = { any: signature('any', ['dim', 'keepdim']), all: signature('all', ['dim', 'keepdim']) };

/**
 * `any`: whether some element is non-zero (NaN counts as non-zero, as in PyTorch); `all`: whether
 * every element is. Over every element (a 0-d bool) or along one `dim`. A decomposition into a
 * comparison and a sum, so it runs on every backend; never recorded (bool results).
 */
export function logicalReduce(op: 'any' | 'all', input: Tensor, args: readonly unknown[]): Tensor {
  assertTensor(op, input);
  const o = parseArgs(SIGS[op], args);
  const keepdim = o.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: expected keepdim to be a boolean, got ${String(keepdim)}`);
  if (o.dim !== undefined && o.dim !== null && typeof o.dim !== 'number') {
    throw new TypeError(`${op}: expected dim to be one integer (PyTorch 1.13 reduces one dim at a time), got ${JSON.stringify(o.dim)}`);
  }
  const dim = o.dim === undefined || o.dim === null ? null : normalizeDim(op, o.dim, input.ndim);
  return decompose(() => {
    // any: count the non-zero elements (NaN != 0); all: count the zeros
    const hits = op === 'any' ? input.ne(0) : input.eq(0);
    const count = dim === null ? hits.int().sum() : hits.int().sum(dim, keepdim);
    const r = op === 'any' ? count.gt(0) : count.eq(0);
    if (dim === null && keepdim) return r.reshape(input.shape.map(() => 1));
    return r;
  });
}
