import { buildCnn, buildOptimizer, loadFashionData } from '@tensorgrad/fashion-mnist';
import { crossEntropy, epochPermutation, findBackend, fromTypedArray, indexSelect, manualSeed, noGrad, setBackend, tidy, type AnyOptimizer, type Sequential, type Tensor } from 'tensorgrad';
import { fmt } from './compare.js';

/** The batch size of the training comparison (the CLI's default). */
export const TRAIN_BATCH_SIZE = 32;
/** The learning rate of the training comparison (the CLI's default, with Adam). */
export const TRAIN_LR = 1e-3;

/**
 * What passes, per step of the lock-step comparison (apps/crosscheck/README.md has the
 * measurements behind each figure):
 *
 * - `loss`: the relative difference of the two losses, computed from the same weights on the same
 *   batch. The loss is a continuous function of the weights, so only rounding moves it: ≤ 3.3e-7
 *   measured (cpu-nosimd, tfjs-wasm, webgpu; 9 runs of 20 steps).
 * - `grad`: for each parameter tensor, ‖g_b − g_a‖ / ‖g_a‖ of the two gradients, the largest over
 *   the tensors. Gradients are only piecewise continuous: where a ReLU input lies within rounding
 *   of 0 (or two max-pool candidates within rounding of each other) two correct float32 backends
 *   route a gradient entry differently. Measured: ≤ 2e-6 without such an event, up to 5.8e-4 with
 *   one — the CPU backend's float32 gradients differ from its float64 ones by up to 1.3e-4 the same
 *   way. One zeroed element of the first convolution's weight gradient gives 0.028 at step 1.
 * - `update`: the same norm ratio for the parameter changes of the two Adam steps, which amplify
 *   the gradient events (≤ 9.0e-4 measured; the zeroed element gives 0.043).
 */
export const TRAIN_TOLERANCE = { loss: 1e-5, grad: 5e-3, update: 2e-2 } as const;

/** The three tolerances of {@link crossCheckTraining}. */
export interface TrainingTolerance {
  loss: number;
  grad: number;
  update: number;
}

/** Options of {@link crossCheckTraining}. */
export interface CrossCheckTrainingOptions {
  /** Training steps (batches) (default 20). */
  steps?: number;
  /** Seed of the initial weights and of the batch order (default 0). */
  seed?: number;
  /** A folder with the Fashion-MNIST IDX files, looked in first. */
  dataRoot?: string | null;
  /** What passes (default {@link TRAIN_TOLERANCE}); a partial object overrides those given. */
  tolerance?: Partial<TrainingTolerance>;
  /** Progress messages (default none). */
  log?: (line: string) => void;
}

/** What {@link crossCheckTraining} returns: per step, and the largest over the steps. */
export interface TrainingReport {
  a: string;
  b: string;
  steps: number;
  seed: number;
  /** Each step's batch loss on backend `a` (its training trajectory), then on `b` from the same weights. */
  lossesA: number[];
  lossesB: number[];
  /** `|lossB − lossA| / |lossA|` per step. */
  relDiffs: number[];
  /** Per step, the largest over the parameter tensors of ‖g_b − g_a‖ / ‖g_a‖. */
  gradRelDiffs: number[];
  /** Per step, the largest over the parameter tensors of ‖Δ_b − Δ_a‖ / ‖Δ_a‖ (Δ: the optimizer step's change). */
  updateRelDiffs: number[];
  /** The parameter (state-dict key) of the largest gradient difference over all steps. */
  worstGradParam: string;
  maxRelDiff: number;
  maxGradRelDiff: number;
  maxUpdateRelDiff: number;
  tolerance: TrainingTolerance;
  /** Wall-clock seconds of the training steps on each backend. */
  secondsA: number;
  secondsB: number;
  ok: boolean;
}

async function readAll(ts: readonly Tensor[]): Promise<Float32Array[]> {
  return Promise.all(ts.map(async (t) => Float32Array.from((await t.data()) as Float32Array)));
}

/** ‖x − y‖ / ‖ref‖ in doubles (0 when x equals y, Infinity when only ref is all zeros). */
function relNorm(x: Float32Array, y: Float32Array, ref: (i: number) => number): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i]! - y[i]!) ** 2;
    r += ref(i) ** 2;
  }
  if (d === 0) return 0;
  return r === 0 || Number.isNaN(d) ? Infinity : Math.sqrt(d / r);
}

interface StepResult {
  loss: number;
  grads: Float32Array[];
  after: Float32Array[];
  seconds: number;
}

/** One training step of the app's loop (zeroGrad, forward, cross-entropy, backward, step), read back. */
async function step(backend: string, model: Sequential, opt: AnyOptimizer, images: Tensor, labels: Tensor, index: Int32Array): Promise<StepResult> {
  await setBackend(backend);
  const started = performance.now();
  const lossT = tidy(() => {
    opt.zeroGrad();
    const idx = fromTypedArray(index, [index.length], { backend: images.backend });
    const x = indexSelect(images, idx, { dim: 0 }).to(backend);
    const y = indexSelect(labels, idx, { dim: 0 }).to(backend);
    const loss = crossEntropy(model.call(x) as Tensor, y);
    loss.backward();
    return loss.detach();
  });
  try {
    const loss = Number(await lossT.item());
    const params = model.parameters();
    const grads = await readAll(params.map((p) => p.grad!));
    tidy(() => opt.step());
    const after = await readAll(params);
    return { loss, grads, after, seconds: (performance.now() - started) / 1000 };
  } finally {
    lossT.dispose();
  }
}

/**
 * Trains chapter 4's Fashion-MNIST CNN (the app's `buildCnn`) with Adam (lr 1e-3) on backend `a`
 * for `steps` batches of 32 — the first `32·steps` training images in the app's seeded order,
 * weights drawn with `manualSeed(seed)` — and checks `b` in lock step: before every step, `b`'s
 * model gets `a`'s current weights; both compute the loss and the gradients of the same batch and
 * take an Adam step (each backend keeps its own Adam state); the losses, the gradients and the
 * parameter changes are compared (see {@link TRAIN_TOLERANCE}).
 *
 * Lock step rather than two free-running trajectories: float32 training is chaotic. Where a
 * pre-activation lies within rounding of 0 (or two max-pool candidates within rounding of each
 * other), two correct backends can route one gradient entry differently; Adam then moves the two
 * models apart further at every step, by as much as a real bug would (apps/crosscheck/README.md).
 * Resetting `b` to `a`'s weights makes each step's comparison independent of earlier ones.
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
  const tolerance: TrainingTolerance = { ...TRAIN_TOLERANCE, ...options.tolerance };
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
    const optA = buildOptimizer('adam', modelA.parameters(), TRAIN_LR);
    owned.push(optA);
    await setBackend(b);
    const modelB = buildCnn();
    owned.push(modelB);
    const optB = buildOptimizer('adam', modelB.parameters(), TRAIN_LR);
    owned.push(optB);
    const keys = modelA.namedParameters().map(([name]) => name);
    const paramsA = modelA.parameters();
    const paramsB = modelB.parameters();
    const n = data.images.shape[0]!;
    // the first epoch's order of a DataLoader shuffling with this seed
    const order = Int32Array.from(epochPermutation(n, BigInt(seed), 1));
    const r: TrainingReport = {
      a, b, steps, seed, lossesA: [], lossesB: [], relDiffs: [], gradRelDiffs: [], updateRelDiffs: [], worstGradParam: '',
      maxRelDiff: 0, maxGradRelDiff: 0, maxUpdateRelDiff: 0, tolerance, secondsA: 0, secondsB: 0, ok: false,
    };
    log(`training on '${a}', checking '${b}' in lock step: ${steps} step(s) of ${TRAIN_BATCH_SIZE} images...`);
    let before = await readAll(paramsA);
    for (let s = 0; s < steps; s++) {
      const index = order.subarray(s * TRAIN_BATCH_SIZE, Math.min(n, (s + 1) * TRAIN_BATCH_SIZE));
      const w = before;
      noGrad(() => paramsB.forEach((p, i) => tidy(() => p.copy_(fromTypedArray(w[i]!, [...p.shape], { backend: b })))));
      const ra = await step(a, modelA, optA, data.images, data.labels, index);
      const rb = await step(b, modelB, optB, data.images, data.labels, index);
      let gradRel = 0;
      let updateRel = 0;
      ra.grads.forEach((ga, i) => {
        const g = relNorm(rb.grads[i]!, ga, (j) => ga[j]!);
        if (!(g <= gradRel)) {
          gradRel = g;
          if (!(g <= r.maxGradRelDiff)) r.worstGradParam = keys[i]!;
        }
        updateRel = Math.max(updateRel, relNorm(rb.after[i]!, ra.after[i]!, (j) => ra.after[i]![j]! - w[i]![j]!));
      });
      const lossRel = Math.abs(rb.loss - ra.loss) / Math.abs(ra.loss);
      r.lossesA.push(ra.loss);
      r.lossesB.push(rb.loss);
      r.relDiffs.push(lossRel);
      r.gradRelDiffs.push(gradRel);
      r.updateRelDiffs.push(updateRel);
      r.maxRelDiff = Number.isNaN(lossRel) ? Infinity : Math.max(r.maxRelDiff, lossRel);
      r.maxGradRelDiff = Math.max(r.maxGradRelDiff, gradRel);
      r.maxUpdateRelDiff = Math.max(r.maxUpdateRelDiff, updateRel);
      r.secondsA += ra.seconds;
      r.secondsB += rb.seconds;
      before = ra.after;
    }
    await setBackend(a);
    r.ok = r.maxRelDiff <= tolerance.loss && r.maxGradRelDiff <= tolerance.grad && r.maxUpdateRelDiff <= tolerance.update;
    return r;
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}

/**
 * The lock-step comparison as a table — per step, `a`'s loss, `b`'s loss from the same weights,
 * and the relative differences of the losses, gradients and updates — and the verdict.
 *
 * @example
 * ```ts
 * import { formatTrainingReport } from '@tensorgrad/crosscheck';
 * const text = formatTrainingReport({ a: 'cpu', b: 'x', steps: 1, seed: 0, lossesA: [2.3], lossesB: [2.3000001], relDiffs: [4e-8],
 *   gradRelDiffs: [3e-7], updateRelDiffs: [1e-6], worstGradParam: '0.weight', maxRelDiff: 4e-8, maxGradRelDiff: 3e-7, maxUpdateRelDiff: 1e-6,
 *   tolerance: { loss: 1e-5, grad: 5e-3, update: 2e-2 }, secondsA: 1, secondsB: 1, ok: true });
 * text.includes('losses 4.00e-8 (tolerance 1.00e-5)'); // true
 * ```
 */
export function formatTrainingReport(r: TrainingReport): string {
  const header = ['step', `loss (${r.a})`, `loss (${r.b})`, 'loss rel diff', 'grad rel diff', 'update rel diff'];
  const body = r.lossesA.map((la, i) => [
    String(i + 1),
    la.toFixed(7),
    r.lossesB[i] === undefined ? '-' : r.lossesB[i]!.toFixed(7),
    fmt(r.relDiffs[i] ?? NaN),
    fmt(r.gradRelDiffs[i] ?? NaN),
    fmt(r.updateRelDiffs[i] ?? NaN),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const verdict = (v: number, t: number): string => `${fmt(v)} (tolerance ${fmt(t)})${v <= t ? '' : ' FAIL'}`;
  return [
    `training: chapter 4's CNN, Adam lr ${TRAIN_LR}, ${r.steps} batch(es) of ${TRAIN_BATCH_SIZE} Fashion-MNIST training images (the first ${r.steps * TRAIN_BATCH_SIZE}, seed ${r.seed}), ` +
      `trained on '${r.a}'; before every step '${r.b}' gets '${r.a}'s weights and takes the same step`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    `largest relative differences: losses ${verdict(r.maxRelDiff, r.tolerance.loss)}, gradients ${verdict(r.maxGradRelDiff, r.tolerance.grad)}` +
      `${r.worstGradParam ? ` (worst: '${r.worstGradParam}')` : ''}, updates ${verdict(r.maxUpdateRelDiff, r.tolerance.update)}: ${r.ok ? 'ok' : 'FAIL'}; ` +
      `${r.secondsA.toFixed(1)} s on '${r.a}', ${r.secondsB.toFixed(1)} s on '${r.b}'`,
  ].join('\n');
}
