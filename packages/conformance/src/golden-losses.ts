/**
 * Runs one `losses.json` case: the loss function of `@tensorgrad/losses` on the backend under
 * test, its value and its gradient with respect to the prediction.
 */
import * as losses from '@tensorgrad/losses';
import { Tensor, tidy, type DType } from '@tensorgrad/tensor';
import { assertClose, type Tolerance } from './compare.js';
import { decodeAttrs } from './dispatch.js';
import { goldenToTensor, type GoldenCase, type GoldenTensor } from './golden.js';
import type { CheckContext } from './harness.js';

type LossFn = (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor;

/**
 * The tolerance of every `losses.json` comparison: float32 rtol 1e-4 (ARCHITECTURE.md's (Numerics) reduction
 * tolerance: a loss sums over the batch) with atol 1e-6; float64 rtol 1e-10, atol 1e-12.
 *
 * @example
 * ```ts
 * import { lossTolerance } from '@tensorgrad/conformance';
 * lossTolerance('float32'); // { rtol: 1e-4, atol: 1e-6 }
 * ```
 */
export function lossTolerance(dtype: DType): Tolerance {
  if (dtype === 'float32') return { rtol: 1e-4, atol: 1e-6 };
  if (dtype === 'float64') return { rtol: 1e-10, atol: 1e-12 };
  return { rtol: 0, atol: 0 };
}

/**
 * Why the loss function `op` cannot be called here (it is not exported by `@tensorgrad/losses`),
 * or `undefined` when it can.
 *
 * @example
 * ```ts
 * import { lossMissing } from '@tensorgrad/conformance';
 * lossMissing('crossEntropy'); // undefined
 * ```
 */
export function lossMissing(op: string): string | undefined {
  return typeof (losses as unknown as Record<string, unknown>)[op] === 'function' ? undefined : `'${op}' is not exported by @tensorgrad/losses yet`;
}

function isGoldenTensor(v: unknown): v is GoldenTensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v;
}

/**
 * Runs `losses.json` case `c` in `ctx` (which disposes what it creates); throws on the first
 * mismatch. Only the prediction (input 0) is differentiated, as in the fixtures.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { loadGolden, runChecked, runLossGoldenCase, seededRng } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const c = loadGolden('losses.json').cases[0];
 * await runChecked(tg.getBackend(), c.dtype, seededRng(c.id), tg, (ctx) => runLossGoldenCase(ctx, c));
 * ```
 */
export async function runLossGoldenCase(ctx: CheckContext, c: GoldenCase): Promise<void> {
  const missing = lossMissing(c.op);
  if (missing !== undefined) throw new Error(`${c.id}: ${missing}`);
  const fn = (losses as unknown as Record<string, LossFn>)[c.op]!;
  const tol = lossTolerance(c.dtype);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(decodeAttrs(c.attrs))) options[k] = isGoldenTensor(v) ? ctx.track(goldenToTensor(v, ctx.backend)) : v;
  const [inputG, targetG] = c.inputs;
  if (!inputG || !targetG) throw new Error(`${c.id}: expected two inputs (prediction, target), got ${c.inputs.length}`);
  if (c.grads && c.grads[1] != null) throw new Error(`${c.id}: the fixture differentiates the target, which this check does not support`);
  const input = ctx.track(goldenToTensor(inputG, ctx.backend));
  const target = ctx.track(goldenToTensor(targetG, ctx.backend));
  const differentiate = c.gradOutput !== undefined;
  if (differentiate) input.requiresGrad_();
  const gradOutput = differentiate ? ctx.track(goldenToTensor(c.gradOutput!, ctx.backend)) : null;
  // the loss's intermediates are freed by tidy; the value is kept (and tracked)
  const out = ctx.track(
    tidy(() => {
      const o = fn(input, target, options);
      if (!(o instanceof Tensor)) throw new Error(`${c.id}: ${c.op} returned ${String(o)}, expected a Tensor`);
      if (gradOutput) o.backward(gradOutput);
      return o;
    }),
  );
  await assertClose(out, c.output as GoldenTensor, tol, `${c.id} output`);
  if (!differentiate) return;
  const expected = c.grads?.[0];
  if (!expected) throw new Error(`${c.id}: the fixture has a gradOutput but no gradient for the prediction`);
  if (!input.grad) throw new Error(`${c.id} grad: backward() left .grad null`);
  await assertClose(input.grad, expected, tol, `${c.id} grad`);
}
