/**
 * Training and inference of the book's Fast R-CNN (`Training_Fast_R_CNN.ipynb`): a batch of whole
 * images goes through the backbone once, and `RoIPool` cuts every proposal's features out of the
 * shared feature map.
 */
import { noGrad, stack, tensor, tidy, type AnyOptimizer, type Tensor } from 'tensorgrad';
import { decodeDetections, type Detections, type ProposalScene } from './detect.js';
import type { FRCNN } from './models.js';
import type { EpochLosses } from './rcnn.js';
import type { Box } from './worked.js';

/** Options of {@link trainFrcnnEpoch}. */
export interface TrainFrcnnOptions {
  /** Images per step (default 2, the book's). */
  batchSize?: number;
  /** Seed of the shuffle of the images (default 0). */
  seed?: number;
  /** Which epoch of the seeded shuffle (default 0). */
  epoch?: number;
  /** Stop after this many steps (default: the whole epoch). */
  maxSteps?: number;
  /** Weight of the regression loss (default 10). */
  lmb?: number;
}

/**
 * A seeded shuffle of `0 … n−1` (Fisher–Yates over mulberry32), a different one for each `epoch`.
 *
 * @example
 * ```ts
 * import { shuffled } from './frcnn.js';
 * shuffled(5, 1, 0).slice().sort(); // [0, 1, 2, 3, 4]
 * shuffled(5, 1, 0).join() === shuffled(5, 1, 0).join(); // true
 * ```
 */
export function shuffled(n: number, seed: number, epoch: number): number[] {
  let a = (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** One batch of Fast R-CNN's input: the book's `FRCNNDataset.collate_fn`. */
export interface FrcnnBatch {
  /** The images, `[B, C, H, W]`. */
  input: Tensor;
  /** Every proposal of every image over `[W, H, W, H]`, `[K, 4]`. */
  rois: Tensor;
  /** The image each proposal belongs to, `[K]`. */
  ridx: Tensor;
  /** Their classes, int32 `[K]`. */
  labels: Tensor;
  /** Their offsets, `[K, 4]`. */
  deltas: Tensor;
}

/**
 * Collates scenes the way the book's `FRCNNDataset.collate_fn` does: the images stacked, the
 * proposals of all of them concatenated with the index of their image.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { frcnnBatch } from './frcnn.js';
 * const scene = (p: number) => ({
 *   image: zeros([1, 10, 10]), boxes: [], labels: [],
 *   proposals: Array.from({ length: p }, () => [0, 0, 5, 5] as [number, number, number, number]),
 *   proposalLabels: Array(p).fill(0), deltas: Array.from({ length: p }, () => [0, 0, 0, 0] as [number, number, number, number]),
 * });
 * const b = frcnnBatch([scene(2), scene(1)]);
 * b.ridx.arraySync(); // [0, 0, 1]
 * b.rois.arraySync()[2]; // [0, 0, 0.5, 0.5]
 * ```
 */
export function frcnnBatch(scenes: readonly ProposalScene[]): FrcnnBatch {
  return tidy(() => {
    const input = stack(scenes.map((s) => s.image));
    const rois: number[][] = [];
    const ridx: number[] = [];
    const labels: number[] = [];
    const deltas: number[][] = [];
    scenes.forEach((s, i) => {
      const [, H, W] = s.image.shape as [number, number, number];
      s.proposals.forEach((p, j) => {
        rois.push([p[0] / W, p[1] / H, p[2] / W, p[3] / H]);
        ridx.push(i);
        labels.push(s.proposalLabels[j]!);
        deltas.push([...s.deltas[j]!]);
      });
    });
    return {
      input,
      rois: tensor(rois, { dtype: input.dtype }).reshape([-1, 4]),
      ridx: tensor(ridx, { dtype: input.dtype }),
      labels: tensor(labels, { dtype: 'int32' }),
      deltas: tensor(deltas, { dtype: input.dtype }).reshape([-1, 4]),
    };
  });
}

/**
 * One epoch of Fast R-CNN over shuffled scenes, `batchSize` images a step: the book's
 * `train_batch` with `calc_loss`. Scenes without proposals are skipped.
 *
 * @example
 * ```ts
 * import { Adam, zeros } from 'tensorgrad';
 * import { FRCNN } from './models.js';
 * import { trainFrcnnEpoch } from './frcnn.js';
 * const model = new FRCNN({ numClasses: 3, hidden: 8, outputSize: 2 });
 * const scene = { image: zeros([1, 16, 16]), boxes: [], labels: [], proposals: [[0, 0, 8, 8]] as [number, number, number, number][], proposalLabels: [1], deltas: [[0, 0, 0, 0]] as [number, number, number, number][] };
 * trainFrcnnEpoch(model, new Adam(model.parameters()), [scene, scene, scene]).steps; // 2
 * ```
 */
export function trainFrcnnEpoch(model: FRCNN, optimizer: AnyOptimizer, scenes: readonly ProposalScene[], options: TrainFrcnnOptions = {}): EpochLosses {
  const start = performance.now();
  const batchSize = options.batchSize ?? 2;
  const used = scenes.filter((s) => s.proposals.length > 0);
  if (used.length === 0) throw new RangeError('trainFrcnnEpoch: no region proposals in any scene; check the proposer (selective search) on these images');
  const order = shuffled(used.length, options.seed ?? 0, options.epoch ?? 0);
  model.train();
  const sums = { loss: 0, detectionLoss: 0, regressionLoss: 0 };
  let steps = 0;
  for (let b = 0; b < order.length; b += batchSize) {
    tidy(() => {
      const batch = frcnnBatch(order.slice(b, b + batchSize).map((i) => used[i]!));
      const [scores, offsets] = model(batch.input, batch.rois, batch.ridx);
      const l = model.calcLoss(scores, offsets, batch.labels, batch.deltas, { lmb: options.lmb ?? 10 });
      l.loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      sums.loss += l.loss.itemSync() as number;
      sums.detectionLoss += l.detectionLoss.itemSync() as number;
      sums.regressionLoss += l.regressionLoss.itemSync() as number;
    });
    steps += 1;
    if (options.maxSteps !== undefined && steps >= options.maxSteps) break;
  }
  const n = Math.max(steps, 1);
  return { loss: sums.loss / n, detectionLoss: sums.detectionLoss / n, regressionLoss: sums.regressionLoss / n, steps, seconds: (performance.now() - start) / 1000 };
}

/**
 * Fast R-CNN's `test_predictions`: one backbone pass over the image, `RoIPool` over its
 * proposals, then {@link decodeDetections} (with a softmax, which the book's Fast R-CNN
 * `test_predictions` leaves out; the image is not resized to 224×224 as the book's is).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { FRCNN } from './models.js';
 * import { predictFrcnn } from './frcnn.js';
 * const model = new FRCNN({ numClasses: 3, hidden: 8 });
 * const d = await predictFrcnn(model, zeros([1, 32, 32]), [[0, 0, 16, 16], [8, 8, 30, 30]]);
 * d.boxes.length === d.labels.length; // true
 * ```
 */
export async function predictFrcnn(model: FRCNN, image: Tensor, proposals: readonly Box[], options: { iouThreshold?: number } = {}): Promise<Detections> {
  const [, height, width] = image.shape as [number, number, number];
  if (proposals.length === 0) return { boxes: [], labels: [], scores: [] };
  model.eval();
  const [scores, offsets] = noGrad(() =>
    tidy(() => {
      const rois = tensor(proposals.map((p) => [p[0] / width, p[1] / height, p[2] / width, p[3] / height]), { dtype: image.dtype });
      return model(image.unsqueeze(0), rois, tensor(proposals.map(() => 0), { dtype: image.dtype }));
    }),
  );
  try {
    return await decodeDetections(proposals, scores, offsets, { width, height, iouThreshold: options.iouThreshold });
  } finally {
    scores.dispose();
    offsets.dispose();
  }
}
