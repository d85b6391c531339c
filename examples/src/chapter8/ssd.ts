/**
 * The book's chapter 8 single-shot detector, as torchvision's `SSD` with a narrow backbone small
 * enough to train on a CPU: trained on the generated Fashion-MNIST scenes, evaluated by mAP@0.5 on
 * held-out scenes, its predictions drawn as PNG.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam,
  BatchNorm2d,
  Conv2d,
  DataLoader,
  DefaultBoxGenerator,
  detectionCollate,
  drawBoundingBoxes,
  FashionMNISTScenes,
  Generator,
  manualSeed,
  MaxPool2d,
  Module,
  noGrad,
  ReLU,
  Sequential,
  SSD,
  tensor,
  tidy,
  writePng,
  type Color,
  type DetectionPrediction,
  type SceneTarget,
  type SSDLosses,
  type Tensor,
} from 'tensorgrad';

/** A 3×3 convolution (no bias), batch norm and ReLU. */
function convBnRelu(cin: number, cout: number, stride = 1): Sequential {
  return new Sequential(new Conv2d(cin, cout, 3, { stride, padding: 1, bias: false }), new BatchNorm2d(cout), new ReLU());
}

/**
 * The small SSD's backbone: three conv–BN–ReLU stages each halving the resolution with a max
 * pooling (`body`, stride 8: 8×8 cells on a 64×64 scene), then two stride-2 stages (`extra`, 4×4
 * and 2×2). Returns the three feature maps as `{ '0', '1', '2' }` (what torchvision's `SSD`
 * expects of a backbone); `outChannels` lists their channels.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { SceneBackbone } from './ssd.js';
 * const b = new SceneBackbone(1, 16);
 * Object.values(b.call(zeros([2, 1, 64, 64]))).map((t) => t.shape); // [[2, 64, 8, 8], [2, 64, 4, 4], [2, 64, 2, 2]]
 * b.outChannels; // [64, 64, 64]
 * ```
 */
export class SceneBackbone extends Module<[Tensor], Record<string, Tensor>> {
  /** The stride-8 stages. */
  declare body: Sequential;
  /** The two further feature maps. */
  declare extra: Sequential;
  /** Channels of the three feature maps. */
  readonly outChannels: number[];
  constructor(inChannels: number, width = 16) {
    super();
    const w = width;
    this.registerModule(
      'body',
      new Sequential(convBnRelu(inChannels, w), new MaxPool2d(2), convBnRelu(w, 2 * w), new MaxPool2d(2), convBnRelu(2 * w, 4 * w), new MaxPool2d(2)),
    );
    this.registerModule('extra', new Sequential(convBnRelu(4 * w, 4 * w, 2), convBnRelu(4 * w, 4 * w, 2)));
    this.outChannels = [4 * w, 4 * w, 4 * w];
  }
  override forward(x: Tensor): Record<string, Tensor> {
    const a = this.body(x) as Tensor;
    const b = (this.extra.at(0) as Sequential)(a) as Tensor;
    const c = (this.extra.at(1) as Sequential)(b) as Tensor;
    return { '0': a, '1': b, '2': c };
  }
}

/** Options of {@link sceneSsd}. */
export interface SceneSsdOptions {
  /** Classes including the background (default 11: the 10 garments and the background). */
  numClasses?: number;
  /** Side of the (square) input the model resizes images to (default 64). */
  size?: number;
  /** Image channels (default 1). */
  channels?: number;
  /** Channels of the first stage (default 16; the feature maps have 4×). */
  width?: number;
}

/**
 * The chapter's small SSD: torchvision's {@link SSD} over a {@link SceneBackbone}, with default
 * boxes of scales 0.2, 0.35, 0.55 (and 0.75 for the extra box) of the image on the 8×8, 4×4 and
 * 2×2 maps (aspect ratios 2, then 2 and 3, then 2): 368 default boxes on a 64×64 input; 218,562
 * parameters (97,392 in the backbone).
 *
 * @example
 * ```ts
 * import { sceneSsd } from './ssd.js';
 * const model = sceneSsd();
 * model.anchor_generator.numAnchorsPerLocation(); // [4, 6, 4]
 * model.parameters().reduce((n, p) => n + p.numel(), 0); // 218562
 * ```
 */
export function sceneSsd(options: SceneSsdOptions = {}): SSD {
  const { numClasses = 11, size = 64, channels = 1, width = 16 } = options;
  const anchors = new DefaultBoxGenerator([[2], [2, 3], [2]], { scales: [0.2, 0.35, 0.55, 0.75] });
  const mean = Array.from({ length: channels }, () => 0.2);
  const std = Array.from({ length: channels }, () => 0.3);
  return new SSD(new SceneBackbone(channels, width), anchors, [size, size], numClasses, { imageMean: mean, imageStd: std, scoreThresh: 0.05, detectionsPerImg: 50, topkCandidates: 100 });
}

/** Options of {@link trainSceneSsd}. */
export interface TrainOptions {
  /** Training scenes (default 2000). */
  limit?: number;
  /** Held-out scenes for mAP (default 300). */
  testLimit?: number;
  /** Epochs (default 4). */
  epochs?: number;
  /** Batch size (default 16). */
  batchSize?: number;
  /** Adam's learning rate (default 0.002). */
  lr?: number;
  /** Seed of the initialisation and batch order (default 0). */
  seed?: number;
  /** Side of the scenes and of the model's input (default 64). */
  size?: number;
  /** Stop after this many optimizer steps in all (for short tests). */
  maxSteps?: number;
  /** Called after every epoch, with the model (in training mode). */
  onEpoch?: (e: EpochRecord, model: SSD) => void | Promise<void>;
  /** Called after every step with its number (1-based) and loss. */
  onStep?: (step: number, loss: number) => void;
  /** Where Fashion-MNIST's files are (default: FashionMNIST's search path). */
  root?: string;
}

/** One epoch of training. */
export interface EpochRecord {
  /** 1-based epoch. */
  epoch: number;
  /** Mean of `bbox_regression` over the epoch's steps. */
  bboxRegression: number;
  /** Mean of `classification` over the epoch's steps. */
  classification: number;
  /** Optimizer steps in the epoch. */
  steps: number;
  /** Wall time of the epoch. */
  seconds: number;
}

/** The scene options of the chapter (64×64 canvases by default, 1–3 garments of 22–50 % of the side, no overlap). */
export function sceneOptions(size = 64): { size: number; numGarments: [number, number]; garmentSize: [number, number] } {
  return { size, numGarments: [1, 3], garmentSize: [Math.round(size * 0.22), Math.round(size * 0.5)] };
}

/**
 * Loads the training and held-out scenes: garments from Fashion-MNIST's training images for
 * training (seed 1) and from its test images for the held-out scenes (seed 2).
 */
export async function loadScenes(limit: number, testLimit: number, size = 64, root?: string): Promise<{ train: FashionMNISTScenes; test: FashionMNISTScenes }> {
  const o = sceneOptions(size);
  const base = root === undefined ? {} : { root };
  const train = await FashionMNISTScenes.load({ ...base, ...o, train: true, length: limit, seed: 1 });
  const test = await FashionMNISTScenes.load({ ...base, ...o, train: false, length: testLimit, seed: 2 });
  return { train, test };
}

/** What {@link trainSceneSsd} returns. */
export interface TrainResult {
  /** The trained model (in eval mode). */
  model: SSD;
  /** Per epoch. */
  epochs: EpochRecord[];
  /** Loss (`bbox_regression + classification`) of every step. */
  stepLosses: number[];
  /** Training wall time. */
  seconds: number;
}

/**
 * Trains {@link sceneSsd} on `scenes` with Adam: every step `model.call(images, targets)` gives
 * torchvision's `{ bbox_regression, classification }`, their sum is minimised.
 *
 * @example
 * ```ts
 * import { FashionMNISTScenes, tensor } from 'tensorgrad';
 * import { trainSceneSsd } from './ssd.js';
 * // two hand-made 28×28 garments instead of Fashion-MNIST
 * const data = tensor(Array.from({ length: 2 }, (_, n) => Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (n === 0 ? (x > 3 && x < 24 && y > 3 && y < 24 ? 200 : 0) : x > 10 && x < 17 ? 255 : 0)))), { dtype: 'int32' });
 * const scenes = new FashionMNISTScenes({ data, targets: tensor([0, 1], { dtype: 'int32' }) }, { length: 8, size: 64, numGarments: [1, 2], garmentSize: [14, 32] });
 * const r = await trainSceneSsd(scenes, { epochs: 1, batchSize: 4 });
 * [r.stepLosses.length, r.epochs.length]; // [2, 1]
 * ```
 */
export async function trainSceneSsd(scenes: FashionMNISTScenes, options: TrainOptions = {}): Promise<TrainResult> {
  const { epochs = 4, batchSize = 16, lr = 0.002, seed = 0, size = 64, maxSteps = Infinity } = options;
  manualSeed(seed);
  const model = sceneSsd({ size, channels: scenes.channels });
  const optimizer = new Adam(model.parameters(), { lr });
  const loader = new DataLoader<[Tensor, SceneTarget], [Tensor[], SceneTarget[]]>(scenes, {
    batchSize,
    shuffle: true,
    collateFn: (batch) => detectionCollate(batch),
    generator: new Generator(seed),
  });
  const stepLosses: number[] = [];
  const records: EpochRecord[] = [];
  const t0 = performance.now();
  let steps = 0;
  for (let epoch = 1; epoch <= epochs && steps < maxSteps; epoch++) {
    const te = performance.now();
    let box = 0;
    let cls = 0;
    let n = 0;
    model.train();
    for await (const [images, targets] of loader) {
      if (steps >= maxSteps) break;
      const [b, c] = tidy(() => {
        const losses = model.call(images, targets) as SSDLosses;
        const loss = losses.bbox_regression.add(losses.classification);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return [Number(losses.bbox_regression.itemSync()), Number(losses.classification.itemSync())];
      });
      for (const t of targets) for (const v of Object.values(t)) v.dispose();
      for (const im of images) im.dispose();
      box += b!;
      cls += c!;
      stepLosses.push(b! + c!);
      n++;
      steps++;
      options.onStep?.(steps, b! + c!);
    }
    const rec = { epoch, bboxRegression: box / Math.max(1, n), classification: cls / Math.max(1, n), steps: n, seconds: (performance.now() - te) / 1000 };
    records.push(rec);
    await options.onEpoch?.(rec, model);
  }
  model.eval();
  return { model, epochs: records, stepLosses, seconds: (performance.now() - t0) / 1000 };
}

/** Detections and ground truth of held-out scenes, as plain arrays (for a metric). */
export interface ScenePrediction {
  /** Detections of the scene (`xyxy` boxes, scores, labels). */
  detection: { boxes: Float32Array; scores: Float32Array; labels: Int32Array };
  /** Its ground truth. */
  target: { boxes: Float32Array; labels: Int32Array };
}

/**
 * Runs the model (eval mode) on `count` scenes of `scenes` in batches and returns detections and
 * ground truth as arrays.
 */
export function predictScenes(model: SSD, scenes: FashionMNISTScenes, count = scenes.length, batchSize = 32): ScenePrediction[] {
  model.eval();
  const out: ScenePrediction[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
    const samples = idx.map((i) => scenes.get(i) as [Tensor, SceneTarget]);
    const dets = noGrad(() => model.call(samples.map((s) => s[0])) as DetectionPrediction[]);
    dets.forEach((d, k) => {
      const t = samples[k]![1];
      out.push({
        detection: { boxes: Float32Array.from(d.boxes.dataSync()), scores: Float32Array.from(d.scores.dataSync()), labels: Int32Array.from(d.labels.dataSync()) },
        target: { boxes: Float32Array.from(t.boxes.dataSync()), labels: Int32Array.from(t.labels.dataSync()) },
      });
      for (const v of [d.boxes, d.scores, d.labels, samples[k]![0], ...Object.values(t)]) v.dispose();
    });
  }
  return out;
}

/** A colour per class (1–10) for the pictures. */
export const CLASS_COLORS: readonly Color[] = ['black', 'red', 'lime', 'blue', 'yellow', 'cyan', 'magenta', 'orange', 'white', 'purple', 'pink'];

/**
 * Draws the detections scoring at least `minScore` (default 0.3; coloured by class) on `count` scenes and
 * writes them as PNG files `scene-<i>.png` into `dir`; returns the paths.
 */
export async function drawPredictions(model: SSD, scenes: FashionMNISTScenes, dir: string, count = 6, minScore = 0.3): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  model.eval();
  const paths: string[] = [];
  for (let i = 0; i < Math.min(count, scenes.length); i++) {
    const [image] = scenes.get(i) as [Tensor, SceneTarget];
    const [d] = noGrad(() => model.call([image]) as DetectionPrediction[]);
    const scores = d!.scores.dataSync();
    const labels = d!.labels.dataSync();
    const keep = Array.from(scores).flatMap((s, k) => (s >= minScore ? [k] : []));
    const u8 = noGrad(() => image.mul(255).add(0.5).int());
    const boxes = d!.boxes.dataSync();
    const sel = keep.flatMap((k) => Array.from(boxes.slice(4 * k, 4 * k + 4)));
    const drawn = keep.length ? await drawBoundingBoxes(u8, tensor(sel).reshape([keep.length, 4]), { colors: keep.map((k) => CLASS_COLORS[labels[k]!]!) }) : u8;
    const path = join(dir, `scene-${i}.png`);
    await writePng(drawn, path);
    paths.push(path);
  }
  return paths;
}
