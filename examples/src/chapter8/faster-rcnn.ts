/**
 * Chapter 8 of the book ("Advanced Object Detection"), its Faster R-CNN section: the book
 * (`Chapter08/Training_Faster_RCNN.ipynb`) fine-tunes torchvision's COCO-pretrained
 * `fasterrcnn_resnet50_fpn(pretrained=True)`, its box predictor replaced by
 * `FastRCNNPredictor(in_features, num_classes)` for 3 classes (background, bus, truck), on Open
 * Images bus/truck photos resized to 224×224, with SGD (lr 0.005, momentum 0.9, weight decay
 * 0.0005), batch 4, 5 epochs; nothing can be downloaded here, so this program trains a small
 * Faster R-CNN from scratch, with Adam (lr 0.001), on the generated
 * Fashion-MNIST scenes (`FashionMNISTScenes`: garments on a 64×64 canvas, 10 classes plus the
 * background), composed exactly as torchvision lets users build one — a narrow backbone with
 * `outChannels`, one feature map, `FasterRCNN(backbone, { rpnAnchorGenerator, boxRoiPool, … })`
 * — then reports mAP@0.5 on held-out scenes and draws its predictions into PNGs.
 *
 * Run it with `pnpm --filter @tensorgrad/examples ch8:faster-rcnn` after a build
 * (`node examples/dist/chapter8/faster-rcnn.js --limit 2000 --epochs 4`).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  AnchorGenerator,
  BatchNorm2d,
  Conv2d,
  drawBoundingBoxes,
  FashionMNISTScenes,
  FasterRCNN,
  FastRCNNPredictor,
  manualSeed,
  MeanAveragePrecision,
  MultiScaleRoIAlign,
  noGrad,
  ReLU,
  Sequential,
  tensor,
  TwoMLPHead,
  writePng,
  type Detection,
  type DetectionTarget,
  type Tensor,
} from 'tensorgrad';
import { isMain } from '../run-main.js';

/** Where the prediction PNGs go by default: `examples/.generated/chapter8/` (ignored by git). */
export const DEFAULT_CHAPTER8_OUT = resolve(fileURLToPath(new URL('../../.generated/chapter8/', import.meta.url)));

/** Options of {@link smallFasterRCNN}. */
export interface SmallFasterRCNNOptions {
  /** Classes including the background (default 11: the scenes' ten garments + background). */
  numClasses?: number;
  /** Side of the (square) scenes; the transform keeps it (default 64). */
  size?: number;
  /** Image channels (default 1). */
  channels?: number;
  /** Channels of the backbone's last block, the `outChannels` (default 64). */
  width?: number;
}

/** `Conv2d(3×3) → BatchNorm2d → ReLU`. */
function convBlock(inC: number, outC: number, stride: number): Sequential {
  return new Sequential(new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false }), new BatchNorm2d(outC), new ReLU());
}

/**
 * A Faster R-CNN small enough to train on two CPU cores: a five-convolution backbone (stride 8,
 * `outChannels = width`) giving one feature map `'0'`, anchors of sides 12–48 px at ratios
 * 0.5/1/2 (12 per position), `MultiScaleRoIAlign(['0'], 7, 2)`, a `TwoMLPHead` of 256 and a
 * `FastRCNNPredictor`; the transform normalises with mean 0.5 / std 0.5 and does not resize the
 * `size`×`size` scenes. Fewer proposals and samples than torchvision's defaults (the canvas holds
 * at most four garments).
 *
 * @example
 * ```ts
 * import { smallFasterRCNN } from './faster-rcnn.js';
 * import { rand } from 'tensorgrad';
 * const model = smallFasterRCNN({ size: 64 }).eval();
 * const [det] = model.call([rand([1, 64, 64])]) as { boxes: { shape: number[] } }[];
 * det!.boxes.shape[1]; // 4
 * model.backbone.outChannels; // 64
 * ```
 */
export function smallFasterRCNN(options: SmallFasterRCNNOptions = {}): FasterRCNN & { backbone: { outChannels: number } } {
  const { numClasses = 11, size = 64, channels = 1, width = 64 } = options;
  const backbone = Object.assign(
    new Sequential(convBlock(channels, 16, 1), convBlock(16, 32, 2), convBlock(32, 48, 2), convBlock(48, width, 2), convBlock(width, width, 1)),
    { outChannels: width },
  );
  const model = new FasterRCNN(backbone, {
    minSize: size,
    maxSize: size,
    imageMean: Array.from({ length: channels }, () => 0.5),
    imageStd: Array.from({ length: channels }, () => 0.5),
    rpnAnchorGenerator: new AnchorGenerator({ sizes: [[12, 20, 32, 48]], aspectRatios: [[0.5, 1, 2]] }),
    rpnPreNmsTopNTrain: 300,
    rpnPostNmsTopNTrain: 100,
    rpnPreNmsTopNTest: 300,
    rpnPostNmsTopNTest: 50,
    rpnBatchSizePerImage: 64,
    boxRoiPool: new MultiScaleRoIAlign(['0'], 7, 2),
    boxHead: new TwoMLPHead(width * 7 * 7, 256),
    boxPredictor: new FastRCNNPredictor(256, numClasses),
    boxBatchSizePerImage: 64,
    boxDetectionsPerImg: 20,
  });
  return model as FasterRCNN & { backbone: { outChannels: number } };
}

/** Options of {@link trainFasterRCNN}. */
export interface TrainFasterRCNNOptions {
  /** Passes over the training scenes (default 1). */
  epochs?: number;
  /** Scenes per step (default 4). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  /** Stop after this many steps (default: no limit). */
  maxSteps?: number;
  /** Called after each step with its index and total loss. */
  onStep?: (step: number, loss: number, parts: Record<string, number>) => void;
}

/** One step's losses: the total and torchvision's four parts. */
export interface StepLosses {
  /** Sum of the four losses. */
  loss: number;
  /** `loss_classifier`, `loss_box_reg`, `loss_objectness`, `loss_rpn_box_reg`. */
  parts: Record<string, number>;
}

/**
 * Trains `model` on `scenes`, summing torchvision's four losses as the book does (its
 * `Chapter08/Training_Faster_RCNN.ipynb`: `loss = sum(loss for loss in losses.values())`); returns each
 * step's losses. The optimizer differs from the book's: Adam (learning rate 1e-3 by default) for
 * this from-scratch model, where the book fine-tunes a COCO-pretrained model with
 * `torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)`.
 *
 * @example
 * ```ts
 * import { smallFasterRCNN, trainFasterRCNN } from './faster-rcnn.js';
 * import { tensor, rand } from 'tensorgrad';
 * const scenes = { length: 2, get: () => [rand([1, 64, 64]), { boxes: tensor([[8, 8, 40, 40]]), labels: tensor([3], { dtype: 'int32' }) }] as const };
 * const history = await trainFasterRCNN(smallFasterRCNN(), scenes, { maxSteps: 1, batchSize: 2 });
 * Object.keys(history[0]!.parts).sort(); // ['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']
 * ```
 */
export async function trainFasterRCNN(
  model: FasterRCNN,
  scenes: { length: number; get(i: number): readonly [Tensor, DetectionTarget] | [Tensor, DetectionTarget] },
  options: TrainFasterRCNNOptions = {},
): Promise<StepLosses[]> {
  const { epochs = 1, batchSize = 4, lr = 1e-3, maxSteps = Infinity, onStep } = options;
  const optimizer = new Adam(model.parameters().filter((p) => p.requiresGrad), { lr });
  model.train();
  const history: StepLosses[] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs && step < maxSteps; epoch++) {
    const order = Array.from({ length: scenes.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let b = 0; b + batchSize <= order.length && step < maxSteps; b += batchSize) {
      const batch = order.slice(b, b + batchSize).map((i) => scenes.get(i));
      const images = batch.map(([img]) => img);
      const targets = batch.map(([, t]) => ({ boxes: t.boxes, labels: t.labels }));
      optimizer.zeroGrad();
      const losses = model.call(images, targets) as Record<string, Tensor>;
      const total = Object.values(losses).reduce((a, l) => a.add(l));
      total.backward();
      optimizer.step();
      const parts = Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, v.dataSync()[0]!]));
      const loss = total.dataSync()[0]!;
      history.push({ loss, parts });
      onStep?.(step, loss, parts);
      step++;
    }
  }
  return history;
}

/**
 * The eval-mode detections of `model` on `images` (no gradients), one `{ boxes, labels, scores }` per image.
 *
 * @example
 * ```ts
 * import { detect, smallFasterRCNN } from './faster-rcnn.js';
 * import { rand } from 'tensorgrad';
 * const [a, b] = detect(smallFasterRCNN(), [rand([1, 64, 64]), rand([1, 64, 64])]);
 * [a!.boxes.shape[1], b!.labels.dtype]; // [4, 'int32']
 * ```
 */
export function detect(model: FasterRCNN, images: Tensor[]): Detection[] {
  model.eval();
  return noGrad(() => model.call(images)) as Detection[];
}

/**
 * Draws `detection` (score ≥ `minScore`, red) and the target's boxes (green) on a `[1 or 3, H, W]`
 * image in [0, 1]; returns an int32 `[3, H, W]` image for `writePng`.
 *
 * @example
 * ```ts
 * import { drawPrediction } from './faster-rcnn.js';
 * import { tensor, zeros } from 'tensorgrad';
 * const detection = { boxes: tensor([[2, 2, 6, 6]]), labels: tensor([1], { dtype: 'int32' }), scores: tensor([0.9]) };
 * const picture = await drawPrediction(zeros([1, 8, 8]), detection, null);
 * picture.shape; // [3, 8, 8]
 * (await picture.select(0, 0).array())[2]; // [0, 0, 255, 255, 255, 255, 255, 0]
 * ```
 */
export async function drawPrediction(image: Tensor, detection: Detection, target: DetectionTarget | null, minScore = 0.5): Promise<Tensor> {
  const u8 = image.mul(255).clamp(0, 255).to('int32');
  let out = target && target.boxes.shape[0]! > 0 ? await drawBoundingBoxes(u8, target.boxes, { colors: 'lime' }) : u8;
  const scores = detection.scores.dataSync();
  const keep: number[] = [];
  scores.forEach((s, i) => (s >= minScore ? keep.push(i) : 0));
  if (keep.length) {
    out = await drawBoundingBoxes(out, detection.boxes.indexSelect(0, tensor(keep, { dtype: 'int32' })), { colors: 'red' });
  }
  return out;
}

/** Options of {@link runFasterRCNN}. */
export interface RunFasterRCNNOptions {
  /** Training scenes (default 2000). */
  limit?: number;
  /** Held-out scenes for mAP (default 300). */
  testLimit?: number;
  /** Epochs (default 4). */
  epochs?: number;
  /** Scenes per step (default 4). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  /** Canvas side (default 64). */
  size?: number;
  /** Folder for the prediction PNGs (default `examples/.generated/chapter8`); `null` writes none. */
  out?: string | null;
  /** Fashion-MNIST's folder (default: `FashionMNIST.load`'s search). */
  root?: string;
  /** Seed of the weights and the shuffling (default 0). */
  seed?: number;
  /** Progress lines (default `console.log`). */
  log?: (line: string) => void;
}

/** What {@link runFasterRCNN} measured. */
export interface RunFasterRCNNResult {
  /** Mean of the first 20 steps' total losses. */
  lossFirst: number;
  /** Mean of the last 20 steps' total losses. */
  lossLast: number;
  /** mAP@0.5 (COCO-style, 101 recall points, `MeanAveragePrecision`) over the held-out scenes. */
  map50: number;
  /** Steps trained. */
  steps: number;
  /** Seconds spent training. */
  trainSeconds: number;
  /** PNG files written. */
  pictures: string[];
}

/**
 * The chapter's program: loads the scenes, trains {@link smallFasterRCNN}, computes mAP@0.5 on the
 * held-out (test-split) scenes and writes six prediction pictures.
 *
 * @example
 * ```ts
 * import { runFasterRCNN } from './faster-rcnn.js';
 * // const r = await runFasterRCNN({ limit: 1200, testLimit: 200, epochs: 2 }); // about 40 min on 2 shared cores
 * typeof runFasterRCNN; // 'function'
 * ```
 */
export async function runFasterRCNN(options: RunFasterRCNNOptions = {}): Promise<RunFasterRCNNResult> {
  const { limit = 2000, testLimit = 300, epochs = 4, batchSize = 4, lr = 1e-3, size = 64, out = DEFAULT_CHAPTER8_OUT, root, seed = 0, log = console.log } = options;
  const sceneOptions = { size, numGarments: [1, 3] as [number, number], garmentSize: [16, 32] as [number, number], ...(root ? { root } : {}) };
  const train = await FashionMNISTScenes.load({ train: true, length: limit, seed: 1, ...sceneOptions });
  const test = await FashionMNISTScenes.load({ train: false, length: testLimit, seed: 2, ...sceneOptions });
  manualSeed(seed);
  const model = smallFasterRCNN({ size });
  const t0 = Date.now();
  const history = await trainFasterRCNN(model, train as never, {
    epochs,
    batchSize,
    lr,
    onStep: (s, loss, parts) => {
      if (s % 50 === 0) log(`step ${s}: loss ${loss.toFixed(4)} (${Object.entries(parts).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')})`);
    },
  });
  const trainSeconds = (Date.now() - t0) / 1000;
  const mean = (xs: StepLosses[]): number => xs.reduce((a, h) => a + h.loss, 0) / Math.max(xs.length, 1);
  const lossFirst = mean(history.slice(0, 20));
  const lossLast = mean(history.slice(-20));
  const predictions: Detection[] = [];
  const targets: DetectionTarget[] = [];
  for (let i = 0; i < test.length; i += 16) {
    const batch = Array.from({ length: Math.min(16, test.length - i) }, (_, j) => test.get(i + j));
    predictions.push(...detect(model, batch.map(([img]) => img)));
    targets.push(...batch.map(([, t]) => ({ boxes: t.boxes, labels: t.labels })));
  }
  const metric = new MeanAveragePrecision({ iouThresholds: [0.5] });
  metric.update(predictions, targets);
  const map50 = metric.compute().map50;
  const pictures: string[] = [];
  if (out) {
    mkdirSync(out, { recursive: true });
    for (let i = 0; i < 6; i++) {
      const [img, t] = test.get(i);
      const file = join(out, `faster-rcnn-${i}.png`);
      await writePng(await drawPrediction(img, predictions[i]!, t), file);
      pictures.push(file);
    }
  }
  log(`trained ${history.length} steps in ${trainSeconds.toFixed(0)} s; loss ${lossFirst.toFixed(3)} -> ${lossLast.toFixed(3)}; mAP@0.5 on ${test.length} held-out scenes: ${map50.toFixed(3)}`);
  return { lossFirst, lossLast, map50, steps: history.length, trainSeconds, pictures };
}

function parseCli(argv: string[]): RunFasterRCNNOptions {
  const o: RunFasterRCNNOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = argv[i + 1];
    const num = (): number => {
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n)) throw new Error(`${k}: expected a number, got ${v}`);
      i++;
      return n;
    };
    if (k === '--limit') o.limit = num();
    else if (k === '--test-limit') o.testLimit = num();
    else if (k === '--epochs') o.epochs = num();
    else if (k === '--batch-size') o.batchSize = num();
    else if (k === '--lr') o.lr = num();
    else if (k === '--size') o.size = num();
    else if (k === '--seed') o.seed = num();
    else if (k === '--out') (o.out = v ?? null), i++;
    else if (k === '--data-root') (o.root = v), i++;
    else if (k === '--help') {
      console.log('usage: node dist/chapter8/faster-rcnn.js [--limit 2000] [--test-limit 300] [--epochs 4] [--batch-size 4] [--lr 0.001] [--size 64] [--seed 0] [--out examples/.generated/chapter8] [--data-root DIR]');
      process.exit(0);
    } else throw new Error(`unknown option ${k}; see --help`);
  }
  return o;
}

if (isMain(import.meta.url)) {
  await runFasterRCNN(parseCli(process.argv.slice(2)));
}
