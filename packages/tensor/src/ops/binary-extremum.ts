/** The shared front-end of `maximum` and `minimum` (internal: not re-exported from the package index). */
import { assertTensor, decompose, record, resultTypeOf, sameBackend } from '../engine.js';
import { parseArgs, signature } from '../signature.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { where } from './where.js';

const SIGS = { maximum: signature('maximum', []), minimum: signature('minimum', []) };

/**
 * Element-wise `maximum`/`minimum` of two broadcast tensors in their promoted dtype, NaN
 * propagating from either side (as PyTorch). A decomposition into comparisons and `where`, so it
 * runs on every backend; recorded as one op (its rule splits the gradient in half on ties).
 */
export function binaryExtremum(op: 'maximum' | 'minimum', input: Tensor, other: Tensor, rest: readonly unknown[]): Tensor {
  parseArgs(SIGS[op], rest);
  for (const [v, name] of [[input, 'input'], [other, 'other']] as const) {
    if (!(v instanceof Tensor)) {
      const hint = typeof v === 'number' ? `; for a number use ${op === 'maximum' ? 'clamp(x, { min: v })' : 'clamp(x, { max: v })'} or wrap it with tensor(v)` : '';
      throw new TypeError(`${op}: expected ${name} to be a Tensor, got ${v === null ? 'null' : typeof v}${hint}`);
    }
  }
  assertTensor(op, input);
  assertTensor(op, other, 'other');
  sameBackend(op, [input, other], ['input', 'other']);
  const dtype = resultTypeOf(input, other);
  if (dtype === 'bool') throw new TypeError(`${op}: not supported for two bool tensors; convert them with .int() first`);
  broadcastShapes(op, input.shape, other.shape);
  const out = decompose(() => {
    const a = input.dtype === dtype ? input : input.to(dtype);
    const b = other.dtype === dtype ? other : other.to(dtype);
    // a NaN in `a` wins through the outer where, a NaN in `b` because the comparison is false
    const pick = op === 'maximum' ? a.gt(b) : a.lt(b);
    return where(a.ne(a), a, where(pick, a, b));
  });
  record(op, [input, other], {}, [out]);
  return out;
}
