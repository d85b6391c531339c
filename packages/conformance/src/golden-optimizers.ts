/**
 * Runs one `optimizers.json` case: two parameters on the backend under test, five optimizer
 * steps on the fixture's loss, the loss before each step and the parameters after each step.
 */
import * as optim from '@tensorgrad/optimizers';
import { tidy, type DType, type Tensor } from '@tensorgrad/tensor';
import { compareHost, assertClose, type Tolerance } from './compare.js';
import { goldenToTensor, type GoldenTensor } from './golden.js';
import type { CheckContext } from './harness.js';

/** The two parameters of an optimizer case, in this order. */
export type OptimizerParamName = 'weight' | 'bias';

/** One case of `optimizers.json` (see fixtures/pytorch/README.md). */
export interface OptimizerGoldenCase {
  id: string;
  /** `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`. */
  optimizer: string;
  dtype: DType;
  options: Record<string, unknown>;
  effectiveOptions?: Record<string, unknown>;
  initial: Record<OptimizerParamName, GoldenTensor>;
  loss: { formula: string; target: Record<OptimizerParamName, GoldenTensor>; c: Record<OptimizerParamName, GoldenTensor> };
  /** The loss before each step. */
  losses: number[];
  /** The parameters after each step. */
  steps: Record<OptimizerParamName, GoldenTensor>[];
}

/**
 * The tolerance of every `optimizers.json` comparison: float32 rtol 1e-4 / atol 1e-6 (the
 * reduction tolerance of ARCHITECTURE.md, Numerics: five steps compound the rounding of the loss's sums), float64 rtol
 * 1e-10 / atol 1e-12.
 *
 * @example
 * ```ts
 * import { optimizerTolerance } from '@tensorgrad/conformance';
 * optimizerTolerance('float64'); // { rtol: 1e-10, atol: 1e-12 }
 * ```
 */
export function optimizerTolerance(dtype: DType): Tolerance {
  return dtype === 'float32' ? { rtol: 1e-4, atol: 1e-6 } : { rtol: 1e-10, atol: 1e-12 };
}

/**
 * Why the optimizer or scheduler class `name` cannot be built here (it is not exported by
 * `@tensorgrad/optimizers`), or `undefined` when it can.
 *
 * @example
 * ```ts
 * import { optimizerMissing } from '@tensorgrad/conformance';
 * optimizerMissing('Adam'); // undefined
 * optimizerMissing('Adadelta'); // "'Adadelta' is not exported by @tensorgrad/optimizers yet"
 * ```
 */
export function optimizerMissing(name: string): string | undefined {
  return typeof (optim as unknown as Record<string, unknown>)[name] === 'function' ? undefined : `'${name}' is not exported by @tensorgrad/optimizers yet`;
}

type OptimizerCtor = new (params: Tensor[], options: Record<string, unknown>) => optim.AnyOptimizer;

const NAMES: readonly OptimizerParamName[] = ['weight', 'bias'];

/**
 * Runs `optimizers.json` case `c` in `ctx` (which disposes the tensors it creates; the optimizer
 * is disposed here); throws on the first mismatch. Each step is zeroGrad, the loss
 * `Σ_k sum(c[k]·(p[k]−target[k])²) + sum(sin(p[k]))`, backward, `step()`.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { loadGolden, runChecked, runOptimizerGoldenCase, seededRng, type OptimizerGoldenCase } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const c = loadGolden<OptimizerGoldenCase>('optimizers.json').cases[0]; // SGD/plain/float32
 * await runChecked(tg.getBackend(), c.dtype, seededRng(c.id), tg, (ctx) => runOptimizerGoldenCase(ctx, c));
 * ```
 */
export async function runOptimizerGoldenCase(ctx: CheckContext, c: OptimizerGoldenCase): Promise<void> {
  const missing = optimizerMissing(c.optimizer);
  if (missing !== undefined) throw new Error(`${c.id}: ${missing}`);
  const tol = optimizerTolerance(c.dtype);
  const params = NAMES.map((n) => ctx.track(goldenToTensor(c.initial[n], ctx.backend)).requiresGrad_());
  const targets = NAMES.map((n) => ctx.track(goldenToTensor(c.loss.target[n], ctx.backend)));
  const cs = NAMES.map((n) => ctx.track(goldenToTensor(c.loss.c[n], ctx.backend)));
  const Ctor = (optim as unknown as Record<string, OptimizerCtor>)[c.optimizer]!;
  const opt = new Ctor(params, c.options);
  try {
    for (let s = 0; s < c.steps.length; s++) {
      opt.zeroGrad();
      const lossT = tidy(() => {
        let l: Tensor | null = null;
        for (const [k, p] of params.entries()) {
          const d = p.sub(targets[k]!);
          const term = cs[k]!.mul(d).mul(d).sum().add(p.sin().sum());
          l = l === null ? term : l.add(term);
        }
        if (l === null) throw new Error(`${c.id}: no parameters`);
        l.backward();
        return l.detach();
      });
      let loss: number;
      try {
        loss = Number(await lossT.item());
      } finally {
        lossT.dispose();
      }
      const msg = compareHost({ shape: [], dtype: 'float64', data: [loss] }, { shape: [], dtype: 'float64', data: [c.losses[s]!] }, tol);
      if (msg !== null) throw new Error(`${c.id} loss before step ${s + 1}: ${msg}`);
      opt.step();
      for (const [k, n] of NAMES.entries()) await assertClose(params[k]!, c.steps[s]![n], tol, `${c.id} step ${s + 1} ${n}`);
    }
  } finally {
    opt.dispose();
  }
}
