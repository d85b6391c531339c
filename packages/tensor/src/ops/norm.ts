import { reduceDims } from '../args.js';
import { assertTensor, decompose, record } from '../engine.js';
import { isDType, isFloating, type DType } from '../dtype.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';

/** Options of {@link norm} (PyTorch's `torch.linalg.vector_norm` keywords; `p` is its `ord`). */
export interface NormOptions {
  /**
   * The order: any number (`Infinity` = largest absolute value, `-Infinity` = smallest, `0` =
   * number of non-zero elements, otherwise `sum(|x|^p)^(1/p)`), or `'fro'` (the same as 2).
   * Default 2.
   */
  p?: number | 'fro';
  /** The dim or dims to reduce; absent (or `[]`) = every element. */
  dim?: number | readonly number[] | null;
  /** Keep the reduced dims with size 1. Default false. */
  keepdim?: boolean;
  /** Compute in (and return) this floating dtype: the input is converted first. */
  dtype?: DType;
}

/** `torch.norm(input, p='fro', dim=None, keepdim=False, dtype=None)` ≡ `linalg.vector_norm(x, ord, dim, keepdim, *, dtype)`. */
const NORM = signature('norm', ['p', 'dim', 'keepdim', 'dtype'], { keywordOnly: ['dtype'] });

function parseOrder(p: unknown): number {
  if (p === undefined || p === null || p === 'fro') return 2;
  if (typeof p === 'number' && !Number.isNaN(p)) return p;
  if (p === 'nuc') {
    throw new TypeError("norm: p 'nuc' (the nuclear matrix norm) is not supported; norm computes vector norms (PyTorch's linalg.vector_norm): use a number or 'fro'");
  }
  throw new TypeError(`norm: expected p to be a number (Infinity, -Infinity, 0, 1, 2, …) or 'fro', got ${typeof p === 'string' ? `'${p}'` : String(p)}`);
}

/** The largest (`max`) or smallest absolute value over `dims`, by moving them last and flattening them. */
function extremeAbs(x: Tensor, dims: readonly number[], keepdim: boolean, max: boolean): Tensor {
  const a = x.abs();
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  const flat = a.permute([...kept, ...dims]).reshape([...keptShape, -1]);
  const r = (max ? flat.max(-1) : flat.min(-1))[0];
  return keepdim ? r.reshape(x.shape.map((s, i) => (dims.includes(i) ? 1 : s))) : r;
}

/**
 * The vector `p`-norm of `input` (PyTorch's `torch.linalg.vector_norm`, which `torch.norm` is for
 * vectors): over every element (a 0-d result) or over `dim` (an int or a list), keeping the
 * reduced dims with size 1 when `keepdim`. `p` is 2 by default; `Infinity`/`-Infinity` give the
 * largest/smallest absolute value, `0` the number of non-zero elements, any other number
 * `sum(|x|^p)^(1/p)`; `'fro'` is accepted as 2. Needs a floating-point input (or `dtype`). The
 * gradient is PyTorch's: 0 at the zero vector for `p = 2`, shared evenly among ties for
 * `±Infinity`, 0 for `p = 0`. Arguments may also be positional: `norm(x, p, dim, keepdim)`.
 *
 * @example
 * ```ts
 * import { tensor, norm } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[3, -4], [0, 1]]);
 * await norm(x.select(0, 0)).item(); // 5
 * await norm(x, { p: 1, dim: 1 }).array(); // [7, 1]
 * await x.norm(Infinity).item(); // 4
 * await norm(x, { p: 0, dim: [0, 1], keepdim: true }).array(); // [[3]]
 * await x.norm('fro', 0).array(); // [3, 4.123105525970459]
 * ```
 */
export function norm(input: Tensor, options?: NormOptions): Tensor;
export function norm(input: Tensor, p?: number | 'fro' | null, dim?: number | readonly number[] | null, keepdim?: boolean, options?: { dtype?: DType }): Tensor;
export function norm(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('norm', input);
  const a = parseArgs(NORM, args);
  const p = parseOrder(a.p);
  const { dim, keepdim } = reduceDims('norm', input.ndim, a.dim, a.keepdim);
  let x = input;
  if (a.dtype !== undefined && a.dtype !== null) {
    if (typeof a.dtype !== 'string' || !isDType(a.dtype) || !isFloating(a.dtype)) {
      throw new TypeError(`norm: expected dtype to be a floating dtype ('float32' or 'float64'), got ${String(a.dtype)}`);
    }
    if (!isFloating(input.dtype)) {
      throw new TypeError(`norm: expected a floating point input, got ${input.dtype}; convert it with .float() (PyTorch refuses dtype with an integer input too)`);
    }
    x = input.to(a.dtype);
  } else if (!isFloating(input.dtype)) {
    throw new TypeError(`norm: expected a floating point input, got ${input.dtype}; convert it with .float()`);
  }
  // an empty reduction is undefined for ±Infinity unless the result is empty too (PyTorch returns it then)
  const outNumel = x.shape.reduce((n, s, i) => (dim.includes(i) ? n : n * s), 1);
  if (Math.abs(p) === Infinity && x.numel() === 0 && outNumel > 0) {
    throw new RangeError(`norm: the ${p > 0 ? 'largest' : 'smallest'} absolute value (p = ${p}) of an empty tensor is undefined; reduce a non-empty tensor`);
  }
  const out = decompose(() => {
    if ((p === Infinity || p === -Infinity) && outNumel === 0) return x.abs().sum({ dim, keepdim });
    if (p === Infinity || p === -Infinity) return extremeAbs(x, dim, keepdim, p > 0);
    if (p === 0) return x.ne(0).to(x.dtype).sum({ dim, keepdim });
    if (p === 1) return x.abs().sum({ dim, keepdim });
    if (p === 2) return x.mul(x).sum({ dim, keepdim }).sqrt();
    return x.abs().pow(p).sum({ dim, keepdim }).pow(1 / p);
  });
  record('norm', [x], { p, dim, keepdim }, [out]);
  if (x !== input) x.dispose();
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link norm}: `x.norm()`, `x.norm(1)`, `x.norm(2, 1, true)`, `x.norm({ p: Infinity, dim: 0 })`. */
    norm(options?: NormOptions): Tensor;
    norm(p?: number | 'fro' | null, dim?: number | readonly number[] | null, keepdim?: boolean, options?: { dtype?: DType }): Tensor;
  }
}
Tensor.prototype.norm = function (this: Tensor, ...args: unknown[]): Tensor {
  return (norm as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
