import { parseArgs, signature } from '../signature.js';
import { assertTensor, fromArray, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import './index-select.js';

/** Options of {@link pad}. */
export interface PadOptions {
  /** Padding in PyTorch order: last dimension first, `[left, right, top, bottom, …]`; negative values crop. */
  pad?: readonly number[];
  /**
   * `'constant'` (default) fills with `value`; `'reflect'` mirrors the input without repeating the
   * edge, `'replicate'` repeats the edge, `'circular'` wraps around. The non-constant modes pad
   * the last 1, 2 or 3 dims of a 2-D/3-D, 3-D/4-D or 4-D/5-D input, as PyTorch's.
   */
  mode?: PadMode;
  /** The fill value of `'constant'` mode (default 0); the other modes take none. */
  value?: number;
}

/** The padding modes of {@link pad} (PyTorch's `F.pad` modes). */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

const MODES: readonly string[] = ['constant', 'reflect', 'replicate', 'circular'];

/** `F.pad(input, pad, mode='constant', value=None)`. */
const SIG = signature('pad', ['pad', 'mode', 'value'], { required: 1 });

/**
 * Pads (or, with negative values, crops) the last dimensions of `input`, like
 * `torch.nn.functional.pad`: `pad` lists `[left, right]` for the last dimension, then the one
 * before it, and so on. `mode` picks what fills the border: a constant `value` (default), the
 * input mirrored at its edges (`'reflect'`: each padding must be smaller than its dim), the
 * edge values repeated (`'replicate'`) or the other end of the input (`'circular'`). The
 * non-constant modes are gathers along each padded dim, so they are differentiable on every
 * backend.
 *
 * @example
 * ```ts
 * import { tensor, pad } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await pad(x, [1, 0]).array(); // [[0, 1, 2], [0, 3, 4]]
 * await pad(x, [0, 0, 1, 0], { value: 9 }).array(); // [[9, 9], [1, 2], [3, 4]]
 * await pad(x, { pad: [-1, 0] }).array(); // [[2], [4]]
 * const row = tensor([[[0, 1, 2, 3]]]);
 * await pad(row, [2, 1], { mode: 'reflect' }).array(); // [[[2, 1, 0, 1, 2, 3, 2]]]
 * await pad(row, [2, 1], { mode: 'replicate' }).array(); // [[[0, 0, 0, 1, 2, 3, 3]]]
 * await pad(row, [2, 1], { mode: 'circular' }).array(); // [[[2, 3, 0, 1, 2, 3, 0]]]
 * ```
 */
export function pad(input: Tensor, options: PadOptions & { pad: readonly number[] }): Tensor;
export function pad(input: Tensor, pad: readonly number[], options?: PadOptions): Tensor;
export function pad(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('pad', input);
  const o = parseArgs(SIG, args) as PadOptions;
  const p = o.pad;
  if (!Array.isArray(p) || !p.every((v) => Number.isInteger(v))) {
    throw new TypeError(`pad: expected pad as an array of integers ([left, right, top, bottom, …]), got ${JSON.stringify(p)}`);
  }
  if (p.length % 2 !== 0) throw new RangeError(`pad: padding length must be divisible by 2 (pairs of [before, after]), got ${p.length} values`);
  if (p.length / 2 > input.ndim) {
    throw new RangeError(`pad: padding length ${p.length} is too large for a ${input.ndim}-d tensor; at most ${2 * input.ndim} values (2 per dimension)`);
  }
  const mode = o.mode ?? 'constant';
  if (typeof mode !== 'string' || !MODES.includes(mode)) {
    throw new RangeError(`pad: expected mode to be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  if (mode !== 'constant') return padNonConstant(input, p, mode as Exclude<PadMode, 'constant'>, o.value);
  const value = o.value ?? 0;
  if (typeof value !== 'number') throw new TypeError(`pad: expected value to be a number, got ${String(value)}`);
  const nd = input.ndim;
  for (let k = 0; k < p.length / 2; k++) {
    const d = nd - 1 - k;
    const size = input.shape[d]! + p[2 * k]! + p[2 * k + 1]!;
    if (size < 0) {
      throw new RangeError(
        `pad: the input size ${input.shape[d]} at dimension ${d} plus padding ${p[2 * k]} and ${p[2 * k + 1]} gives a negative size ${size} (input ${formatShape(input.shape)})`,
      );
    }
  }
  const padList = [...p];
  const shape = input.shape.map((size, d) => (d >= nd - p.length / 2 ? size + p[2 * (nd - 1 - d)]! + p[2 * (nd - 1 - d) + 1]! : size));
  const bk = input.backendInstance;
  const attrs = { pad: padList, mode: 'constant', value } as const;
  const out = wrapResult(bk, runKernel('pad', 'pad', { backend: bk, shape, dtype: input.dtype }, kernelTensor(input), attrs));
  record('pad', [input], attrs, [out]);
  return out;
}

// The source index along one dim of each output position, for the non-constant modes (PyTorch's
// reflection/replication kernels index the uncropped input; circular padding crops first, then
// wraps around what is left, as PyTorch 1.13's _pad_circular).
function sourceIndex(mode: Exclude<PadMode, 'constant'>, size: number, before: number, after: number): number[] {
  if (mode === 'circular') {
    const lo = Math.max(-before, 0);
    const kept = size - lo - Math.max(-after, 0);
    const padL = Math.max(before, 0);
    return Array.from({ length: kept + padL + Math.max(after, 0) }, (_, j) => lo + ((((j - padL) % kept) + kept) % kept));
  }
  return Array.from({ length: size + before + after }, (_, j) => {
    const i = j - before;
    if (mode === 'replicate') return Math.min(Math.max(i, 0), size - 1);
    return i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
  });
}

function padNonConstant(input: Tensor, p: readonly number[], mode: Exclude<PadMode, 'constant'>, value: unknown): Tensor {
  if (value !== undefined && value !== null && value !== 0) {
    throw new TypeError(`pad: padding mode '${mode}' takes no value (got value ${String(value)}); drop value, or use mode 'constant'`);
  }
  const nd = input.ndim;
  const k = p.length / 2;
  if (k < 1 || k > 3 || nd < k + 1 || nd > k + 2) {
    throw new RangeError(
      `pad: mode '${mode}' pads the last 1, 2 or 3 dims of a 2-D/3-D, 3-D/4-D or 4-D/5-D input (as PyTorch); got ${p.length} padding values for a ${nd}-d input of shape ${formatShape(input.shape)}; pass 2, 4 or 6 values, or reshape the input`,
    );
  }
  const geometry: [number, number[]][] = [];
  for (let j = 0; j < k; j++) {
    const d = nd - 1 - j;
    const size = input.shape[d]!;
    const before = p[2 * j]!;
    const after = p[2 * j + 1]!;
    const out = size + before + after;
    if (mode === 'reflect' && (before >= size || after >= size)) {
      throw new RangeError(
        `pad: reflect padding must be smaller than the padded dim: got padding (${before}, ${after}) at dimension ${d} of input ${formatShape(input.shape)} (size ${size}); use at most ${size - 1}, or mode 'replicate'`,
      );
    }
    if (mode === 'circular') {
      if (before > size || after > size) {
        throw new RangeError(
          `pad: circular padding wraps around more than once: padding (${before}, ${after}) at dimension ${d} of input ${formatShape(input.shape)} (size ${size}); use at most ${size}`,
        );
      }
      if (size + Math.min(before, 0) + Math.min(after, 0) < 0 || (out > 0 && size + Math.min(before, 0) + Math.min(after, 0) === 0)) {
        throw new RangeError(`pad: negative circular padding (${before}, ${after}) at dimension ${d} of input ${formatShape(input.shape)} (size ${size}) leaves nothing to wrap around`);
      }
    } else if (out < 1) {
      throw new RangeError(
        `pad: input ${formatShape(input.shape)} is too small for ${mode} padding (${before}, ${after}) at dimension ${d}: the output size would be ${out}; use less negative padding`,
      );
    }
    geometry.push([d, sourceIndex(mode, size, before, after)]);
  }
  // one gather per padded dim: indexSelect's gradient (a scatter-add) gives the padding's gradient
  let y = input;
  for (const [d, idx] of geometry) {
    const index = fromArray(input.backendInstance, Int32Array.from(idx), [idx.length], 'int32', true);
    const next = y.indexSelect(index, { dim: d });
    index.dispose();
    if (y !== input) y.dispose(); // the tape keeps what it needs
    y = next;
  }
  return y;
}
