/**
 * The book's chapter 9 ("Image Segmentation"): semantic segmentation with a U-Net, trained with a
 * per-pixel cross-entropy and evaluated by per-class IoU and mean IoU. The book
 * (`Chapter09/Semantic_Segmentation_with_U_Net.ipynb`) trains its U-Net on an ImageNet-pretrained
 * `vgg16_bn` encoder on road scenes (the notebook's `dataset1`, 12 output classes, 224×224
 * images normalised with ImageNet's statistics, Adam at 1e-3, batch 4, 20 epochs) and reports the
 * loss and the pixel accuracy, not IoU; nothing can be downloaded here, so the
 * scenes are Fashion-MNIST garments placed on a canvas (`FashionMNISTScenes`, 11 classes: the
 * background and the 10 garments) and the network is the classic U-Net with few channels, which
 * trains on two CPU cores (the book's `UNetVgg16Bn` is built the same way with `--model vgg`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam,
  crossEntropy,
  drawSegmentationMasks,
  eq,
  FASHION_SCENE_CLASSES,
  FashionMNISTScenes,
  fromTypedArray,
  keep,
  manualSeed,
  MulticlassJaccardIndex,
  noGrad,
  saveImage,
  stack,
  tidy,
  UNet,
  UNetVgg16Bn,
  type AnyModule,
  type Color,
  type Tensor,
} from 'tensorgrad';

/** A set of scenes held in memory: images `[N, C, H, W]` in [0, 1] and class maps `[N, H, W]`. */
export interface SceneSet {
  /** float32 `[N, C, H, W]`. */
  images: Tensor;
  /** int32 `[N, H, W]`, 0 (background) to 10. */
  masks: Tensor;
}

/**
 * Generates `scenes.length` scenes once into two tensors (the generator's typed arrays, so
 * batches are slices rather than per-step scene generation).
 *
 * @example
 * ```ts
 * import { FashionMNISTScenes, tensor } from 'tensorgrad';
 * import { sceneSet } from './segmentation.js';
 * const data = tensor([Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 200))], { dtype: 'int32' });
 * const scenes = new FashionMNISTScenes({ data, targets: tensor([3], { dtype: 'int32' }) }, { length: 2, size: 32, numGarments: [1, 1], garmentSize: [10, 12] });
 * const set = sceneSet(scenes);
 * [set.images.shape, set.masks.shape]; // [[2, 1, 32, 32], [2, 32, 32]]
 * (await set.masks.data()).some((v) => v === 4); // true
 * ```
 */
export function sceneSet(scenes: FashionMNISTScenes): SceneSet {
  const n = scenes.length;
  const first = scenes.scene(0);
  const [c, h, w] = first.shape;
  const images = new Float32Array(n * c * h * w);
  const masks = new Int32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    const s = i === 0 ? first : scenes.scene(i);
    images.set(s.image, i * c * h * w);
    masks.set(s.semantic, i * h * w);
  }
  return { images: keep(fromTypedArray(images, [n, c, h, w])), masks: keep(fromTypedArray(masks, [n, h, w])) };
}

/** Options of {@link runSegmentation}. */
export interface SegmentationOptions {
  /** Training scenes, or how many to generate from the Fashion-MNIST training garments (default 2000). */
  train?: FashionMNISTScenes | number;
  /** Held-out scenes, or how many to generate from the Fashion-MNIST test garments (default 500). */
  test?: FashionMNISTScenes | number;
  /** Canvas size of generated scenes (default 64). */
  size?: number;
  /** `'unet'` (default): `UNet({ inChannels: 1, numClasses: 11, baseChannels, depth })`; `'vgg'`: the book's `UNetVgg16Bn` (3-channel input, sizes multiple of 32, slow on a CPU). */
  model?: 'unet' | 'vgg';
  /** Channels of the U-Net's first stage (default 16). */
  baseChannels?: number;
  /** Down-samplings of the U-Net (default 3). */
  depth?: number;
  /** Epochs (default 5). */
  epochs?: number;
  /** Stop after this many training steps in all (default: no limit). */
  maxSteps?: number;
  /** Batch size (default 16). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3, the book's). */
  lr?: number;
  /** Seed of the scenes, the initialisation and the batch order (default 0). */
  seed?: number;
  /** Folder for the prediction pictures (none written when absent). */
  out?: string;
  /** Test scenes drawn in the pictures (default 8). */
  pictures?: number;
  /** Called after every epoch with a progress line. */
  log?: (line: string) => void;
}

/** Per-epoch figures of {@link runSegmentation}. */
export interface SegmentationEpoch {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  trainLoss: number;
  /** Mean IoU on the held-out scenes after the epoch. */
  meanIou: number;
  /** Pixel accuracy on the held-out scenes after the epoch. */
  pixelAccuracy: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  seconds: number;
}

/** What {@link runSegmentation} measured. */
export interface SegmentationResult {
  /** Training and held-out scenes. */
  trainSize: number;
  /** Held-out scenes. */
  testSize: number;
  /** The model's name and parameter count. */
  model: string;
  /** Parameters of the model. */
  parameters: number;
  /** The loss of every training step, in order. */
  stepLosses: number[];
  /** One entry per epoch. */
  history: SegmentationEpoch[];
  /** Final per-class IoU on the held-out scenes, indexed by label (0 = background). */
  perClassIou: number[];
  /** Final mean IoU (torchmetrics' macro average: over the classes present). */
  meanIou: number;
  /** Final pixel accuracy. */
  pixelAccuracy: number;
  /** Paths of the pictures written. */
  pictures: string[];
  /** Wall-clock seconds in all. */
  seconds: number;
}

/** The colours of labels 1–10 in the pictures (the background is not drawn). */
export const CLASS_COLORS: readonly Color[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
];

async function scenesOf(given: FashionMNISTScenes | number | undefined, fallback: number, train: boolean, size: number, seed: number, channels: 1 | 3): Promise<FashionMNISTScenes> {
  if (typeof given === 'object') return given;
  return FashionMNISTScenes.load({ train, length: given ?? fallback, size, numGarments: [1, 3], garmentSize: [20, 32], seed: seed + (train ? 0 : 1), channels });
}

/** Evaluates `model` on `set`: the accumulated confusion counts as a Jaccard index metric. */
function evaluate(model: AnyModule, set: SceneSet, batchSize: number, rgb: boolean): MulticlassJaccardIndex {
  const metric = new MulticlassJaccardIndex({ numClasses: FASHION_SCENE_CLASSES.length, average: 'none' });
  model.eval();
  const n = set.images.shape[0]!;
  for (let i = 0; i < n; i += batchSize) {
    const b = Math.min(batchSize, n - i);
    tidy(() =>
      noGrad(() => {
        let x = set.images.narrow(0, i, b);
        if (rgb && x.shape[1] === 1) x = x.expand([b, 3, x.shape[2]!, x.shape[3]!]);
        metric.update(model(x) as Tensor, set.masks.narrow(0, i, b));
      }),
    );
  }
  return metric;
}

function summarise(metric: MulticlassJaccardIndex): { perClass: number[]; meanIou: number; pixelAccuracy: number } {
  const iou = tidy(() => Array.from(metric.compute().dataSync()));
  const c = metric.numClasses;
  const cm = metric.confmat.dataSync();
  let correct = 0;
  let total = 0;
  const present: boolean[] = Array.from({ length: c }, () => false);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      const v = cm[i * c + j]!;
      total += v;
      if (i === j) correct += v;
      if (v > 0) present[i] = present[j] = true;
    }
  }
  // the mean over the classes that occur in the target or the prediction (torchmetrics' macro)
  const used = iou.filter((_, k) => present[k]);
  return { perClass: iou, meanIou: used.reduce((a, v) => a + v, 0) / used.length, pixelAccuracy: correct / total };
}

/**
 * Trains a U-Net on generated Fashion-MNIST scenes with the book's recipe (Adam, learning rate
 * 1e-3, per-pixel `crossEntropy` of the `[N, 11, H, W]` logits against the `[N, H, W]` class
 * map), evaluates per-class IoU, mean IoU and pixel accuracy on held-out scenes (garments from
 * the Fashion-MNIST test images) after every epoch, and draws the predicted and true masks of a
 * few held-out scenes (`drawSegmentationMasks`) into `out/predictions.png`.
 *
 * @example
 * ```ts
 * import { FashionMNISTScenes, tensor } from 'tensorgrad';
 * import { runSegmentation } from './segmentation.js';
 * const data = tensor([Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => 200))], { dtype: 'int32' });
 * const garments = { data, targets: tensor([3], { dtype: 'int32' }) };
 * const train = new FashionMNISTScenes(garments, { length: 4, size: 32, numGarments: [1, 1], garmentSize: [10, 12] });
 * const result = await runSegmentation({ train, test: train, baseChannels: 4, depth: 2, epochs: 1, batchSize: 2 });
 * [result.stepLosses.length, result.perClassIou.length]; // [2, 11]
 * ```
 */
export async function runSegmentation(options: SegmentationOptions = {}): Promise<SegmentationResult> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const size = options.size ?? 64;
  const vgg = options.model === 'vgg';
  const batchSize = options.batchSize ?? 16;
  const epochs = options.epochs ?? 5;
  const trainScenes = await scenesOf(options.train, 2000, true, size, seed, 1);
  const testScenes = await scenesOf(options.test, 500, false, size, seed, 1);
  const train = sceneSet(trainScenes);
  const test = sceneSet(testScenes);
  const numClasses = FASHION_SCENE_CLASSES.length;
  manualSeed(seed);
  const model: AnyModule = vgg
    ? new UNetVgg16Bn({ outChannels: numClasses })
    : new UNet({ inChannels: train.images.shape[1]!, numClasses, baseChannels: options.baseChannels ?? 16, depth: options.depth ?? 3 });
  const parameters = model.parameters().reduce((n, p) => n + p.numel(), 0);
  const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 1e-3 });
  const n = train.images.shape[0]!;
  const stepLosses: number[] = [];
  const history: SegmentationEpoch[] = [];
  let rng = seed + 1;
  const random = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 4294967296;
  };
  let final = { perClass: [] as number[], meanIou: 0, pixelAccuracy: 0 };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const before = stepLosses.length;
      for (let i = 0; i < n && (options.maxSteps === undefined || stepLosses.length < options.maxSteps); i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        const loss = tidy(() => {
          model.train();
          const pick = fromTypedArray(Int32Array.from(idx), [idx.length]);
          let x = train.images.indexSelect(0, pick);
          if (vgg) x = x.expand([idx.length, 3, x.shape[2]!, x.shape[3]!]);
          const l = crossEntropy(model(x) as Tensor, train.masks.indexSelect(0, pick));
          l.backward();
          optimizer.step();
          optimizer.zeroGrad();
          return l.itemSync() as number;
        });
        stepLosses.push(loss);
      }
      const metric = evaluate(model, test, batchSize * 2, vgg);
      final = summarise(metric);
      metric.dispose();
      const steps = stepLosses.slice(before);
      const e: SegmentationEpoch = {
        epoch,
        trainLoss: steps.reduce((a, v) => a + v, 0) / Math.max(1, steps.length),
        meanIou: final.meanIou,
        pixelAccuracy: final.pixelAccuracy,
        seconds: (Date.now() - t0) / 1000,
      };
      history.push(e);
      options.log?.(`epoch ${epoch}/${epochs}: train loss ${e.trainLoss.toFixed(4)}, held-out mean IoU ${e.meanIou.toFixed(4)}, pixel accuracy ${(e.pixelAccuracy * 100).toFixed(2)}% (${e.seconds.toFixed(1)} s)`);
      if (options.maxSteps !== undefined && stepLosses.length >= options.maxSteps) break;
    }
    const pictures: string[] = [];
    if (options.out) pictures.push(await drawPredictions(model, test, options.pictures ?? 8, vgg, options.out));
    return {
      trainSize: n,
      testSize: test.images.shape[0]!,
      model: vgg ? 'UNetVgg16Bn' : `UNet(baseChannels ${options.baseChannels ?? 16}, depth ${options.depth ?? 3})`,
      parameters,
      stepLosses,
      history,
      perClassIou: final.perClass,
      meanIou: final.meanIou,
      pixelAccuracy: final.pixelAccuracy,
      pictures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    for (const t of [train.images, train.masks, test.images, test.masks]) t.dispose();
  }
}

/**
 * Draws, for the first `count` scenes of `set`, the image, the true masks and the predicted masks
 * side by side (one row per scene, `drawSegmentationMasks` with {@link CLASS_COLORS}) and writes
 * them as `predictions.png` in `out`; returns the path.
 *
 * @example
 * ```ts
 * import { drawPredictions } from './segmentation.js';
 * typeof drawPredictions; // 'function'
 * ```
 */
export async function drawPredictions(model: AnyModule, set: SceneSet, count: number, rgb: boolean, out: string): Promise<string> {
  mkdirSync(out, { recursive: true });
  const k = Math.min(count, set.images.shape[0]!);
  const numClasses = FASHION_SCENE_CLASSES.length;
  const tiles: Tensor[] = [];
  model.eval();
  for (let i = 0; i < k; i++) {
    const [gray, truth, pred] = tidy(() => {
      let x = set.images.narrow(0, i, 1);
      const image = x.select(0, 0).expand([3, x.shape[2]!, x.shape[3]!]).mul(255).int();
      if (rgb) x = x.expand([1, 3, x.shape[2]!, x.shape[3]!]);
      const p = noGrad(() => (model(x) as Tensor).argmax({ dim: 1 }).select(0, 0).int());
      const t = set.masks.select(0, i);
      const classes = (m: Tensor): Tensor => stack(Array.from({ length: numClasses - 1 }, (_, c) => eq(m, c + 1)));
      return [keep(image), keep(classes(t)), keep(classes(p))];
    });
    const drawnTruth = await drawSegmentationMasks(gray, truth, { alpha: 0.6, colors: CLASS_COLORS });
    const drawnPred = await drawSegmentationMasks(gray, pred, { alpha: 0.6, colors: CLASS_COLORS });
    for (const t of [gray, drawnTruth, drawnPred]) {
      tiles.push(tidy(() => t.float().div(255)));
      t.dispose();
    }
    truth.dispose();
    pred.dispose();
  }
  const path = join(out, 'predictions.png');
  await saveImage(tiles, path, { nrow: 3, padding: 2 });
  for (const t of tiles) t.dispose();
  return path;
}

/**
 * The result as text: the per-epoch table, then the final per-class IoU.
 *
 * @example
 * ```ts
 * import { formatSegmentation } from './segmentation.js';
 * const text = formatSegmentation({ trainSize: 4, testSize: 2, model: 'UNet', parameters: 10, stepLosses: [1], history: [{ epoch: 1, trainLoss: 1, meanIou: 0.5, pixelAccuracy: 0.9, seconds: 1 }],
 *   perClassIou: [0.9, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0], meanIou: 0.5, pixelAccuracy: 0.9, pictures: [], seconds: 1 });
 * text.includes('T-shirt/top'); // true
 * ```
 */
export function formatSegmentation(r: SegmentationResult): string {
  const lines = [
    `${r.model}: ${r.parameters.toLocaleString('en-US')} parameters, ${r.trainSize} training scenes, ${r.testSize} held-out scenes, ${r.seconds.toFixed(0)} s`,
    '',
    '| epoch | train loss | held-out mean IoU | pixel accuracy | seconds |',
    '|------:|-----------:|------------------:|---------------:|--------:|',
    ...r.history.map((e) => `| ${e.epoch} | ${e.trainLoss.toFixed(4)} | ${e.meanIou.toFixed(4)} | ${(e.pixelAccuracy * 100).toFixed(2)}% | ${e.seconds.toFixed(1)} |`),
    '',
    '| class | IoU |',
    '|-------|----:|',
    ...r.perClassIou.map((v, c) => `| ${FASHION_SCENE_CLASSES[c]} | ${v.toFixed(4)} |`),
    `| **mean** | **${r.meanIou.toFixed(4)}** |`,
  ];
  if (r.pictures.length) lines.push('', `pictures: ${r.pictures.join(', ')}`);
  return lines.join('\n');
}
