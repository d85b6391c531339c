import { parseArgs, signature } from '../signature.js';
import { assertTensor } from '../engine.js';
import { noGrad } from '../autograd-core.js';
import { tidy } from '../scope.js';
import { Tensor } from '../tensor.js';
import { full } from '../creation/full.js';
import { zeros } from '../creation/zeros.js';
import { countNonzeroAsync, countNonzeroSync, nonzeroStatic } from './nonzero.js';
import { sortKernel } from './sort-kernel.js';
import { cumsum } from './cumsum.js';
import { cat } from './cat.js';
import './narrow.js';
import './ne.js';
import './sub.js';
import './reshape.js';
import './index-select.js';
import './scatter-add.js';

/** Options of {@link unique}. */
export interface UniqueOptions {
  /**
   * Sort the unique elements ascending. Default true; tensorgrad always returns them sorted, which
   * PyTorch allows for `false` too (its order is then unspecified).
   */
  sorted?: boolean;
  /** Also return, for each input element, the index of its value in the result (int32, of the input's shape). */
  returnInverse?: boolean;
  /** Also return how often each unique value occurs (int32). */
  returnCounts?: boolean;
}

/** What {@link unique} returns: the unique values alone, or with the inverse indices and/or the counts (in PyTorch's order). */
export type UniqueResult = Tensor | readonly [values: Tensor, inverseOrCounts: Tensor] | readonly [values: Tensor, inverse: Tensor, counts: Tensor];

/** `torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None)`. */
const sig = (name: string) =>
  signature(name, ['sorted', 'returnInverse', 'returnCounts', 'dim'], {
    unsupported: {
      dim: 'the unique slices along a dim are not implemented; call it without dim for the unique elements, or compare the slices yourself',
    },
  });
const SIG = sig('unique');
const SIG_ASYNC = sig('uniqueAsync');

function parse(op: string, args: readonly unknown[]): Required<UniqueOptions> {
  const o = parseArgs(op === 'unique' ? SIG : SIG_ASYNC, args);
  const out = { sorted: o.sorted ?? true, returnInverse: o.returnInverse ?? false, returnCounts: o.returnCounts ?? false };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== 'boolean') throw new TypeError(`${op}: expected ${k} to be a boolean, got ${String(v)}`);
  }
  return out as Required<UniqueOptions>;
}

/** The sorted elements, where each came from, and a bool flag where a new value starts. */
interface Runs {
  sorted: Tensor;
  perm: Tensor;
  starts: Tensor;
}

function disposeRuns(r: Runs): void {
  r.sorted.dispose();
  r.perm.dispose();
  r.starts.dispose();
}

function runs(input: Tensor): Runs {
  return noGrad(() => {
    const n = input.numel();
    const flat = input.reshape([n]);
    const { values: sorted, indices: perm } = sortKernel(flat, { dim: 0, descending: false, stable: true });
    flat.dispose();
    if (n === 0) return { sorted, perm, starts: full([0], true, { backend: input.backend }) };
    // NaN != NaN, so every NaN is a value of its own, as in PyTorch
    const starts = tidy(() => cat([full([1], true, { backend: input.backend }), sorted.narrow(0, 1, n - 1).ne(sorted.narrow(0, 0, n - 1))], 0));
    return { sorted, perm, starts };
  });
}

function finish(input: Tensor, r: Runs, k: number, opts: Required<UniqueOptions>): UniqueResult {
  const out = noGrad(() =>
    tidy(() => {
      const n = input.numel();
      const first = nonzeroStatic(r.starts, { size: k }).reshape([k]);
      const result: Tensor[] = [r.sorted.indexSelect(0, first)];
      if (opts.returnInverse) {
        // each sorted element's group (a running count of the starts) is sent back to where it came from
        const group = cumsum(r.starts, 0).sub(1);
        result.push(zeros([n], { dtype: 'int32', backend: input.backend }).scatterAdd(r.perm, group, 0).reshape([...input.shape]));
      }
      if (opts.returnCounts) {
        // a run ends where the next one starts (the last at n)
        const ends = k === 0 ? first : cat([first.narrow(0, 1, k - 1), full([1], n, { dtype: 'int32', backend: input.backend })], 0);
        result.push(ends.sub(first));
      }
      return result;
    }),
  );
  return out.length === 1 ? out[0]! : (Object.freeze(out) as unknown as UniqueResult);
}

/**
 * PyTorch's `torch.unique`: the distinct elements of `input` (flattened), sorted ascending; with
 * `returnInverse` also the index of each input element's value in that list (int32, of the
 * input's shape), with `returnCounts` also how often each value occurs (int32) — returned as
 * PyTorch's tuple `[values, inverse, counts]` (only the parts asked for). NaNs are each a value of
 * their own, as in PyTorch. Not differentiable. `dim` (unique slices) is not implemented.
 *
 * The number of distinct values depends on the data, so it is read back synchronously: on a
 * backend that can only read asynchronously (WebGPU) this throws a `NotSupportedError` of kind
 * `'sync-read'`; use `await uniqueAsync(x)` there.
 *
 * @example
 * ```ts
 * import { tensor, unique } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[3, 1, 3], [2, 1, 1]]);
 * await unique(x).array(); // [1, 2, 3]
 * const [values, inverse, counts] = unique(x, { returnInverse: true, returnCounts: true });
 * await inverse.array(); // [[2, 0, 2], [1, 0, 0]]
 * await counts.array(); // [3, 1, 2]
 * await x.unique(true, false, true)[1].array(); // [3, 1, 2]
 * ```
 */
export function unique(input: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(input: Tensor, options: UniqueOptions & { returnInverse: true; returnCounts: true }): readonly [values: Tensor, inverse: Tensor, counts: Tensor];
export function unique(input: Tensor, options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): readonly [values: Tensor, inverseOrCounts: Tensor];
export function unique(input: Tensor, sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean): UniqueResult;
export function unique(input: Tensor, options: UniqueOptions): UniqueResult;
export function unique(input: Tensor, ...args: unknown[]): UniqueResult {
  assertTensor('unique', input);
  const opts = parse('unique', args);
  const r = runs(input);
  try {
    const k = countNonzeroSync('unique', r.starts, 'await uniqueAsync(x)');
    return finish(input, r, k, opts);
  } finally {
    disposeRuns(r);
  }
}

/**
 * {@link unique} on every backend: reads the number of distinct values asynchronously (the only
 * read), then computes the result on the backend.
 *
 * @example
 * ```ts
 * import { tensor, uniqueAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await (await uniqueAsync(tensor([2, 0, 2]))).array(); // [0, 2]
 * const [values, counts] = await tensor([5, 5, 4]).uniqueAsync({ returnCounts: true });
 * await values.array(); // [4, 5]
 * await counts.array(); // [1, 2]
 * ```
 */
export async function uniqueAsync(input: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Promise<Tensor>;
export async function uniqueAsync(input: Tensor, options: UniqueOptions & { returnInverse: true; returnCounts: true }): Promise<readonly [values: Tensor, inverse: Tensor, counts: Tensor]>;
export async function uniqueAsync(input: Tensor, options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): Promise<readonly [values: Tensor, inverseOrCounts: Tensor]>;
export async function uniqueAsync(input: Tensor, sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean): Promise<UniqueResult>;
export async function uniqueAsync(input: Tensor, options: UniqueOptions): Promise<UniqueResult>;
export async function uniqueAsync(input: Tensor, ...args: unknown[]): Promise<UniqueResult> {
  assertTensor('uniqueAsync', input);
  const opts = parse('uniqueAsync', args);
  const r = runs(input);
  try {
    const k = await countNonzeroAsync(r.starts);
    return finish(input, r, k, opts);
  } finally {
    disposeRuns(r);
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link unique}: `x.unique()`, `x.unique({ returnCounts: true })`, `x.unique(true, true)`. */
    unique(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    unique(options: UniqueOptions & { returnInverse: true; returnCounts: true }): readonly [values: Tensor, inverse: Tensor, counts: Tensor];
    unique(options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): readonly [values: Tensor, inverseOrCounts: Tensor];
    unique(sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean): UniqueResult;
    unique(options: UniqueOptions): UniqueResult;
    /** Method form of {@link uniqueAsync}. */
    uniqueAsync(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Promise<Tensor>;
    uniqueAsync(options: UniqueOptions & { returnInverse: true; returnCounts: true }): Promise<readonly [values: Tensor, inverse: Tensor, counts: Tensor]>;
    uniqueAsync(options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): Promise<readonly [values: Tensor, inverseOrCounts: Tensor]>;
    uniqueAsync(sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean): Promise<UniqueResult>;
    uniqueAsync(options: UniqueOptions): Promise<UniqueResult>;
  }
}
Tensor.prototype.unique = function (this: Tensor, ...args: unknown[]): never {
  return (unique as (...a: unknown[]) => UniqueResult)(this, ...args) as never;
};
Tensor.prototype.uniqueAsync = function (this: Tensor, ...args: unknown[]): Promise<never> {
  return (uniqueAsync as (...a: unknown[]) => Promise<UniqueResult>)(this, ...args) as Promise<never>;
};
