import { Dataset, FashionMNIST, checkIndex } from '@tensorgrad/data';
import { fromTypedArray, Tensor } from '@tensorgrad/tensor';
import { checkOptionKeys, isOptionsObject } from '../args.js';

/**
 * The class names of {@link FashionMNISTScenes} indexed by label: `0` is `'__background__'`
 * (torchvision's detection models reserve label 0 for the background), then Fashion-MNIST's ten
 * classes, so a scene label is the Fashion-MNIST class index plus one (`1` = `'T-shirt/top'`, …,
 * `10` = `'Ankle boot'`). A detector or segmenter over the scenes therefore has `numClasses: 11`.
 */
export const FASHION_SCENE_CLASSES: readonly string[] = Object.freeze([
  '__background__',
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The background of a generated scene: black, or a random linear gradient of dark colours. */
export type SceneBackground = 'black' | 'gradient';

/** Options of {@link FashionMNISTScenes} (how the scenes are generated). */
export interface FashionMNISTScenesOptions<S = [Tensor, SceneTarget]> {
  /** The number of scenes (default 1000): scene `i` is a function of `seed`, the split and `i` alone. */
  length?: number;
  /** The canvas size: a number for a square canvas, or `[height, width]` (default 128). */
  size?: number | readonly [number, number];
  /** The number of garments per scene, `[min, max]` inclusive, drawn uniformly (default `[1, 4]`). */
  numGarments?: readonly [number, number];
  /** The side of a garment once resized from 28×28, `[min, max]` pixels inclusive (default `[20, 48]`). */
  garmentSize?: readonly [number, number];
  /** 1 (grey, default) or 3 (RGB: each garment gets a random colour). */
  channels?: 1 | 3;
  /** The seed of the scenes (default 0); the same seed gives the same scenes. */
  seed?: number;
  /** The background: `'black'` (default) or `'gradient'` (a random dark linear gradient). */
  background?: SceneBackground;
  /** The standard deviation of Gaussian pixel noise added to the image, then clamped to [0, 1] (default 0). */
  noise?: number;
  /** The largest IoU a garment's box may have with the boxes already placed (default 0: boxes never overlap). */
  maxOverlap?: number;
  /** A pixel belongs to a garment's mask where its intensity (0–1) exceeds this (default 0.1). */
  maskThreshold?: number;
  /** Applied to each `(image, target)` pair by `get` (torchvision's detection `transforms`). */
  transforms?: ((image: Tensor, target: SceneTarget) => S) | null;
}

/** Options of {@link FashionMNISTScenes.load}: the garments' split and folder, and the scene options. */
export interface FashionMNISTScenesLoadOptions<S = [Tensor, SceneTarget]> extends FashionMNISTScenesOptions<S> {
  /** Where Fashion-MNIST's IDX files are looked for first (as `FashionMNIST.load`'s `root`). */
  root?: string;
  /** Garments from the 60,000 training images (default) or, when false, the 10,000 test images. */
  train?: boolean;
}

/** The target of a scene, as torchvision's detection models take it (plus the semantic class map). */
export interface SceneTarget {
  /** float32 `[K, 4]`: each garment's box, `xyxy` in pixel-edge coordinates (a garment covering columns 3–7 has x1 = 3, x2 = 8). */
  boxes: Tensor;
  /** int32 `[K]`: the class of each garment, 1–10 ({@link FASHION_SCENE_CLASSES}; 0 is the background). */
  labels: Tensor;
  /** bool `[K, H, W]`: the visible pixels of each garment. */
  masks: Tensor;
  /** int32 `[H, W]`: the class of each pixel (0 = background). */
  semantic: Tensor;
}

/** A generated scene as plain typed arrays (what {@link FashionMNISTScenes.scene} returns). */
export interface SceneArrays {
  /** `[C, H, W]` row-major, values in [0, 1]. */
  image: Float32Array;
  /** The image's `[C, H, W]`. */
  shape: [number, number, number];
  /** `[K, 4]` row-major, `xyxy`. */
  boxes: Float32Array;
  /** `[K]`, 1–10. */
  labels: Int32Array;
  /** `[K, H, W]` row-major, 0 or 1. */
  masks: Uint8Array;
  /** `[H, W]` row-major, 0–10. */
  semantic: Int32Array;
  /** The index, in the garment set, of the Fashion-MNIST image each garment was drawn from. */
  sources: Int32Array;
}

const OPTION_KEYS = ['length', 'size', 'numGarments', 'garmentSize', 'channels', 'seed', 'background', 'noise', 'maxOverlap', 'maskThreshold', 'transforms'] as const;
const NAME = 'FashionMNISTScenes';

/** A 32-bit hash (murmur3's finaliser) to derive a per-scene seed from (seed, split, index). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator; returns floats in [0, 1). */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function intPair(name: string, v: unknown, min: number, def: [number, number]): [number, number] {
  if (v === undefined || v === null) return def;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min) || v[0] > v[1]) {
    throw new RangeError(`new ${NAME}: expected ${name} to be [min, max] with integers ${min} ≤ min ≤ max, got ${JSON.stringify(v)}`);
  }
  return [v[0], v[1]];
}

function number(name: string, v: unknown, def: number, ok: (x: number) => boolean, what: string): number {
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !ok(v)) throw new RangeError(`new ${NAME}: expected ${name} to be ${what}, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Bilinear resize of a 28×28 (or any `n×n`) 0–255 image to `s×s`, values scaled to [0, 1]
 * (half-pixel centres, as `resize` with `antialias: false`).
 */
function resizeGarment(src: Uint8Array, offset: number, n: number, s: number, out: Float32Array): void {
  const scale = n / s;
  for (let y = 0; y < s; y++) {
    const fy = Math.min(Math.max((y + 0.5) * scale - 0.5, 0), n - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, n - 1);
    const wy = fy - y0;
    for (let x = 0; x < s; x++) {
      const fx = Math.min(Math.max((x + 0.5) * scale - 0.5, 0), n - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, n - 1);
      const wx = fx - x0;
      const a = src[offset + y0 * n + x0]!;
      const b = src[offset + y0 * n + x1]!;
      const c = src[offset + y1 * n + x0]!;
      const d = src[offset + y1 * n + x1]!;
      out[y * s + x] = ((a * (1 - wx) + b * wx) * (1 - wy) + (c * (1 - wx) + d * wx) * wy) / 255;
    }
  }
}

/** HSV (h in [0, 1), s, v in [0, 1]) to RGB. */
function hsv(h: number, s: number, v: number): [number, number, number] {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  switch (i % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

function iou(a: readonly number[], b: readonly number[]): number {
  const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

/**
 * Detection and segmentation scenes made of Fashion-MNIST garments (tensorgrad's own data set;
 * torchvision has none like it): each scene is a canvas (`size`, default 128×128) with a few
 * garments (`numGarments`, default 1–4) drawn from the Fashion-MNIST images, each resized from
 * 28×28 to a random side in `garmentSize` (default 20–48 px, bilinear) and placed at a random
 * position where its box overlaps no box already placed by more than `maxOverlap` IoU (default 0:
 * never; a garment that finds no free place in 50 tries is left out, so a crowded canvas may get
 * fewer than drawn). Grey (`channels: 1`, default) or RGB (`channels: 3`, each garment in a random
 * colour); a black or random dark-gradient `background`; optional Gaussian pixel `noise`.
 *
 * `get(i)` returns torchvision's detection sample `[image, target]`: `image` float32 `[C, H, W]`
 * in [0, 1], `target` `{ boxes, labels, masks, semantic }` — `boxes` float32 `[K, 4]` `xyxy` (the
 * tight box of the garment's visible mask, in pixel-edge coordinates), `labels` int32 `[K]` with
 * the Fashion-MNIST class **plus one** (label 0 is the background, as torchvision's detectors
 * expect; names in {@link FASHION_SCENE_CLASSES}), `masks` bool `[K, H, W]` instance masks (pixels
 * brighter than `maskThreshold`, minus those a later garment covers), `semantic` int32 `[H, W]`
 * (each pixel's label, 0 for the background: U-Net's target). With `transforms`, `get` returns
 * `transforms(image, target)` instead.
 *
 * Deterministic: scene `i` depends on `seed`, the split (train/test) and `i` only, so the same
 * options give the same scenes in any order, on any machine, and the test split (garments from
 * the 10,000 test images, `train: false`) shares no garment image with the training split. The
 * pixel work is host code over typed arrays (one tensor per output); {@link FashionMNISTScenes.scene}
 * returns the plain arrays. Batch with a `DataLoader` and {@link detectionCollate} (scenes have
 * different numbers of garments), or return `[image, target.semantic]` from `transforms` and use
 * the default collate for segmentation.
 *
 * Create it with `await FashionMNISTScenes.load({ train, ...options })` (reads Fashion-MNIST like
 * `FashionMNIST.load`), or `new FashionMNISTScenes(garments, options)` over an already loaded
 * `FashionMNIST` (or any `{ data: [N, h, h] 0–255, targets: int32 [N] }`); the dataset copies the
 * garments and does not dispose them.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { tensor } from '@tensorgrad/tensor';
 * import { DataLoader } from '@tensorgrad/data';
 * import { FashionMNISTScenes, FASHION_SCENE_CLASSES, detectionCollate } from '@tensorgrad/vision';
 * // two 28×28 "garments": a filled square (class 0) and a bar (class 1)
 * const data = tensor(Array.from({ length: 2 }, (_, n) => Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (n === 0 ? (x > 3 && x < 24 && y > 3 && y < 24 ? 200 : 0) : x > 10 && x < 17 ? 255 : 0)))), { dtype: 'int32' });
 * const targets = tensor([0, 1], { dtype: 'int32' });
 * const scenes = new FashionMNISTScenes({ data, targets }, { length: 10, size: 64, numGarments: [2, 3], garmentSize: [16, 24], seed: 7 });
 * const [image, target] = scenes.get(0);
 * image.shape; // [1, 64, 64]
 * const k = target.labels.shape[0];
 * [k >= 2 && k <= 3, target.boxes.shape[1], target.masks.dtype, target.semantic.shape]; // [true, 4, 'bool', [64, 64]]
 * (await target.labels.array()).every((l) => FASHION_SCENE_CLASSES[l] === 'T-shirt/top' || FASHION_SCENE_CLASSES[l] === 'Trouser'); // true
 * const [again] = scenes.get(0);
 * (await again.data()).every((v, i) => v === image.dataSync()[i]); // true
 * for (const [images, targets] of new DataLoader(scenes, { batchSize: 4, collateFn: detectionCollate })) {
 *   [images.length, targets.length]; // [4, 4]
 *   break;
 * }
 * ```
 */
export class FashionMNISTScenes<S = [Tensor, SceneTarget]> extends Dataset<S> {
  /** {@link FASHION_SCENE_CLASSES}: label → class name (0 = background). */
  static readonly classes: readonly string[] = FASHION_SCENE_CLASSES;
  /** {@link FASHION_SCENE_CLASSES}. */
  readonly classes: readonly string[] = FASHION_SCENE_CLASSES;
  /** Whether the garments come from the training split (as given to `load`, or the garments' own `train`). */
  readonly train: boolean;
  /** The canvas height. */
  readonly height: number;
  /** The canvas width. */
  readonly width: number;
  /** The number of channels, 1 or 3. */
  readonly channels: 1 | 3;
  /** The seed. */
  readonly seed: number;
  /** `[min, max]` garments per scene. */
  readonly numGarments: readonly [number, number];
  /** `[min, max]` garment side in pixels. */
  readonly garmentSize: readonly [number, number];
  /** The background kind. */
  readonly background: SceneBackground;
  /** The noise standard deviation. */
  readonly noise: number;
  /** The largest IoU between garment boxes. */
  readonly maxOverlap: number;
  /** The mask threshold (intensity in [0, 1]). */
  readonly maskThreshold: number;
  /** The `transforms` option. */
  readonly transforms: ((image: Tensor, target: SceneTarget) => S) | null;
  readonly #length: number;
  readonly #pixels: Uint8Array;
  readonly #labels: Int32Array;
  readonly #side: number;

  /**
   * Scenes over already loaded garments: `garments.data` `[N, h, h]` with values 0–255 (a
   * `FashionMNIST` or `MNIST` data set, or any object with `data` and int32 `targets` 0–9).
   */
  constructor(garments: { data: Tensor; targets: Tensor; train?: boolean }, options?: FashionMNISTScenesOptions<S>) {
    super();
    if (garments === null || typeof garments !== 'object' || !(garments.data instanceof Tensor) || !(garments.targets instanceof Tensor)) {
      throw new TypeError(
        `new ${NAME}: expected the garments as a loaded FashionMNIST data set (or { data: [N, h, h] 0–255, targets: int32 [N] }), got ${garments === null ? 'null' : typeof garments}; ` +
          `to read Fashion-MNIST, use \`await ${NAME}.load({ train, ...options })\``,
      );
    }
    if (options !== undefined && !isOptionsObject(options)) throw new TypeError(`new ${NAME}: expected options as an object { length, size, numGarments, … }, got ${typeof options}`);
    const o = (options ?? {}) as Record<string, unknown>;
    checkOptionKeys(`new ${NAME}`, o, [...OPTION_KEYS]);
    const { data, targets } = garments;
    if (data.ndim !== 3 || data.shape[1] !== data.shape[2] || data.shape[0] === 0) {
      throw new RangeError(`new ${NAME}: expected garment images [N, h, h] (square, N ≥ 1), got shape [${data.shape.join(', ')}]`);
    }
    if (targets.ndim !== 1 || targets.shape[0] !== data.shape[0] || targets.dtype !== 'int32') {
      throw new RangeError(`new ${NAME}: expected int32 targets [${data.shape[0]}], got ${targets.dtype} [${targets.shape.join(', ')}]`);
    }
    const raw = data.dataSync();
    const pixels = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = Number(raw[i]);
      if (!(v >= 0 && v <= 255)) throw new RangeError(`new ${NAME}: expected garment pixel values 0–255, got ${v} at flat index ${i}`);
      pixels[i] = Math.round(v);
    }
    const labels = Int32Array.from(targets.dataSync() as Int32Array);
    const badLabel = labels.findIndex((l) => l < 0 || l > 9);
    if (badLabel >= 0) throw new RangeError(`new ${NAME}: expected garment classes 0–9 (Fashion-MNIST's), got ${labels[badLabel]} at index ${badLabel}`);
    this.#pixels = pixels;
    this.#labels = labels;
    this.#side = data.shape[1]!;

    this.#length = number('length', o.length, 1000, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
    const size = o.size ?? 128;
    const hw = typeof size === 'number' ? [size, size] : size;
    if (!Array.isArray(hw) || hw.length !== 2 || !hw.every((x) => Number.isInteger(x) && x >= 1)) {
      throw new RangeError(`new ${NAME}: expected size to be a positive integer or [height, width], got ${JSON.stringify(size)}`);
    }
    [this.height, this.width] = hw as [number, number];
    this.numGarments = intPair('numGarments', o.numGarments, 0, [1, 4]);
    this.garmentSize = intPair('garmentSize', o.garmentSize, 1, [20, 48]);
    if (this.garmentSize[1] > Math.min(this.height, this.width)) {
      throw new RangeError(`new ${NAME}: garmentSize [${this.garmentSize.join(', ')}] does not fit the ${this.height}×${this.width} canvas; make the largest side ≤ ${Math.min(this.height, this.width)} or the canvas larger`);
    }
    const channels = o.channels ?? 1;
    if (channels !== 1 && channels !== 3) throw new RangeError(`new ${NAME}: expected channels to be 1 (grey) or 3 (RGB), got ${JSON.stringify(channels)}`);
    this.channels = channels;
    this.seed = number('seed', o.seed, 0, (x) => Number.isSafeInteger(x), 'an integer');
    const background = o.background ?? 'black';
    if (background !== 'black' && background !== 'gradient') throw new RangeError(`new ${NAME}: expected background to be 'black' or 'gradient', got ${JSON.stringify(background)}`);
    this.background = background;
    this.noise = number('noise', o.noise, 0, (x) => x >= 0 && Number.isFinite(x), 'a standard deviation ≥ 0');
    this.maxOverlap = number('maxOverlap', o.maxOverlap, 0, (x) => x >= 0 && x <= 1, 'an IoU in [0, 1]');
    this.maskThreshold = number('maskThreshold', o.maskThreshold, 0.1, (x) => x >= 0 && x < 1, 'an intensity in [0, 1)');
    if (o.transforms !== undefined && o.transforms !== null && typeof o.transforms !== 'function') {
      throw new TypeError(`new ${NAME}: expected transforms to be a function (image, target) => sample, got ${typeof o.transforms}`);
    }
    this.transforms = (o.transforms ?? null) as ((image: Tensor, target: SceneTarget) => S) | null;
    this.train = garments.train ?? true;
  }

  /**
   * Reads Fashion-MNIST (`FashionMNIST.load({ root, train })`: `root`, `$TENSORGRAD_DATA`, then
   * Debian's `/usr/share/datasets/fashion-mnist`) and returns the scenes over its training
   * (default) or test garments.
   *
   * @example
   * ```ts
   * import '@tensorgrad/backend-cpu';
   * import { FashionMNISTScenes } from '@tensorgrad/vision';
   * let message = '';
   * try {
   *   await FashionMNISTScenes.load({ root: '/nonexistent', sizes: 64 } as never);
   * } catch (e) {
   *   message = (e as Error).message;
   * }
   * message.includes("did you mean 'size'"); // true
   * ```
   */
  static async load<S = [Tensor, SceneTarget]>(options?: FashionMNISTScenesLoadOptions<S>): Promise<FashionMNISTScenes<S>> {
    if (options !== undefined && !isOptionsObject(options)) throw new TypeError(`${NAME}.load: expected options as an object { root, train, length, size, … }, got ${typeof options}`);
    const { root, train, ...rest } = (options ?? {}) as FashionMNISTScenesLoadOptions<S>;
    checkOptionKeys(`${NAME}.load`, options ?? {}, ['root', 'train', ...OPTION_KEYS]);
    const garments = await FashionMNIST.load({ ...(root !== undefined ? { root } : {}), train: train ?? true });
    try {
      return new FashionMNISTScenes<S>(garments, rest);
    } finally {
      garments.dispose();
    }
  }

  /** The number of scenes. */
  get length(): number {
    return this.#length;
  }

  /**
   * Scene `index` as plain typed arrays (no tensors): what `get` wraps.
   *
   * @example
   * ```ts
   * import '@tensorgrad/backend-cpu';
   * import { ones, zeros } from '@tensorgrad/tensor';
   * import { FashionMNISTScenes } from '@tensorgrad/vision';
   * const garments = { data: ones([1, 28, 28], { dtype: 'int32' }).mul(255), targets: zeros([1], { dtype: 'int32' }) };
   * const s = new FashionMNISTScenes(garments, { size: 32, numGarments: [1, 1], garmentSize: [10, 10] }).scene(0);
   * const [x1, y1, x2, y2] = s.boxes;
   * [x2 - x1, y2 - y1, s.labels[0], s.masks.reduce((a, b) => a + b, 0)]; // [10, 10, 1, 100]
   * ```
   */
  scene(index: number): SceneArrays {
    const i = checkIndex(NAME, index, this.#length);
    const H = this.height;
    const W = this.width;
    const C = this.channels;
    const seedLo = this.seed >>> 0;
    const seedHi = Math.floor(this.seed / 4294967296) | 0;
    const rand = mulberry32(mix(mix(mix(seedLo ^ 0x9e3779b9) ^ seedHi) ^ Math.imul(i + 1, 0x27d4eb2d)) ^ (this.train ? 0 : 0x51ed270b));
    const randint = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

    // background
    const image = new Float32Array(C * H * W);
    if (this.background === 'gradient') {
      const c0 = Array.from({ length: C }, () => rand() * 0.35);
      const c1 = Array.from({ length: C }, () => rand() * 0.35);
      const angle = rand() * 2 * Math.PI;
      const dx = Math.cos(angle);
      const dy = Math.sin(angle);
      const span = Math.abs(dx) * (W - 1) + Math.abs(dy) * (H - 1) || 1;
      const base = Math.min(0, dx * (W - 1)) + Math.min(0, dy * (H - 1));
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const t = (dx * x + dy * y - base) / span;
          for (let c = 0; c < C; c++) image[c * H * W + y * W + x] = c0[c]! + (c1[c]! - c0[c]!) * t;
        }
      }
    }

    // garments: placed one after the other, a later one over an earlier one
    const owner = new Int32Array(H * W).fill(-1);
    const drawn = randint(this.numGarments[0], this.numGarments[1]);
    const placed: number[][] = [];
    const classes: number[] = [];
    const sources: number[] = [];
    const n = this.#side;
    const count = this.#labels.length;
    const glyph = new Float32Array(this.garmentSize[1] * this.garmentSize[1]);
    const thr = this.maskThreshold;
    for (let k = 0; k < drawn; k++) {
      const g = Math.floor(rand() * count);
      const s = randint(this.garmentSize[0], this.garmentSize[1]);
      const tint = C === 3 ? hsv(rand(), 0.5 + 0.5 * rand(), 0.75 + 0.25 * rand()) : [1, 1, 1];
      resizeGarment(this.#pixels, g * n * n, n, s, glyph);
      // the tight box of the garment's mask inside its s×s square
      let bx1 = s;
      let by1 = s;
      let bx2 = -1;
      let by2 = -1;
      for (let y = 0; y < s; y++) {
        for (let x = 0; x < s; x++) {
          if (glyph[y * s + x]! > thr) {
            if (x < bx1) bx1 = x;
            if (x > bx2) bx2 = x;
            if (y < by1) by1 = y;
            if (y > by2) by2 = y;
          }
        }
      }
      if (bx2 < 0) continue; // an all-dark image: nothing to detect
      const bw = bx2 - bx1 + 1;
      const bh = by2 - by1 + 1;
      let at: [number, number] | null = null;
      for (let attempt = 0; attempt < 50 && at === null; attempt++) {
        // the box anywhere inside the canvas
        const ox = randint(0, W - bw) - bx1;
        const oy = randint(0, H - bh) - by1;
        const box = [ox + bx1, oy + by1, ox + bx2 + 1, oy + by2 + 1];
        if (placed.every((p) => iou(p, box) <= this.maxOverlap)) at = [ox, oy];
      }
      if (at === null) continue;
      const [ox, oy] = at;
      const id = placed.length;
      placed.push([ox + bx1, oy + by1, ox + bx2 + 1, oy + by2 + 1]);
      classes.push(this.#labels[g]! + 1);
      sources.push(g);
      for (let y = Math.max(0, -oy); y < s && oy + y < H; y++) {
        for (let x = Math.max(0, -ox); x < s && ox + x < W; x++) {
          const v = glyph[y * s + x]!;
          if (v <= 0) continue;
          const p = (oy + y) * W + ox + x;
          const alpha = v > thr ? 1 : v / thr;
          for (let c = 0; c < C; c++) {
            const o = c * H * W + p;
            image[o] = image[o]! * (1 - alpha) + alpha * v * tint[c]!;
          }
          if (v > thr) owner[p] = id;
        }
      }
    }
    if (this.noise > 0) {
      for (let j = 0; j < image.length; j++) image[j] = Math.min(1, Math.max(0, image[j]! + this.noise * gauss()));
    } else {
      for (let j = 0; j < image.length; j++) image[j] = Math.min(1, Math.max(0, image[j]!));
    }

    // the visible masks, their boxes, the semantic map; garments hidden entirely are dropped
    const K0 = placed.length;
    const ext = Array.from({ length: K0 }, () => [W, H, -1, -1]);
    const area = new Int32Array(K0);
    for (let p = 0; p < H * W; p++) {
      const id = owner[p]!;
      if (id < 0) continue;
      const x = p % W;
      const y = (p - x) / W;
      const e = ext[id]!;
      if (x < e[0]!) e[0] = x;
      if (y < e[1]!) e[1] = y;
      if (x > e[2]!) e[2] = x;
      if (y > e[3]!) e[3] = y;
      area[id]++;
    }
    const keepIds: number[] = [];
    for (let id = 0; id < K0; id++) if (area[id]! > 0) keepIds.push(id);
    const K = keepIds.length;
    const remap = new Int32Array(K0).fill(-1);
    keepIds.forEach((id, j) => (remap[id] = j));
    const boxes = new Float32Array(K * 4);
    const labels = new Int32Array(K);
    const masks = new Uint8Array(K * H * W);
    const semantic = new Int32Array(H * W);
    keepIds.forEach((id, j) => {
      const e = ext[id]!;
      boxes.set([e[0]!, e[1]!, e[2]! + 1, e[3]! + 1], j * 4);
      labels[j] = classes[id]!;
    });
    for (let p = 0; p < H * W; p++) {
      const id = owner[p]!;
      if (id < 0) continue;
      const j = remap[id]!;
      masks[j * H * W + p] = 1;
      semantic[p] = labels[j]!;
    }
    return { image, shape: [C, H, W], boxes, labels, masks, semantic, sources: Int32Array.from(keepIds, (id) => sources[id]!) };
  }

  /** `[image, target]` of scene `index` (negative counts from the end), through `transforms` when given. */
  get(index: number): S {
    const s = this.scene(index);
    const [C, H, W] = s.shape;
    const K = s.labels.length;
    const image = fromTypedArray(s.image, [C, H, W]);
    const target: SceneTarget = {
      boxes: fromTypedArray(s.boxes, [K, 4]),
      labels: fromTypedArray(s.labels, [K]),
      masks: fromTypedArray(s.masks, [K, H, W], { dtype: 'bool' }),
      semantic: fromTypedArray(s.semantic, [H, W]),
    };
    return this.transforms ? this.transforms(image, target) : ([image, target] as unknown as S);
  }
}

/**
 * The `collate_fn` of torchvision's detection references, `lambda batch: tuple(zip(*batch))`:
 * turns a batch of `[image, target]` samples into `[images, targets]` (a list of the images and a
 * list of the targets, unstacked: detection images and targets differ in size from one sample to
 * the next). Samples of any length are transposed the same way. Give it to a `DataLoader` as
 * `collateFn`.
 *
 * @example
 * ```ts
 * import { detectionCollate } from '@tensorgrad/vision';
 * detectionCollate([['a', { n: 1 }], ['b', { n: 2 }]]); // [['a', 'b'], [{ n: 1 }, { n: 2 }]]
 * ```
 */
export function detectionCollate<A, B>(batch: readonly (readonly [A, B])[]): [A[], B[]];
export function detectionCollate(batch: readonly (readonly unknown[])[]): unknown[][];
export function detectionCollate(batch: readonly (readonly unknown[])[]): unknown[][] {
  if (!Array.isArray(batch)) throw new TypeError(`detectionCollate: expected a list of samples, got ${batch === null ? 'null' : typeof batch}`);
  if (batch.length === 0) return [];
  const n = (batch[0] as readonly unknown[] | undefined)?.length;
  batch.forEach((s, i) => {
    if (!Array.isArray(s)) throw new TypeError(`detectionCollate: expected each sample to be a tuple [image, target], got ${s === null ? 'null' : typeof s} at sample ${i}`);
    if (s.length !== n) throw new RangeError(`detectionCollate: sample 0 has ${n} fields but sample ${i} has ${s.length}; every sample must be a tuple of the same length`);
  });
  return Array.from({ length: n ?? 0 }, (_, j) => batch.map((s) => s[j]));
}
