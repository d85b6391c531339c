/**
 * The book's chapter 11 adversarial attack (`Chapter11/adversarial_attack.ipynb`): perturb an
 * image by the sign of the gradient of the loss with respect to the image (the fast gradient sign
 * method, FGSM) until the classifier is fooled. The book attacks an ImageNet-pretrained ResNet-50
 * on one photograph of an elephant and pushes it toward chosen classes ('lemon', 'comic book',
 * 'sax, saxophone') with ten steps of `input - epsilon * input.grad.sign()`; nothing can be
 * downloaded here, so the victim is the book's chapter 4 CNN trained on Fashion-MNIST, attacked
 * both ways: untargeted on the whole test set for several ε (accuracy before and after) and
 * targeted, the book's variant, on one image.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam,
  cat,
  clamp,
  crossEntropy,
  FashionMNIST,
  fromTypedArray,
  grad,
  keep,
  loadSafetensors,
  loadTorch,
  makeGrid,
  manualSeed,
  noGrad,
  saveImage,
  Sequential,
  sign,
  summary,
  tidy,
  type Tensor,
} from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';
import { evaluate, trainEpoch, type Classifier } from '../chapter3/train.js';
import { bookCnn } from '../chapter5-6/models.js';

// Fashion-MNIST's class names, in label order (torchvision's FashionMNIST.classes)
const FASHION_CLASSES = FashionMNIST.classes;

/** The book's chapter 4 CNN has 896,522 parameters (`CNN_on_FashionMNIST.ipynb`'s `summary`). */
export const CHAPTER4_CNN_PARAMETERS = 896_522;

/**
 * The book's chapter 4 CNN on images `[N, 1, 28, 28]`: {@link bookCnn}'s layers without its
 * leading flat-rows-to-images step, so the module list — and the state-dict keys `0.weight`,
 * `3.weight`, `7.weight`, `9.weight` — are those of the book's PyTorch `nn.Sequential` (and of the
 * Fashion-MNIST app's `model.safetensors`), and weights trained there load with `loadStateDict`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { chapter4Cnn } from './adversarial.js';
 * const cnn = chapter4Cnn();
 * cnn.parameters().reduce((n, p) => n + p.numel(), 0); // 896522
 * Object.keys(cnn.stateDict()); // ['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias', '9.weight', '9.bias']
 * cnn(zeros([2, 1, 28, 28])).shape; // [2, 10]
 * cnn.dispose();
 * ```
 */
export function chapter4Cnn(): Sequential {
  const [, ...layers] = bookCnn();
  return new Sequential(...layers);
}

/** Options of {@link fgsm}. */
export interface FgsmOptions {
  /** Size of the step: every pixel moves by exactly `epsilon` (before clamping). Required, ≥ 0. */
  epsilon: number;
  /**
   * false (default): untargeted, `x + ε·sign(∇ₓ loss(model(x), labels))` — away from the true
   * labels. true: targeted, the book's `x − ε·sign(∇ₓ loss(model(x), labels))` — toward `labels`,
   * which are then the desired classes.
   */
  targeted?: boolean;
  /** Lowest valid pixel value (default 0; `null`: no lower clamp). */
  clampMin?: number | null;
  /** Highest valid pixel value (default 1; `null`: no upper clamp). */
  clampMax?: number | null;
}

const FGSM_KEYS = new Set(['epsilon', 'targeted', 'clampMin', 'clampMax']);

/**
 * The fast gradient sign method (Goodfellow et al., 2015): one step of size `epsilon` along the
 * sign of the gradient of the cross-entropy of `model(images)` against `labels` with respect to the
 * images, then the pixels clamped to `[clampMin, clampMax]`. Untargeted (default) it adds the step,
 * raising the loss of the true labels; `targeted: true` subtracts it, lowering the loss of the
 * desired `labels` (the book's `attack`). The model runs in whatever mode it is in (put it in
 * `eval()` first, as the book does) and its parameters' `.grad` are not touched: the gradient is
 * taken with the functional `grad`. Returns new images, detached, of the input's shape.
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { fgsm } from './adversarial.js';
 * const model = new Linear(2, 2);
 * noGrad(() => {
 *   model.weight.copy_(tensor([[1, -1], [-1, 1]]));
 *   model.bias!.zero_();
 * });
 * const x = tensor([[0.5, 0.5]]);
 * const y = tensor([0], { dtype: 'int32' });
 * // raising the loss of class 0 means lowering x₀ and raising x₁
 * (await fgsm(model, x, y, { epsilon: 0.1 }).array()).flat().map((v) => +v.toFixed(4)); // [0.4, 0.6]
 * (await fgsm(model, x, y, { epsilon: 0.1, targeted: true }).array()).flat().map((v) => +v.toFixed(4)); // [0.6, 0.4]
 * (await fgsm(model, x, y, { epsilon: 0.8 }).array()).flat(); // [0, 1]
 * ```
 */
export function fgsm(model: Classifier, images: Tensor, labels: Tensor, options: FgsmOptions): Tensor {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`fgsm: expected options { epsilon, targeted?, clampMin?, clampMax? }, got ${options === null ? 'null' : typeof options}; e.g. fgsm(model, x, y, { epsilon: 0.05 })`);
  }
  for (const key of Object.keys(options)) {
    if (!FGSM_KEYS.has(key)) throw new TypeError(`fgsm: unknown option '${key}'; the options are ${[...FGSM_KEYS].join(', ')}`);
  }
  const { epsilon, targeted = false } = options;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`fgsm: expected epsilon to be a finite number ≥ 0 (the step per pixel, e.g. 0.05 for images in [0, 1]), got ${String(epsilon)}`);
  }
  if (typeof targeted !== 'boolean') throw new TypeError(`fgsm: expected targeted to be a boolean, got ${typeof targeted}`);
  const clampMin = options.clampMin === undefined ? 0 : options.clampMin;
  const clampMax = options.clampMax === undefined ? 1 : options.clampMax;
  for (const [name, v] of [['clampMin', clampMin], ['clampMax', clampMax]] as const) {
    if (v !== null && (typeof v !== 'number' || Number.isNaN(v))) throw new TypeError(`fgsm: expected ${name} to be a number or null (no clamp), got ${String(v)}`);
  }
  if (clampMin !== null && clampMax !== null && clampMin > clampMax) {
    throw new RangeError(`fgsm: expected clampMin ≤ clampMax, got clampMin ${clampMin} and clampMax ${clampMax}`);
  }
  if (images.ndim < 1 || images.shape[0] === 0) throw new RangeError(`fgsm: expected a non-empty batch of images [N, ...], got shape [${images.shape.join(', ')}]`);
  if (images.dtype !== 'float32' && images.dtype !== 'float64') throw new TypeError(`fgsm: expected float images, got ${images.dtype}; scale them first, e.g. x.div(255)`);
  if (labels.ndim !== 1 || labels.shape[0] !== images.shape[0] || labels.dtype !== 'int32') {
    throw new RangeError(
      `fgsm: expected int32 labels [${images.shape[0]}] (one class per image${targeted ? ', the desired classes' : ''}), got ${labels.dtype} [${labels.shape.join(', ')}]; labels are int32, e.g. tensor([3], { dtype: 'int32' })`,
    );
  }
  return tidy(() => {
    const [g] = grad((x) => crossEntropy(model(x), labels), [images]);
    const stepped = targeted ? images.sub(sign(g!).mul(epsilon)) : images.add(sign(g!).mul(epsilon));
    const bounded = clampMin === null && clampMax === null ? stepped : clamp(stepped, { min: clampMin ?? undefined, max: clampMax ?? undefined });
    return bounded.detach();
  });
}

/** Accuracy of the classifier on FGSM images made with one ε. */
export interface EpsilonAccuracy {
  /** The attack's ε (0: the clean images, clamped). */
  epsilon: number;
  /** Fraction of the adversarial images classified as their true label, in [0, 1]. */
  accuracy: number;
}

/**
 * Untargeted {@link fgsm} on every image of `images` (in chunks of `chunkSize`) for each ε, and
 * the accuracy of `model` (put in eval mode) on the result: the book's "does the attack fool the
 * model", measured on a whole test set.
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { attackAccuracy } from './adversarial.js';
 * const model = new Linear(1, 2);
 * noGrad(() => {
 *   model.weight.copy_(tensor([[1], [-1]]));
 *   model.bias!.zero_();
 * });
 * // class 0 when x > 0: the points at 0.05 flip with ε = 0.1, the one at 0.5 does not
 * const x = tensor([[0.5], [0.05], [0.05]]);
 * const y = tensor([0, 0, 0], { dtype: 'int32' });
 * attackAccuracy(model, x, y, [0, 0.1], { clampMin: null, clampMax: null }).map((r) => +r.accuracy.toFixed(4)); // [1, 0.3333]
 * ```
 */
export function attackAccuracy(
  model: Classifier,
  images: Tensor,
  labels: Tensor,
  epsilons: readonly number[],
  options: { chunkSize?: number; clampMin?: number | null; clampMax?: number | null } = {},
): EpsilonAccuracy[] {
  const chunk = options.chunkSize ?? 500;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`attackAccuracy: expected a positive whole chunkSize, got ${String(chunk)}`);
  const n = images.shape[0]!;
  if (n === 0) throw new RangeError('attackAccuracy: no images to attack (the first dimension is 0)');
  model.eval();
  return epsilons.map((epsilon) => {
    let correct = 0;
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      correct += tidy(() => {
        const x = images.narrow(0, start, size);
        const y = labels.narrow(0, start, size);
        const adv = fgsm(model, x, y, { epsilon, clampMin: options.clampMin, clampMax: options.clampMax });
        return noGrad(() => model(adv).argmax(-1).eq(y).sum().itemSync() as number);
      });
    }
    return { epsilon, accuracy: correct / n };
  });
}

/** What {@link targetedAttack} did to one image. */
export interface TargetedAttack {
  /** The desired class. */
  target: number;
  /** The adversarial image after the last step (the caller owns it), shape of the input. */
  image: Tensor;
  /** The model's predicted class before the attack and after each step (`steps + 1` entries). */
  predictions: number[];
  /** The softmax probability of the target before the attack and after each step. */
  targetProbabilities: number[];
  /** The cross-entropy against the target before each step (the book's `losses`). */
  losses: number[];
}

/**
 * The book's targeted attack: `steps` times `x ← x − ε·sign(∇ₓ CrossEntropy(model(x), target))`
 * (the notebook's `attack`, run 10 times per desired class), each step clamped to the valid pixel
 * range. `image` is one image with its batch dimension (`[1, ...]`).
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { targetedAttack } from './adversarial.js';
 * const model = new Linear(1, 2);
 * noGrad(() => {
 *   model.weight.copy_(tensor([[1], [-1]]));
 *   model.bias!.zero_();
 * });
 * // class 1 when x < 0: 0.25 → 0.15 → 0.05 → -0.05 → -0.15 → -0.25 (no clamping here)
 * const r = targetedAttack(model, tensor([[0.25]]), 1, { epsilon: 0.1, steps: 5, clampMin: null, clampMax: null });
 * r.predictions; // [0, 0, 0, 1, 1, 1]
 * (await r.image.array()).flat().map((v) => +v.toFixed(4)); // [-0.25]
 * r.image.dispose();
 * ```
 */
export function targetedAttack(model: Classifier, image: Tensor, target: number, options: { epsilon: number; steps?: number; clampMin?: number | null; clampMax?: number | null }): TargetedAttack {
  const steps = options.steps ?? 10;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`targetedAttack: expected a positive whole number of steps (the book's 10), got ${String(steps)}`);
  if (image.ndim < 2 || image.shape[0] !== 1) throw new RangeError(`targetedAttack: expected one image with its batch dimension [1, ...], got [${image.shape.join(', ')}]; use x.narrow(0, i, 1)`);
  if (!Number.isInteger(target) || target < 0) throw new RangeError(`targetedAttack: expected the target class as a whole number ≥ 0, got ${String(target)}`);
  model.eval();
  const y = fromTypedArray(new Int32Array([target]), [1]);
  const predictions: number[] = [];
  const targetProbabilities: number[] = [];
  const losses: number[] = [];
  const look = (x: Tensor): void =>
    noGrad(() =>
      tidy(() => {
        const logits = model(x);
        predictions.push(logits.argmax(-1).itemSync() as number);
        targetProbabilities.push(logits.softmax(-1).narrow(1, target, 1).itemSync() as number);
        losses.push(crossEntropy(logits, y).itemSync() as number);
      }),
    );
  let x = keep(image.clone());
  try {
    look(x);
    for (let i = 0; i < steps; i++) {
      const next = keep(fgsm(model, x, y, { epsilon: options.epsilon, targeted: true, clampMin: options.clampMin, clampMax: options.clampMax }));
      x.dispose();
      x = next;
      look(x);
    }
  } finally {
    y.dispose();
  }
  losses.pop(); // the loss after the last step is not a "before a step" loss
  return { target, image: x, predictions, targetProbabilities, losses };
}

// 3×5 bitmaps of the digits 0–9 (rows top to bottom, 3 bits each, left bit first)
const DIGITS: readonly (readonly number[])[] = [
  [7, 5, 5, 5, 7],
  [2, 6, 2, 2, 7],
  [7, 1, 7, 4, 7],
  [7, 1, 7, 1, 7],
  [5, 5, 7, 1, 1],
  [7, 4, 7, 1, 7],
  [7, 4, 7, 5, 7],
  [7, 1, 1, 1, 1],
  [7, 5, 7, 5, 7],
  [7, 5, 7, 1, 7],
];

/**
 * Labelled tiles for a picture: each grey image `[N, 1, H, W]` (values in [0, 1]) scaled up
 * `scale` times (nearest), turned to RGB, framed in green when `predicted[i] === truth[i]` and
 * in red otherwise (grey when `truth[i]` is `-1`), with the predicted class written as a digit
 * in the top-left corner. Returns float32 `[N, 3, H·scale, W·scale]`, for `makeGrid`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { labelledTiles } from './adversarial.js';
 * const tiles = labelledTiles(zeros([2, 1, 28, 28]), [3, 4], [3, 0]);
 * tiles.shape; // [2, 3, 56, 56]
 * // the frames: green for the right prediction, red for the wrong one
 * (await tiles.narrow(3, 0, 1).narrow(2, 30, 1).array()).map((rgb) => rgb.flat(2)); // [[0, 0.8, 0], [0.9, 0, 0]]
 * ```
 */
export function labelledTiles(images: Tensor, predicted: readonly number[], truth: readonly number[], scale = 2): Tensor {
  if (images.ndim !== 4 || images.shape[1] !== 1) throw new RangeError(`labelledTiles: expected grey images [N, 1, H, W], got [${images.shape.join(', ')}]`);
  const [n, , h, w] = images.shape as [number, number, number, number];
  if (predicted.length !== n || truth.length !== n) throw new RangeError(`labelledTiles: expected ${n} predicted and true labels, got ${predicted.length} and ${truth.length}`);
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`labelledTiles: expected a positive whole scale, got ${String(scale)}`);
  const src = images.dataSync() as Float32Array;
  const H = h * scale;
  const W = w * scale;
  const out = new Float32Array(n * 3 * H * W);
  const border = Math.max(1, scale);
  for (let i = 0; i < n; i++) {
    const base = i * 3 * H * W;
    const put = (y: number, x: number, rgb: readonly number[]): void => {
      for (let c = 0; c < 3; c++) out[base + c * H * W + y * W + x] = rgb[c]!;
    };
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = Math.min(1, Math.max(0, src[i * h * w + Math.floor(y / scale) * w + Math.floor(x / scale)]!));
        put(y, x, [v, v, v]);
      }
    }
    const frame = truth[i] === -1 ? [0.5, 0.5, 0.5] : predicted[i] === truth[i] ? [0, 0.8, 0] : [0.9, 0, 0];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) if (y < border || y >= H - border || x < border || x >= W - border) put(y, x, frame);
    }
    const glyphs = String(predicted[i]).split('').map(Number);
    const dot = Math.max(1, Math.floor(scale / 2) + 1);
    const x0 = border + 1;
    const y0 = border + 1;
    // a black box behind the digits, then the digits in yellow
    for (let y = y0 - 1; y < y0 + 5 * dot + 1 && y < H; y++) {
      for (let x = x0 - 1; x < x0 + glyphs.length * 4 * dot && x < W; x++) put(y, x, [0, 0, 0]);
    }
    glyphs.forEach((d, k) => {
      const rows = DIGITS[d]!;
      for (let r = 0; r < 5; r++) {
        for (let c = 0; c < 3; c++) {
          if (!((rows[r]! >> (2 - c)) & 1)) continue;
          for (let dy = 0; dy < dot; dy++) {
            for (let dx = 0; dx < dot; dx++) {
              const y = y0 + r * dot + dy;
              const x = x0 + (k * 4 + c) * dot + dx;
              if (y < H && x < W) put(y, x, [1, 0.85, 0]);
            }
          }
        }
      }
    });
  }
  return fromTypedArray(out, [n, 3, H, W]);
}

/** Options of {@link runFgsm}. */
export interface FgsmRunOptions {
  /** Fashion-MNIST splits with pixel values 0–255 (default: loaded, limited by `limit` and `testLimit`). */
  data?: ImageSplits;
  /** Training images used to train the CNN (default 10,000). */
  limit?: number;
  /** Test images attacked (default 2,000). */
  testLimit?: number;
  /** Training epochs (default 1; ignored with `weights`). */
  epochs?: number;
  /** Images per training step (default 32, the book's). */
  batchSize?: number;
  /** Adam's learning rate (default 0.001, the book's chapter 4). */
  lr?: number;
  /** A state dict of the chapter 4 CNN (`.safetensors` or PyTorch `.pth`, keys `0.weight` … `9.bias`): no training. */
  weights?: string;
  /** The ε of the untargeted attack (default [0, 0.01, 0.02, 0.05, 0.1, 0.2]). */
  epsilons?: readonly number[];
  /** Index of the test image attacked toward every other class (default 0). */
  targetImage?: number;
  /** ε of each step of the targeted attack (default 0.01). */
  targetEpsilon?: number;
  /** Steps of the targeted attack (default 10, the book's). */
  targetSteps?: number;
  /** Images per row of the untargeted picture (default 10: the first test image of each class). */
  columns?: number;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
  /** Folder of the pictures (none written when left out). */
  out?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What {@link runFgsm} measured. */
export interface FgsmResult {
  /** The CNN's torchsummary-style table. */
  summary: string;
  /** Its number of parameters (the book's 896,522). */
  parameters: number;
  /** Training loss per epoch (empty with `weights`). */
  trainLosses: number[];
  /** Number of training / test images. */
  trainSize: number;
  /** Number of test images attacked. */
  testSize: number;
  /** Seconds spent training. */
  trainSeconds: number;
  /** Test accuracy per ε (the first row, ε = 0, is the accuracy before the attack). */
  rows: EpsilonAccuracy[];
  /** The targeted attack toward every other class of one test image. */
  targeted: { image: number; label: number; epsilon: number; attacks: Omit<TargetedAttack, 'image'>[] };
  /** The pictures written (untargeted grid, targeted row). */
  pictures: string[];
}

/**
 * The whole experiment: trains the chapter 4 CNN (Adam, batch 32, images / 255; or loads
 * `weights`), prints its summary, attacks the test images with untargeted FGSM for each ε and
 * reports the accuracy, then runs the book's targeted attack on one test image toward each other
 * class, and writes `fgsm-grid.png` (one row per ε, the first test image of each class; frame
 * green when still right, red when fooled, the predicted class in the corner) and
 * `fgsm-targeted.png` (the image and its adversarial versions, one per target class).
 *
 * @example
 * ```ts
 * import { ImageSplits } from '../chapter3/data.js';
 * import { runFgsm } from './adversarial.js';
 * const data = ImageSplits.synthetic({ train: 64, val: 16 });
 * const r = await runFgsm({ data, epsilons: [0, 0.1], targetSteps: 1 });
 * [r.parameters, r.rows.length, r.targeted.attacks.length]; // [896522, 2, 9]
 * data.dispose();
 * ```
 */
export async function runFgsm(options: FgsmRunOptions = {}): Promise<FgsmResult> {
  const log = options.log ?? (() => {});
  const epsilons = options.epsilons ?? [0, 0.01, 0.02, 0.05, 0.1, 0.2];
  const raw = options.data ?? (await ImageSplits.loadFashionMnist({ limit: options.limit ?? 10_000, testLimit: options.testLimit ?? 2_000 }));
  const data = raw.scaled(255);
  if (!options.data) raw.dispose();
  const asImages = (x: Tensor): Tensor => keep(x.reshape([x.shape[0]!, 1, 28, 28]));
  const trainX = asImages(data.trainX);
  const testX = asImages(data.valX);
  manualSeed(options.seed ?? 0);
  const model = chapter4Cnn();
  const pictures: string[] = [];
  try {
    const s = summary(model, [1, 28, 28]);
    log(s.text);
    const trainLosses: number[] = [];
    const started = performance.now();
    if (options.weights !== undefined) {
      await loadWeights(model, options.weights);
      log(`loaded the CNN's weights from ${options.weights}`);
    } else {
      const epochs = options.epochs ?? 1;
      if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`runFgsm: expected a positive whole number of epochs, got ${String(epochs)}`);
      const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 1e-3 });
      try {
        for (let epoch = 1; epoch <= epochs; epoch++) {
          const t = trainEpoch(model, optimizer, trainX, data.trainY, { batchSize: options.batchSize ?? 32, seed: options.seed ?? 0, epoch });
          trainLosses.push(t.loss);
          log(`epoch ${epoch}/${epochs}: train loss ${t.loss.toFixed(4)} (${t.steps} steps, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
        }
      } finally {
        optimizer.dispose();
      }
    }
    const trainSeconds = (performance.now() - started) / 1000;
    model.eval();
    log(`test accuracy before the attack: ${(evaluate(model, testX, data.valY).accuracy * 100).toFixed(2)}%`);
    const rows = attackAccuracy(model, testX, data.valY, epsilons);
    for (const r of rows) log(`FGSM ε = ${r.epsilon}: test accuracy ${(r.accuracy * 100).toFixed(2)}%`);

    // the targeted attack: one image toward each other class
    const labels = Array.from(data.valY.dataSync() as Int32Array);
    const imageIndex = options.targetImage ?? 0;
    if (!Number.isInteger(imageIndex) || imageIndex < 0 || imageIndex >= labels.length) {
      throw new RangeError(`runFgsm: expected targetImage to be a test image index in [0, ${labels.length - 1}], got ${String(imageIndex)}`);
    }
    const label = labels[imageIndex]!;
    const targetEpsilon = options.targetEpsilon ?? 0.01;
    const one = keep(testX.narrow(0, imageIndex, 1));
    const attacks: TargetedAttack[] = [];
    try {
      for (let target = 0; target < 10; target++) {
        if (target === label) continue;
        const a = targetedAttack(model, one, target, { epsilon: targetEpsilon, steps: options.targetSteps ?? 10 });
        attacks.push(a);
        log(
          `targeted: test image ${imageIndex} (${FASHION_CLASSES[label]}) → ${FASHION_CLASSES[target]}: predicted ${FASHION_CLASSES[a.predictions.at(-1)!]}, ` +
            `p(target) ${a.targetProbabilities[0]!.toFixed(4)} → ${a.targetProbabilities.at(-1)!.toFixed(4)}`,
        );
      }
      if (options.out !== undefined) {
        mkdirSync(options.out, { recursive: true });
        pictures.push(await writeUntargetedGrid(model, testX, labels, epsilons, options.columns ?? 10, join(options.out, 'fgsm-grid.png')));
        const row = tidy(() => {
          const images = cat([one, ...attacks.map((a) => a.image)], 0);
          const predicted = noGrad(() => Array.from(model(images).argmax(-1).dataSync() as Int32Array));
          // the original is framed against its true label, each adversarial against its target
          const tiles = labelledTiles(images, predicted, [label, ...attacks.map((a) => a.target)]);
          return keep(makeGrid(tiles, { nrow: tiles.shape[0]!, padding: 2 }));
        });
        const path = join(options.out, 'fgsm-targeted.png');
        await saveImage(row, path);
        row.dispose();
        pictures.push(path);
      }
    } finally {
      one.dispose();
      for (const a of attacks) a.image.dispose();
    }
    return {
      summary: s.text,
      parameters: s.totalParams,
      trainLosses,
      trainSize: trainX.shape[0]!,
      testSize: testX.shape[0]!,
      trainSeconds,
      rows,
      targeted: { image: imageIndex, label, epsilon: targetEpsilon, attacks: attacks.map(({ image: _image, ...rest }) => rest) },
      pictures,
    };
  } finally {
    model.dispose();
    trainX.dispose();
    testX.dispose();
    data.dispose();
  }
}

async function loadWeights(model: Sequential, path: string): Promise<void> {
  const tensors = path.endsWith('.safetensors') ? (await loadSafetensors(path)).tensors : await loadTorch(path);
  try {
    // stateDict() hands out tensors the caller owns: only the names are needed here
    const own = model.stateDict();
    const expected = Object.keys(own);
    for (const t of Object.values(own)) t.dispose();
    const missing = expected.filter((k) => !(k in tensors));
    if (missing.length > 0) {
      throw new RangeError(
        `--weights ${path}: expected the state dict of the book's chapter 4 CNN (keys ${expected.join(', ')}), but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing ` +
          `(the file has ${Object.keys(tensors).slice(0, 8).join(', ')}${Object.keys(tensors).length > 8 ? ', …' : ''}); save model.state_dict() of nn.Sequential(Conv2d(1, 64, 3), MaxPool2d(2), ReLU(), …) or use the Fashion-MNIST app's model.safetensors`,
      );
    }
    model.loadStateDict(Object.fromEntries(expected.map((k) => [k, tensors[k]!])), { strict: true });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

async function writeUntargetedGrid(model: Classifier, testX: Tensor, labels: readonly number[], epsilons: readonly number[], columns: number, path: string): Promise<string> {
  // the first test image of each class (then the next ones), `columns` of them
  const picked: number[] = [];
  for (let c = 0; c < 10 && picked.length < columns; c++) {
    const i = labels.indexOf(c);
    if (i >= 0) picked.push(i);
  }
  for (let i = 0; picked.length < columns && i < labels.length; i++) if (!picked.includes(i)) picked.push(i);
  const grid = tidy(() => {
    const index = fromTypedArray(new Int32Array(picked), [picked.length]);
    const x = testX.indexSelect(0, index);
    const y = fromTypedArray(new Int32Array(picked.map((i) => labels[i]!)), [picked.length]);
    const truth = picked.map((i) => labels[i]!);
    const rows = epsilons.map((epsilon) => {
      const adv = fgsm(model, x, y, { epsilon });
      const predicted = noGrad(() => Array.from(model(adv).argmax(-1).dataSync() as Int32Array));
      return labelledTiles(adv, predicted, truth);
    });
    const tiles = cat(rows, 0);
    return keep(makeGrid(tiles, { nrow: picked.length, padding: 2 }));
  });
  await saveImage(grid, path);
  grid.dispose();
  return path;
}

/**
 * The report: the accuracy per ε as a Markdown table, then the targeted attack's outcome per
 * target class.
 *
 * @example
 * ```ts
 * import { formatFgsm } from './adversarial.js';
 * const text = formatFgsm({
 *   summary: '', parameters: 896522, trainLosses: [0.5], trainSize: 100, testSize: 10, trainSeconds: 1, pictures: [],
 *   rows: [{ epsilon: 0, accuracy: 0.9 }, { epsilon: 0.1, accuracy: 0.2 }],
 *   targeted: { image: 0, label: 9, epsilon: 0.01, attacks: [{ target: 5, predictions: [9, 5], targetProbabilities: [0.01, 0.6], losses: [4.6] }] },
 * });
 * text.includes('| 0.1 | 20.00% |'); // true
 * text.includes('| Sandal | Sandal | 0.0100 → 0.6000 |'); // true
 * ```
 */
export function formatFgsm(result: FgsmResult): string {
  const lines = [
    `chapter 4 CNN: ${result.parameters.toLocaleString('en-US')} parameters; ${result.trainSize} training images, ${result.testSize} test images attacked`,
    '',
    '| ε | test accuracy |',
    '|---:|---:|',
    ...result.rows.map((r) => `| ${r.epsilon} | ${(r.accuracy * 100).toFixed(2)}% |`),
    '',
    `targeted attack on test image ${result.targeted.image} (${FASHION_CLASSES[result.targeted.label]}), ε = ${result.targeted.epsilon} per step:`,
    '',
    '| target | predicted after | p(target) before → after |',
    '|---|---|---:|',
    ...result.targeted.attacks.map(
      (a) => `| ${FASHION_CLASSES[a.target]} | ${FASHION_CLASSES[a.predictions.at(-1)!]} | ${a.targetProbabilities[0]!.toFixed(4)} → ${a.targetProbabilities.at(-1)!.toFixed(4)} |`,
    ),
  ];
  return lines.join('\n');
}
