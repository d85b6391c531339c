/** Argument parsing shared by op front-ends (positional shorthands and options objects). */
import { assertTensor } from './engine.js';
import { normalizeDim } from './shape.js';
import { checkOptionKeys, isOptionsObject, parseArgs, signature } from './signature.js';
import { Tensor } from './tensor.js';

/** Options of reductions: PyTorch's `dim` (one or several, absent = all) and `keepdim`. */
export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

/**
 * Parses `(dim?, keepdim?)` or `({ dim, keepdim })` into sorted normalised dims (all dims when
 * absent) and `keepdim`, refusing unknown option keys and extra positionals like every op (the
 * signature is PyTorch's `(dim=None, keepdim=False)`).
 *
 * @example
 * ```ts
 * import { parseReduceArgs } from '@tensorgrad/tensor/backend';
 * parseReduceArgs('sum', 3, [-1]); // { dim: [2], keepdim: false, all: false }
 * parseReduceArgs('sum', 3, [{ dim: [0, 1], keepdim: true }]); // { dim: [0, 1], keepdim: true, all: false }
 * ```
 */
export function parseReduceArgs(
  op: string,
  ndim: number,
  args: readonly unknown[],
): { dim: number[]; keepdim: boolean; all: boolean } {
  const a = parseArgs(signature(op, ['dim', 'keepdim']), args);
  return reduceDims(op, ndim, a.dim, a.keepdim);
}

/**
 * Normalises bound reduction arguments: `dim` (an int, a list, or absent/`null`/`[]` = every dim)
 * into sorted non-negative dims, and checks `keepdim` (absent = false).
 *
 * @example
 * ```ts
 * import { reduceDims } from '@tensorgrad/tensor/backend';
 * reduceDims('sum', 2, undefined, true); // { dim: [0, 1], keepdim: true, all: true }
 * ```
 */
export function reduceDims(op: string, ndim: number, dimArg: unknown, keepdimArg: unknown): { dim: number[]; keepdim: boolean; all: boolean } {
  const keepdim = keepdimArg ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: expected keepdim to be a boolean, got ${String(keepdim)}`);
  // PyTorch treats an empty dim list like an absent one: reduce everything
  if (dimArg === undefined || dimArg === null || (Array.isArray(dimArg) && dimArg.length === 0)) {
    return { dim: Array.from({ length: ndim }, (_, i) => i), keepdim, all: true };
  }
  const list = typeof dimArg === 'number' ? [dimArg] : Array.isArray(dimArg) ? (dimArg as number[]) : null;
  if (!list) throw new TypeError(`${op}: expected dim to be an integer or a list of integers, got ${String(dimArg)}`);
  const dims = list.map((d) => normalizeDim(op, d, ndim));
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${JSON.stringify(list)} repeats a dimension`);
  if (ndim === 0) return { dim: [], keepdim, all: true };
  return { dim: dims.sort((a, b) => a - b), keepdim, all: dims.length === ndim };
}

/**
 * Parses a shape given as numbers (`view(2, 3)`), an array (`view([2, 3])`) or an options
 * object with `key` (`reshape(x, { shape: [2, 3] })`); any other option key throws.
 *
 * @example
 * ```ts
 * import { parseShapeArgs } from '@tensorgrad/tensor/backend';
 * parseShapeArgs('view', 'shape', [2, -1]); // [2, -1]
 * ```
 */
export function parseShapeArgs(op: string, key: string, args: readonly unknown[]): number[] {
  let rest = args;
  let list: unknown;
  const last = args[args.length - 1];
  if (isOptionsObject(last)) {
    checkOptionKeys(op, last, [key]);
    rest = args.slice(0, -1);
    if (last[key] !== undefined) {
      if (rest.length > 0) throw new TypeError(`${op}: got ${key} twice, positionally and in the options object; pass it once`);
      rest = [last[key]];
    }
  }
  if (rest.length === 1 && Array.isArray(rest[0])) list = rest[0];
  else list = rest;
  if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d))) {
    throw new TypeError(`${op}: expected ${key} as integers, an array of integers or { ${key}: [...] }, got ${JSON.stringify(args)}`);
  }
  return list as number[];
}

/**
 * Splits the trailing `(tensor?, …, options?)` arguments of ops such as `batchNorm` and
 * `layerNorm`: optional tensors by position (`null`/`undefined` = absent), and a plain object in
 * last place as the options.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { splitOptionalTensors } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const w = tensor([1, 2]);
 * const { tensors, options } = splitOptionalTensors('layerNorm', [w, null, { eps: 1e-3 }], ['weight', 'bias']);
 * tensors[1]; // null
 * ```
 */
export function splitOptionalTensors<O extends object>(
  op: string,
  args: readonly unknown[],
  names: readonly string[],
): { tensors: (Tensor | null)[]; options: O } {
  const tensors: (Tensor | null)[] = names.map(() => null);
  let options = {} as O;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === undefined || a === null) continue;
    if (a instanceof Tensor) {
      if (i >= names.length) throw new TypeError(`${op}: too many tensor arguments: expected at most ${names.length} after input (${names.join(', ')})`);
      assertTensor(op, a, names[i]);
      tensors[i] = a;
      continue;
    }
    if (typeof a === 'object' && !Array.isArray(a) && i === args.length - 1) {
      options = a as O;
      continue;
    }
    throw new TypeError(
      `${op}: expected ${names[i] ?? 'the options object'} to be ${i < names.length ? 'a Tensor, null or the options object' : 'an options object'}, got ${Array.isArray(a) ? 'an array' : typeof a}`,
    );
  }
  return { tensors, options };
}

/**
 * Checks optional tensor arguments bound by {@link parseArgs} (`weight`, `bias`, …): each must be
 * a Tensor, or `null`/absent (PyTorch's `None`); returns them with absent ones as `null`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { optionalTensors } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const [w, b] = optionalTensors('layerNorm', [tensor([1, 2]), undefined], ['weight', 'bias']);
 * b; // null
 * ```
 */
export function optionalTensors(op: string, values: readonly unknown[], names: readonly string[]): (Tensor | null)[] {
  return values.map((v, i) => {
    if (v === undefined || v === null) return null;
    if (!(v instanceof Tensor)) {
      throw new TypeError(`${op}: expected ${names[i]} to be a Tensor or null, got ${Array.isArray(v) ? 'an array' : typeof v}; pass null to leave it out`);
    }
    assertTensor(op, v, names[i]);
    return v;
  });
}
