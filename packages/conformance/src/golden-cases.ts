/**
 * Runs one `ops.json` (or `vision.json`) case: forward value against PyTorch's, inputs left unchanged, and — where
 * the case has a `gradOutput` — every input gradient from `backward()`.
 */
import { isFloating, type DType, type Tensor } from '@tensorgrad/tensor';
import { assertClose, toleranceFor, type Tolerance, type ToleranceKind } from './compare.js';
import { callGoldenOpAsync } from './dispatch.js';
import { goldenToTensor, type GoldenCase, type GoldenTensor, type GoldenValuesIndices } from './golden.js';
import type { CheckContext } from './harness.js';

/**
 * Ops whose float32 results accumulate rounding and get ARCHITECTURE.md's (Numerics) tolerance for reductions,
 * matmul and convolutions (normalisation and bilinear interpolation also sum several terms).
 */
export const REDUCTION_OPS: ReadonlySet<string> = new Set([
  'sum',
  'mean',
  'std',
  'var',
  'max',
  'min',
  'softmax',
  'logSoftmax',
  'matmul',
  'mm',
  'bmm',
  'conv2d',
  'convTranspose2d',
  'avgPool2d',
  'adaptiveAvgPool2d',
  'batchNorm',
  'layerNorm',
  'interpolate',
  // a running sum (Vision I)
  'cumsum',
  // bilinear samples summed per bin (Vision II)
  'roiAlign',
]);

function isValuesIndices(o: GoldenCase['output']): o is GoldenValuesIndices {
  return (o as GoldenValuesIndices).values !== undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A tighter tolerance for some golden cases on one backend (e.g. the CPU reference, which
 * accumulates in float64 where others cannot): `undefined` keeps the suite's default for that op,
 * dtype and kind.
 */
export type ToleranceOverride = (op: string, dtype: DType, kind: ToleranceKind) => Tolerance | undefined;

/**
 * Runs golden case `c` in `ctx` (which disposes what it creates), at the tolerances of
 * ARCHITECTURE.md (Numerics) or the tighter ones `tolerance` gives; throws on the first mismatch.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { loadGolden, runGoldenCase, runChecked, seededRng } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const c = loadGolden('ops.json').cases[0]; // add/same-shape/float32
 * await runChecked(tg.getBackend(), c.dtype, seededRng(c.id), tg, (ctx) => runGoldenCase(ctx, c));
 * ```
 */
export async function runGoldenCase(ctx: CheckContext, c: GoldenCase, tolerance?: ToleranceOverride): Promise<void> {
  const kind = REDUCTION_OPS.has(c.op) ? 'reduction' : 'elementwise';
  const tolOf = (k: ToleranceKind): Tolerance => tolerance?.(c.op, c.dtype, k) ?? toleranceFor(c.dtype, k);
  const tol = tolOf(kind);
  const differentiate = c.gradOutput !== undefined && c.grads !== undefined;
  const inputs: (Tensor | null)[] = c.inputs.map((g, i) => {
    if (g === null) return null;
    const t = ctx.track(goldenToTensor(g, ctx.backend));
    if (differentiate && c.grads![i] != null && isFloating(t.dtype)) t.requiresGrad_();
    return t;
  });

  const out = ctx.track(await callGoldenOpAsync(ctx.ops, c.op, inputs, c.attrs ?? {}));
  let primary: Tensor;
  if (isValuesIndices(c.output)) {
    const vi = (Array.isArray(out) ? { values: out[0], indices: out[1] } : out) as { values?: Tensor; indices?: Tensor };
    if (!vi.values || !vi.indices) throw new Error(`${c.id}: expected { values, indices } from ${c.op}, got ${String(out)}`);
    await assertClose(vi.values, c.output.values, tol, `${c.id} values`);
    await assertClose(vi.indices, c.output.indices, { rtol: 0, atol: 0 }, `${c.id} indices`);
    primary = vi.values;
  } else {
    await assertClose(out as Tensor, c.output, tol, `${c.id} output`);
    primary = out as Tensor;
  }

  // inputs that PyTorch updates in place (batchNorm's running statistics in training) must hold
  // the recorded values afterwards, at the case's tolerance since they are computed values
  for (const [i, after] of (c.inputsAfter ?? []).entries()) {
    const t = inputs[i];
    if (after && t) await assertClose(t, after, tol, `${c.id} input ${i} after the op`);
  }

  if (!differentiate) return;
  const gradOutput = ctx.track(goldenToTensor(c.gradOutput!, ctx.backend));
  primary.backward(gradOutput);
  for (const [i, expected] of c.grads!.entries()) {
    if (expected === null) continue;
    const t = inputs[i];
    if (!t) throw new Error(`${c.id}: the fixture has a gradient for input ${i}, which was not passed`);
    const g = t.grad;
    if (!g) throw new Error(`${c.id} grad of input ${i}: backward() left .grad null`);
    await assertClose(g, expected, tolOf(gradKind(c, expected, primary, kind)), `${c.id} grad of input ${i}`);
  }
}

// A gradient of a broadcast input is a sum over the broadcast dims: it is a reduction even when
// the op itself is element-wise.
function gradKind(c: GoldenCase, expected: GoldenTensor, out: Tensor, kind: ToleranceKind): ToleranceKind {
  if (kind === 'elementwise' && !sameShape(expected.shape, out.shape) && ['add', 'sub', 'mul', 'div', 'pow', 'where', 'maskedFill'].includes(c.op)) {
    return 'reduction';
  }
  return kind;
}
