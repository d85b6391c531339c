// Leak tests of whole training steps: every module class of @tensorgrad/layers and
// @tensorgrad/vision, every optimizer and scheduler, on cpu, tfjs and webgpu (software adapter).
// They live in apps/fuzz rather than in the packages because they need all of them at once
// (layers, vision, optimizers, losses and the three backends), which no package may depend on.
import { afterAll, describe, expect, it } from 'vitest';
import * as layers from '@tensorgrad/layers';
import * as vision from '@tensorgrad/vision';
import * as optimizers from '@tensorgrad/optimizers';
import * as losses from '@tensorgrad/losses';
import { BatchNorm1d, clipGradNorm_, clipGradValue_, Linear, Parameter, randn, ReLU, Sequential, setBackend, type Tensor } from 'tensorgrad';
import {
  LAYER_CASES, LAYER_EXCLUSIONS, LEAK_BACKENDS, LOSS_CASES, LEAK_OPTIMIZERS, LEAK_SCHEDULERS, checkTrainingLeaks, leakBackendUnavailable,
  type LayerSetup,
} from '../src/index.js';
import { KNOWN_LEAKS } from './known-leaks.js';

const subclasses = (ns: Record<string, unknown>, base: abstract new (...a: never[]) => unknown): string[] =>
  Object.entries(ns)
    .filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof base)
    .map(([k]) => k)
    .sort();

const notRun: string[] = [];
afterAll(() => {
  const known = Object.entries(KNOWN_LEAKS);
  console.log(
    `leak tests: ${LAYER_CASES.length} module cases, ${Object.keys(LAYER_EXCLUSIONS).length} exclusions, ` +
      `${LEAK_OPTIMIZERS.length} optimizers, ${LEAK_SCHEDULERS.length} schedulers, ${LOSS_CASES.length} losses on ${LEAK_BACKENDS.join(', ')}; ` +
      `${notRun.length} not run:${notRun.map((s) => `\n  - ${s}`).join('')}\n${known.length} known leak(s) or failure(s):${known.map(([k, v]) => `\n  - ${k}: ${v}`).join('')}`,
  );
});

describe('coverage: every exported module class, optimizer and scheduler has a leak test', () => {
  it('every Module subclass of @tensorgrad/layers and @tensorgrad/vision has a case or an exclusion with its reason', () => {
    const exported = [...subclasses(layers, layers.Module), ...subclasses(vision, layers.Module)].sort();
    const covered = [...LAYER_CASES.map((c) => c.layer), ...Object.keys(LAYER_EXCLUSIONS)].sort();
    expect(exported.filter((n) => !covered.includes(n)), 'module classes without a leak case: add one to LAYER_CASES').toEqual([]);
    expect(covered.filter((n) => !exported.includes(n)), 'cases or exclusions naming no exported class').toEqual([]);
    expect(new Set(covered).size, 'a class with both a case and an exclusion, or two cases').toBe(covered.length);
    for (const c of LAYER_CASES) expect((c.from === '@tensorgrad/layers' ? layers : vision) as Record<string, unknown>).toHaveProperty(c.layer);
  });

  it('every Optimizer subclass and every scheduler of @tensorgrad/optimizers is trained', () => {
    expect(LEAK_OPTIMIZERS.map((o) => o.name).sort()).toEqual(subclasses(optimizers, optimizers.Optimizer));
    const schedulers = [...subclasses(optimizers, optimizers.LRScheduler), 'ReduceLROnPlateau'].sort();
    expect(LEAK_SCHEDULERS.map((s) => s.name).sort()).toEqual(schedulers);
  });

  it('every LossModule subclass of @tensorgrad/losses is trained', () => {
    expect(LOSS_CASES.map((c) => c.loss).sort()).toEqual(subclasses(losses, losses.LossModule as never));
  });
});

// a small model with parameters and buffers (BatchNorm's running statistics) for the optimizers
function mlp(): LayerSetup {
  const module = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
  const t = randn([4, 3]);
  const x = new Parameter(t, false);
  t.dispose();
  return { module, inputs: [x], forward: () => module.call(x) };
}

for (const backend of LEAK_BACKENDS) {
  const reason = await leakBackendUnavailable(backend);
  if (reason !== null) {
    notRun.push(`every case on ${backend}: ${reason}`);
    describe.skip(`leaks on ${backend} [skipped: ${reason}]`, () => it('runs', () => undefined));
    continue;
  }
  describe(`leaks on ${backend}: a training step of every module class`, () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    LAYER_CASES.forEach((c, i) => {
      // the optimizers take turns, so that every one meets layers of every kind on every backend
      const optimizer = LEAK_OPTIMIZERS.find((o) => o.name === c.optimizer) ?? LEAK_OPTIMIZERS[i % LEAK_OPTIMIZERS.length]!;
      const title = `${c.layer} with ${optimizer.name}`;
      const unsupported = c.unsupported?.[backend];
      if (unsupported) {
        notRun.push(`${c.layer} on ${backend}: ${unsupported}`);
        it.skip(`${title} [not run: ${unsupported}]`, () => undefined);
        return;
      }
      const known = KNOWN_LEAKS[`${backend}/${c.layer}`];
      if (known) {
        it(`${title} [known leak, expected to fail: ${known}]`, async () => {
          await expect(checkTrainingLeaks(backend, () => c.build(), optimizer, c.layer)).rejects.toThrow(/^leak in/);
        });
        return;
      }
      it(title, async () => {
        await checkTrainingLeaks(backend, () => c.build(), optimizer, c.layer, c.warmup ? { warmup: c.warmup } : {});
      });
    });
  });

  describe(`leaks on ${backend}: every optimizer and scheduler`, () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    LEAK_SCHEDULERS.forEach((s, i) => {
      const optimizer = LEAK_OPTIMIZERS[i % LEAK_OPTIMIZERS.length]!;
      // the gradient clippings take turns too
      const [clipName, clip] =
        i % 2 === 0
          ? ['clipGradNorm_', (p: Tensor[]) => clipGradNorm_(p, 0.5).dispose()]
          : ['clipGradValue_', (p: Tensor[]) => clipGradValue_(p, 0.1)];
      it(`${optimizer.name} with ${s.name} and ${clipName} on Linear + BatchNorm1d`, async () => {
        await checkTrainingLeaks(backend, mlp, optimizer, 'an MLP with BatchNorm1d', { scheduler: s, beforeStep: clip, beforeStepName: clipName });
      });
    });
  });

  describe(`leaks on ${backend}: a training step through every loss module`, () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    LOSS_CASES.forEach((c, i) => {
      const optimizer = LEAK_OPTIMIZERS[i % LEAK_OPTIMIZERS.length]!;
      it(`${c.loss} with ${optimizer.name}`, async () => {
        await checkTrainingLeaks(backend, () => c.build(), optimizer, `a Linear trained through ${c.loss}`);
      });
    });
  });
}
