import { Tensor, formatShape, isFloating, mean, sum } from '@tensorgrad/tensor';
import { parseArgs, signature, type Signature } from './args.js';
import { nearestKey } from '@tensorgrad/tensor/backend';

const CHECK_REDUCTION = signature('checkReduction', ['op', 'reduction', 'allowed'], { required: 1 });
const APPLY_REDUCTION = signature('applyReduction', ['loss', 'reduction'], { required: 2 });

/** How a loss reduces its per-element values: PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss function accepts. */
export interface ReductionOptions {
  /** `'mean'` (default): the average; `'sum'`: the total; `'none'`: the per-element losses. */
  reduction?: Reduction;
}

/**
 * PyTorch's deprecated `size_average` and `reduce` arguments: accepted as `null` (their default)
 * so that positional calls port unchanged; any other value is refused with the `reduction` to use.
 */
export interface LegacyReductionOptions extends ReductionOptions {
  /** Deprecated in PyTorch: only `null` is accepted; use `reduction` (`'sum'` for `sizeAverage: false`). */
  sizeAverage?: null;
  /** Deprecated in PyTorch: only `null` is accepted; use `reduction` (`'none'` for `reduce: false`). */
  reduce?: null;
}

/**
 * @internal Binds a loss's arguments to its PyTorch signature and refuses PyTorch's deprecated
 * `sizeAverage`/`reduce` unless null, naming the `reduction` that replaces them.
 */
export function bindLoss<P extends string>(sig: Signature<P>, args: readonly unknown[]): Partial<Record<P, unknown>> {
  const a = parseArgs(sig, args) as Partial<Record<string, unknown>>;
  const sizeAverage = a.sizeAverage ?? null;
  const reduce = a.reduce ?? null;
  if (sizeAverage !== null || reduce !== null) {
    const which = sizeAverage !== null ? `sizeAverage = ${String(sizeAverage)}` : `reduce = ${String(reduce)}`;
    // PyTorch's own legacy mapping (torch.nn._reduction.legacy_get_string)
    const replacement = reduce === false ? 'none' : sizeAverage === false ? 'sum' : 'mean';
    throw new TypeError(
      `${sig.name}: ${which}: sizeAverage and reduce are deprecated in PyTorch and not supported by tensorgrad; use reduction instead: { reduction: '${replacement}' }`,
    );
  }
  return a as Partial<Record<P, unknown>>;
}

/**
 * Checks `reduction` against the values `op` accepts and returns it (`'mean'` when absent).
 *
 * @example
 * ```ts
 * import { checkReduction } from '@tensorgrad/losses';
 * checkReduction('mseLoss', undefined); // 'mean'
 * checkReduction('mseLoss', 'sum'); // 'sum'
 * checkReduction('klDiv', { reduction: 'batchmean', allowed: ['mean', 'batchmean', 'sum', 'none'] }); // 'batchmean'
 * ```
 */
export function checkReduction<R extends string = Reduction>(op: string, reduction: unknown, allowed?: readonly R[]): R;
export function checkReduction<R extends string = Reduction>(op: string, options: { reduction?: unknown; allowed?: readonly R[] }): R;
export function checkReduction<R extends string = Reduction>(...args: unknown[]): R {
  const a = parseArgs(CHECK_REDUCTION, args);
  const op = String(a.op);
  const reduction = a.reduction;
  const allowed = (a.allowed ?? ['mean', 'sum', 'none']) as readonly R[];
  if (reduction === undefined) return 'mean' as R;
  if (typeof reduction !== 'string' || !(allowed as readonly string[]).includes(reduction)) {
    const near = typeof reduction === 'string' ? nearestKey(reduction, allowed as readonly string[]) : null;
    throw new RangeError(
      `${op}: unknown reduction ${JSON.stringify(reduction)}; expected one of ${allowed.map((r) => `'${r}'`).join(', ')}` +
        (near ? ` (did you mean '${near}'?)` : ''),
    );
  }
  return reduction as R;
}

/**
 * Applies a `'mean' | 'sum' | 'none'` reduction to per-element losses.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { applyReduction } from '@tensorgrad/losses';
 * await applyReduction(tensor([1, 2, 3]), 'sum').item(); // 6
 * await applyReduction(tensor([1, 2, 3]), { reduction: 'mean' }).item(); // 2
 * ```
 */
export function applyReduction(loss: Tensor, reduction: Reduction): Tensor;
export function applyReduction(loss: Tensor, options: { reduction: Reduction }): Tensor;
export function applyReduction(...args: unknown[]): Tensor {
  const a = parseArgs(APPLY_REDUCTION, args);
  const loss = a.loss as Tensor;
  const reduction = a.reduction as Reduction;
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

/** @internal Throws unless `x` is a tensor with a floating dtype. */
export function assertFloatTensor(op: string, x: unknown, name: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: expected ${name} to be a Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${op}: expected ${name} to have a floating dtype (float32 or float64), got ${x.dtype}; convert it with .float()`);
  }
}

/** @internal Throws unless `input` and `target` are float tensors of the same shape. */
export function checkSameShape(op: string, input: unknown, target: unknown): asserts input is Tensor {
  assertFloatTensor(op, input, 'input');
  assertFloatTensor(op, target, 'target');
  const a = input.shape;
  const b = (target as Tensor).shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new RangeError(
      `${op}: expected target to have the same shape as input ${formatShape(a)}, got ${formatShape(b)}; reshape the target (e.g. target.reshape(input.shape))`,
    );
  }
}

/** @internal Throws unless `w` is absent or a 1-d float tensor of length `n` (`what` names the dim). */
export function checkWeight(op: string, name: string, w: unknown, n: number, what: string): Tensor | null {
  if (w === undefined || w === null) return null;
  assertFloatTensor(op, w, name);
  if (w.ndim !== 1 || w.shape[0] !== n) {
    throw new RangeError(`${op}: expected ${name} to be a 1-d tensor of size ${n} (${what}), got shape ${formatShape(w.shape)}`);
  }
  return w;
}

/** @internal Throws unless `w` (if given) is a float tensor that broadcasts to `shape`. */
export function checkBroadcastWeight(op: string, name: string, w: unknown, shape: readonly number[]): Tensor | null {
  if (w === undefined || w === null) return null;
  assertFloatTensor(op, w, name);
  const ws = w.shape;
  const ok = ws.length <= shape.length && ws.every((d, i) => d === 1 || d === shape[shape.length - ws.length + i]);
  if (!ok) {
    throw new RangeError(`${op}: expected ${name} to broadcast to the input shape ${formatShape(shape)}, got shape ${formatShape(ws)}`);
  }
  return w;
}
