/**
 * The shared front-end of `sort`, `argsort`, `topk` and `unique` (internal: not re-exported from
 * the package index): argument checks and the `sort` kernel.
 */
import { parseArgs, signature } from '../signature.js';
import { kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { valuesIndices, type ValuesIndices } from '../values-indices.js';

/** `torch.sort(input, dim=-1, descending=False, *, stable=False)`. */
const SORT_SIGNATURE = signature('sort', ['dim', 'descending', 'stable'], { keywordOnly: ['stable'] });

/** Validated `sort`/`argsort` arguments. */
export function sortArgs(op: string, input: Tensor, args: readonly unknown[]): { dim: number; descending: boolean; stable: boolean } {
  const o = parseArgs({ ...SORT_SIGNATURE, name: op }, args);
  const dimArg = o.dim ?? -1;
  if (typeof dimArg !== 'number' || !Number.isInteger(dimArg)) {
    throw new TypeError(`${op}: expected dim to be an integer, got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
  }
  const descending = o.descending ?? false;
  const stable = o.stable ?? false;
  if (typeof descending !== 'boolean') throw new TypeError(`${op}: expected descending to be a boolean, got ${String(descending)}`);
  if (typeof stable !== 'boolean') throw new TypeError(`${op}: expected stable to be a boolean, got ${String(stable)}`);
  return { dim: normalizeDim(op, dimArg, input.ndim), descending, stable };
}

/** Runs the `sort` kernel and records `sort` (no argument checks). */
export function sortKernel(input: Tensor, attrs: { dim: number; descending: boolean; stable: boolean }): ValuesIndices {
  const backend = input.backendInstance;
  const [v, i] = runKernel('sort', 'sort', { backend, shape: input.shape, dtype: input.dtype }, kernelTensor(input), attrs);
  const values = wrapResult(backend, v);
  const indices = wrapResult(backend, i);
  record('sort', [input], attrs, [values, indices]);
  return valuesIndices(values, indices);
}

