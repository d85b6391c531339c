/**
 * `@tensorgrad/conformance` (private): the op suite every backend runs. `runConformance(name)`
 * registers vitest suites that check the backend against PyTorch's golden values
 * (`fixtures/pytorch/`), against an independent float64 reference on random shapes, broadcast
 * operands, strided views and zero-size tensors, and with `gradcheck`; it counts and lists
 * every skip with its reason.
 *
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import * as vision from '@tensorgrad/vision';
import { findBackendSync, getBackend, setBackend, type Backend, type DType } from '@tensorgrad/tensor';
import { loadGolden } from './golden.js';
import { runGoldenCase, type ToleranceOverride } from './golden-cases.js';
import { goldenSuites } from './golden-suites.js';
import { planCheck } from './pending.js';
import { gradcheckSpecs } from './gradchecks.js';
import { runChecked, seededRng } from './harness.js';
import { propertySpecs } from './property.js';

export * from './golden.js';
export * from './generated.js';
export * from './compare.js';
export * from './dispatch.js';
export * from './reference.js';
export * from './harness.js';
export * from './golden-cases.js';
export * from './golden-layers.js';
export * from './golden-losses.js';
export * from './golden-optimizers.js';
export * from './golden-schedulers.js';
export * from './golden-suites.js';
export * from './property.js';
export * from './gradchecks.js';
export * from './pending.js';
export * from './sorting-suite.js';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /**
   * Checks to skip, each with the reason printed in the test title and the summary. A key is a
   * check id (`softmax/neg-inf/float32`, `add/property/zero-size/float64`), an op name (`conv2d`:
   * every check of that op), an id prefix ending in `/` segments (`max/property`), or a prefix
   * ending in `*` (`matmul/batched*`).
   */
  skip?: Record<string, string>;
  /** Dtypes to run (default: every dtype the backend supports); the others are skipped with a reason. */
  dtypes?: DType[];
  /**
   * Tighter tolerances for the op golden cases (`ops.json`, `vision.json`) on this backend, per op,
   * dtype and kind; `undefined` keeps the default. The CPU reference uses it to hold shape ops,
   * reductions and float64 convolutions closer to PyTorch than other backends can be.
   */
  tolerance?: ToleranceOverride;
}

type Group = 'golden' | 'vision' | 'property' | 'gradcheck' | 'layers' | 'losses' | 'optimizers' | 'schedulers';

interface Tally {
  run: number;
  passed: number;
  skipped: number;
  reasons: Map<string, number>;
}

function resolveBackend(name: string): Backend {
  try {
    return findBackendSync(name);
  } catch (err) {
    throw new Error(
      `runConformance: backend '${name}' is not ready (${(err as Error).message}). Import its package and, for a backend that ` +
        `initialises asynchronously, \`await findBackend('${name}')\` at the top of the test file before calling runConformance`,
    );
  }
}

/**
 * Registers the conformance suite for backend `backendName` in the calling vitest file: the
 * golden cases of `ops.json` and `vision.json` (forward, gradients, no leaks; a `vision.json` op
 * that is not implemented yet is a counted skip, see {@link PENDING_VISION_OPS}; a case whose op
 * is unknown fails) and of `layers.json`, `losses.json`,
 * `optimizers.json` and `schedulers.json` (see {@link goldenSuites}), property checks against a float64
 * reference, and float64 `gradcheck` of every differentiable op. Prints a summary of what ran and
 * what was skipped (and why) after the suite.
 *
 * @example
 * ```ts
 * import { runConformance } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * // at the top level of a vitest file (e.g. packages/backend-cpu/test/conformance.test.ts):
 * const register = () => runConformance('cpu', { skip: { 'softmax/neg-inf/float32': 'tracked in issue #42' } });
 * typeof register; // 'function'
 * ```
 */
export function runConformance(backendName: string, options: ConformanceOptions = {}): void {
  const backend = resolveBackend(backendName);
  const skip = options.skip ?? {};
  const dtypes = new Set(options.dtypes ?? backend.dtypes);
  const ops = tg as unknown as Readonly<Record<string, unknown>>;
  // vision.json: torchvision's utils and ops (makeGrid, normalize, …) are looked up in
  // @tensorgrad/vision, the tensor ops in @tensorgrad/tensor (which wins on a shared name)
  const visionOps: Readonly<Record<string, unknown>> = { ...(vision as unknown as Record<string, unknown>), ...ops };
  const tallies: Record<Group, Tally> = {
    golden: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    vision: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    property: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    gradcheck: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    layers: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    losses: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    optimizers: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
    schedulers: { run: 0, passed: 0, skipped: 0, reasons: new Map() },
  };
  const skipped: string[] = [];

  // `missing`: why `op` is unavailable (the golden suites of classes and functions of other
  // packages); by default the op must be callable from @tensorgrad/tensor or be pending
  // (PENDING_VISION_OPS). planCheck decides; an unknown op is a failing test, never a skip.
  function register(group: Group, id: string, op: string, dtype: DType, extraReason: string | undefined, body: () => Promise<void>, missing?: string | null): void {
    const tally = tallies[group];
    const plan = planCheck({ id, op, dtype, missing, extraReason }, { backend, ops: group === 'vision' ? visionOps : ops, skip, dtypes });
    if (plan.action === 'fail') {
      tally.run++;
      it(id, () => {
        throw new Error(plan.error);
      });
      return;
    }
    const reason = plan.action === 'skip' ? plan.reason : undefined;
    if (reason !== undefined) {
      tally.skipped++;
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
      skipped.push(`  ${group} ${id}: ${reason}`);
      it.skip(`${id} [skipped: ${reason}]`, () => {});
      return;
    }
    tally.run++;
    it(id, async () => {
      await body();
      tally.passed++;
    });
  }

  describe(`conformance[${backendName}]`, () => {
    let previous: string | null = null;
    beforeAll(async () => {
      try {
        previous = getBackend().name;
      } catch {
        previous = null;
      }
      // ops that create tensors from numbers (scalar operands, zerosLike in rules) use the current backend
      await setBackend(backendName);
    });
    afterAll(async () => {
      if (previous !== null && previous !== backendName) await setBackend(previous);
      const part = (label: string, t: Tally): string => {
        const failed = t.run - t.passed;
        const reasons = [...t.reasons].map(([r, n]) => `${r}: ${n}`).join('; ');
        return `${t.run} ${label} run${failed ? ` (${failed} failed)` : ''}, ${t.skipped} skipped${reasons ? ` (${reasons})` : ''}`;
      };
      const lines = [
        `conformance[${backendName}]: ${part('golden cases', tallies.golden)}; ${part('property checks', tallies.property)}; ${part('gradchecks', tallies.gradcheck)}`,
        `  golden ${(['vision', 'layers', 'losses', 'optimizers', 'schedulers'] as const).map((g) => `${g}: ${part('cases', tallies[g])}`).join('; ')}`,
      ];
      if (skipped.length) lines.push(`skipped (${skipped.length}):`, ...skipped);
      console.log(lines.join('\n'));
    });

    describe('golden (PyTorch, ops.json)', () => {
      for (const c of loadGolden('ops.json').cases) {
        register('golden', c.id, c.op, c.dtype, undefined, () =>
          runChecked(backend, c.dtype, seededRng(c.id), ops, (ctx) => runGoldenCase(ctx, c, options.tolerance)),
        );
      }
    });

    describe('golden (PyTorch, vision.json)', () => {
      for (const c of loadGolden('vision.json').cases) {
        register('vision', c.id, c.op, c.dtype, undefined, () =>
          runChecked(backend, c.dtype, seededRng(c.id), visionOps, (ctx) => runGoldenCase(ctx, c, options.tolerance)),
        );
      }
    });

    for (const suite of goldenSuites()) {
      describe(`golden (PyTorch, ${suite.file})`, () => {
        for (const c of suite.checks) {
          register(suite.group, c.id, c.op, c.dtype, undefined, () => runChecked(backend, c.dtype, seededRng(c.id), ops, (ctx) => c.run(ctx)), c.missing ?? null);
        }
      });
    }

    describe('property (float64 reference)', () => {
      for (const spec of propertySpecs()) {
        for (const dtype of spec.dtypes) {
          const id = `${spec.id}/${dtype}`;
          register('property', id, spec.op, dtype, undefined, () => runChecked(backend, dtype, seededRng(id), ops, (ctx) => spec.run(ctx)));
        }
      }
    });

    describe('gradcheck (float64 finite differences)', () => {
      const noSync = backend.readSync ? undefined : `gradcheck reads values synchronously; backend '${backendName}' has no readSync`;
      for (const spec of gradcheckSpecs()) {
        for (const dtype of spec.dtypes) {
          const id = `${spec.id}/${dtype}`;
          register('gradcheck', id, spec.op, dtype, noSync, () => runChecked(backend, dtype, seededRng(id), ops, (ctx) => spec.run(ctx)));
        }
      }
    });
  });
}
