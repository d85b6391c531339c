/**
 * The chapter's two detectors end to end: scenes → selective-search proposals → the book's
 * targets → training (R-CNN on crops, Fast R-CNN on whole images with `RoIPool`) → predictions on
 * held-out scenes → mAP@0.5 with `MeanAveragePrecision` → pictures of the predictions as PNG.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Adam, MeanAveragePrecision, drawBoundingBoxes, makeGrid, manualSeed, resize, tensor, tidy, writePng, zeros, type Tensor } from 'tensorgrad';
import { loadScenes } from './data.js';
import { withProposals, type Detections, type Proposer, type ProposalScene, type Scene } from './detect.js';
import { predictFrcnn, trainFrcnnEpoch } from './frcnn.js';
import { FRCNN, RCNN, parameterCount } from './models.js';
import { extractCandidates } from './proposals.js';
import { predictRcnn, rcnnData, trainRcnnEpoch, type EpochLosses } from './rcnn.js';
import type { Box } from './worked.js';

/**
 * Selective search's settings for the 64×64 scenes: the book's `scale=200, min_size=100` and 5 %
 * size floor are meant for photographs of a few hundred pixels a side; on small grey canvases they
 * leave about 3 proposals a scene and miss a quarter of the garments. These give about 9 a scene,
 * with a proposal of IoU ≥ 0.5 for about 97 % of the garments (measured on 40 training scenes).
 */
export const SCENE_PROPOSALS = { scale: 50, minSize: 20, minFraction: 0.02 } as const;

/** Which of the chapter's detectors. */
export type DetectorKind = 'rcnn' | 'frcnn';

/** Options of {@link runDetector}. */
export interface DetectorRunOptions {
  /** Training scenes (default 500). */
  limit?: number;
  /** Held-out scenes mAP is measured on (default 100). */
  testLimit?: number;
  /** Epochs (default 5, the book's). */
  epochs?: number;
  /** Side of the square scenes (default 64). */
  size?: number;
  /** Side of R-CNN's crops (default 32; the book's 224). */
  cropSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  /** Seed of the weights and the batch order (default 0); the scenes use seed 0 always. */
  seed?: number;
  /** Stop each epoch after this many steps (tests). */
  maxSteps?: number;
  /** Folder of the prediction pictures (none written when absent). */
  out?: string;
  /** How many held-out scenes the picture shows (default 8). */
  pictures?: number;
  /** Region proposals (default: selective search, the book's `extract_candidates`). */
  proposer?: Proposer;
  /** Scenes to use instead of generating them (tests). */
  scenes?: { train: Scene[]; test: Scene[] };
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What {@link runDetector} measured. */
export interface DetectorRunResult {
  /** `'rcnn'` or `'frcnn'`. */
  name: DetectorKind;
  /** A one-line description. */
  title: string;
  /** Training and held-out scenes. */
  scenes: { train: number; test: number };
  /** Mean region proposals per training scene, and the fraction of them labelled foreground. */
  proposals: { perScene: number; foreground: number };
  /** The detector's parameter values. */
  parameters: number;
  /** Losses and time of each epoch. */
  epochs: (EpochLosses & { epoch: number })[];
  /** Mean seconds of a training epoch. */
  secondsPerEpoch: number;
  /** `MeanAveragePrecision`'s `map50` on the held-out scenes. */
  map50: number;
  /** Its `map` (IoU 0.5:0.95, COCO). */
  map: number;
  /** Fraction of the held-out objects whose best proposal has IoU ≥ 0.5 (the ceiling of recall at 0.5). */
  proposalRecall: number;
  /** Seconds to predict all held-out scenes. */
  predictSeconds: number;
  /** The PNG files written. */
  files: string[];
}

/**
 * Mean average precision of detections against the scenes' objects, with the library's
 * `MeanAveragePrecision` (COCO's 101-point interpolation): returns `map50` and `map`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { meanAveragePrecision } from './experiment.js';
 * const scenes = [{ image: zeros([1, 20, 20]), boxes: [[0, 0, 10, 10]] as [number, number, number, number][], labels: [3] }];
 * (await meanAveragePrecision([{ boxes: [[0, 0, 10, 10]], labels: [3], scores: [0.9] }], scenes)).map50; // 1
 * ```
 */
export async function meanAveragePrecision(predictions: readonly Detections[], scenes: readonly Scene[]): Promise<{ map50: number; map: number }> {
  const metric = new MeanAveragePrecision();
  const boxes = (b: readonly Box[]): Tensor => (b.length === 0 ? zeros([0, 4]) : tensor(b.map((x) => [...x])));
  await tidy(() =>
    metric.updateAsync(
      predictions.map((p) => ({ boxes: boxes(p.boxes), scores: tensor(p.scores), labels: tensor(p.labels, { dtype: 'int32' }) })),
      scenes.map((s) => ({ boxes: boxes(s.boxes), labels: tensor(s.labels, { dtype: 'int32' }) })),
    ),
  );
  const r = metric.compute();
  return { map50: r.map50, map: r.map };
}

/**
 * The held-out scenes with their ground truth (green) and the detections (red), side by side,
 * enlarged twice, in one grid: what the book's `show(img, bbs=..., texts=...)` displays.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { predictionGrid } from './experiment.js';
 * const scene = { image: zeros([1, 16, 16]), boxes: [[2, 2, 8, 8]] as [number, number, number, number][], labels: [1] };
 * // one picture, enlarged twice (make_grid returns a single image without padding)
 * (await predictionGrid([scene], [{ boxes: [[3, 3, 9, 9]], labels: [1], scores: [0.8] }])).shape; // [3, 32, 32]
 * ```
 */
export async function predictionGrid(scenes: readonly Scene[], predictions: readonly Detections[]): Promise<Tensor> {
  const drawn: Tensor[] = [];
  try {
    for (let i = 0; i < scenes.length; i++) {
      const s = scenes[i]!;
      const [, h, w] = s.image.shape as [number, number, number];
      const big = tidy(() => resize(s.image, [2 * h, 2 * w], { interpolation: 'nearest' }).mul(255).add(0.5).clamp(0, 255).int());
      const twice = (b: readonly Box[]): Tensor => (b.length === 0 ? zeros([0, 4]) : tensor(b.map((x) => x.map((v) => 2 * v))));
      const truth = twice(s.boxes);
      const found = twice(predictions[i]!.boxes);
      const withTruth = await drawBoundingBoxes(big, truth, { colors: 'lime' });
      const both = await drawBoundingBoxes(withTruth, found, { colors: 'red', width: 1 });
      for (const t of [big, truth, found, withTruth]) t.dispose();
      drawn.push(both);
    }
    return makeGrid(drawn, { nrow: 4, padValue: 128 });
  } finally {
    for (const t of drawn) t.dispose();
  }
}

function summary(scenes: readonly ProposalScene[]): { perScene: number; foreground: number } {
  const total = scenes.reduce((n, s) => n + s.proposals.length, 0);
  const fg = scenes.reduce((n, s) => n + s.proposalLabels.filter((l) => l !== 0).length, 0);
  return { perScene: total / Math.max(scenes.length, 1), foreground: fg / Math.max(total, 1) };
}

function recallOfProposals(scenes: readonly ProposalScene[]): number {
  let objects = 0;
  let covered = 0;
  for (const s of scenes) {
    for (const b of s.boxes) {
      objects += 1;
      const best = Math.max(0, ...s.proposals.map((p) => iou(p, b)));
      if (best >= 0.5) covered += 1;
    }
  }
  return objects === 0 ? 0 : covered / objects;
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/**
 * Trains the book's R-CNN (`'rcnn'`) or Fast R-CNN (`'frcnn'`) on generated Fashion-MNIST scenes
 * and measures mAP@0.5 on held-out ones: selective search proposes regions
 * ({@link extractCandidates}), the book labels them (IoU > 0.3), the network trains with Adam for
 * `epochs` epochs, then predicts every held-out scene (`nms` at the book's 0.05). With `out`, the
 * first `pictures` held-out scenes are drawn with their ground truth and predictions to
 * `<out>/<name>-predictions.png`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { runDetector } from './experiment.js';
 * const scene = { image: zeros([1, 32, 32]), boxes: [[4, 4, 20, 20]] as [number, number, number, number][], labels: [2] };
 * const proposer = () => [[4, 4, 20, 20], [0, 0, 32, 32]] as [number, number, number, number][];
 * const r = await runDetector('rcnn', { scenes: { train: [scene], test: [scene] }, proposer, epochs: 1, cropSize: 8 });
 * [r.scenes.train, r.proposals.perScene, r.epochs.length]; // [1, 2, 1]
 * ```
 */
export async function runDetector(kind: DetectorKind, options: DetectorRunOptions = {}): Promise<DetectorRunResult> {
  const size = options.size ?? 64;
  const proposer = options.proposer ?? ((image: Tensor) => extractCandidates(image, SCENE_PROPOSALS));
  const generated = options.scenes ?? {
    train: await loadScenes({ train: true, length: options.limit ?? 500, size }),
    test: await loadScenes({ train: false, length: options.testLimit ?? 100, size }),
  };
  try {
    return await run(kind, options, generated, proposer);
  } finally {
    if (options.scenes === undefined) for (const s of [...generated.train, ...generated.test]) s.image.dispose();
  }
}

async function run(kind: DetectorKind, options: DetectorRunOptions, generated: { train: Scene[]; test: Scene[] }, proposer: Proposer): Promise<DetectorRunResult> {
  const log = options.log ?? ((): void => undefined);
  const epochs = options.epochs ?? 5;
  const cropSize = options.cropSize ?? 32;
  const seed = options.seed ?? 0;
  const started = performance.now();
  const train = await withProposals(generated.train, proposer);
  const test = await withProposals(generated.test, proposer);
  const proposals = summary(train);
  log(
    `${kind}: ${train.length} training and ${test.length} held-out scenes; selective search gave ${proposals.perScene.toFixed(1)} proposals a scene ` +
      `(${(100 * proposals.foreground).toFixed(1)}% foreground) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  manualSeed(seed);
  const numClasses = 11;
  const [, height] = generated.train[0]!.image.shape as [number, number, number];
  const model = kind === 'rcnn' ? new RCNN({ numClasses, cropSize }) : new FRCNN({ numClasses, outputSize: Math.min(7, Math.floor(height / 8)) });
  const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 1e-3 });
  const history: (EpochLosses & { epoch: number })[] = [];
  const data = kind === 'rcnn' ? rcnnData(train, cropSize) : null;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const common = { seed, epoch, ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }) };
      const losses = model instanceof RCNN ? trainRcnnEpoch(model, optimizer, data!, common) : trainFrcnnEpoch(model, optimizer, train, common);
      history.push({ epoch: epoch + 1, ...losses });
      log(
        `${kind} epoch ${epoch + 1}/${epochs}: loss ${losses.loss.toFixed(4)} (classification ${losses.detectionLoss.toFixed(4)}, ` +
          `regression ${losses.regressionLoss.toFixed(4)}), ${losses.steps} steps, ${losses.seconds.toFixed(1)} s`,
      );
    }
  } finally {
    if (data) for (const t of [data.crops, data.labels, data.deltas]) t.dispose();
  }
  const predictStart = performance.now();
  const predictions: Detections[] = [];
  for (const s of test) {
    predictions.push(model instanceof RCNN ? await predictRcnn(model, s.image, s.proposals, { cropSize }) : await predictFrcnn(model, s.image, s.proposals));
  }
  const predictSeconds = (performance.now() - predictStart) / 1000;
  const { map50, map } = await meanAveragePrecision(predictions, test);
  const files: string[] = [];
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    const n = Math.min(options.pictures ?? 8, test.length);
    const grid = await predictionGrid(test.slice(0, n), predictions.slice(0, n));
    const file = join(options.out, `${kind}-predictions.png`);
    await writePng(grid, file);
    grid.dispose();
    files.push(file);
  }
  const parameters = parameterCount(model);
  model.dispose();
  optimizer.dispose();
  const secondsPerEpoch = history.reduce((t, e) => t + e.seconds, 0) / Math.max(history.length, 1);
  return {
    name: kind,
    title: kind === 'rcnn' ? `R-CNN: ${cropSize}×${cropSize} crops of every proposal, small conv backbone` : 'Fast R-CNN: one backbone pass per image, RoIPool over the proposals',
    scenes: { train: train.length, test: test.length },
    proposals,
    parameters,
    epochs: history,
    secondsPerEpoch,
    map50,
    map,
    proposalRecall: recallOfProposals(test),
    predictSeconds,
    files,
  };
}

/**
 * The result as the lines the program prints.
 *
 * @example
 * ```ts
 * import { formatDetector } from './experiment.js';
 * const r = { name: 'rcnn' as const, title: 'R-CNN', scenes: { train: 10, test: 5 }, proposals: { perScene: 20, foreground: 0.25 }, parameters: 1000,
 *   epochs: [], secondsPerEpoch: 2, map50: 0.5, map: 0.3, proposalRecall: 0.9, predictSeconds: 1, files: [] };
 * formatDetector(r).split('\n')[0]; // 'rcnn: R-CNN'
 * ```
 */
export function formatDetector(r: DetectorRunResult): string {
  const lines = [
    `${r.name}: ${r.title}`,
    `scenes: ${r.scenes.train} training, ${r.scenes.test} held out; ${r.proposals.perScene.toFixed(1)} proposals a scene, ${(100 * r.proposals.foreground).toFixed(1)}% foreground; ${r.parameters.toLocaleString('en-US')} parameters`,
    '| epoch | loss | classification | regression (L1) | steps | seconds |',
    '|------:|-----:|---------------:|----------------:|------:|--------:|',
    ...r.epochs.map((e) => `| ${e.epoch} | ${e.loss.toFixed(4)} | ${e.detectionLoss.toFixed(4)} | ${e.regressionLoss.toFixed(4)} | ${e.steps} | ${e.seconds.toFixed(1)} |`),
    `mAP@0.5 on the held-out scenes: ${r.map50.toFixed(4)} (mAP@[.5:.95] ${r.map.toFixed(4)}); held-out objects with a proposal of IoU >= 0.5: ${(100 * r.proposalRecall).toFixed(1)}%`,
    `${r.secondsPerEpoch.toFixed(1)} s per training epoch; prediction ${r.predictSeconds.toFixed(1)} s for ${r.scenes.test} scenes`,
    ...r.files.map((f) => `wrote ${f}`),
  ];
  return lines.join('\n');
}
