/**
 * Which golden ops the suite may skip because they are planned but not written yet, and the rule
 * for every other op: a golden case whose op the runner cannot call fails (a typo in a fixture or
 * an op that was removed must not turn into a quiet skip).
 */
import { Tensor, type Backend, type DType } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';

/**
 * The ops of `vision.json` that are planned but not implemented yet (the Vision I/II work), each
 * with the package that will export it. While such an op is not available its cases are counted
 * and listed as skipped with the reason `not yet implemented: <op>, Vision I/II`; as soon as it is
 * available (exported by `@tensorgrad/tensor`, or for `vision.json` by `@tensorgrad/vision`; for
 * `maxPool2dWithIndices`, `maxPool2d` honouring `returnIndices: true`) its cases run. Remove an entry once its op has landed.
 *
 * @example
 * ```ts
 * import { PENDING_VISION_OPS } from '@tensorgrad/conformance';
 * PENDING_VISION_OPS.has('nms'); // false
 * PENDING_VISION_OPS.has('add'); // false
 * ```
 */
export const PENDING_VISION_OPS: ReadonlyMap<string, string> = new Map([
  // torchvision's ops and utils (the Vision issues): every vision.json op has landed
]);

/** What the runner does with a golden case's op: run it, skip it as pending, or fail it as unknown. */
export type GoldenOpStatus = { status: 'run' } | { status: 'pending'; reason: string } | { status: 'unknown'; error: string };

/** `maxPool2d(x, { returnIndices: true })` gives `{ values, indices }` (or a pair) on `backend`. */
function maxPoolReturnsIndices(ops: Readonly<Record<string, unknown>>, backend: Backend | undefined): boolean {
  const fn = ops.maxPool2d;
  if (typeof fn !== 'function' || backend === undefined) return false;
  const x = fromArray(backend, new Float32Array([1, 2, 3, 4]), [1, 1, 2, 2], 'float32');
  let out: unknown;
  try {
    out = (fn as (...a: unknown[]) => unknown)(x, { kernelSize: 2, returnIndices: true });
  } catch {
    return false;
  } finally {
    x.dispose();
  }
  const parts: unknown[] = out instanceof Tensor ? [out] : Array.isArray(out) ? out : Object.values(out as object);
  for (const p of parts) if (p instanceof Tensor) p.dispose();
  return !(out instanceof Tensor) && parts.length === 2;
}

/**
 * Whether the runner can call golden op `op` from `ops` (the `@tensorgrad/tensor` namespace; for
 * `vision.json`, with `@tensorgrad/vision`'s exports added):
 * `run` when it can; `pending` (with the skip reason) when it cannot and the op is in
 * {@link PENDING_VISION_OPS}; otherwise `unknown`, with an error saying how to fix it. `backend`
 * is needed only to probe `maxPool2dWithIndices` (which calls `maxPool2d` with `returnIndices`).
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import * as vision from '@tensorgrad/vision';
 * import { goldenOpStatus } from '@tensorgrad/conformance';
 * goldenOpStatus('add', tg); // { status: 'run' }
 * goldenOpStatus('nms', { ...vision, ...tg }); // { status: 'run' }
 * goldenOpStatus('frobnicate', tg).status; // 'unknown'
 * ```
 */
export function goldenOpStatus(op: string, ops: Readonly<Record<string, unknown>>, backend?: Backend): GoldenOpStatus {
  const available = op === 'maxPool2dWithIndices' ? maxPoolReturnsIndices(ops, backend) : typeof ops[op] === 'function';
  if (available) return { status: 'run' };
  if (PENDING_VISION_OPS.has(op)) return { status: 'pending', reason: `not yet implemented: ${op}, Vision I/II` };
  return {
    status: 'unknown',
    error:
      `golden op '${op}' is unknown to the conformance runner: expected a function exported by @tensorgrad/tensor ` +
      `(for vision.json: or by @tensorgrad/vision) ` +
      `or an op listed in PENDING_VISION_OPS (packages/conformance/src/pending.ts), got neither. Fix the op name ` +
      `in the fixture, export the op, or — for planned work only — add it to PENDING_VISION_OPS`,
  };
}

/** A check as {@link planCheck} sees it. */
export interface PlannedCheck {
  /** The check id (`add/same-shape/float32`). */
  id: string;
  /** The op, layer class, loss, optimizer or scheduler it exercises. */
  op: string;
  /** The dtype it computes in. */
  dtype: DType;
  /**
   * Why its class or function is unavailable (`null`: it is available) for the checks of other
   * packages' golden suites; `undefined` for ops looked up in `ops` with {@link goldenOpStatus}.
   */
  missing?: string | null;
  /** A reason to skip the check that comes from the backend (no `readSync` for gradcheck), if any. */
  extraReason?: string;
}

/** Where a check would run: what {@link planCheck} needs to know. */
export interface PlanContext {
  /** The backend under test. */
  backend: Backend;
  /** The op table (the `@tensorgrad/tensor` namespace). */
  ops: Readonly<Record<string, unknown>>;
  /** `runConformance`'s `options.skip` (keys: id, op, `id/` prefix or `prefix*`), each with its reason. */
  skip: Readonly<Record<string, string>>;
  /** The dtypes selected to run. */
  dtypes: ReadonlySet<DType>;
}

/** What `runConformance` does with a check: run it, skip it (counted and listed, with the reason), or fail it. */
export type CheckPlan = { action: 'run' } | { action: 'skip'; reason: string } | { action: 'fail'; error: string };

function matchSkip(skip: Readonly<Record<string, string>>, id: string, op: string): string | undefined {
  for (const [key, reason] of Object.entries(skip)) {
    if (key === id || key === op) return reason;
    if (key.endsWith('*') && id.startsWith(key.slice(0, -1))) return reason;
    if (id.startsWith(`${key}/`)) return reason;
  }
  return undefined;
}

/**
 * Decides what `runConformance` does with one check. An op that is neither callable nor pending
 * (see {@link goldenOpStatus}) fails, even where `skip` would match it; otherwise the first reason
 * to skip wins: `skip`, the op being pending or missing, the dtype, then `extraReason`.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { planCheck } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const ctx = { backend: tg.getBackend(), ops: tg, skip: {}, dtypes: new Set(['float32'] as const) };
 * planCheck({ id: 'add/same-shape/float32', op: 'add', dtype: 'float32' }, ctx); // { action: 'run' }
 * planCheck({ id: 'add/x/float32', op: 'add', dtype: 'float32' }, { ...ctx, skip: { add: 'not today' } }); // { action: 'skip', reason: 'not today' }
 * planCheck({ id: 'add/x/float64', op: 'add', dtype: 'float64' }, ctx).action; // 'skip'
 * planCheck({ id: 'addd/x/float32', op: 'addd', dtype: 'float32' }, ctx).action; // 'fail'
 * ```
 */
export function planCheck(check: PlannedCheck, ctx: PlanContext): CheckPlan {
  const { id, op, dtype } = check;
  const status: GoldenOpStatus = check.missing === undefined ? goldenOpStatus(op, ctx.ops, ctx.backend) : { status: 'run' };
  if (status.status === 'unknown') return { action: 'fail', error: `${id}: ${status.error}` };
  const dtypeReason = ctx.dtypes.has(dtype)
    ? undefined
    : ctx.backend.dtypes.includes(dtype)
      ? `dtype ${dtype} not selected (options.dtypes)`
      : `backend '${ctx.backend.name}' does not support ${dtype}`;
  const reason =
    matchSkip(ctx.skip, id, op) ?? (status.status === 'pending' ? status.reason : undefined) ?? check.missing ?? dtypeReason ?? check.extraReason;
  return reason === undefined ? { action: 'run' } : { action: 'skip', reason };
}
