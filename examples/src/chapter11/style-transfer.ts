/**
 * The book's chapter 11 neural style transfer (`Chapter11/neural_style_transfer.ipynb`, after
 * Gatys et al.): an image, initialised as the content image, is optimised with `LBFGS` so that its
 * VGG19 features at layer 21 match the content image's and the Gram matrices of its features at
 * layers 0, 5, 10, 19 and 28 match the style image's. The book loads torchvision's
 * ImageNet-pretrained `vgg19(pretrained=True)`; nothing can be downloaded here, so the weights
 * come from a `.pth` the user gives (torchvision's `vgg19-dcbb9e9d.pth`) and, without one, the
 * network keeps torchvision's random initialisation — the loss still falls, but the picture only
 * means something with the ImageNet weights.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  FashionMNIST,
  fromTypedArray,
  keep,
  LBFGS,
  loadTorch,
  makeGrid,
  Module,
  ModuleList,
  mseLoss,
  MSELoss,
  noGrad,
  normalize,
  Parameter,
  readImage,
  ReLU,
  resize,
  saveImage,
  summary,
  tidy,
  vgg19,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';

/** ImageNet's channel means, the book's `T.Normalize(mean=…)`. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** ImageNet's channel standard deviations, the book's `T.Normalize(std=…)`. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
/** The book's `style_layers`: indices into `vgg19().features` (conv1_1, conv2_1, conv3_1, conv4_1, conv5_1). */
export const STYLE_LAYERS = [0, 5, 10, 19, 28] as const;
/** The book's `content_layers` (conv4_2). */
export const CONTENT_LAYERS = [21] as const;
/** The book's `style_weights`: `1000 / n²` for the channels n = 64, 128, 256, 512, 512 of the style layers. */
export const STYLE_WEIGHTS = [64, 128, 256, 512, 512].map((n) => 1000 / n ** 2);
/** The book's `content_weights`. */
export const CONTENT_WEIGHTS = [1] as const;

/**
 * The Gram matrix of feature maps, the book's `GramMatrix`: for `input` `[b, c, h, w]` the
 * `[b, c, c]` matrix `F Fᵀ / (h·w)` with `F` the features flattened to `[b, c, h·w]`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { GramMatrix } from './style-transfer.js';
 * // two channels of two pixels: [1, 2] and [3, 4]
 * const g = new GramMatrix()(tensor([[[[1, 2]], [[3, 4]]]]));
 * await g.array(); // [[[2.5, 5.5], [5.5, 12.5]]]
 * ```
 */
export class GramMatrix extends Module {
  override forward(input: Tensor): Tensor {
    if (input.ndim !== 4) throw new RangeError(`GramMatrix: expected feature maps [b, c, h, w], got [${input.shape.join(', ')}]`);
    const [b, c, h, w] = input.shape as [number, number, number, number];
    const feat = input.reshape([b, c, h * w]);
    return feat.matmul(feat.transpose(1, 2)).div(h * w);
  }
}

/**
 * The book's `GramMSELoss`: the mean squared error between the Gram matrix of `input` and
 * `target` (a Gram matrix, `[b, c, c]`).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { GramMSELoss } from './style-transfer.js';
 * const x = tensor([[[[1, 2]], [[3, 4]]]]); // Gram matrix [[2.5, 5.5], [5.5, 12.5]]
 * const target = tensor([[[2.5, 5.5], [5.5, 10.5]]]);
 * await new GramMSELoss()(x, target).item(); // 1
 * ```
 */
export class GramMSELoss extends Module<[Tensor, Tensor], Tensor> {
  readonly #gram = new GramMatrix();
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(this.#gram.call(input) as Tensor, target);
  }
}

/**
 * The book's `vgg19_modified`: the modules of VGG19's `features` in a `ModuleList` (so the
 * state-dict keys are `features.0.weight` … as torchvision's), and a forward that returns the
 * outputs of the modules numbered `layers`, in the order of `layers`.
 *
 * Two details follow what the book's PyTorch code computes rather than what it seems to say:
 * torchvision's `ReLU`s are `inplace=True`, so the tensor the book keeps for a convolution
 * (`_results.append(x)`) is overwritten by the `ReLU` that follows it — the features it uses are
 * the convolutions' outputs **after** their ReLU, and so are these (`afterInplaceRelu`, default
 * true; false gives the raw convolution outputs). And the modules after the last requested layer
 * (and its ReLU) are not run: the book runs them and throws their outputs away.
 *
 * @example
 * ```ts
 * import { Conv2d, noGrad, ReLU, tensor } from 'tensorgrad';
 * import { VGG19Modified } from './style-transfer.js';
 * const conv = new Conv2d(1, 1, 1);
 * noGrad(() => {
 *   conv.weight.copy_(tensor([[[[1]]]]));
 *   conv.bias!.copy_(tensor([-1]));
 * });
 * const vgg = new VGG19Modified([conv, new ReLU()]);
 * const x = tensor([[[[0, 3]]]]);
 * const [after] = vgg(x, [0]);
 * await after!.array(); // [[[[0, 2]]]]
 * await vgg(x, [0], { afterInplaceRelu: false })[0]!.array(); // [[[[-1, 2]]]]
 * ```
 */
export class VGG19Modified extends Module<[x: Tensor, layers?: readonly number[], options?: { afterInplaceRelu?: boolean }], Tensor[]> {
  /** The feature modules, torchvision's `vgg19().features` in a `ModuleList`. */
  declare features: ModuleList;

  /** Takes VGG19's `features` (a `Sequential`, or any list of modules). */
  constructor(features: Iterable<AnyModule>) {
    super();
    this.registerModule('features', new ModuleList(features));
  }

  /** The outputs at `layers` (indices into `features`), in the order of `layers`. */
  override forward(x: Tensor, layers: readonly number[] = [], options: { afterInplaceRelu?: boolean } = {}): Tensor[] {
    const n = this.features.length;
    for (const l of layers) {
      if (!Number.isInteger(l) || l < 0 || l >= n) throw new RangeError(`VGG19Modified: expected layer indices in [0, ${n - 1}], got ${String(l)}`);
    }
    if (layers.length === 0) return [];
    const afterRelu = options.afterInplaceRelu ?? true;
    const wanted = new Map<number, Tensor>();
    const last = Math.max(...layers);
    const modules = [...this.features];
    for (let ix = 0; ix < n && ix <= last + 1; ix++) {
      x = modules[ix]!.call(x) as Tensor;
      if (layers.includes(ix)) wanted.set(ix, x);
      // the book's in-place ReLU overwrites the kept output of the module before it
      if (afterRelu && ix > 0 && layers.includes(ix - 1) && modules[ix] instanceof ReLU) wanted.set(ix - 1, x);
    }
    return layers.map((l) => wanted.get(l)!);
  }
}

/**
 * The book's `preprocess`: an image `[3, H, W]` (int32 0–255 as `readImage` gives, or float in [0, 1]) to the network's
 * input `[1, 3, H, W]`: `ToTensor` (÷ 255 for int32), `Normalize(IMAGENET_MEAN, IMAGENET_STD)`,
 * then `× 255`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { postprocess, preprocess } from './style-transfer.js';
 * const white = tensor([[[255]], [[255]], [[255]]], { dtype: 'int32' });
 * const x = preprocess(white);
 * (await x.array()).flat(3).map((v) => +v.toFixed(2)); // [573.47, 619.29, 673.2]
 * (await postprocess(x).array()).flat(2).map((v) => +v.toFixed(4)); // [1, 1, 1]
 * ```
 */
export function preprocess(image: Tensor): Tensor {
  if (image.ndim !== 3 || image.shape[0] !== 3) throw new RangeError(`preprocess: expected an RGB image [3, H, W], got [${image.shape.join(', ')}]; read it with readImage(path, 'rgb')`);
  return tidy(() => {
    const x = image.dtype === 'int32' ? image.float().div(255) : image.float();
    return normalize(x, [...IMAGENET_MEAN], [...IMAGENET_STD]).mul(255).unsqueeze(0);
  });
}

/**
 * The book's `postprocess` of one image `[3, H, W]` (or `[1, 3, H, W]`): `÷ 255` and the inverse
 * normalisation, giving values near [0, 1] (not clamped; `saveImage` clamps).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { postprocess } from './style-transfer.js';
 * (await postprocess(zeros([3, 1, 1])).array()).flat(2); // [0.485, 0.456, 0.406]
 * ```
 */
export function postprocess(x: Tensor): Tensor {
  const image = x.ndim === 4 && x.shape[0] === 1 ? x.squeeze(0) : x;
  if (image.ndim !== 3 || image.shape[0] !== 3) throw new RangeError(`postprocess: expected [3, H, W] or [1, 3, H, W], got [${x.shape.join(', ')}]`);
  return tidy(() => {
    const mean = [...IMAGENET_MEAN].map((m, c) => -m / IMAGENET_STD[c]!);
    const std = [...IMAGENET_STD].map((s) => 1 / s);
    return normalize(image.div(255), mean, std);
  });
}

/**
 * A default content image: a Fashion-MNIST test garment (grey, 28×28) as an RGB image
 * `[3, 28, 28]`, int32 0–255 (the book uses a photograph; none is on the machine).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { garmentImage } from './style-transfer.js';
 * const img = garmentImage(tensor([[[0, 200]]], { dtype: 'int32' }));
 * [img.shape, img.dtype]; // [[3, 1, 2], 'int32']
 * ```
 */
export function garmentImage(grey: Tensor): Tensor {
  if (grey.ndim !== 3 || grey.shape[0] !== 1) throw new RangeError(`garmentImage: expected one grey image [1, H, W], got [${grey.shape.join(', ')}]`);
  return tidy(() => grey.int().expand([3, grey.shape[1]!, grey.shape[2]!]).contiguous());
}

/**
 * A default style image: a generated pattern of coloured diagonal stripes and circles, RGB int32 0–255
 * `[3, size, size]` (the book uses a painting; none is on the machine).
 *
 * @example
 * ```ts
 * import { stylePattern } from './style-transfer.js';
 * const p = stylePattern(16);
 * [p.shape, p.dtype]; // [[3, 16, 16], 'int32']
 * ```
 */
export function stylePattern(size: number): Tensor {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`stylePattern: expected a positive whole size, got ${String(size)}`);
  const out = new Int32Array(3 * size * size);
  const palette = [
    [230, 80, 30],
    [250, 200, 40],
    [30, 90, 200],
    [20, 20, 60],
  ];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const stripe = Math.floor(((x + y) / size) * 8) % 3;
      const cx = (x / size) * 4;
      const cy = (y / size) * 4;
      const ring = Math.hypot(cx - Math.floor(cx) - 0.5, cy - Math.floor(cy) - 0.5) < 0.3;
      const rgb = palette[ring ? 3 : stripe]!;
      for (let c = 0; c < 3; c++) out[c * size * size + y * size + x] = rgb[c]!;
    }
  }
  return fromTypedArray(out, [3, size, size]);
}

/** Options of {@link runStyleTransfer}. */
export interface StyleTransferOptions {
  /** VGG19's `features` to use, left to the caller to free (default: built by `vgg19()`, loaded from `weights` when given, freed at the end). */
  features?: Iterable<AnyModule>;
  /** torchvision's VGG19 state dict (`vgg19-dcbb9e9d.pth`), loaded into `vgg19()`. */
  weights?: string;
  /** Content image: a file (read with `readImage`) or an RGB image tensor `[3, H, W]`; default a Fashion-MNIST test garment. */
  content?: string | Tensor;
  /** Style image: a file or an RGB image tensor; default {@link stylePattern}. */
  style?: string | Tensor;
  /** Index of the default content garment among the Fashion-MNIST test images (default 0). */
  garment?: number;
  /** Both images are resized to `size × size` (default 512, the book's). */
  size?: number;
  /** Closure evaluations in all, the book's `max_iters` (default 500). */
  maxIters?: number;
  /** `LBFGS`'s `maxIter`, iterations per `step` (default 20, PyTorch's, which the book keeps). */
  maxIter?: number;
  /** Where the content, style and result images are written side by side as PNG (nothing written when left out). */
  out?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What {@link runStyleTransfer} did. */
export interface StyleTransferResult {
  /** The total loss at every closure evaluation (the book's `log.record(loss=…)`). */
  losses: number[];
  /** Whether ImageNet weights were loaded (false: random weights). */
  pretrained: boolean;
  /** The torchsummary-style table of VGG19's `features`. */
  summary: string;
  /** Parameters of the features used (all of VGG19's `features`: 20,024,384). */
  parameters: number;
  /** The image size. */
  size: number;
  /** The PNG written, if any. */
  picture: string | null;
  /** Seconds the optimisation took. */
  seconds: number;
}

async function loadRgb(what: string, source: string | Tensor | undefined, fallback: () => Promise<Tensor>): Promise<Tensor> {
  if (source === undefined) return fallback();
  if (typeof source === 'string') return readImage(source, 'rgb');
  if (source.ndim !== 3 || source.shape[0] !== 3) throw new RangeError(`runStyleTransfer: expected the ${what} image as RGB [3, H, W], got [${source.shape.join(', ')}]`);
  return source.clone();
}

/**
 * The book's whole procedure: VGG19 features (ImageNet weights from `weights`, or random),
 * content and style images preprocessed at `size × size`, the style targets (Gram matrices at
 * {@link STYLE_LAYERS}) and the content target (features at {@link CONTENT_LAYERS}), the image
 * to optimise initialised as the content image, and `LBFGS([optImg])` stepped with a closure
 * until `maxIters` closure evaluations; the loss is `Σ STYLE_WEIGHTS[i]·GramMSELoss +
 * CONTENT_WEIGHTS[0]·MSELoss`. Writes the content image, the style image and the result
 * (postprocessed, side by side) to `out` as PNG.
 *
 * @example
 * ```ts
 * import { makeLayers, vggConfigs } from 'tensorgrad';
 * import { runStyleTransfer, stylePattern } from './style-transfer.js';
 * const content = stylePattern(20); // resized to `size` like the style image
 * const features = makeLayers(vggConfigs.E.slice(0, 17)); // modules 0–29, up to conv5_1 and its ReLU
 * const r = await runStyleTransfer({ features, content, style: stylePattern(16), size: 16, maxIters: 2, maxIter: 2 });
 * r.losses.length >= 2; // true
 * r.pretrained; // false
 * features.dispose();
 * ```
 */
export async function runStyleTransfer(options: StyleTransferOptions = {}): Promise<StyleTransferResult> {
  const log = options.log ?? (() => {});
  const size = options.size ?? 512;
  if (!Number.isInteger(size) || size < 16) throw new RangeError(`runStyleTransfer: expected size to be a whole number ≥ 16 (the book's 512; VGG19 halves it four times before layer 28), got ${String(size)}`);
  const maxIters = options.maxIters ?? 500;
  if (!Number.isInteger(maxIters) || maxIters < 1) throw new RangeError(`runStyleTransfer: expected maxIters to be a positive whole number (the book's 500), got ${String(maxIters)}`);
  let features = options.features;
  let pretrained = false;
  const ownFeatures = features === undefined;
  if (features === undefined) {
    const vgg = vgg19();
    if (options.weights !== undefined) {
      const sd = await loadTorch(options.weights);
      try {
        vgg.loadStateDict(sd, { strict: true });
      } finally {
        for (const t of Object.values(sd)) t.dispose();
      }
      pretrained = true;
      log(`loaded VGG19's weights from ${options.weights}`);
    } else {
      log('no --weights: VGG19 has random weights (torchvision\'s initialisation); the loss falls, but the picture needs the ImageNet weights (torchvision\'s vgg19-dcbb9e9d.pth)');
    }
    features = vgg.features as unknown as Iterable<AnyModule>;
    vgg.classifier.dispose();
  } else if (options.weights !== undefined) {
    throw new RangeError('runStyleTransfer: give either features or weights, not both');
  }
  const vgg = new VGG19Modified(features);
  vgg.eval();
  // only the image is optimised: the book leaves requires_grad on and computes the network's
  // gradients for nothing; the flags of features given by the caller are put back at the end
  const networkParams = vgg.parameters();
  const flags = networkParams.map((p) => p.requiresGrad);
  for (const p of networkParams) p.requiresGrad_(false);

  const fashionFallback = async (): Promise<Tensor> => {
    const test = await FashionMNIST.load({ train: false });
    try {
      return garmentImage(test.data.narrow(0, options.garment ?? 0, 1).reshape([1, 28, 28]));
    } finally {
      test.dispose();
    }
  };
  const contentRaw = await loadRgb('content', options.content, fashionFallback);
  const styleRaw = await loadRgb('style', options.style, async () => stylePattern(size));
  const prepare = (img: Tensor): Tensor =>
    keep(tidy(() => preprocess(resize(img.float().div(255), [size, size], { interpolation: 'bicubic', antialias: true }).clamp({ min: 0, max: 1 }))));
  const contentImage = prepare(contentRaw);
  const styleImage = prepare(styleRaw);
  contentRaw.dispose();
  styleRaw.dispose();

  const lossLayers = [...STYLE_LAYERS, ...CONTENT_LAYERS];
  const s = summary(new ModuleListPrefix(vgg.features, vgg.features.length), [3, size, size]);
  log(s.text);
  const weights = [...STYLE_WEIGHTS, ...CONTENT_WEIGHTS];
  const gramMse = new GramMSELoss();
  const mse = new MSELoss();
  const gram = new GramMatrix();
  const lossFns = [...STYLE_LAYERS.map(() => gramMse), ...CONTENT_LAYERS.map(() => mse)];
  const targets = noGrad(() =>
    tidy(() => [...vgg(styleImage, [...STYLE_LAYERS]).map((a) => gram(a)), ...vgg(contentImage, [...CONTENT_LAYERS])].map((t) => keep(t.detach()))),
  );
  const start = contentImage.clone();
  const optImg = new Parameter(start);
  start.dispose(); // the parameter keeps the storage
  const optimizer = new LBFGS([optImg], { maxIter: options.maxIter ?? 20 });
  const losses: number[] = [];
  const started = performance.now();
  let picture: string | null = null;
  try {
    let iters = 0;
    while (iters < maxIters) {
      const closure = (): Tensor =>
        tidy(() => {
          iters += 1;
          optimizer.zeroGrad();
          const out = vgg(optImg, lossLayers);
          const layerLosses = out.map((a, i) => lossFns[i]!.call(a, targets[i]!).mul(weights[i]!) as Tensor);
          const loss = layerLosses.reduce((acc, l) => acc.add(l));
          loss.backward();
          losses.push(loss.itemSync() as number);
          if (iters === 1 || iters % 10 === 0) log(`iteration ${iters}: loss ${losses.at(-1)!.toExponential(4)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
          return loss;
        });
      const first = await optimizer.step(closure);
      if (typeof first !== 'number') first.dispose();
      if (!Number.isFinite(losses.at(-1)!)) throw new RangeError(`runStyleTransfer: the loss became ${losses.at(-1)} at iteration ${iters}; try a smaller size or the ImageNet weights`);
    }
    if (options.out !== undefined) {
      mkdirSync(dirname(options.out), { recursive: true });
      // content | style | result, side by side
      const image = noGrad(() => tidy(() => makeGrid([contentImage, styleImage, optImg.detach()].map((t) => postprocess(t).clamp({ min: 0, max: 1 })), { nrow: 3, padding: 2 })));
      await saveImage(image, options.out);
      image.dispose();
      picture = options.out;
    }
  } finally {
    optimizer.dispose();
    optImg.grad = null;
    optImg.dispose();
    for (const t of targets) t.dispose();
    contentImage.dispose();
    styleImage.dispose();
    // the network is freed when it was built here; features given by the caller stay theirs
    if (ownFeatures) vgg.dispose();
    else networkParams.forEach((p, i) => p.requiresGrad_(flags[i]!));
  }
  return { losses, pretrained, summary: s.text, parameters: s.totalParams, size, picture, seconds: (performance.now() - started) / 1000 };
}

/** The first `count` modules of a list run in order (for the summary of the part of VGG19 that is used). */
class ModuleListPrefix extends Module {
  readonly #modules: AnyModule[];
  constructor(list: ModuleList, count: number) {
    super();
    this.#modules = [...list].slice(0, count);
    this.#modules.forEach((m, i) => this.registerModule(String(i), m));
  }
  override forward(x: Tensor): Tensor {
    for (const m of this.#modules) x = m.call(x) as Tensor;
    return x;
  }
}
