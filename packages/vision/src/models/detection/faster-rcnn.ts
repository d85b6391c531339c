// torchvision.models.detection.faster_rcnn: FasterRCNN, TwoMLPHead, FastRCNNPredictor, fasterrcnn_resnet50_fpn
import { relu, type Tensor } from '@tensorgrad/tensor';
import { Linear, Module, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, refuseUnsupported, signature } from '../../args.js';
import { FrozenBatchNorm2d } from '../../ops/misc.js';
import { resnet50 } from '../resnet.js';
import { checkProgress, refuseWeights } from '../weights.js';
import { AnchorGenerator } from './anchor-utils.js';
import { resnetFpnExtractor } from './backbone-utils.js';
import { MultiScaleRoIAlign } from '../../ops/poolers.js';
import { GeneralizedRCNN } from './generalized-rcnn.js';
import { RoIHeads, type BoxRoiPool } from './roi-heads.js';
import { RegionProposalNetwork, RPNHead } from './rpn.js';
import { GeneralizedRCNNTransform } from './transform.js';

const TWO_MLP = signature('new TwoMLPHead', ['inChannels', 'representationSize'], { required: 2 });
const PREDICTOR = signature('new FastRCNNPredictor', ['inChannels', 'numClasses'], { required: 2 });

function positiveInt(owner: string, name: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new TypeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v as number;
}

/**
 * The box head of the FPN detectors (torchvision's `TwoMLPHead`): flatten, `fc6`, ReLU, `fc7`, ReLU.
 *
 * @example
 * ```ts
 * import { TwoMLPHead } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new TwoMLPHead(4 * 7 * 7, 16)(randn([5, 4, 7, 7])).shape; // [5, 16]
 * ```
 */
export class TwoMLPHead extends Module {
  /** First layer, `inChannels → representationSize`. */
  declare fc6: Linear;
  /** Second layer, `representationSize → representationSize`. */
  declare fc7: Linear;

  /** torchvision's `TwoMLPHead(in_channels, representation_size)`. */
  constructor(inChannels: number, representationSize: number);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(TWO_MLP, args);
    const inChannels = positiveInt('new TwoMLPHead', 'inChannels', a.inChannels);
    const size = positiveInt('new TwoMLPHead', 'representationSize', a.representationSize);
    this.registerModule('fc6', new Linear(inChannels, size));
    this.registerModule('fc7', new Linear(size, size));
  }

  override forward(x: Tensor): Tensor {
    return relu(this.fc7(relu(this.fc6(x.flatten(1)))));
  }
}

/**
 * Fast R-CNN's classification and box-regression layers (torchvision's `FastRCNNPredictor`):
 * `cls_score` (`numClasses` logits, the background included) and `bbox_pred` (4 deltas per class).
 *
 * @example
 * ```ts
 * import { FastRCNNPredictor } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const [scores, deltas] = new FastRCNNPredictor(16, 3)(randn([5, 16]));
 * [scores.shape, deltas.shape]; // [[5, 3], [5, 12]]
 * ```
 */
export class FastRCNNPredictor extends Module<[Tensor], [Tensor, Tensor]> {
  /** Class logits. */
  declare cls_score: Linear;
  /** Per-class box deltas. */
  declare bbox_pred: Linear;

  /** torchvision's `FastRCNNPredictor(in_channels, num_classes)`. */
  constructor(inChannels: number, numClasses: number);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(PREDICTOR, args);
    const inChannels = positiveInt('new FastRCNNPredictor', 'inChannels', a.inChannels);
    const numClasses = positiveInt('new FastRCNNPredictor', 'numClasses', a.numClasses);
    this.registerModule('cls_score', new Linear(inChannels, numClasses));
    this.registerModule('bbox_pred', new Linear(inChannels, numClasses * 4));
  }

  override forward(x: Tensor): [Tensor, Tensor] {
    if (x.ndim === 4 && (x.shape[2] !== 1 || x.shape[3] !== 1)) {
      throw new RangeError(`FastRCNNPredictor: x has the wrong shape, expecting the last two dimensions to be [1, 1] instead of [${x.shape.slice(2).join(', ')}]`);
    }
    const f = x.flatten(1);
    return [this.cls_score(f), this.bbox_pred(f)];
  }
}

const FASTER_PARAMS = [
  'numClasses',
  'minSize',
  'maxSize',
  'imageMean',
  'imageStd',
  'rpnAnchorGenerator',
  'rpnHead',
  'rpnPreNmsTopNTrain',
  'rpnPreNmsTopNTest',
  'rpnPostNmsTopNTrain',
  'rpnPostNmsTopNTest',
  'rpnNmsThresh',
  'rpnFgIouThresh',
  'rpnBgIouThresh',
  'rpnBatchSizePerImage',
  'rpnPositiveFraction',
  'rpnScoreThresh',
  'boxRoiPool',
  'boxHead',
  'boxPredictor',
  'boxScoreThresh',
  'boxNmsThresh',
  'boxDetectionsPerImg',
  'boxFgIouThresh',
  'boxBgIouThresh',
  'boxBatchSizePerImage',
  'boxPositiveFraction',
  'bboxRegWeights',
  'sizeDivisible',
  'fixedSize',
] as const;
const FASTER = signature('new FasterRCNN', ['backbone', ...FASTER_PARAMS], { required: 1 });

/** Options of {@link FasterRCNN} (torchvision's keywords, camelCase; `sizeDivisible`/`fixedSize` go to the transform as torchvision's `**kwargs`). */
export interface FasterRCNNOptions {
  /** Classes including the background (give this or `boxPredictor`). */
  numClasses?: number | null;
  /** Short side(s) the images are resized to (default 800). */
  minSize?: number | readonly number[];
  /** Longest allowed side (default 1333). */
  maxSize?: number;
  /** Per-channel mean (default ImageNet's `[0.485, 0.456, 0.406]`). */
  imageMean?: readonly number[] | null;
  /** Per-channel std (default ImageNet's `[0.229, 0.224, 0.225]`). */
  imageStd?: readonly number[] | null;
  /** Anchors (default sizes 32, 64, 128, 256, 512 on five maps, ratios 0.5, 1, 2). */
  rpnAnchorGenerator?: AnchorGenerator | null;
  /** RPN head (default `RPNHead(outChannels, anchors per location)`). */
  rpnHead?: Module<[Tensor[]], [Tensor[], Tensor[]]> | null;
  /** Proposals per level before NMS in training (default 2000). */
  rpnPreNmsTopNTrain?: number;
  /** Proposals per level before NMS in eval (default 1000). */
  rpnPreNmsTopNTest?: number;
  /** Proposals per image after NMS in training (default 2000). */
  rpnPostNmsTopNTrain?: number;
  /** Proposals per image after NMS in eval (default 1000). */
  rpnPostNmsTopNTest?: number;
  /** NMS IoU threshold of the proposals (default 0.7). */
  rpnNmsThresh?: number;
  /** Anchors with IoU ≥ this are positive (default 0.7). */
  rpnFgIouThresh?: number;
  /** Anchors with IoU < this are negative (default 0.3). */
  rpnBgIouThresh?: number;
  /** Anchors sampled per image for the RPN loss (default 256). */
  rpnBatchSizePerImage?: number;
  /** Fraction of positives among them (default 0.5). */
  rpnPositiveFraction?: number;
  /** Lowest proposal objectness probability (default 0). */
  rpnScoreThresh?: number;
  /** RoI pooler (default `MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2)`). */
  boxRoiPool?: BoxRoiPool | null;
  /** Box head (default `TwoMLPHead(outChannels · 7², 1024)`). */
  boxHead?: AnyModule | null;
  /** Box predictor (default `FastRCNNPredictor(1024, numClasses)`). */
  boxPredictor?: Module<[Tensor], [Tensor, Tensor]> | null;
  /** Lowest detection score (default 0.05). */
  boxScoreThresh?: number;
  /** NMS IoU threshold of the detections (default 0.5). */
  boxNmsThresh?: number;
  /** Detections per image (default 100). */
  boxDetectionsPerImg?: number;
  /** Proposals with IoU ≥ this are positive (default 0.5). */
  boxFgIouThresh?: number;
  /** Proposals with IoU < this are background (default 0.5). */
  boxBgIouThresh?: number;
  /** Proposals sampled per image for the box loss (default 512). */
  boxBatchSizePerImage?: number;
  /** Fraction of positives among them (default 0.25). */
  boxPositiveFraction?: number;
  /** Box-coder weights of the second stage (default `[10, 10, 5, 5]`). */
  bboxRegWeights?: readonly [number, number, number, number] | null;
  /** Transform: pad to multiples of this (default 32). */
  sizeDivisible?: number;
  /** Transform: resize every image to this `[width, height]` (default none). */
  fixedSize?: readonly [number, number] | null;
}

/**
 * Faster R-CNN (torchvision's `FasterRCNN`, "Faster R-CNN: Towards Real-Time Object Detection with
 * Region Proposal Networks"): a {@link GeneralizedRCNN} built from a `backbone` with an
 * `outChannels` property and torchvision's defaults for every part not given. Compose it as
 * torchvision lets you: a small backbone returning one feature map, an `AnchorGenerator` with one
 * size list, a `MultiScaleRoIAlign(['0'], …)` — or use {@link fasterrcnnResnet50Fpn}.
 *
 * @example
 * ```ts
 * import { AnchorGenerator, FasterRCNN, MultiScaleRoIAlign } from '@tensorgrad/vision';
 * import { Conv2d, ReLU, Sequential } from '@tensorgrad/layers';
 * import { rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const backbone = Object.assign(new Sequential(new Conv2d(3, 8, 3, { stride: 4, padding: 1 }), new ReLU()), { outChannels: 8 });
 * const model = new FasterRCNN(backbone, {
 *   numClasses: 3, minSize: 64, maxSize: 64,
 *   rpnAnchorGenerator: new AnchorGenerator({ sizes: [[16, 32]], aspectRatios: [[0.5, 1, 2]] }),
 *   boxRoiPool: new MultiScaleRoIAlign(['0'], 7, 2),
 * }).eval();
 * const [det] = model.call([rand([3, 64, 64])]) as { boxes: unknown; labels: unknown; scores: unknown }[];
 * Object.keys(det!); // ['boxes', 'labels', 'scores']
 * ```
 */
export class FasterRCNN extends GeneralizedRCNN {
  /** torchvision's `FasterRCNN(backbone, num_classes=None, min_size=800, …)`, options by name. */
  constructor(backbone: AnyModule & { outChannels: number }, options?: FasterRCNNOptions);
  /** …or `numClasses` positionally (torchvision's `FasterRCNN(backbone, 91)`). */
  constructor(backbone: AnyModule & { outChannels: number }, numClasses: number, options?: FasterRCNNOptions);
  constructor(...args: unknown[]) {
    const a = parseArgs(FASTER, args) as FasterRCNNOptions & { backbone: AnyModule & { outChannels: number } };
    const owner = 'new FasterRCNN';
    const backbone = a.backbone;
    if (!(backbone instanceof Module)) throw new TypeError(`${owner}: expected backbone to be a Module, got ${typeof backbone}`);
    if (!Number.isInteger(backbone.outChannels) || backbone.outChannels <= 0) {
      throw new TypeError(`${owner}: backbone should have a property outChannels giving the number of output channels (the same for all levels), e.g. Object.assign(model, { outChannels: 64 })`);
    }
    if (a.rpnAnchorGenerator != null && !(a.rpnAnchorGenerator instanceof AnchorGenerator)) {
      throw new TypeError(`${owner}: rpnAnchorGenerator should be an AnchorGenerator or null, got ${typeof a.rpnAnchorGenerator}`);
    }
    if (a.boxRoiPool != null && !(a.boxRoiPool instanceof MultiScaleRoIAlign)) {
      throw new TypeError(`${owner}: boxRoiPool should be a MultiScaleRoIAlign or null, got ${typeof a.boxRoiPool}`);
    }
    const numClasses = a.numClasses ?? null;
    if (numClasses !== null && a.boxPredictor != null) throw new RangeError(`${owner}: numClasses should be null when boxPredictor is given (the predictor fixes the classes)`);
    if (numClasses === null && a.boxPredictor == null) throw new RangeError(`${owner}: give numClasses (the background included) or a boxPredictor`);
    const outChannels = backbone.outChannels;
    const anchorGen = a.rpnAnchorGenerator ?? new AnchorGenerator([[32], [64], [128], [256], [512]], [[0.5, 1, 2], [0.5, 1, 2], [0.5, 1, 2], [0.5, 1, 2], [0.5, 1, 2]]);
    const rpnHead = a.rpnHead ?? new RPNHead(outChannels, anchorGen.numAnchorsPerLocation()[0]!);
    const rpn = new RegionProposalNetwork(
      anchorGen,
      rpnHead,
      a.rpnFgIouThresh ?? 0.7,
      a.rpnBgIouThresh ?? 0.3,
      a.rpnBatchSizePerImage ?? 256,
      a.rpnPositiveFraction ?? 0.5,
      { training: a.rpnPreNmsTopNTrain ?? 2000, testing: a.rpnPreNmsTopNTest ?? 1000 },
      { training: a.rpnPostNmsTopNTrain ?? 2000, testing: a.rpnPostNmsTopNTest ?? 1000 },
      a.rpnNmsThresh ?? 0.7,
      { scoreThresh: a.rpnScoreThresh ?? 0 },
    );
    const boxRoiPool = (a.boxRoiPool ?? new MultiScaleRoIAlign(['0', '1', '2', '3'], 7, 2)) as BoxRoiPool & { outputSize: readonly number[] | number };
    let boxHead = a.boxHead ?? null;
    if (boxHead === null) {
      const os = boxRoiPool.outputSize;
      const resolution = typeof os === 'number' ? os : os[0]!;
      boxHead = new TwoMLPHead(outChannels * resolution ** 2, 1024);
    }
    const boxPredictor = a.boxPredictor ?? new FastRCNNPredictor(1024, numClasses!);
    const roiHeads = new RoIHeads(
      boxRoiPool,
      boxHead,
      boxPredictor,
      a.boxFgIouThresh ?? 0.5,
      a.boxBgIouThresh ?? 0.5,
      a.boxBatchSizePerImage ?? 512,
      a.boxPositiveFraction ?? 0.25,
      a.bboxRegWeights ?? null,
      a.boxScoreThresh ?? 0.05,
      a.boxNmsThresh ?? 0.5,
      a.boxDetectionsPerImg ?? 100,
    );
    const transform = new GeneralizedRCNNTransform(a.minSize ?? 800, a.maxSize ?? 1333, a.imageMean ?? [0.485, 0.456, 0.406], a.imageStd ?? [0.229, 0.224, 0.225], {
      sizeDivisible: a.sizeDivisible ?? 32,
      fixedSize: a.fixedSize ?? null,
    });
    super(backbone, rpn, roiHeads, transform);
  }
}

const BUILDER_PARAMS = ['weights', 'progress', 'numClasses', 'weightsBackbone', 'trainableBackboneLayers', ...FASTER_PARAMS.filter((p) => p !== 'numClasses')] as const;

/** Options of {@link fasterrcnnResnet50Fpn}: torchvision's keywords, camelCase. */
export interface FasterRCNNResNet50FPNOptions extends FasterRCNNOptions {
  /** Only `null`: nothing is downloaded; load a checkpoint with `loadStateDict(await loadTorch(path), { strict: true })`. */
  weights?: null;
  /** Only `null` (no ImageNet backbone download). */
  weightsBackbone?: null;
  /** torchvision's `progress`: accepted, without effect. */
  progress?: boolean;
  /** Trainable ResNet stages counted from layer4 (0–5, default 3). */
  trainableBackboneLayers?: number;
}

/**
 * Faster R-CNN with a ResNet-50-FPN backbone (torchvision's `fasterrcnn_resnet50_fpn`): the
 * architecture of torchvision's COCO checkpoint `fasterrcnn_resnet50_fpn_coco-258fb6c6.pth` —
 * `FrozenBatchNorm2d` in the backbone, layer2–4 trainable (`trainableBackboneLayers`, default
 * 3), 91 classes — so that file loads with `loadStateDict(await loadTorch(path), { strict: true })`.
 * (torchvision builds `BatchNorm2d` when no weights are asked for; tensorgrad never downloads,
 * so its builder always builds the checkpoint's architecture.) Other options are
 * {@link FasterRCNN}'s.
 *
 * @example
 * ```ts
 * import { fasterrcnnResnet50Fpn } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * let message = '';
 * try {
 *   fasterrcnnResnet50Fpn({ weights: 'DEFAULT' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('fasterrcnn_resnet50_fpn_coco-258fb6c6.pth')"); // true
 * // const model = fasterrcnnResnet50Fpn(); model.loadStateDict(await loadTorch(path), { strict: true });
 * ```
 */
export function fasterrcnnResnet50Fpn(options?: FasterRCNNResNet50FPNOptions): FasterRCNN;
export function fasterrcnnResnet50Fpn(...args: unknown[]): FasterRCNN {
  const name = 'fasterrcnnResnet50Fpn';
  const a = parseArgs(signature(name, BUILDER_PARAMS, { keywordOnly: BUILDER_PARAMS }), args);
  refuseWeights(name, a.weights, 'fasterrcnn_resnet50_fpn_coco-258fb6c6.pth');
  refuseUnsupported(
    name,
    'weightsBackbone',
    a.weightsBackbone,
    [null],
    "tensorgrad downloads nothing at run time. To start from ImageNet weights, load torchvision's resnet50-0676ba61.pth into the backbone yourself: model.backbone.body.loadStateDict(await loadTorch(path), { strict: false }) (the file's fc.* keys are not in the body)",
  );
  checkProgress(name, a.progress);
  const { weights: _w, weightsBackbone: _wb, progress: _p, trainableBackboneLayers, numClasses, ...options } = a;
  const backbone = resnetFpnExtractor(resnet50({ normLayer: FrozenBatchNorm2d }), (trainableBackboneLayers ?? 3) as number, null, null, null, name);
  return new FasterRCNN(backbone, { ...(options as FasterRCNNOptions), numClasses: (numClasses ?? 91) as number });
}
