/**
 * The book's chapter 7 detectors as modules: `RCNN` (a classifier and a box regressor on each
 * region proposal, cropped and resized), `FRCNN` (Fast R-CNN: one backbone pass over the whole
 * image and `RoIPool` over the proposals), their small convolutional backbones (the book's R-CNN
 * freezes ImageNet's VGG16 and its Fast R-CNN fine-tunes VGG16 with batch norm; no ImageNet weights
 * can be downloaded here and VGG16 is far too slow for these CPUs), and the loss both share, the
 * book's `calc_loss`.
 *
 * The attributes keep the book's names (`backbone`, `cls_score`, `bbox`, `seq`, `roipool`), so the
 * state-dict keys are those of the book's PyTorch modules.
 */
import { Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, RoIPool, Sequential, Tanh, cat, crossEntropy, tensor, type AnyModule, type Tensor } from 'tensorgrad';

/** Options of {@link convBackbone}. */
export interface ConvBackboneOptions {
  /** Channels of the input images (default 1: the Fashion-MNIST scenes are greyscale). */
  inChannels?: number;
  /** Filters of each `Conv2d(3×3, padding 1) → ReLU` block (default `[16, 32, 64]`). */
  channels?: readonly number[];
  /**
   * Follow the last block with `MaxPool2d(2)` too (default true). Fast R-CNN's backbone leaves it
   * out, as the book drops the last max pooling of VGG16's `features`.
   */
  poolLast?: boolean;
  /** Finish with `Flatten` (default false). */
  flatten?: boolean;
}

/**
 * A small VGG-style feature extractor, standing in for the book's frozen VGG16: blocks of
 * `Conv2d(3×3, padding 1) → ReLU → MaxPool2d(2)`, each halving the height and width.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { convBackbone } from './models.js';
 * convBackbone({ channels: [8, 16], flatten: true })(zeros([2, 1, 32, 32])).shape; // [2, 1024]
 * convBackbone({ channels: [8, 16], poolLast: false })(zeros([1, 1, 64, 64])).shape; // [1, 16, 32, 32]
 * ```
 */
export function convBackbone(options: ConvBackboneOptions = {}): Sequential {
  const channels = options.channels ?? [16, 32, 64];
  if (channels.length === 0 || channels.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new RangeError(`convBackbone: expected a non-empty list of positive whole channel counts such as [16, 32, 64], got [${channels.join(', ')}]`);
  }
  const layers: AnyModule[] = [];
  let inC = options.inChannels ?? 1;
  channels.forEach((outC, i) => {
    layers.push(new Conv2d(inC, outC, 3, { padding: 1 }), new ReLU());
    if (i < channels.length - 1 || (options.poolLast ?? true)) layers.push(new MaxPool2d(2));
    inC = outC;
  });
  if (options.flatten ?? false) layers.push(new Flatten());
  return new Sequential(...layers);
}

/**
 * The book's regression head: `Linear(featureDim, hidden) → ReLU → Linear(hidden, 4) → Tanh`, four
 * offsets in (−1, 1) (fractions of the image's width and height).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { bboxHead } from './models.js';
 * bboxHead(10, 8)(zeros([3, 10])).shape; // [3, 4]
 * ```
 */
export function bboxHead(featureDim: number, hidden = 512): Sequential {
  return new Sequential(new Linear(featureDim, hidden), new ReLU(), new Linear(hidden, 4), new Tanh());
}

/** The three numbers the book's `calc_loss` returns. */
export interface DetectionLoss {
  /** `detection_loss + lmb · regression_loss`, the one to back-propagate. */
  loss: Tensor;
  /** Cross-entropy of the class scores over every proposal. */
  detectionLoss: Tensor;
  /** Mean absolute error of the offsets over the foreground proposals (0 when there are none). */
  regressionLoss: Tensor;
}

/** Options of {@link calcLoss}. */
export interface CalcLossOptions {
  /** Weight of the regression loss (default 10, the book's `self.lmb = 10.0`). */
  lmb?: number;
  /** The background class, whose proposals have no box to regress to (default 0). */
  backgroundClass?: number;
}

/**
 * The book's `calc_loss` of both `RCNN` and `FRCNN`: `nn.CrossEntropyLoss` on the class scores of
 * every proposal plus `lmb` times `nn.L1Loss` (the book calls it `sl1`) on the predicted offsets
 * of the foreground proposals only. The Fast R-CNN notebook picks them with
 * `ixs, = torch.where(labels != background_class)`, as this does; the R-CNN notebook tests
 * `labels != 0`, the same only when the background is class 0 (the default here). The
 * foreground rows are picked by a 0/1 mask rather than by indexing: the mean over the `4·k`
 * foreground values is the same.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { calcLoss } from './models.js';
 * const scores = tensor([[0, 0], [0, 0]]); // cross-entropy ln 2 each
 * const predicted = tensor([[0.1, 0, 0, 0], [0.5, 0.5, 0.5, 0.5]]);
 * const target = tensor([[0, 0, 0, 0], [0, 0, 0, 0]]);
 * const labels = tensor([1, 0], { dtype: 'int32' }); // only the first is foreground: |0.1| / 4
 * const { loss, detectionLoss, regressionLoss } = calcLoss(scores, predicted, labels, target);
 * regressionLoss.itemSync(); // 0.025
 * detectionLoss.itemSync(); // 0.6931472
 * loss.itemSync(); // 0.9431472
 * ```
 */
export function calcLoss(probs: Tensor, predictedDeltas: Tensor, labels: Tensor, deltas: Tensor, options: CalcLossOptions = {}): DetectionLoss {
  const lmb = options.lmb ?? 10;
  const background = options.backgroundClass ?? 0;
  if (predictedDeltas.ndim !== 2 || predictedDeltas.shape[1] !== 4 || deltas.ndim !== 2 || deltas.shape[1] !== 4) {
    throw new RangeError(
      `calcLoss: expected predicted and target offsets of shape [N, 4], got [${predictedDeltas.shape.join(', ')}] and [${deltas.shape.join(', ')}]`,
    );
  }
  const detectionLoss = crossEntropy(probs, labels);
  const foreground = labels.ne(background).to(predictedDeltas.dtype).unsqueeze(1);
  const count = foreground.sum().mul(4).clampMin(1);
  const regressionLoss = predictedDeltas.sub(deltas).abs().mul(foreground).sum().div(count);
  return { loss: detectionLoss.add(regressionLoss.mul(lmb)), detectionLoss: detectionLoss.detach(), regressionLoss: regressionLoss.detach() };
}

/** Options of {@link RCNN}. */
export interface RCNNOptions {
  /** Number of classes, background included (the book's `len(label2target)`). */
  numClasses: number;
  /** Feature extractor of one crop, ending in a flat `[N, featureDim]` (default `convBackbone({ flatten: true })`). */
  backbone?: AnyModule;
  /** Length of the backbone's feature vector (default `64 · (cropSize / 8)²`, right for the default backbone). */
  featureDim?: number;
  /** Side of the square crops the default backbone sees (default 32). */
  cropSize?: number;
  /** Width of the regression head's hidden layer (default 512, the book's). */
  hidden?: number;
}

/**
 * The book's `RCNN` module (`Training_RCNN.ipynb`): a backbone turns each cropped and resized
 * region proposal into a feature vector, `cls_score = nn.Linear(feature_dim, len(label2target))`
 * scores the classes, and `bbox` ({@link bboxHead}) predicts the four offsets from the proposal
 * to its object. `forward(crops)` returns `[clsScore, bbox]`; {@link RCNN.calcLoss} is the book's
 * `calc_loss`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { RCNN } from './models.js';
 * const rcnn = new RCNN({ numClasses: 11, cropSize: 32 });
 * const [scores, offsets] = rcnn(zeros([5, 1, 32, 32]));
 * [scores.shape, offsets.shape]; // [[5, 11], [5, 4]]
 * ```
 */
export class RCNN extends Module<[Tensor], [Tensor, Tensor]> {
  /** Feature extractor of one crop. */
  backbone: AnyModule;
  /** Class scores, `Linear(featureDim, numClasses)`. */
  cls_score: Linear;
  /** Offset regressor, `Linear → ReLU → Linear(·, 4) → Tanh`. */
  bbox: Sequential;

  constructor(options: RCNNOptions) {
    super();
    const cropSize = options.cropSize ?? 32;
    if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
      throw new RangeError(`RCNN: expected numClasses ≥ 2 (the classes and the background), got ${String(options.numClasses)}`);
    }
    if (options.backbone === undefined && (!Number.isInteger(cropSize) || cropSize % 8 !== 0)) {
      throw new RangeError(`RCNN: the default backbone halves the crop three times; expected a cropSize divisible by 8, got ${String(cropSize)}`);
    }
    if (options.backbone !== undefined && options.featureDim === undefined) {
      throw new RangeError('RCNN: with a custom backbone, give featureDim, the length of its output per crop');
    }
    const featureDim = options.featureDim ?? 64 * (cropSize / 8) ** 2;
    this.backbone = options.backbone ?? convBackbone({ flatten: true });
    this.cls_score = new Linear(featureDim, options.numClasses);
    this.bbox = bboxHead(featureDim, options.hidden ?? 512);
  }

  override forward(input: Tensor): [Tensor, Tensor] {
    const feat = this.backbone.call(input) as Tensor;
    return [this.cls_score.call(feat), this.bbox.call(feat)];
  }

  /** The book's `calc_loss` ({@link calcLoss}). */
  calcLoss(probs: Tensor, predictedDeltas: Tensor, labels: Tensor, deltas: Tensor, options?: CalcLossOptions): DetectionLoss {
    return calcLoss(probs, predictedDeltas, labels, deltas, options);
  }
}

/** Options of {@link FRCNN}. */
export interface FRCNNOptions {
  /** Number of classes, background included. */
  numClasses: number;
  /**
   * Feature extractor of the whole image, `[B, C, H, W] → [B, outChannels, H·spatialScale,
   * W·spatialScale]` (default `convBackbone({ poolLast: false })`: 64 channels at a quarter of the
   * image's size).
   */
  seq?: AnyModule;
  /** Channels of the backbone's feature map (default 64, right for the default backbone). */
  outChannels?: number;
  /**
   * Feature-map size over image size (default 1/4, right for the default backbone; the book's is
   * `14/224` = 1/16, VGG16's 14×14 map of a 224×224 image).
   */
  spatialScale?: number;
  /** Side of `RoIPool`'s output (default 7, the book's). */
  outputSize?: number;
  /** Width of the regression head's hidden layer (default 512, the book's). */
  hidden?: number;
}

/**
 * The book's `FRCNN` module (`Training_Fast_R_CNN.ipynb`): one pass of the backbone `seq` over the
 * whole image, `roipool = RoIPool(7, spatial_scale=14/224)` cuts a fixed-size feature map out of
 * it for every proposal, and the same `cls_score` and `bbox` heads as {@link RCNN} score it.
 * `forward(input, rois, ridx)` takes the images `[B, C, H, W]`, the proposals `[K, 4]` as
 * fractions of the image's width and height (the book's `rois`) and the image each belongs to,
 * `ridx` `[K]`; it returns `[clsScore, bbox]`. The rois are scaled by the input's width and height
 * (the book resizes every image to 224×224 and multiplies them by 224).
 *
 * @example
 * ```ts
 * import { tensor, zeros } from 'tensorgrad';
 * import { FRCNN } from './models.js';
 * const frcnn = new FRCNN({ numClasses: 11 });
 * const rois = tensor([[0, 0, 0.5, 0.5], [0.25, 0.25, 1, 1], [0, 0, 1, 1]]);
 * const [scores, offsets] = frcnn(zeros([2, 1, 64, 64]), rois, tensor([0, 0, 1]));
 * [scores.shape, offsets.shape]; // [[3, 11], [3, 4]]
 * ```
 */
export class FRCNN extends Module<[Tensor, Tensor, Tensor], [Tensor, Tensor]> {
  /** Feature extractor of the whole image. */
  seq: AnyModule;
  /** `RoIPool(outputSize, spatialScale)`. */
  roipool: RoIPool;
  /** Class scores, `Linear(outChannels · outputSize², numClasses)`. */
  cls_score: Linear;
  /** Offset regressor, `Linear → ReLU → Linear(·, 4) → Tanh`. */
  bbox: Sequential;

  constructor(options: FRCNNOptions) {
    super();
    if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
      throw new RangeError(`FRCNN: expected numClasses ≥ 2 (the classes and the background), got ${String(options.numClasses)}`);
    }
    if (options.seq !== undefined && (options.outChannels === undefined || options.spatialScale === undefined)) {
      throw new RangeError('FRCNN: with a custom backbone (seq), give outChannels and spatialScale, its feature map\'s channels and size over the image\'s');
    }
    const outputSize = options.outputSize ?? 7;
    const featureDim = (options.outChannels ?? 64) * outputSize * outputSize;
    this.seq = options.seq ?? convBackbone({ poolLast: false });
    this.roipool = new RoIPool(outputSize, options.spatialScale ?? 1 / 4);
    this.cls_score = new Linear(featureDim, options.numClasses);
    this.bbox = bboxHead(featureDim, options.hidden ?? 512);
  }

  override forward(input: Tensor, rois: Tensor, ridx: Tensor): [Tensor, Tensor] {
    const [, , height, width] = input.shape as [number, number, number, number];
    const res = this.seq.call(input) as Tensor;
    const boxes = cat([ridx.to(rois.dtype).unsqueeze(-1), rois.mul(tensor([width, height, width, height], { dtype: rois.dtype }))], -1);
    const pooled = this.roipool.call(res, boxes);
    const feat = pooled.reshape([pooled.shape[0]!, -1]);
    return [this.cls_score.call(feat), this.bbox.call(feat).reshape([-1, 4])];
  }

  /** The book's `calc_loss` ({@link calcLoss}). */
  calcLoss(probs: Tensor, predictedDeltas: Tensor, labels: Tensor, deltas: Tensor, options?: CalcLossOptions): DetectionLoss {
    return calcLoss(probs, predictedDeltas, labels, deltas, options);
  }
}

/**
 * The number of parameter values of a module (`sum(p.numel() for p in model.parameters())`).
 *
 * @example
 * ```ts
 * import { Linear } from 'tensorgrad';
 * import { parameterCount } from './models.js';
 * parameterCount(new Linear(3, 2)); // 8
 * ```
 */
export function parameterCount(module: AnyModule): number {
  return module.parameters().reduce((n, p) => n + p.numel(), 0);
}
