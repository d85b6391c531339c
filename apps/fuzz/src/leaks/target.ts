import { clipGradNorm_, type Tensor } from 'tensorgrad';
import type { FuzzTarget } from '../target.js';
import { leakBackendUnavailable, type LeakBackend } from './backends.js';
import { LAYER_CASES, type LayerSetup } from './layer-cases.js';
import { LOSS_CASES } from './loss-cases.js';
import { checkTrainingLeaks, LEAK_OPTIMIZERS, LEAK_SCHEDULERS } from './training.js';

interface Drawn {
  readonly what: string;
  build(): LayerSetup;
  readonly warmup?: number | undefined;
}

/**
 * The leak checks as a fuzz target (`leaks/<backend>`), for `pnpm fuzz`: seed `s` trains one
 * module or loss case (all of {@link LAYER_CASES} and {@link LOSS_CASES} in turn) with an
 * optimizer, a scheduler and gradient clipping or not, all picked from `s`, on inputs and
 * weights drawn with `manualSeed(s)`, and rejects when memory is not flat. The CI tests run every
 * case once; this reaches the other combinations.
 *
 * @example
 * ```ts
 * import { leakTarget } from '@tensorgrad/fuzz';
 * const t = leakTarget('cpu');
 * t.name; // 'leaks/cpu'
 * (await t.run(3)).startsWith('seed 3: '); // true
 * ```
 */
export function leakTarget(backend: LeakBackend): FuzzTarget {
  const cases: Drawn[] = [
    ...LAYER_CASES.filter((c) => !c.unsupported?.[backend]).map((c) => ({ what: c.layer, build: () => c.build(), warmup: c.warmup })),
    ...LOSS_CASES.map((c) => ({ what: `a Linear trained through ${c.loss}`, build: () => c.build() })),
  ];
  return {
    name: `leaks/${backend}`,
    unavailable: () => leakBackendUnavailable(backend),
    async run(seed) {
      let r = seed;
      const pick = <T>(xs: readonly T[]): T => {
        const x = xs[r % xs.length]!;
        r = Math.floor(r / xs.length);
        return x;
      };
      const c = pick(cases);
      const optimizer = pick(LEAK_OPTIMIZERS);
      const scheduler = pick([undefined, ...LEAK_SCHEDULERS]);
      // OneCycleLR cycles momentum, which optimizers without momentum or betas do not have
      const usable = scheduler?.name === 'OneCycleLR' && (optimizer.name === 'LBFGS' || optimizer.name === 'Adagrad') ? undefined : scheduler;
      const clip = pick([false, true]);
      const options = {
        seed,
        // LBFGS's history needs its own warm-up whatever the case
        ...(c.warmup !== undefined && optimizer.warmup === undefined ? { warmup: c.warmup } : {}),
        ...(usable ? { scheduler: usable } : {}),
        ...(clip ? { beforeStep: (p: Tensor[]) => clipGradNorm_(p, 1).dispose(), beforeStepName: 'clipGradNorm_' } : {}),
      };
      await checkTrainingLeaks(backend, () => c.build(), optimizer, c.what, options);
      return `seed ${seed}: ${c.what} with ${optimizer.name}${usable ? ` and ${usable.name}` : ''}${clip ? ' and clipGradNorm_' : ''} on ${backend}: memory flat`;
    },
  };
}
