import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Options of {@link pad}. */
export interface PadOptions {
  /** Padding in PyTorch order: last dimension first, `[left, right, top, bottom, …]`; negative values crop. */
  pad?: readonly number[];
  /** Only `'constant'` is supported so far. */
  mode?: 'constant' | 'reflect' | 'replicate' | 'circular';
  /** The fill value (default 0). */
  value?: number;
}

/** `F.pad(input, pad, mode='constant', value=None)`. */
const SIG = signature('pad', ['pad', 'mode', 'value'], { required: 1 });

/**
 * Pads (or, with negative values, crops) the last dimensions of `input` with a constant, like
 * `torch.nn.functional.pad`: `pad` lists `[left, right]` for the last dimension, then the one
 * before it, and so on.
 *
 * @example
 * ```ts
 * import { tensor, pad } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await pad(x, [1, 0]).array(); // [[0, 1, 2], [0, 3, 4]]
 * await pad(x, [0, 0, 1, 0], { value: 9 }).array(); // [[9, 9], [1, 2], [3, 4]]
 * await pad(x, { pad: [-1, 0] }).array(); // [[2], [4]]
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
  if (mode !== 'constant') throw new Error(`pad: mode '${String(mode)}' is not supported yet; only 'constant' padding is available`);
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
