// torchvision's transform classes: each parses its constructor with torchvision's parameter
// names and order (plus the keyword-only `generator` of the random ones), draws its random
// parameters exactly as torchvision's `get_params` does (same generator calls, same order, so
// the same seed gives torchvision's parameters), and applies the functional.
import { Generator, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { affineImage, checkFillValues, rotateImage, type GridInterpolation } from './affine.js';
import { centerCropImage, cropBox, resizedCropImage } from './crop.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, rgbToGrayscale } from './color.js';
import { checkFloat, checkImage, checkInterpolation, dims, generatorOf, py, pyFloat, rand1, randint1, roundHalfEven, setupSize, uniform1, type Interpolation } from './common.js';
import { flipDim } from './flip.js';
import { normalize } from './normalize.js';
import { padImage, parsePadding, type PaddingMode } from './pad.js';
import { antialiasFor, resizedOutputSize, resizeTo } from './resize.js';
import { toTensor, type ImageDataLike } from './to-tensor.js';
import { nested, Transform } from './transform.js';

/** Anything a container transform can hold: a transform, or any function of an image. */
export type TransformLike = ((img: never) => unknown) | Transform;

function checkTransforms(op: string, list: unknown): TransformLike[] {
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'function')) {
    throw new TypeError(`${op}: expected a list of transforms (transform objects or functions), got ${Array.isArray(list) ? `a list with a ${typeof list.find((t) => typeof t !== 'function')}` : typeof list}`);
  }
  return [...(list as TransformLike[])];
}

function checkP(op: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new TypeError(`${op}: expected p to be a probability in [0, 1], got ${JSON.stringify(p)}`);
  return p;
}

function checkBool(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${op}: expected ${name} to be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** A `[min, max]` pair of finite numbers. */
function checkRange(op: string, name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
    throw new TypeError(`${op}: expected ${name} to be a list [min, max] of two numbers, got ${JSON.stringify(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

/** torchvision's `_setup_angle`: a number d → `[-d, d]` (d ≥ 0), or a list of `sizes` numbers. */
function setupAngle(op: string, name: string, v: unknown, sizes: readonly number[]): { values: number[]; repr: string } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${op}: if ${name} is a single number, it must be non-negative, got ${v}`);
    return { values: [-v, v], repr: `[${pyFloat(-v)}, ${pyFloat(v)}]` };
  }
  if (!Array.isArray(v) || !sizes.includes(v.length) || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
    throw new TypeError(`${op}: expected ${name} to be a non-negative number or a list of ${sizes.join(' or ')} numbers, got ${JSON.stringify(v)}`);
  }
  return { values: [...(v as number[])], repr: `[${(v as number[]).map(pyFloat).join(', ')}]` };
}

function checkPaddingMode(op: string, v: unknown): PaddingMode {
  const mode = v ?? 'constant';
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(mode as string)) {
    throw new TypeError(`${op}: expected paddingMode to be 'constant', 'edge', 'reflect' or 'symmetric', got ${JSON.stringify(v)}`);
  }
  return mode as PaddingMode;
}

function checkNumberFill(op: string, v: unknown): number {
  const fill = v ?? 0;
  if (typeof fill !== 'number' || !Number.isFinite(fill)) throw new TypeError(`${op}: expected fill to be a finite number (tensor images take one fill value for every channel), got ${JSON.stringify(v)}`);
  return fill;
}

/** The keyword-only option of every random transform. */
export interface RandomTransformOptions {
  /** The generator to draw from (default the global one, seeded by `manualSeed`). */
  generator?: Generator;
}

const COMPOSE = signature('new Compose', ['transforms'], { required: 1 });

/**
 * torchvision's `transforms.Compose`: applies `transforms` in order (transform objects or any
 * functions, e.g. `toTensor` first on an `ImageData`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { CenterCrop, Compose, Normalize } from '@tensorgrad/vision';
 * const t = new Compose([new CenterCrop(1), new Normalize([0.5], [0.5])]);
 * await t(tensor([[[0, 0, 0], [0, 1, 0], [0, 0, 0]]])).array(); // [[[1]]]
 * String(t); // 'Compose(\n    CenterCrop(size=(1, 1))\n    Normalize(mean=[0.5], std=[0.5])\n)'
 * ```
 */
export class Compose extends Transform {
  /** The transforms, in order. */
  readonly transforms: TransformLike[];

  constructor(transforms: readonly TransformLike[]);
  constructor(options: { transforms: readonly TransformLike[] });
  constructor(...args: unknown[]) {
    super();
    this.transforms = checkTransforms('new Compose', parseArgs(COMPOSE, args).transforms);
  }

  forward(img: Tensor): Tensor {
    return this.call(img);
  }

  /** Runs every transform in order; the input may be anything the first transform accepts. */
  override call(img: Tensor | ImageDataLike): Tensor {
    // intermediate results are freed; tensors the transforms hold (or return unchanged) are not
    return tidy(() => {
      let x: unknown = img;
      for (const t of this.transforms) x = (t as (v: unknown) => unknown)(x);
      return x as Tensor;
    });
  }

  override toString(): string {
    return `Compose(${nested(this.transforms)}\n)`;
  }
}

export interface Compose {
  /** `compose(img)`: runs the transforms in order. */
  (img: Tensor | ImageDataLike): Tensor;
}

/**
 * torchvision's `transforms.ToTensor`: {@link toTensor} as a transform (an int32 0–255 image
 * tensor or an ImageData-like object → float32 `[C, H, W]` in `[0, 1]`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { ToTensor } from '@tensorgrad/vision';
 * const t = new ToTensor();
 * await t({ data: new Uint8Array([0, 255]), width: 2, height: 1, channels: 1 }).array(); // [[[0, 1]]]
 * String(t); // 'ToTensor()'
 * ```
 */
export class ToTensor extends Transform {
  constructor(...args: never[]) {
    super();
    parseArgs(signature('new ToTensor', []), args);
  }

  forward(img: Tensor): Tensor {
    return toTensor(img);
  }

  /** Converts `pic` (see {@link toTensor}). */
  override call(pic: Tensor | ImageDataLike): Tensor {
    return toTensor(pic);
  }

  override toString(): string {
    return 'ToTensor()';
  }
}

export interface ToTensor {
  /** `toTensor(pic)`. */
  (pic: Tensor | ImageDataLike): Tensor;
}

const NORMALIZE = signature('new Normalize', ['mean', 'std', 'inplace'], { required: 2 });

/**
 * torchvision's `transforms.Normalize`: `(img - mean[c]) / std[c]` per channel (see
 * {@link normalize}).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Normalize } from '@tensorgrad/vision';
 * const t = new Normalize({ mean: [0.5], std: [0.25] });
 * await t(tensor([[[0, 1]]])).array(); // [[[-2, 2]]]
 * String(t); // 'Normalize(mean=[0.5], std=[0.25])'
 * ```
 */
export class Normalize extends Transform {
  /** Per-channel means. */
  readonly mean: number | readonly number[];
  /** Per-channel standard deviations. */
  readonly std: number | readonly number[];

  constructor(mean: number | readonly number[], std: number | readonly number[], inplace?: boolean);
  constructor(options: { mean: number | readonly number[]; std: number | readonly number[]; inplace?: boolean });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(NORMALIZE, args);
    if (a.inplace === true) throw new TypeError('new Normalize: inplace: true is not supported (it would rewrite the input); leave it out');
    this.mean = a.mean as number[];
    this.std = a.std as number[];
  }

  forward(img: Tensor): Tensor {
    return normalize(img, { mean: this.mean, std: this.std });
  }

  override toString(): string {
    return `Normalize(mean=${py(this.mean)}, std=${py(this.std)})`;
  }
}

const RESIZE = signature('new Resize', ['size', 'interpolation', 'maxSize', 'antialias'], { required: 1 });

/**
 * torchvision's `transforms.Resize` (see {@link resize}): `size` is `[h, w]` or the smaller
 * edge; `interpolation` `'bilinear'` (default), `'nearest'` or `'bicubic'`; `maxSize`;
 * `antialias` — **`true` by default** for bilinear/bicubic (PIL's and torchvision ≥ 0.17's
 * behaviour; `false` is torchvision 0.14's tensor default).
 *
 * @example
 * ```ts
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Resize } from '@tensorgrad/vision';
 * const t = new Resize(4);
 * t(zeros(3, 8, 16)).shape; // [3, 4, 8]
 * new Resize([2, 2], { interpolation: 'nearest' })(zeros(2, 3, 8, 8)).shape; // [2, 3, 2, 2]
 * String(t); // 'Resize(size=4, interpolation=bilinear, max_size=None, antialias=True)'
 * ```
 */
export class Resize extends Transform {
  /** The requested size. */
  readonly size: number | readonly number[];
  /** The interpolation mode. */
  readonly interpolation: Interpolation;
  /** The cap of the longer edge, or `null`. */
  readonly maxSize: number | null;
  /** Whether bilinear/bicubic downsampling antialiases. */
  readonly antialias: boolean;

  constructor(size: number | readonly number[], options?: { interpolation?: Interpolation; maxSize?: number | null; antialias?: boolean | null });
  constructor(size: number | readonly number[], interpolation?: Interpolation, maxSize?: number | null, antialias?: boolean | null);
  constructor(options: { size: number | readonly number[]; interpolation?: Interpolation; maxSize?: number | null; antialias?: boolean | null });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RESIZE, args);
    this.interpolation = checkInterpolation('new Resize', a.interpolation ?? 'bilinear', ['nearest', 'bilinear', 'bicubic']);
    this.antialias = antialiasFor('new Resize', this.interpolation, a.antialias);
    // validates size and maxSize now rather than at the first call
    resizedOutputSize('new Resize', 100, 100, a.size, a.maxSize);
    this.size = a.size as number[];
    this.maxSize = (a.maxSize as number | undefined) ?? null;
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('Resize', img);
    checkFloat('Resize', x);
    const [, h, w] = dims(x);
    const [oh, ow] = resizedOutputSize('Resize', h, w, this.size, this.maxSize);
    return resizeTo(x, oh, ow, this.interpolation, this.antialias);
  }

  override toString(): string {
    return `Resize(size=${py(this.size)}, interpolation=${this.interpolation}, max_size=${py(this.maxSize)}, antialias=${py(this.antialias)})`;
  }
}

function sizeRepr(size: unknown, parsed: [number, number]): string {
  return Array.isArray(size) && size.length === 2 ? py(size) : `(${parsed[0]}, ${parsed[1]})`;
}

const CENTER_CROP = signature('new CenterCrop', ['size'], { required: 1 });

/**
 * torchvision's `transforms.CenterCrop` (see {@link centerCrop}).
 *
 * @example
 * ```ts
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { CenterCrop } from '@tensorgrad/vision';
 * new CenterCrop(2)(zeros(3, 5, 5)).shape; // [3, 2, 2]
 * String(new CenterCrop([2, 3])); // 'CenterCrop(size=[2, 3])'
 * ```
 */
export class CenterCrop extends Transform {
  /** The output size `[h, w]`. */
  readonly size: [number, number];
  private readonly repr: string;

  constructor(size: number | readonly number[]);
  constructor(options: { size: number | readonly number[] });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(CENTER_CROP, args);
    this.size = setupSize('new CenterCrop', a.size);
    this.repr = sizeRepr(a.size, this.size);
  }

  forward(img: Tensor): Tensor {
    return centerCropImage('CenterCrop', checkImage('CenterCrop', img), this.size);
  }

  override toString(): string {
    return `CenterCrop(size=${this.repr})`;
  }
}

const PAD = signature('new Pad', ['padding', 'fill', 'paddingMode'], { required: 1 });

/**
 * torchvision's `transforms.Pad` (see {@link pad}).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Pad } from '@tensorgrad/vision';
 * const t = new Pad([1, 0], { paddingMode: 'edge' });
 * await t(tensor([[[1, 2]]])).array(); // [[[1, 1, 2, 2]]]
 * String(t); // 'Pad(padding=[1, 0], fill=0, padding_mode=edge)'
 * ```
 */
export class Pad extends Transform {
  /** The padding as given. */
  readonly padding: number | readonly number[];
  /** The constant-mode fill value. */
  readonly fill: number;
  /** The padding mode. */
  readonly paddingMode: PaddingMode;

  constructor(padding: number | readonly number[], options?: { fill?: number; paddingMode?: PaddingMode });
  constructor(padding: number | readonly number[], fill?: number, paddingMode?: PaddingMode);
  constructor(options: { padding: number | readonly number[]; fill?: number; paddingMode?: PaddingMode });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(PAD, args);
    parsePadding('new Pad', a.padding);
    this.padding = a.padding as number[];
    this.fill = checkNumberFill('new Pad', a.fill);
    this.paddingMode = checkPaddingMode('new Pad', a.paddingMode);
  }

  forward(img: Tensor): Tensor {
    return padImage('Pad', checkImage('Pad', img), parsePadding('Pad', this.padding), this.fill, this.paddingMode);
  }

  override toString(): string {
    return `Pad(padding=${py(this.padding)}, fill=${py(this.fill)}, padding_mode=${this.paddingMode})`;
  }
}

const RANDOM_CROP = signature('new RandomCrop', ['size', 'padding', 'padIfNeeded', 'fill', 'paddingMode', 'generator'], { required: 1, keywordOnly: ['generator'] });

/**
 * torchvision's `transforms.RandomCrop`: pads by `padding` (optional; with `fill` and
 * `paddingMode` as {@link pad}), pads up to `size` when `padIfNeeded`, then crops a `size` box at
 * a uniformly random position (`getParams`: `torch.randint` for the row, then the column).
 *
 * @example
 * ```ts
 * import { Generator, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomCrop } from '@tensorgrad/vision';
 * const t = new RandomCrop(32, { padding: 4, generator: new Generator(0) });
 * t(zeros(3, 32, 32)).shape; // [3, 32, 32]
 * String(t); // 'RandomCrop(size=(32, 32), padding=4)'
 * ```
 */
export class RandomCrop extends Transform {
  /** The crop size `[h, w]`. */
  readonly size: [number, number];
  /** Padding applied first, or `null`. */
  readonly padding: number | readonly number[] | null;
  /** Pad the image up to `size` when it is smaller. */
  readonly padIfNeeded: boolean;
  /** Constant-mode fill value. */
  readonly fill: number;
  /** Padding mode. */
  readonly paddingMode: PaddingMode;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(size: number | readonly number[], options?: { padding?: number | readonly number[] | null; padIfNeeded?: boolean; fill?: number; paddingMode?: PaddingMode } & RandomTransformOptions);
  constructor(size: number | readonly number[], padding?: number | readonly number[] | null, padIfNeeded?: boolean, fill?: number, paddingMode?: PaddingMode, options?: RandomTransformOptions);
  constructor(options: { size: number | readonly number[]; padding?: number | readonly number[] | null; padIfNeeded?: boolean; fill?: number; paddingMode?: PaddingMode } & RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RANDOM_CROP, args);
    this.size = setupSize('new RandomCrop', a.size);
    if (a.padding !== undefined && a.padding !== null) parsePadding('new RandomCrop', a.padding);
    this.padding = (a.padding as number[] | undefined) ?? null;
    this.padIfNeeded = checkBool('new RandomCrop', 'padIfNeeded', a.padIfNeeded, false);
    this.fill = checkNumberFill('new RandomCrop', a.fill);
    this.paddingMode = checkPaddingMode('new RandomCrop', a.paddingMode);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomCrop', a.generator);
  }

  /**
   * torchvision's `RandomCrop.get_params`: `[top, left, h, w]` of a random `outputSize` box in
   * `img` (row first, each `torch.randint(0, H - h + 1)`).
   *
   * @example
   * ```ts
   * import { Generator, zeros } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { RandomCrop } from '@tensorgrad/vision';
   * const [top, left, h, w] = RandomCrop.getParams(zeros(1, 10, 10), [4, 4], new Generator(0));
   * [top >= 0 && top <= 6, left >= 0 && left <= 6, h, w]; // [true, true, 4, 4]
   * ```
   */
  static getParams(img: Tensor, outputSize: readonly [number, number] | readonly number[], generator?: Generator): [number, number, number, number] {
    const [, h, w] = dims(checkImage('RandomCrop.getParams', img));
    const [th, tw] = outputSize as [number, number];
    if (h < th || w < tw) throw new RangeError(`RandomCrop: the crop size [${th}, ${tw}] is larger than the image size [${h}, ${w}]; pad it (padding, padIfNeeded: true) or crop smaller`);
    if (w === tw && h === th) return [0, 0, h, w];
    const g = generatorOf('RandomCrop.getParams', generator);
    const i = randint1(g, 0, h - th + 1);
    const j = randint1(g, 0, w - tw + 1);
    return [i, j, th, tw];
  }

  forward(img: Tensor): Tensor {
    let x = checkImage('RandomCrop', img);
    return tidy(() => {
      if (this.padding !== null) x = padImage('RandomCrop', x, parsePadding('RandomCrop', this.padding), this.fill, this.paddingMode);
      let [, height, width] = dims(x);
      if (this.padIfNeeded && width < this.size[1]) x = padImage('RandomCrop', x, [this.size[1] - width, 0, this.size[1] - width, 0], this.fill, this.paddingMode);
      [, height, width] = dims(x);
      if (this.padIfNeeded && height < this.size[0]) x = padImage('RandomCrop', x, [0, this.size[0] - height, 0, this.size[0] - height], this.fill, this.paddingMode);
      const [i, j, h, w] = RandomCrop.getParams(x, this.size, this.generator ?? undefined);
      return cropBox('RandomCrop', x, i, j, h, w).contiguous();
    });
  }

  override toString(): string {
    return `RandomCrop(size=(${this.size[0]}, ${this.size[1]}), padding=${py(this.padding)})`;
  }
}

const FLIP_SIG = (name: string) => signature(`new ${name}`, ['p', 'generator'], { keywordOnly: ['generator'] });
const HFLIP = FLIP_SIG('RandomHorizontalFlip');
const VFLIP = FLIP_SIG('RandomVerticalFlip');

/**
 * torchvision's `transforms.RandomHorizontalFlip`: mirrors the image (a batch: all of it) left
 * to right with probability `p` (default 0.5): flips when `torch.rand(1) < p`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomHorizontalFlip } from '@tensorgrad/vision';
 * await new RandomHorizontalFlip(1)(tensor([[[1, 2]]])).array(); // [[[2, 1]]]
 * String(new RandomHorizontalFlip()); // 'RandomHorizontalFlip(p=0.5)'
 * ```
 */
export class RandomHorizontalFlip extends Transform {
  /** Probability of flipping. */
  readonly p: number;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(p?: number, options?: RandomTransformOptions);
  constructor(options: { p?: number } & RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(HFLIP, args);
    this.p = checkP('new RandomHorizontalFlip', a.p ?? 0.5);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomHorizontalFlip', a.generator);
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('RandomHorizontalFlip', img);
    return rand1(generatorOf('RandomHorizontalFlip', this.generator)) < this.p ? flipDim(x, x.ndim - 1) : x.clone();
  }

  override toString(): string {
    return `RandomHorizontalFlip(p=${this.p})`;
  }
}

/**
 * torchvision's `transforms.RandomVerticalFlip`: mirrors the image top to bottom with
 * probability `p` (default 0.5; flips when `torch.rand(1) < p`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomVerticalFlip } from '@tensorgrad/vision';
 * await new RandomVerticalFlip({ p: 1 })(tensor([[[1], [2]]])).array(); // [[[2], [1]]]
 * String(new RandomVerticalFlip(0.3)); // 'RandomVerticalFlip(p=0.3)'
 * ```
 */
export class RandomVerticalFlip extends Transform {
  /** Probability of flipping. */
  readonly p: number;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(p?: number, options?: RandomTransformOptions);
  constructor(options: { p?: number } & RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(VFLIP, args);
    this.p = checkP('new RandomVerticalFlip', a.p ?? 0.5);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomVerticalFlip', a.generator);
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('RandomVerticalFlip', img);
    return rand1(generatorOf('RandomVerticalFlip', this.generator)) < this.p ? flipDim(x, x.ndim - 2) : x.clone();
  }

  override toString(): string {
    return `RandomVerticalFlip(p=${this.p})`;
  }
}

const RRC = signature('new RandomResizedCrop', ['size', 'scale', 'ratio', 'interpolation', 'antialias', 'generator'], { required: 1, keywordOnly: ['generator'] });

/** Options of {@link RandomResizedCrop} (torchvision's keywords). */
export interface RandomResizedCropOptions extends RandomTransformOptions {
  /** Range of the crop's area as a fraction of the image's (default `[0.08, 1]`). */
  scale?: readonly number[];
  /** Range of the crop's aspect ratio w/h, sampled log-uniformly (default `[3/4, 4/3]`). */
  ratio?: readonly number[];
  /** `'bilinear'` (default), `'nearest'` or `'bicubic'`. */
  interpolation?: Interpolation;
  /** As `resize`'s (default `true` for bilinear/bicubic). */
  antialias?: boolean | null;
}

/**
 * torchvision's `transforms.RandomResizedCrop`: crops a random box of random area (`scale` of the
 * image's) and aspect ratio (`ratio`, log-uniform), then resizes it to `size`. The box comes from
 * torchvision's `get_params`: up to 10 tries, each drawing the area and the log-ratio
 * (`uniform_`) and, when the box fits, its position (`randint`); after 10 misses, the central
 * crop with the ratio clamped to `ratio`.
 *
 * @example
 * ```ts
 * import { Generator, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomResizedCrop } from '@tensorgrad/vision';
 * const t = new RandomResizedCrop(8, { generator: new Generator(0) });
 * t(zeros(3, 20, 30)).shape; // [3, 8, 8]
 * String(t); // 'RandomResizedCrop(size=(8, 8), scale=(0.08, 1), ratio=(0.75, 1.3333), interpolation=bilinear, antialias=True)'
 * ```
 */
export class RandomResizedCrop extends Transform {
  /** The output size `[h, w]`. */
  readonly size: [number, number];
  /** The area range. */
  readonly scale: [number, number];
  /** The aspect-ratio range. */
  readonly ratio: [number, number];
  /** The interpolation mode. */
  readonly interpolation: Interpolation;
  /** Whether bilinear/bicubic downsampling antialiases. */
  readonly antialias: boolean;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(size: number | readonly number[], options?: RandomResizedCropOptions);
  constructor(size: number | readonly number[], scale?: readonly number[], ratio?: readonly number[], interpolation?: Interpolation, antialias?: boolean | null, options?: RandomTransformOptions);
  constructor(options: { size: number | readonly number[] } & RandomResizedCropOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RRC, args);
    this.size = setupSize('new RandomResizedCrop', a.size);
    this.scale = checkRange('new RandomResizedCrop', 'scale', a.scale ?? [0.08, 1]);
    this.ratio = checkRange('new RandomResizedCrop', 'ratio', a.ratio ?? [3 / 4, 4 / 3]);
    if (this.scale[0] > this.scale[1] || this.ratio[0] > this.ratio[1]) {
      throw new RangeError(`new RandomResizedCrop: scale and ratio must be [min, max] ranges, got scale ${JSON.stringify(this.scale)}, ratio ${JSON.stringify(this.ratio)}`);
    }
    if (this.ratio[0] <= 0 || this.scale[0] < 0) throw new RangeError(`new RandomResizedCrop: expected positive ratios and non-negative scales, got scale ${JSON.stringify(this.scale)}, ratio ${JSON.stringify(this.ratio)}`);
    this.interpolation = checkInterpolation('new RandomResizedCrop', a.interpolation ?? 'bilinear', ['nearest', 'bilinear', 'bicubic']);
    this.antialias = antialiasFor('new RandomResizedCrop', this.interpolation, a.antialias);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomResizedCrop', a.generator);
  }

  /**
   * torchvision's `RandomResizedCrop.get_params`: the box `[top, left, h, w]` (see the class).
   * The draws are torchvision's, in its order, so a generator seeded like `torch.manual_seed`
   * gives torchvision's box.
   *
   * @example
   * ```ts
   * import { Generator, zeros } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { RandomResizedCrop } from '@tensorgrad/vision';
   * const [top, left, h, w] = RandomResizedCrop.getParams(zeros(3, 20, 30), [0.08, 1], [3 / 4, 4 / 3], new Generator(0));
   * top + h <= 20 && left + w <= 30; // true
   * ```
   */
  static getParams(img: Tensor, scale: readonly number[], ratio: readonly number[], generator?: Generator): [number, number, number, number] {
    const [, height, width] = dims(checkImage('RandomResizedCrop.getParams', img));
    const g = generatorOf('RandomResizedCrop.getParams', generator);
    const area = height * width;
    // log_ratio = torch.log(torch.tensor(ratio)): float32
    const logRatio = [Math.fround(Math.log(Math.fround(ratio[0]!))), Math.fround(Math.log(Math.fround(ratio[1]!)))];
    for (let k = 0; k < 10; k++) {
      const targetArea = area * uniform1(g, scale[0]!, scale[1]!);
      const aspectRatio = Math.fround(Math.exp(uniform1(g, logRatio[0]!, logRatio[1]!)));
      const w = roundHalfEven(Math.sqrt(targetArea * aspectRatio));
      const h = roundHalfEven(Math.sqrt(targetArea / aspectRatio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        const i = randint1(g, 0, height - h + 1);
        const j = randint1(g, 0, width - w + 1);
        return [i, j, h, w];
      }
    }
    const inRatio = width / height;
    let w: number;
    let h: number;
    if (inRatio < Math.min(...ratio)) {
      w = width;
      h = roundHalfEven(w / Math.min(...ratio));
    } else if (inRatio > Math.max(...ratio)) {
      h = height;
      w = roundHalfEven(h * Math.max(...ratio));
    } else {
      w = width;
      h = height;
    }
    return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('RandomResizedCrop', img);
    checkFloat('RandomResizedCrop', x);
    const [i, j, h, w] = RandomResizedCrop.getParams(x, this.scale, this.ratio, this.generator ?? undefined);
    return resizedCropImage('RandomResizedCrop', x, i, j, h, w, this.size[0], this.size[1], this.interpolation, this.antialias);
  }

  override toString(): string {
    const r4 = (v: number) => String(Math.round(v * 1e4) / 1e4);
    return `RandomResizedCrop(size=(${this.size[0]}, ${this.size[1]}), scale=(${this.scale.map(r4).join(', ')}), ratio=(${this.ratio.map(r4).join(', ')}), interpolation=${this.interpolation}, antialias=${py(this.antialias)})`;
  }
}

const ROTATION = signature('new RandomRotation', ['degrees', 'interpolation', 'expand', 'center', 'fill', 'generator'], { required: 1, keywordOnly: ['generator'] });

function checkCenter(op: string, v: unknown): [number, number] | null {
  if (v === undefined || v === null) return null;
  return checkRange(op, 'center', v);
}

function fillRepr(v: number | readonly number[]): string {
  return py(v);
}

/**
 * torchvision's `transforms.RandomRotation`: rotates by an angle drawn uniformly from `degrees`
 * (`d` means `[-d, d]`), with `interpolation` (`'nearest'` default, `'bilinear'`), `expand`,
 * `center` and `fill` (default 0) as {@link rotate}.
 *
 * @example
 * ```ts
 * import { Generator, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomRotation } from '@tensorgrad/vision';
 * const t = new RandomRotation(10, { generator: new Generator(0) });
 * t(zeros(3, 8, 8)).shape; // [3, 8, 8]
 * String(t); // 'RandomRotation(degrees=[-10.0, 10.0], interpolation=nearest, expand=False, fill=0)'
 * ```
 */
export class RandomRotation extends Transform {
  /** The angle range `[min, max]` in degrees. */
  readonly degrees: [number, number];
  /** The interpolation mode. */
  readonly interpolation: GridInterpolation;
  /** Whether the output grows to hold the rotated image. */
  readonly expand: boolean;
  /** The centre of rotation, or `null` for the image centre. */
  readonly center: [number, number] | null;
  /** The fill value(s). */
  readonly fill: number | readonly number[];
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;
  private readonly degreesRepr: string;

  constructor(degrees: number | readonly number[], options?: { interpolation?: GridInterpolation; expand?: boolean; center?: readonly number[] | null; fill?: number | readonly number[] } & RandomTransformOptions);
  constructor(degrees: number | readonly number[], interpolation?: GridInterpolation, expand?: boolean, center?: readonly number[] | null, fill?: number | readonly number[], options?: RandomTransformOptions);
  constructor(options: { degrees: number | readonly number[]; interpolation?: GridInterpolation; expand?: boolean; center?: readonly number[] | null; fill?: number | readonly number[] } & RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(ROTATION, args);
    const d = setupAngle('new RandomRotation', 'degrees', a.degrees, [2]);
    this.degrees = d.values as [number, number];
    this.degreesRepr = d.repr;
    this.interpolation = checkInterpolation('new RandomRotation', a.interpolation ?? 'nearest', ['nearest', 'bilinear']) as GridInterpolation;
    this.expand = checkBool('new RandomRotation', 'expand', a.expand, false);
    this.center = checkCenter('new RandomRotation', a.center);
    this.fill = (a.fill ?? 0) as number | number[];
    checkFillValues('new RandomRotation', this.fill, Array.isArray(this.fill) ? this.fill.length : 1);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomRotation', a.generator);
  }

  /**
   * torchvision's `RandomRotation.get_params`: an angle uniform in `degrees` (one float32
   * `uniform_` draw).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * import { RandomRotation } from '@tensorgrad/vision';
   * const angle = RandomRotation.getParams([-10, 10], new Generator(0));
   * angle >= -10 && angle < 10; // true
   * ```
   */
  static getParams(degrees: readonly number[], generator?: Generator): number {
    return uniform1(generatorOf('RandomRotation.getParams', generator), degrees[0]!, degrees[1]!);
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('RandomRotation', img);
    checkFloat('RandomRotation', x);
    const c = dims(x)[0];
    const fill = typeof this.fill === 'number' ? new Array<number>(c).fill(this.fill) : [...this.fill];
    checkFillValues('RandomRotation', fill, c);
    const angle = RandomRotation.getParams(this.degrees, this.generator ?? undefined);
    return rotateImage(x, angle, this.interpolation, this.expand, this.center, fill);
  }

  override toString(): string {
    let s = `RandomRotation(degrees=${this.degreesRepr}, interpolation=${this.interpolation}, expand=${py(this.expand)}`;
    if (this.center !== null) s += `, center=${py(this.center)}`;
    return `${s}, fill=${fillRepr(this.fill)})`;
  }
}

const AFFINE = signature('new RandomAffine', ['degrees', 'translate', 'scale', 'shear', 'interpolation', 'fill', 'center', 'generator'], { required: 1, keywordOnly: ['generator'] });

/** Options of {@link RandomAffine} (torchvision's keywords). */
export interface RandomAffineOptions extends RandomTransformOptions {
  /** Maximum translation as fractions `[a, b]` of the width and height (each drawn in `[-a·W, a·W]`). */
  translate?: readonly number[] | null;
  /** Scale range `[min, max]`. */
  scale?: readonly number[] | null;
  /** Shear range(s) in degrees: `d` (x in `[-d, d]`), `[min, max]` (x) or `[xmin, xmax, ymin, ymax]`. */
  shear?: number | readonly number[] | null;
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: GridInterpolation;
  /** The fill value(s) (default 0). */
  fill?: number | readonly number[];
  /** Centre `[x, y]` (default the image centre). */
  center?: readonly number[] | null;
}

/**
 * torchvision's `transforms.RandomAffine`: a random rotation (`degrees`), translation
 * (`translate`), scale (`scale`) and shear (`shear`), drawn as torchvision's `get_params` draws
 * them (angle, then tx and ty rounded with Python's `round`, then scale, then shear), applied
 * with {@link affine}.
 *
 * @example
 * ```ts
 * import { Generator, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomAffine } from '@tensorgrad/vision';
 * const t = new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.9, 1.1], generator: new Generator(0) });
 * t(zeros(3, 8, 8)).shape; // [3, 8, 8]
 * String(t); // 'RandomAffine(degrees=[-10.0, 10.0], translate=[0.1, 0.1], scale=[0.9, 1.1])'
 * ```
 */
export class RandomAffine extends Transform {
  /** The angle range. */
  readonly degrees: [number, number];
  /** The translation fractions, or `null`. */
  readonly translate: [number, number] | null;
  /** The scale range, or `null`. */
  readonly scale: [number, number] | null;
  /** The shear ranges (2 or 4 numbers), or `null`. */
  readonly shear: number[] | null;
  /** The interpolation mode. */
  readonly interpolation: GridInterpolation;
  /** The fill value(s). */
  readonly fill: number | readonly number[];
  /** The centre, or `null`. */
  readonly center: [number, number] | null;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;
  private readonly degreesRepr: string;
  private readonly shearRepr: string;

  constructor(degrees: number | readonly number[], options?: RandomAffineOptions);
  constructor(
    degrees: number | readonly number[],
    translate?: readonly number[] | null,
    scale?: readonly number[] | null,
    shear?: number | readonly number[] | null,
    interpolation?: GridInterpolation,
    fill?: number | readonly number[],
    center?: readonly number[] | null,
    options?: RandomTransformOptions,
  );
  constructor(options: { degrees: number | readonly number[] } & RandomAffineOptions);
  constructor(...args: unknown[]) {
    super();
    const op = 'new RandomAffine';
    const a = parseArgs(AFFINE, args);
    const d = setupAngle(op, 'degrees', a.degrees, [2]);
    this.degrees = d.values as [number, number];
    this.degreesRepr = d.repr;
    this.translate = a.translate === undefined || a.translate === null ? null : checkRange(op, 'translate', a.translate);
    if (this.translate && this.translate.some((t) => t < 0 || t > 1)) throw new RangeError(`${op}: translation values should be between 0 and 1, got ${JSON.stringify(this.translate)}`);
    this.scale = a.scale === undefined || a.scale === null ? null : checkRange(op, 'scale', a.scale);
    if (this.scale && this.scale.some((s) => s <= 0)) throw new RangeError(`${op}: scale values should be positive, got ${JSON.stringify(this.scale)}`);
    if (a.shear === undefined || a.shear === null) {
      this.shear = null;
      this.shearRepr = '';
    } else {
      const s = setupAngle(op, 'shear', a.shear, [2, 4]);
      this.shear = s.values;
      this.shearRepr = s.repr;
    }
    this.interpolation = checkInterpolation(op, a.interpolation ?? 'nearest', ['nearest', 'bilinear']) as GridInterpolation;
    this.fill = (a.fill ?? 0) as number | number[];
    checkFillValues(op, this.fill, Array.isArray(this.fill) ? this.fill.length : 1);
    this.center = checkCenter(op, a.center);
    this.generator = a.generator === undefined ? null : generatorOf(op, a.generator);
  }

  /**
   * torchvision's `RandomAffine.get_params`: `{ angle, translate: [tx, ty], scale, shear: [sx, sy] }`
   * for an image of `imgSize = [width, height]`, drawn in torchvision's order.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * import { RandomAffine } from '@tensorgrad/vision';
   * const p = RandomAffine.getParams([-10, 10], [0.1, 0.1], null, null, [32, 32], new Generator(0));
   * Math.abs(p.translate[0]) <= 3 && p.scale === 1; // true
   * ```
   */
  static getParams(
    degrees: readonly number[],
    translate: readonly number[] | null,
    scaleRanges: readonly number[] | null,
    shears: readonly number[] | null,
    imgSize: readonly number[],
    generator?: Generator,
  ): { angle: number; translate: [number, number]; scale: number; shear: [number, number] } {
    const g = generatorOf('RandomAffine.getParams', generator);
    const angle = uniform1(g, degrees[0]!, degrees[1]!);
    let translations: [number, number] = [0, 0];
    if (translate !== null) {
      const maxDx = translate[0]! * imgSize[0]!;
      const maxDy = translate[1]! * imgSize[1]!;
      translations = [roundHalfEven(uniform1(g, -maxDx, maxDx)), roundHalfEven(uniform1(g, -maxDy, maxDy))];
    }
    const scale = scaleRanges !== null ? uniform1(g, scaleRanges[0]!, scaleRanges[1]!) : 1;
    let shear: [number, number] = [0, 0];
    if (shears !== null) {
      shear = [uniform1(g, shears[0]!, shears[1]!), 0];
      if (shears.length === 4) shear[1] = uniform1(g, shears[2]!, shears[3]!);
    }
    return { angle, translate: translations, scale, shear };
  }

  forward(img: Tensor): Tensor {
    const x = checkImage('RandomAffine', img);
    checkFloat('RandomAffine', x);
    const [c, h, w] = dims(x);
    const fill = typeof this.fill === 'number' ? new Array<number>(c).fill(this.fill) : [...this.fill];
    checkFillValues('RandomAffine', fill, c);
    const p = RandomAffine.getParams(this.degrees, this.translate, this.scale, this.shear, [w, h], this.generator ?? undefined);
    return affineImage(x, p.angle, p.translate, p.scale, p.shear, this.interpolation, fill, this.center);
  }

  override toString(): string {
    let s = `RandomAffine(degrees=${this.degreesRepr}`;
    if (this.translate !== null) s += `, translate=${py(this.translate)}`;
    if (this.scale !== null) s += `, scale=${py(this.scale)}`;
    if (this.shear !== null) s += `, shear=${this.shearRepr}`;
    if (this.interpolation !== 'nearest') s += `, interpolation=${this.interpolation}`;
    if (this.fill !== 0) s += `, fill=${fillRepr(this.fill)}`;
    if (this.center !== null) s += `, center=${py(this.center)}`;
    return `${s})`;
  }
}

const JITTER = signature('new ColorJitter', ['brightness', 'contrast', 'saturation', 'hue', 'generator'], { keywordOnly: ['generator'] });

/** torchvision's `ColorJitter._check_input`: `[min, max]`, or `null` when it changes nothing. */
function jitterRange(name: string, value: unknown, center: number, bound: [number, number], clipFirstOnZero: boolean): [number, number] | null {
  let v: [number, number];
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`new ColorJitter: if ${name} is a single number, it must be non-negative, got ${value}`);
    v = [center - value, center + value];
    if (clipFirstOnZero) v[0] = Math.max(v[0], 0);
    // torchvision checks this only when the adjustment runs; failing here says which argument
    if (v[0] < bound[0] || v[1] > bound[1]) throw new RangeError(`new ColorJitter: ${name} = ${value} gives the range [${v[0]}, ${v[1]}], outside [${bound[0]}, ${bound[1]}]; use at most ${bound[1]}`);
  } else if (Array.isArray(value) && value.length === 2 && value.every((e) => typeof e === 'number')) {
    v = [value[0] as number, value[1] as number];
    if (!(bound[0] <= v[0] && v[0] <= v[1] && v[1] <= bound[1])) throw new RangeError(`new ColorJitter: ${name} values should be between ${bound[0]} and ${bound[1]} with min <= max, got ${JSON.stringify(value)}`);
  } else {
    throw new TypeError(`new ColorJitter: ${name} should be a single number or a list of length 2, got ${JSON.stringify(value)}`);
  }
  return v[0] === center && v[1] === center ? null : v;
}

/** Options of {@link ColorJitter} (torchvision's keywords). */
export interface ColorJitterOptions extends RandomTransformOptions {
  /** Brightness factor range: `b` means `[max(0, 1 - b), 1 + b]`; or `[min, max]`. */
  brightness?: number | readonly number[];
  /** Contrast factor range, as `brightness`. */
  contrast?: number | readonly number[];
  /** Saturation factor range, as `brightness`. */
  saturation?: number | readonly number[];
  /** Hue shift range: `h` (≤ 0.5) means `[-h, h]`; or `[min, max]` within `[-0.5, 0.5]`. */
  hue?: number | readonly number[];
}

/**
 * torchvision's `transforms.ColorJitter`: random brightness, contrast, saturation and hue
 * adjustments, applied in a random order (`torch.randperm(4)`), each factor drawn uniformly from
 * its range — torchvision's `get_params` draw for draw — with torchvision's tensor formulas
 * ({@link adjustBrightness}, {@link adjustContrast}, {@link adjustSaturation}, {@link adjustHue}).
 *
 * @example
 * ```ts
 * import { Generator, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { ColorJitter } from '@tensorgrad/vision';
 * const t = new ColorJitter({ brightness: 0.2, hue: 0.1, generator: new Generator(0) });
 * t(rand(3, 4, 4)).shape; // [3, 4, 4]
 * String(t); // 'ColorJitter(brightness=[0.8, 1.2], contrast=None, saturation=None, hue=[-0.1, 0.1])'
 * ```
 */
export class ColorJitter extends Transform {
  /** Brightness range or `null`. */
  readonly brightness: [number, number] | null;
  /** Contrast range or `null`. */
  readonly contrast: [number, number] | null;
  /** Saturation range or `null`. */
  readonly saturation: [number, number] | null;
  /** Hue range or `null`. */
  readonly hue: [number, number] | null;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(options?: ColorJitterOptions);
  constructor(brightness?: number | readonly number[], contrast?: number | readonly number[], saturation?: number | readonly number[], hue?: number | readonly number[], options?: RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(JITTER, args);
    this.brightness = jitterRange('brightness', a.brightness ?? 0, 1, [0, Infinity], true);
    this.contrast = jitterRange('contrast', a.contrast ?? 0, 1, [0, Infinity], true);
    this.saturation = jitterRange('saturation', a.saturation ?? 0, 1, [0, Infinity], true);
    this.hue = jitterRange('hue', a.hue ?? 0, 0, [-0.5, 0.5], false);
    this.generator = a.generator === undefined ? null : generatorOf('new ColorJitter', a.generator);
  }

  /**
   * torchvision's `ColorJitter.get_params`: the order of the four adjustments (a permutation of
   * 0 brightness, 1 contrast, 2 saturation, 3 hue) and each factor (`null` for a `null` range).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * import { ColorJitter } from '@tensorgrad/vision';
   * const p = ColorJitter.getParams([0.5, 1.5], null, null, null, new Generator(0));
   * [[...p.order].sort().join(), p.contrast, p.brightness! >= 0.5]; // ['0,1,2,3', null, true]
   * ```
   */
  static getParams(
    brightness: readonly number[] | null,
    contrast: readonly number[] | null,
    saturation: readonly number[] | null,
    hue: readonly number[] | null,
    generator?: Generator,
  ): { order: number[]; brightness: number | null; contrast: number | null; saturation: number | null; hue: number | null } {
    const g = generatorOf('ColorJitter.getParams', generator);
    const order = g.permutation(4);
    const draw = (r: readonly number[] | null) => (r === null ? null : uniform1(g, r[0]!, r[1]!));
    const b = draw(brightness);
    const c = draw(contrast);
    const s = draw(saturation);
    const h = draw(hue);
    return { order, brightness: b, contrast: c, saturation: s, hue: h };
  }

  forward(img: Tensor): Tensor {
    const p = ColorJitter.getParams(this.brightness, this.contrast, this.saturation, this.hue, this.generator ?? undefined);
    let x = checkImage('ColorJitter', img, 3);
    checkFloat('ColorJitter', x);
    return tidy(() => {
      for (const fn of p.order) {
        if (fn === 0 && p.brightness !== null) x = adjustBrightness(x, p.brightness);
        else if (fn === 1 && p.contrast !== null) x = adjustContrast(x, p.contrast);
        else if (fn === 2 && p.saturation !== null) x = adjustSaturation(x, p.saturation);
        else if (fn === 3 && p.hue !== null) x = adjustHue(x, p.hue);
      }
      return x === img ? x.clone() : x;
    });
  }

  override toString(): string {
    const r = (v: [number, number] | null) => (v === null ? 'None' : `[${v.map(pyFloat).join(', ')}]`);
    return `ColorJitter(brightness=${r(this.brightness)}, contrast=${r(this.contrast)}, saturation=${r(this.saturation)}, hue=${r(this.hue)})`;
  }
}

const GRAYSCALE = signature('new Grayscale', ['numOutputChannels']);

/**
 * torchvision's `transforms.Grayscale`: {@link rgbToGrayscale} with `numOutputChannels` (1 or 3).
 *
 * @example
 * ```ts
 * import { rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Grayscale } from '@tensorgrad/vision';
 * new Grayscale()(rand(3, 4, 4)).shape; // [1, 4, 4]
 * String(new Grayscale(3)); // 'Grayscale(num_output_channels=3)'
 * ```
 */
export class Grayscale extends Transform {
  /** 1 or 3. */
  readonly numOutputChannels: 1 | 3;

  constructor(numOutputChannels?: 1 | 3);
  constructor(options: { numOutputChannels?: 1 | 3 });
  constructor(...args: unknown[]) {
    super();
    const k = parseArgs(GRAYSCALE, args).numOutputChannels ?? 1;
    if (k !== 1 && k !== 3) throw new RangeError(`new Grayscale: expected numOutputChannels to be 1 or 3, got ${JSON.stringify(k)}`);
    this.numOutputChannels = k;
  }

  forward(img: Tensor): Tensor {
    return rgbToGrayscale(img, { numOutputChannels: this.numOutputChannels });
  }

  override toString(): string {
    return `Grayscale(num_output_channels=${this.numOutputChannels})`;
  }
}

const RANDOM_APPLY = signature('new RandomApply', ['transforms', 'p', 'generator'], { required: 1, keywordOnly: ['generator'] });

/**
 * torchvision's `transforms.RandomApply`: applies all of `transforms` in order with probability
 * `p` (default 0.5; skipped when `p < torch.rand(1)`), else returns the image unchanged.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RandomApply, RandomHorizontalFlip } from '@tensorgrad/vision';
 * const t = new RandomApply([new RandomHorizontalFlip(1)], { p: 1 });
 * await t(tensor([[[1, 2]]])).array(); // [[[2, 1]]]
 * String(t); // 'RandomApply(\n    p=1\n    RandomHorizontalFlip(p=1)\n)'
 * ```
 */
export class RandomApply extends Transform {
  /** The transforms applied together. */
  readonly transforms: TransformLike[];
  /** Probability of applying them. */
  readonly p: number;
  /** The generator, or `null` for the global one. */
  readonly generator: Generator | null;

  constructor(transforms: readonly TransformLike[], options?: { p?: number } & RandomTransformOptions);
  constructor(transforms: readonly TransformLike[], p?: number, options?: RandomTransformOptions);
  constructor(options: { transforms: readonly TransformLike[]; p?: number } & RandomTransformOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RANDOM_APPLY, args);
    this.transforms = checkTransforms('new RandomApply', a.transforms);
    this.p = checkP('new RandomApply', a.p ?? 0.5);
    this.generator = a.generator === undefined ? null : generatorOf('new RandomApply', a.generator);
  }

  forward(img: Tensor): Tensor {
    if (this.p < rand1(generatorOf('RandomApply', this.generator))) return img.clone();
    return tidy(() => {
      let x: unknown = img;
      for (const t of this.transforms) x = (t as (v: unknown) => unknown)(x);
      return x as Tensor;
    });
  }

  override toString(): string {
    return `RandomApply(\n    p=${this.p}${nested(this.transforms)}\n)`;
  }
}

const LAMBDA = signature('new Lambda', ['lambd'], { required: 1 });

/**
 * torchvision's `transforms.Lambda`: a user function as a transform.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Lambda } from '@tensorgrad/vision';
 * const t = new Lambda((x: Tensor) => x.mul(2));
 * await t(tensor([[[1]]])).array(); // [[[2]]]
 * String(t); // 'Lambda()'
 * ```
 */
export class Lambda extends Transform {
  /** The function. */
  readonly lambd: (img: Tensor) => Tensor;

  constructor(lambd: (img: Tensor) => Tensor);
  constructor(options: { lambd: (img: Tensor) => Tensor });
  constructor(...args: unknown[]) {
    super();
    const f = parseArgs(LAMBDA, args).lambd;
    if (typeof f !== 'function') throw new TypeError(`new Lambda: expected lambd to be a function, got ${typeof f}`);
    this.lambd = f as (img: Tensor) => Tensor;
  }

  forward(img: Tensor): Tensor {
    return this.lambd(img);
  }

  override toString(): string {
    return 'Lambda()';
  }
}

