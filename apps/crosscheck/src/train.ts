import { buildCnn, buildOptimizer, loadFashionData, trainEpoch } from '@tensorgrad/fashion-mnist';
import { findBackend, manualSeed, setBackend, tidy, type Sequential, type Tensor } from 'tensorgrad';
import { fmt } from './compare.js';

/** The batch size of the training comparison (the CLI's default). */
export const TRAIN_BATCH_SIZE = 32;
/** The learning rate of the training comparison (the CLI's default, with Adam). */
export const TRAIN_LR = 1e-3;
/**
 * The largest relative difference of the two loss trajectories that passes: 1e-4, calibrated for
 * the default 20 steps. Measured over the first 20 batches, float32 rounding alone moves the loss
 * by at most 1.3e-6 (the CPU backend against itself with its WebAssembly SIMD GEMM off: 1.2e-7,
 * 1.3e-6 and 1.1e-6 for seeds 0, 1, 2; tfjs 5.1e-7 and tfjs-wasm 4.1e-7 for seed 0), so 1e-4
 * leaves a factor of about 75 for engines with other rounding; a bug as small as one wrong
 * element among the 896,522 weight gradients exceeds it by step 9 (3.7e-4 at step 10). See
 * apps/crosscheck/README.md.
 */
export const TRAIN_TOLERANCE = 1e-4;

/** Options of {@link crossCheckTraining}. */
export interface CrossCheckTrainingOptions {
  /** Training steps (batches) on each backend (default 20). */
  steps?: number;
  /** Seed of the initial weights and of the batch order (default 0). */
  seed?: number;
  /** A folder with the Fashion-MNIST IDX files, looked in first. */
  dataRoot?: string | null;
  /** The largest relative loss difference that passes (default {@link TRAIN_TOLERANCE}). */
  tolerance?: number;
  /** Progress messages (default none). */
  log?: (line: string) => void;
}

/** What {@link crossCheckTraining} returns. */
export interface TrainingReport {
  a: string;
  b: string;
  steps: number;
  seed: number;
  /** Each step's mean batch loss on backend `a`, then on `b`. */
  lossesA: number[];
  lossesB: number[];
  /** `|lossB − lossA| / |lossA|` per step. */
  relDiffs: number[];
  maxRelDiff: number;
  /** The largest absolute difference of any parameter after the last step. */
  paramMaxAbsDiff: number;
  tolerance: number;
  /** Wall-clock seconds of the training on each backend. */
  secondsA: number;
  secondsB: number;
  ok: boolean;
}

function copyWeights(from: Sequential, to: Sequential, backend: string): void {
  const sd = from.stateDict();
  const moved = Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.to({ backend })]));
  try {
    to.loadStateDict(moved);
  } finally {
    for (const t of [...Object.values(sd), ...Object.values(moved)]) t.dispose();
  }
}

async function maxParamDiff(a: Sequential, b: Sequential): Promise<number> {
  const pa = a.parameters();
  const pb = b.parameters();
  let m = 0;
  for (let i = 0; i < pa.length; i++) {
    const x = await pa[i]!.data();
    const y = await pb[i]!.data();
    for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(Number(x[j]) - Number(y[j])));
  }
  return m;
}

/**
 * Trains chapter 4's Fashion-MNIST CNN (the app's `buildCnn`) for `steps` batches of 32 on
 * backend `a` and on backend `b` — the same initial weights (drawn with `manualSeed(seed)` on `a`,
 * copied to `b`), the same first `32·steps` training images in the same seeded order, Adam with lr
 * 1e-3, the app's own `trainEpoch` loop — and compares the two loss trajectories.
 *
 * @example
 * ```ts
 * import { crossCheckTraining } from '@tensorgrad/crosscheck';
 * // needs the Fashion-MNIST files (Debian's dataset-fashion-mnist):
 * const run = (): Promise<unknown> => crossCheckTraining('cpu', 'tfjs', { steps: 20 });
 * typeof run; // 'function'
 * ```
 */
export async function crossCheckTraining(a: string, b: string, options: CrossCheckTrainingOptions = {}): Promise<TrainingReport> {
  const steps = options.steps ?? 20;
  const seed = options.seed ?? 0;
  const tolerance = options.tolerance ?? TRAIN_TOLERANCE;
  const log = options.log ?? (() => {});
  await findBackend(a);
  await findBackend(b);
  await setBackend(a);
  const data = await loadFashionData({ train: true, limit: steps * TRAIN_BATCH_SIZE, root: options.dataRoot ?? null, install: false, log });
  const owned: { dispose(): void }[] = [data];
  try {
    manualSeed(seed);
    const modelA = buildCnn();
    owned.push(modelA);
    await setBackend(b);
    const modelB = buildCnn();
    owned.push(modelB);
    copyWeights(modelA, modelB, b);
    const [imagesB, labelsB] = tidy(() => [data.images.to({ backend: b }), data.labels.to({ backend: b })]) as [Tensor, Tensor];
    owned.push(imagesB, labelsB);

    const train = async (name: string, model: Sequential, images: Tensor, labels: Tensor): Promise<{ losses: number[]; seconds: number }> => {
      await setBackend(name);
      const opt = buildOptimizer('adam', model.parameters(), TRAIN_LR);
      try {
        log(`training on '${name}': ${steps} step(s) of ${TRAIN_BATCH_SIZE} images...`);
        const r = await trainEpoch(model, opt, { images, labels }, { epoch: 1, batchSize: TRAIN_BATCH_SIZE, seed });
        return { losses: r.batchLosses, seconds: r.seconds };
      } finally {
        opt.dispose();
      }
    };
    const ra = await train(a, modelA, data.images, data.labels);
    const rb = await train(b, modelB, imagesB, labelsB);
    const relDiffs = ra.losses.map((la, i) => Math.abs(rb.losses[i]! - la) / Math.abs(la));
    const maxRelDiff = relDiffs.reduce((m, d) => (Number.isNaN(d) ? Infinity : Math.max(m, d)), 0);
    const paramMaxAbsDiff = await maxParamDiff(modelA, modelB);
    await setBackend(a);
    return {
      a,
      b,
      steps,
      seed,
      lossesA: ra.losses,
      lossesB: rb.losses,
      relDiffs,
      maxRelDiff,
      paramMaxAbsDiff,
      tolerance,
      secondsA: ra.seconds,
      secondsB: rb.seconds,
      ok: rb.losses.length === ra.losses.length && maxRelDiff <= tolerance,
    };
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}

/**
 * The two loss trajectories side by side with their relative differences, and the verdict.
 *
 * @example
 * ```ts
 * import { formatTrainingReport } from '@tensorgrad/crosscheck';
 * const text = formatTrainingReport({ a: 'cpu', b: 'x', steps: 1, seed: 0, lossesA: [2.3], lossesB: [2.3000001], relDiffs: [4e-8],
 *   maxRelDiff: 4e-8, paramMaxAbsDiff: 1e-9, tolerance: 1e-3, secondsA: 1, secondsB: 1, ok: true });
 * text.includes('largest relative difference 4.00e-8'); // true
 * ```
 */
export function formatTrainingReport(r: TrainingReport): string {
  const header = ['step', `loss (${r.a})`, `loss (${r.b})`, 'rel diff'];
  const body = r.lossesA.map((la, i) => [String(i + 1), la.toFixed(7), r.lossesB[i] === undefined ? '-' : r.lossesB[i]!.toFixed(7), fmt(r.relDiffs[i] ?? NaN)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [
    `training: chapter 4's CNN, Adam lr ${TRAIN_LR}, ${r.steps} batch(es) of ${TRAIN_BATCH_SIZE} Fashion-MNIST training images (the first ${r.steps * TRAIN_BATCH_SIZE}, seed ${r.seed}), same initial weights`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    `largest relative difference ${fmt(r.maxRelDiff)} (tolerance ${fmt(r.tolerance)}): ${r.ok ? 'ok' : 'FAIL'}; ` +
      `parameters after the last step differ by at most ${fmt(r.paramMaxAbsDiff)}; ${r.secondsA.toFixed(1)} s on '${r.a}', ${r.secondsB.toFixed(1)} s on '${r.b}'`,
  ].join('\n');
}
