/**
 * Training and inference of the book's R-CNN (`Training_RCNN.ipynb`): every region proposal is
 * cropped, resized and classified on its own; the loss is the book's `calc_loss`.
 */
import { DataLoader, TensorDataset, cat, noGrad, tensor, tidy, type AnyOptimizer, type Tensor } from 'tensorgrad';
import { cropProposals, decodeDetections, type Detections, type ProposalScene } from './detect.js';
import type { RCNN } from './models.js';
import type { Box } from './worked.js';

/** R-CNN's training set: one row per proposal of every scene. */
export interface RcnnData {
  /** The resized crops, `[P, C, size, size]`. */
  crops: Tensor;
  /** Their classes, int32 `[P]` (0 = background). */
  labels: Tensor;
  /** Offsets to their objects over `[W, H, W, H]`, `[P, 4]`. */
  deltas: Tensor;
}

/**
 * Cuts out every proposal of every scene ({@link cropProposals}) with its class and offsets: the
 * book's `RCNNDataset`, collated once.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { rcnnData } from './rcnn.js';
 * const scene = {
 *   image: zeros([1, 16, 16]), boxes: [[0, 0, 8, 8]] as [number, number, number, number][], labels: [2],
 *   proposals: [[0, 0, 8, 8], [8, 8, 16, 16]] as [number, number, number, number][],
 *   proposalLabels: [2, 0], deltas: [[0, 0, 0, 0], [-0.5, -0.5, -0.5, -0.5]] as [number, number, number, number][],
 * };
 * const data = rcnnData([scene], 8);
 * data.crops.shape; // [2, 1, 8, 8]
 * data.labels.arraySync(); // [2, 0]
 * ```
 */
export function rcnnData(scenes: readonly ProposalScene[], cropSize: number): RcnnData {
  const used = scenes.filter((s) => s.proposals.length > 0);
  if (used.length === 0) throw new RangeError('rcnnData: no region proposals in any scene; check the proposer (selective search) on these images');
  return tidy(() => {
    const crops = cat(used.map((s) => cropProposals(s.image, s.proposals, cropSize)));
    const labels = tensor(used.flatMap((s) => s.proposalLabels), { dtype: 'int32' });
    const deltas = tensor(used.flatMap((s) => s.deltas.map((d) => [...d])));
    return { crops, labels, deltas };
  });
}

/**
 * Mean losses of one epoch (what the book's `train_batch` returns: `loss`, `loc_loss`, which is the
 * cross-entropy despite its name, and `regr_loss`).
 */
export interface EpochLosses {
  /** Mean of `detection_loss + lmb · regression_loss` over the steps. */
  loss: number;
  /** Mean cross-entropy. */
  detectionLoss: number;
  /** Mean L1 loss of the foreground offsets. */
  regressionLoss: number;
  /** Optimisation steps taken. */
  steps: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Options of {@link trainRcnnEpoch}. */
export interface TrainRcnnOptions {
  /** Proposals per step (default 64). */
  batchSize?: number;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Which epoch of the seeded shuffle (default 0). */
  epoch?: number;
  /** Stop after this many steps (default: the whole epoch). */
  maxSteps?: number;
  /** Weight of the regression loss (default 10). */
  lmb?: number;
}

/**
 * One epoch of the book's `train_batch` over shuffled proposals: forward the crops, `calc_loss`,
 * backward, step. Returns the mean losses.
 *
 * @example
 * ```ts
 * import { Adam, randn, tensor, zeros } from 'tensorgrad';
 * import { RCNN } from './models.js';
 * import { trainRcnnEpoch } from './rcnn.js';
 * const model = new RCNN({ numClasses: 3, cropSize: 8, hidden: 16 });
 * const data = { crops: randn([6, 1, 8, 8]), labels: tensor([0, 1, 2, 0, 1, 2], { dtype: 'int32' }), deltas: zeros([6, 4]) };
 * trainRcnnEpoch(model, new Adam(model.parameters()), data, { batchSize: 4 }).steps; // 2
 * ```
 */
export function trainRcnnEpoch(model: RCNN, optimizer: AnyOptimizer, data: RcnnData, options: TrainRcnnOptions = {}): EpochLosses {
  const start = performance.now();
  const loader = new DataLoader(new TensorDataset(data.crops, data.labels, data.deltas), {
    batchSize: options.batchSize ?? 64,
    shuffle: true,
    seed: options.seed ?? 0,
    epoch: options.epoch ?? 0,
  });
  model.train();
  const sums = { loss: 0, detectionLoss: 0, regressionLoss: 0 };
  let steps = 0;
  for (const [x, y, d] of loader) {
    try {
      tidy(() => {
        const [scores, offsets] = model(x);
        const l = model.calcLoss(scores, offsets, y, d, { lmb: options.lmb ?? 10 });
        l.loss.backward();
        optimizer.step();
        optimizer.zeroGrad();
        sums.loss += l.loss.itemSync() as number;
        sums.detectionLoss += l.detectionLoss.itemSync() as number;
        sums.regressionLoss += l.regressionLoss.itemSync() as number;
      });
    } finally {
      x.dispose();
      y.dispose();
      d.dispose();
    }
    steps += 1;
    if (options.maxSteps !== undefined && steps >= options.maxSteps) break;
  }
  const n = Math.max(steps, 1);
  return {
    loss: sums.loss / n,
    detectionLoss: sums.detectionLoss / n,
    regressionLoss: sums.regressionLoss / n,
    steps,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * The book's `test_predictions`: crop and resize the image's proposals, run the network in eval
 * mode without gradients, then {@link decodeDetections} (softmax, background dropped, offsets
 * applied, `nms`).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { RCNN } from './models.js';
 * import { predictRcnn } from './rcnn.js';
 * const model = new RCNN({ numClasses: 3, cropSize: 8, hidden: 16 });
 * const d = await predictRcnn(model, zeros([1, 16, 16]), [[0, 0, 8, 8], [4, 4, 12, 12]], { cropSize: 8 });
 * d.boxes.length === d.scores.length; // true
 * ```
 */
export async function predictRcnn(
  model: RCNN,
  image: Tensor,
  proposals: readonly Box[],
  options: { cropSize: number; iouThreshold?: number },
): Promise<Detections> {
  const [, height, width] = image.shape as [number, number, number];
  if (proposals.length === 0) return { boxes: [], labels: [], scores: [] };
  model.eval();
  const [scores, offsets] = noGrad(() => tidy(() => model(cropProposals(image, proposals, options.cropSize))));
  try {
    return await decodeDetections(proposals, scores, offsets, { width, height, iouThreshold: options.iouThreshold });
  } finally {
    scores.dispose();
    offsets.dispose();
  }
}
