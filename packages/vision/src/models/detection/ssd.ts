// torchvision's `models/detection/ssd.py`: the single-shot detector `SSD` and `ssd300Vgg16` (the
// heads and the VGG feature extractor are in ssd-heads.ts).
import {
  abs,
  div,
  gather,
  indexSelect,
  logSoftmax,
  mul,
  noGrad,
  softmax,
  stack,
  sub,
  sum,
  tensor,
  where,
  zeros,
  type Tensor,
} from '@tensorgrad/tensor';
import { Conv2d, init, MaxPool2d, Module, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';
import { makeLayers, vggConfigs } from '../vgg.js';
import { checkProgress, refuseWeights } from '../weights.js';
import { DefaultBoxGenerator, type ImageListLike } from './default-box-generator.js';
import { SSDFeatureExtractorVGG, SSDHead, type SSDHeadOutput } from './ssd-heads.js';
import type { DetectionPrediction, DetectionTarget } from '../../metrics/detection-inputs.js';
import { boxIou } from '../../ops/box-iou.js';
import { clipBoxesToImage } from '../../ops/clip-boxes-to-image.js';
import { batchedNms } from '../../ops/nms.js';
import { BoxCoder } from './box-coder.js';
import { SSDMatcher } from './matcher.js';
import { GeneralizedRCNNTransform } from './transform.js';

const SSD_SIG = signature(
  'new SSD',
  ['backbone', 'anchorGenerator', 'size', 'numClasses', 'imageMean', 'imageStd', 'head', 'scoreThresh', 'nmsThresh', 'detectionsPerImg', 'iouThresh', 'topkCandidates', 'positiveFraction'],
  { required: 4 },
);
const SSD_FORWARD = signature('SSD.forward', ['images', 'targets'], { required: 1 });
const BUILDER = ['weights', 'progress', 'numClasses', 'weightsBackbone', 'trainableBackboneLayers', 'imageMean', 'imageStd', 'head', 'scoreThresh', 'nmsThresh', 'detectionsPerImg', 'iouThresh', 'topkCandidates', 'positiveFraction'] as const;

/** SSD's training losses, with torchvision's keys. */
export interface SSDLosses {
  /** Smooth-L1 loss of the box offsets of the matched default boxes, divided by their number. */
  bbox_regression: Tensor;
  /** Cross-entropy of the matched default boxes and of the hardest negatives (3 per positive by default), divided by the number of matched boxes. */
  classification: Tensor;
}

/** Options of {@link SSD} (torchvision's keywords, camelCase). */
export interface SSDOptions {
  /** Per-channel mean subtracted from the images (default ImageNet's `[0.485, 0.456, 0.406]`). */
  imageMean?: readonly number[] | null;
  /** Per-channel standard deviation the images are divided by (default `[0.229, 0.224, 0.225]`). */
  imageStd?: readonly number[] | null;
  /** The head run on the feature maps (default an {@link SSDHead} built from the backbone's output channels). */
  head?: AnyModule | null;
  /** Detections scoring at most this are dropped (default 0.01). */
  scoreThresh?: number;
  /** IoU threshold of the per-class non-maximum suppression (default 0.45). */
  nmsThresh?: number;
  /** Detections kept per image after NMS (default 200). */
  detectionsPerImg?: number;
  /** IoU from which a default box is matched to a ground-truth box in training (default 0.5). */
  iouThresh?: number;
  /** Best-scoring boxes kept per class before NMS (default 400). */
  topkCandidates?: number;
  /** Positive fraction of the classified default boxes: hard negative mining keeps `(1 − f)/f` negatives per positive (default 0.25, i.e. 3:1). */
  positiveFraction?: number;
}

function checkNumber(op: string, name: string, v: unknown, lo: number, hi: number, integer = false): number {
  if (typeof v !== 'number' || !(v >= lo && v <= hi) || (integer && !Number.isInteger(v))) {
    throw new RangeError(`${op}: expected ${name} to be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

function channelList(op: string, name: string, v: unknown, d: number[]): number[] {
  if (v === undefined || v === null) return d;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new TypeError(`${op}: expected ${name} to be an array of numbers (one per channel), got ${JSON.stringify(v)}`);
  return [...(v as number[])];
}

function featureList(op: string, f: unknown): Tensor[] {
  if (Array.isArray(f)) return f as Tensor[];
  if (f !== null && typeof f === 'object' && 'shape' in f) return [f as Tensor];
  if (f !== null && typeof f === 'object') return Object.values(f as Record<string, Tensor>);
  throw new TypeError(`${op}: expected the backbone to return a tensor, an array of tensors or an object of tensors (torchvision's OrderedDict), got ${typeof f}`);
}

/**
 * The single-shot detector of "SSD: Single Shot MultiBox Detector" (torchvision's
 * `models.detection.SSD`). `model.call(images, targets)` with `images` a list of `[C, H, W]`
 * float images in [0, 1] (or a batch `[N, C, H, W]`):
 *
 * - `transform` (a {@link GeneralizedRCNNTransform} with `fixedSize: size`, `sizeDivisible: 1`)
 *   normalises them with `imageMean`/`imageStd` and resizes them to `size` (`[width, height]`,
 *   bilinear), the target boxes with them;
 * - `backbone` gives the feature maps (a tensor, an array, or an object of tensors in order);
 * - `head` (by default an {@link SSDHead}) gives box offsets and class logits for every default box
 *   of `anchor_generator` (a {@link DefaultBoxGenerator});
 * - in training mode (`model.train()`, the default) it returns the losses
 *   `{ bbox_regression, classification }` exactly as torchvision: default boxes are matched to the
 *   ground truth by `SSDMatcher(iouThresh)` (IoU ≥ `iouThresh`, plus the best default box of
 *   every ground-truth box), the offsets of the matched ones are encoded by
 *   `BoxCoder([10, 10, 5, 5])` and compared by a summed smooth-L1 loss; the classification loss
 *   is the cross-entropy of the matched default boxes and of the `(1 − positiveFraction) /
 *   positiveFraction` times as many unmatched ones with the highest loss (hard negative mining);
 *   both are divided by the number of matched default boxes (at least 1);
 * - in eval mode it returns per image `{ boxes, scores, labels }`: softmax scores, boxes decoded
 *   and clipped to the image, per class the scores above `scoreThresh` and at most
 *   `topkCandidates` of them, `batchedNms` at `nmsThresh`, the best `detectionsPerImg`, with the
 *   boxes mapped back to the size of each input image.
 *
 * The forward pass reads the matches and scores back (as torchvision's does): it needs a backend
 * that can read synchronously (cpu, tfjs).
 *
 * @example
 * ```ts
 * import { SSD, DefaultBoxGenerator } from '@tensorgrad/vision';
 * import { Conv2d, ReLU, Sequential } from '@tensorgrad/layers';
 * import { manualSeed, rand, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * const backbone = Object.assign(new Sequential(new Conv2d(3, 8, 3, { stride: 4, padding: 1 }), new ReLU()), { outChannels: [8] });
 * const model = new SSD(backbone, new DefaultBoxGenerator([[2]]), [32, 32], 3);
 * const losses = model.call([rand([3, 32, 32])], [{ boxes: tensor([[4, 4, 20, 24]]), labels: tensor([2], { dtype: 'int32' }) }]);
 * Object.keys(losses); // ['bbox_regression', 'classification']
 * const [det] = model.eval().call([rand([3, 48, 40])]) as { boxes: { shape: number[] } }[];
 * det!.boxes.shape[1]; // 4
 * ```
 */
export class SSD extends Module<[Tensor[] | Tensor, DetectionTarget[]?], SSDLosses | DetectionPrediction[]> {
  /** The feature extractor. */
  declare backbone: AnyModule;
  /** The default boxes. */
  declare anchor_generator: DefaultBoxGenerator;
  /** The heads: box offsets and class logits. */
  declare head: AnyModule;
  /** Normalisation and resizing of the input (no parameters). */
  declare transform: GeneralizedRCNNTransform;
  /** Encodes and decodes the box offsets, weights `[10, 10, 5, 5]`. */
  readonly box_coder: BoxCoder;
  /** Matches default boxes to ground-truth boxes in training. */
  readonly proposal_matcher: SSDMatcher;
  /** See {@link SSDOptions}. */
  scoreThresh: number;
  /** See {@link SSDOptions}. */
  nmsThresh: number;
  /** See {@link SSDOptions}. */
  detectionsPerImg: number;
  /** See {@link SSDOptions}. */
  topkCandidates: number;
  /** Negatives kept per positive in the classification loss: `(1 − positiveFraction) / positiveFraction`. */
  readonly negToPosRatio: number;

  /** torchvision's `SSD(backbone, anchor_generator, size, num_classes, …)`, the options by name… */
  constructor(backbone: AnyModule, anchorGenerator: DefaultBoxGenerator, size: readonly [number, number], numClasses: number, options?: SSDOptions);
  /** …or positionally in torchvision's order. */
  constructor(
    backbone: AnyModule,
    anchorGenerator: DefaultBoxGenerator,
    size: readonly [number, number],
    numClasses: number,
    imageMean?: readonly number[] | null,
    imageStd?: readonly number[] | null,
    head?: AnyModule | null,
    scoreThresh?: number,
    nmsThresh?: number,
    detectionsPerImg?: number,
    iouThresh?: number,
    topkCandidates?: number,
    positiveFraction?: number,
  );
  constructor(...args: unknown[]) {
    super();
    const op = 'new SSD';
    const a = parseArgs(SSD_SIG, args);
    if (!(a.backbone instanceof Module)) throw new TypeError(`${op}: expected backbone to be a Module returning the feature maps, got ${typeof a.backbone}`);
    if (!(a.anchorGenerator instanceof DefaultBoxGenerator)) throw new TypeError(`${op}: expected anchorGenerator to be a DefaultBoxGenerator, got ${typeof a.anchorGenerator}`);
    const size = a.size;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0)) {
      throw new TypeError(`${op}: expected size to be [width, height] in pixels, e.g. [300, 300], got ${JSON.stringify(size)}`);
    }
    const numClasses = a.numClasses;
    if (!Number.isInteger(numClasses) || (numClasses as number) < 1) throw new TypeError(`${op}: expected numClasses to be a positive integer (including the background), got ${String(numClasses)}`);
    const backbone = a.backbone as AnyModule;
    const anchorGenerator = a.anchorGenerator;
    this.registerModule('backbone', backbone);
    this.registerModule('anchor_generator', anchorGenerator);
    this.box_coder = new BoxCoder([10, 10, 5, 5]);
    let head = a.head ?? null;
    if (head === null) {
      const outChannels = (backbone as unknown as { outChannels?: number[] }).outChannels ?? retrieveOutChannels(backbone, size as [number, number]);
      if (outChannels.length !== anchorGenerator.aspectRatios.length) {
        throw new RangeError(
          `${op}: the length of the output channels from the backbone (${outChannels.length}) do not match the length of the anchor generator aspect ratios (${anchorGenerator.aspectRatios.length})`,
        );
      }
      head = new SSDHead(outChannels, anchorGenerator.numAnchorsPerLocation(), numClasses as number);
    } else if (!(head instanceof Module)) {
      throw new TypeError(`${op}: expected head to be a Module returning { bbox_regression, cls_logits }, got ${typeof head}`);
    }
    this.registerModule('head', head as AnyModule);
    const iouThresh = checkNumber(op, 'iouThresh', a.iouThresh ?? 0.5, 0, 1);
    this.proposal_matcher = new SSDMatcher(iouThresh);
    const imageMean = channelList(op, 'imageMean', a.imageMean, [0.485, 0.456, 0.406]);
    const imageStd = channelList(op, 'imageStd', a.imageStd, [0.229, 0.224, 0.225]);
    const [w, h] = size as [number, number];
    this.registerModule('transform', new GeneralizedRCNNTransform(Math.min(w, h), Math.max(w, h), imageMean, imageStd, { sizeDivisible: 1, fixedSize: [w, h] }));
    this.scoreThresh = checkNumber(op, 'scoreThresh', a.scoreThresh ?? 0.01, -Infinity, Infinity);
    this.nmsThresh = checkNumber(op, 'nmsThresh', a.nmsThresh ?? 0.45, 0, 1);
    this.detectionsPerImg = checkNumber(op, 'detectionsPerImg', a.detectionsPerImg ?? 200, 0, Number.MAX_SAFE_INTEGER, true);
    this.topkCandidates = checkNumber(op, 'topkCandidates', a.topkCandidates ?? 400, 0, Number.MAX_SAFE_INTEGER, true);
    const pf = a.positiveFraction ?? 0.25;
    if (typeof pf !== 'number' || !(pf > 0 && pf <= 1)) throw new RangeError(`${op}: expected positiveFraction to be a number in (0, 1], got ${String(pf)}`);
    this.negToPosRatio = (1 - pf) / pf;
  }

  /** In training mode the losses, in eval mode the detections (see {@link SSD}). */
  override forward(images: Tensor[] | Tensor, targets?: DetectionTarget[]): SSDLosses | DetectionPrediction[];
  override forward(...args: unknown[]): SSDLosses | DetectionPrediction[] {
    const op = 'SSD.forward';
    const a = parseArgs(SSD_FORWARD, args);
    let images = a.images as Tensor[] | Tensor;
    if (!Array.isArray(images)) {
      const t = images as Tensor;
      if (!t || typeof t !== 'object' || !('shape' in t) || t.ndim !== 4) throw new TypeError(`${op}: expected images to be an array of [C, H, W] tensors or a batch [N, C, H, W]`);
      images = Array.from({ length: t.shape[0]! }, (_, i) => t.select(0, i));
    }
    const targets = a.targets as DetectionTarget[] | undefined;
    if (this.training) {
      if (targets === undefined || targets === null) throw new TypeError(`${op}: targets should not be none when in training mode; pass [{ boxes, labels }, …] or call model.eval()`);
      if (!Array.isArray(targets) || targets.length !== images.length) {
        throw new RangeError(`${op}: expected one target per image (${images.length}), got ${Array.isArray(targets) ? targets.length : typeof targets}`);
      }
      for (const t of targets) {
        const b = t?.boxes;
        if (!b || typeof b !== 'object' || !('shape' in b)) throw new TypeError(`${op}: Expected target boxes to be of type Tensor, got ${typeof b}.`);
        if (b.ndim !== 2 || b.shape[1] !== 4) throw new RangeError(`${op}: Expected target boxes to be a tensor of shape [N, 4], got [${b.shape.join(', ')}].`);
        if (!t.labels || t.labels.ndim !== 1 || t.labels.shape[0] !== b.shape[0]) throw new RangeError(`${op}: expected target labels to be a 1-d tensor with one label per box (${b.shape[0]})`);
      }
    }
    const originalImageSizes = images.map((img) => {
      if (!img || img.ndim < 2) throw new RangeError(`${op}: expecting the last two dimensions of the Tensor to be H and W`);
      return [img.shape[img.ndim - 2]!, img.shape[img.ndim - 1]!] as [number, number];
    });
    const [imageList, tTargets] = this.transform.call(images, this.training ? targets : undefined);
    if (tTargets) {
      tTargets.forEach((t, ti) => {
        const b = t.boxes.dataSync();
        for (let i = 0; i < b.length; i += 4) {
          if (!(b[i + 2]! > b[i]!) || !(b[i + 3]! > b[i + 1]!)) {
            throw new RangeError(
              `${op}: All bounding boxes should have positive height and width. Found invalid box [${Array.from(b.slice(i, i + 4)).join(', ')}] for target at index ${ti}.`,
            );
          }
        }
      });
    }
    const features = featureList(op, this.backbone(imageList.tensors));
    const headOutputs = this.head(features) as SSDHeadOutput;
    const anchors = this.anchor_generator.call(imageList, features);
    if (this.training) {
      const matchedIdxs = anchors.map((anchorsPerImage, i) => {
        const t = tTargets![i]!;
        if (t.boxes.numel() === 0) return new Int32Array(anchorsPerImage.shape[0]!).fill(-1);
        const m = noGrad(() => this.proposal_matcher.call(boxIou(t.boxes, anchorsPerImage)));
        return Int32Array.from(m.dataSync());
      });
      return this.computeLoss(tTargets!, headOutputs, anchors, matchedIdxs);
    }
    const detections = noGrad(() => this.postprocessDetections(headOutputs, anchors, imageList.imageSizes));
    return this.transform.postprocess(detections, imageList.imageSizes, originalImageSizes);
  }

  /**
   * torchvision's `compute_loss`: the losses from the head outputs, the default boxes and the
   * index of the ground-truth box matched to every default box (−1: unmatched).
   */
  computeLoss(targets: readonly DetectionTarget[], headOutputs: SSDHeadOutput, anchors: readonly Tensor[], matchedIdxs: readonly Int32Array[]): SSDLosses {
    const { bbox_regression: bboxRegression, cls_logits: clsLogits } = headOutputs;
    const [n, numAnchors] = clsLogits.shape as [number, number, number];
    let numForeground = 0;
    const bboxLoss: Tensor[] = [];
    const clsTargets = new Int32Array(n * numAnchors);
    targets.forEach((t, i) => {
      const matched = matchedIdxs[i]!;
      const fg: number[] = [];
      const fgMatched: number[] = [];
      matched.forEach((m, j) => {
        if (m >= 0) {
          fg.push(j);
          fgMatched.push(m);
        }
      });
      numForeground += fg.length;
      const fgIdx = tensor(fg, { dtype: 'int32' });
      const matchedGt = indexSelect(t.boxes, 0, tensor(fgMatched, { dtype: 'int32' }));
      const pred = indexSelect(bboxRegression.select(0, i), 0, fgIdx);
      const anchorsFg = indexSelect(anchors[i]!, 0, fgIdx);
      const target = noGrad(() => this.box_coder.encodeSingle(matchedGt, anchorsFg));
      // F.smooth_l1_loss(pred, target, reduction='sum') with beta 1
      const d = abs(sub(pred, target));
      bboxLoss.push(sum(where(d.lt(1), mul(mul(d, d), 0.5), sub(d, 0.5))));
      const labels = t.labels.dataSync();
      fg.forEach((j, k) => {
        clsTargets[i * numAnchors + j] = Number(labels[fgMatched[k]!]);
      });
    });
    // cross-entropy of every default box [N, A]
    const targetsT = tensor(Array.from(clsTargets), { dtype: 'int32' }).reshape([n, numAnchors, 1]);
    const clsLoss = gather(logSoftmax(clsLogits, -1), -1, targetsT).squeeze(-1).neg();
    // hard negative mining: per image, the num_negative unmatched boxes of highest loss
    const lossValues = clsLoss.detach().dataSync();
    const weight = new Float32Array(n * numAnchors);
    const order = new Int32Array(numAnchors);
    const key = new Float64Array(numAnchors);
    for (let i = 0; i < n; i++) {
      const base = i * numAnchors;
      let numPos = 0;
      for (let j = 0; j < numAnchors; j++) {
        const pos = clsTargets[base + j]! > 0;
        if (pos) numPos++;
        key[j] = pos ? -Infinity : lossValues[base + j]!;
        order[j] = j;
      }
      const numNegative = this.negToPosRatio * numPos;
      order.sort((p, q) => key[q]! - key[p]! || p - q);
      for (let r = 0; r < numAnchors && r < numNegative; r++) weight[base + order[r]!]! += 1;
      for (let j = 0; j < numAnchors; j++) if (clsTargets[base + j]! > 0) weight[base + j]! += 1;
    }
    const N = Math.max(1, numForeground);
    const dtype = clsLoss.dtype;
    const w = tensor(Array.from(weight), { dtype }).reshape([n, numAnchors]);
    return {
      bbox_regression: div(sum(stack(bboxLoss, 0)), N),
      classification: div(sum(mul(clsLoss, w)), N),
    };
  }

  /** torchvision's `postprocess_detections`: per image, scores, decoded boxes, per-class thresholding and top-k, batched NMS. */
  postprocessDetections(headOutputs: SSDHeadOutput, imageAnchors: readonly Tensor[], imageShapes: readonly (readonly [number, number])[]): DetectionPrediction[] {
    const bboxRegression = headOutputs.bbox_regression;
    const predScores = softmax(headOutputs.cls_logits, -1);
    const numClasses = predScores.shape[2]!;
    const numAnchors = predScores.shape[1]!;
    return imageAnchors.map((anchors, i) => {
      const boxes = clipBoxesToImage(this.box_coder.decodeSingle(bboxRegression.select(0, i), anchors), [...imageShapes[i]!]);
      const boxData = boxes.dataSync();
      const scoreData = predScores.select(0, i).dataSync();
      const outBoxes: number[] = [];
      const outScores: number[] = [];
      const outLabels: number[] = [];
      for (let label = 1; label < numClasses; label++) {
        const cand: number[] = [];
        for (let j = 0; j < numAnchors; j++) if (scoreData[j * numClasses + label]! > this.scoreThresh) cand.push(j);
        cand.sort((p, q) => scoreData[q * numClasses + label]! - scoreData[p * numClasses + label]! || p - q);
        for (const j of cand.slice(0, this.topkCandidates)) {
          outBoxes.push(boxData[4 * j]!, boxData[4 * j + 1]!, boxData[4 * j + 2]!, boxData[4 * j + 3]!);
          outScores.push(scoreData[j * numClasses + label]!);
          outLabels.push(label);
        }
      }
      const dtype = boxes.dtype;
      const k = outScores.length;
      const b = k > 0 ? tensor(outBoxes, { dtype }).reshape([k, 4]) : zeros([0, 4], { dtype });
      const s = tensor(outScores, { dtype });
      const l = tensor(outLabels, { dtype: 'int32' });
      const keep = k > 0 ? batchedNms(b, s, l, { iouThreshold: this.nmsThresh }) : tensor([], { dtype: 'int32' });
      const kept = keep.shape[0]! > this.detectionsPerImg ? keep.narrow(0, 0, this.detectionsPerImg) : keep;
      return { boxes: indexSelect(b, 0, kept), scores: indexSelect(s, 0, kept), labels: indexSelect(l, 0, kept) };
    });
  }
}

/** torchvision's `retrieve_out_channels`: runs the backbone on zeros of `size` in eval mode and reads the channels of its outputs. @internal */
export function retrieveOutChannels(model: AnyModule, size: readonly [number, number]): number[] {
  const training = model.training;
  model.eval();
  try {
    const out = noGrad(() => model(zeros([1, 3, size[1], size[0]])));
    return featureList('SSD', out).map((t) => t.shape[1]!);
  } finally {
    model.train(training);
  }
}

/** Options of {@link ssd300Vgg16}: torchvision's keywords, camelCase, and those of {@link SSD}. */
export interface SSD300VGG16Options extends SSDOptions {
  /**
   * torchvision's `weights`: only `null` (the default) is accepted, as nothing is downloaded at
   * run time: `model.loadStateDict(await loadTorch('ssd300_vgg16_coco-b556d3b4.pth'), { strict: true })`.
   */
  weights?: null;
  /** torchvision's `progress`: accepted and without effect. */
  progress?: boolean;
  /** Classes including the background (default 91, COCO's). */
  numClasses?: number;
  /** torchvision's `weights_backbone`: only `null` (the default here; torchvision's default downloads VGG-16 features). */
  weightsBackbone?: null;
  /** Trainable VGG stages counted from the last, 0–5 (default 5: all trainable); the others are frozen (`requiresGrad = false`). */
  trainableBackboneLayers?: number | null;
}

/**
 * SSD300 with a VGG-16 backbone (torchvision's `models.detection.ssd300_vgg16`): an {@link SSD} of
 * input size 300×300 over an {@link SSDFeatureExtractorVGG}, default boxes
 * `DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]], { scales: [0.07, 0.15, 0.33,
 * 0.51, 0.69, 0.87, 1.05], steps: [8, 16, 32, 64, 100, 300] })` (8732 per image) and the
 * backbone's normalisation (`imageMean [0.48235, 0.45882, 0.40784]`, `imageStd` 1/255). 35,641,826
 * parameters with 91 classes; its state-dict keys and shapes are torchvision's, so
 * `ssd300_vgg16_coco-b556d3b4.pth` loads with `strict: true`. The VGG part is initialised as
 * torchvision's `vgg16()` (Kaiming normal), the rest Xavier uniform. Building it takes seconds.
 *
 * @example
 * ```ts
 * import { ssd300Vgg16 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = ssd300Vgg16(); model.loadStateDict(await loadTorch('ssd300_vgg16_coco-b556d3b4.pth'), { strict: true });
 * let message = '';
 * try {
 *   ssd300Vgg16({ weights: 'COCO_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('ssd300_vgg16_coco-b556d3b4.pth')"); // true
 * ```
 */
export function ssd300Vgg16(options?: SSD300VGG16Options): SSD;
export function ssd300Vgg16(...args: unknown[]): SSD {
  const name = 'ssd300Vgg16';
  const a = parseArgs(signature(name, BUILDER, { keywordOnly: BUILDER }), args);
  refuseWeights(name, a.weights, 'ssd300_vgg16_coco-b556d3b4.pth');
  checkProgress(name, a.progress);
  if (a.weightsBackbone !== undefined && a.weightsBackbone !== null) {
    throw new TypeError(
      `${name}: weightsBackbone ${JSON.stringify(a.weightsBackbone)} is not supported: tensorgrad downloads nothing at run time. Build the model with weightsBackbone: null and load a full SSD300 state dict (ssd300_vgg16_coco-b556d3b4.pth) with model.loadStateDict(await loadTorch(path), { strict: true })`,
    );
  }
  const numClasses = a.numClasses ?? 91;
  const trainable = a.trainableBackboneLayers ?? 5;
  checkNumber(name, 'trainableBackboneLayers', trainable, 0, 5, true);
  const vgg = makeLayers(vggConfigs.D);
  // torchvision's VGG initialisation of the convolutions
  for (const m of vgg.modules()) {
    if (m instanceof Conv2d) {
      init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      if (m.bias) init.constant_(m.bias, 0);
    }
  }
  // _vgg_extractor: freeze the stages before the trainable ones
  const layers = [...vgg];
  const stageIndices = [0, ...layers.flatMap((m, i) => (m instanceof MaxPool2d ? [i] : [])).slice(0, -1)];
  const freezeBefore = trainable === 0 ? layers.length : stageIndices[stageIndices.length - (trainable as number)]!;
  for (const m of layers.slice(0, freezeBefore)) for (const p of m.parameters()) p.requiresGrad_(false);
  const backbone = new SSDFeatureExtractorVGG(vgg, false);
  const anchorGenerator = new DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]], {
    scales: [0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05],
    steps: [8, 16, 32, 64, 100, 300],
  });
  const options: SSDOptions = { imageMean: [0.48235, 0.45882, 0.40784], imageStd: [1 / 255, 1 / 255, 1 / 255] };
  for (const k of ['imageMean', 'imageStd', 'head', 'scoreThresh', 'nmsThresh', 'detectionsPerImg', 'iouThresh', 'topkCandidates', 'positiveFraction'] as const) {
    if (a[k] !== undefined) (options as Record<string, unknown>)[k] = a[k];
  }
  return new SSD(backbone, anchorGenerator, [300, 300], numClasses as number, options);
}
