// torchvision.models.detection.rpn: RPNHead, RegionProposalNetwork
import { cat, fromTypedArray, sigmoid, topk, zeros, type Tensor } from '@tensorgrad/tensor';
import { Conv2d, init, Module, Sequential } from '@tensorgrad/layers';
import { binaryCrossEntropyWithLogits, smoothL1Loss } from '@tensorgrad/losses';
import { parseArgs, signature } from '../../args.js';
import { Conv2dNormActivation } from '../../ops/misc.js';
import { boxIou } from '../../ops/box-iou.js';
import { clipBoxesToImage } from '../../ops/clip-boxes-to-image.js';
import { removeSmallBoxes } from '../../ops/remove-small-boxes.js';
import { batchedNms } from '../../ops/nms.js';
import { BoxCoder } from './box-coder.js';
import { Matcher } from './matcher.js';
import { BalancedPositiveNegativeSampler } from './balanced-positive-negative-sampler.js';
import { AnchorGenerator } from './anchor-utils.js';
import type { DetectionTarget, ImageList } from './transform.js';
import { indexRows, indicesWhere, intTensor } from './indexing.js';

const RPN_HEAD = signature('new RPNHead', ['inChannels', 'numAnchors', 'convDepth'], { required: 2 });

/**
 * The RPN's head (torchvision's `RPNHead`): `conv` (a `Sequential` of `convDepth` 3×3
 * convolutions + ReLU) shared by every feature map, then `cls_logits` (1×1, one objectness logit
 * per anchor) and `bbox_pred` (1×1, 4 box deltas per anchor). Weights N(0, 0.01²), biases 0.
 *
 * @example
 * ```ts
 * import { RPNHead } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const head = new RPNHead(8, 3);
 * const [logits, deltas] = head([randn([1, 8, 4, 4]), randn([1, 8, 2, 2])]);
 * [logits[0]!.shape, deltas[1]!.shape]; // [[1, 3, 4, 4], [1, 12, 2, 2]]
 * Object.keys(head.stateDict())[0]; // 'conv.0.0.weight'
 * ```
 */
export class RPNHead extends Module<[Tensor[]], [Tensor[], Tensor[]]> {
  /** The shared 3×3 convolutions. */
  declare conv: Sequential;
  /** Objectness logits, `numAnchors` channels. */
  declare cls_logits: Conv2d;
  /** Box deltas, `4 · numAnchors` channels. */
  declare bbox_pred: Conv2d;

  /** torchvision's `RPNHead(in_channels, num_anchors, conv_depth=1)`, options by name… */
  constructor(inChannels: number, numAnchors: number, options?: { convDepth?: number });
  /** …or positionally. */
  constructor(inChannels: number, numAnchors: number, convDepth?: number);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RPN_HEAD, args);
    const owner = 'new RPNHead';
    for (const k of ['inChannels', 'numAnchors'] as const) {
      if (!Number.isInteger(a[k]) || (a[k] as number) <= 0) throw new TypeError(`${owner}: expected ${k} to be a positive integer, got ${String(a[k])}`);
    }
    const c = a.inChannels as number;
    const depth = a.convDepth ?? 1;
    if (!Number.isInteger(depth) || (depth as number) < 0) throw new TypeError(`${owner}: expected convDepth to be a non-negative integer, got ${String(depth)}`);
    const convs = Array.from({ length: depth as number }, () => new Conv2dNormActivation(c, c, { kernelSize: 3, normLayer: null }));
    this.registerModule('conv', new Sequential(...convs));
    this.registerModule('cls_logits', new Conv2d(c, a.numAnchors as number, 1, { stride: 1 }));
    this.registerModule('bbox_pred', new Conv2d(c, (a.numAnchors as number) * 4, 1, { stride: 1 }));
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.normal_(m.weight, { std: 0.01 });
        if (m.bias) init.constant_(m.bias, 0);
      }
    }
  }

  override forward(x: Tensor[]): [Tensor[], Tensor[]] {
    const logits: Tensor[] = [];
    const reg: Tensor[] = [];
    for (const f of x) {
      const t = this.conv(f) as Tensor;
      logits.push(this.cls_logits(t));
      reg.push(this.bbox_pred(t));
    }
    return [logits, reg];
  }
}

/** `[N, A·C, H, W]` → `[N, H·W·A, C]` (torchvision's `permute_and_flatten`). */
function permuteAndFlatten(layer: Tensor, n: number, c: number, h: number, w: number): Tensor {
  return layer.reshape([n, -1, c, h, w]).permute([0, 3, 4, 1, 2]).reshape([n, -1, c]);
}

/**
 * torchvision's `concat_box_prediction_layers`: the per-level head outputs flattened to
 * `[ΣN·H·W·A, C]` class logits and `[ΣN·H·W·A, 4]` deltas, image-major then level.
 * @internal
 */
export function concatBoxPredictionLayers(boxCls: Tensor[], boxRegression: Tensor[]): [Tensor, Tensor] {
  const cls: Tensor[] = [];
  const reg: Tensor[] = [];
  boxCls.forEach((c, i) => {
    const [n, axc, h, w] = c.shape as [number, number, number, number];
    const r = boxRegression[i]!;
    const a = r.shape[1]! / 4;
    cls.push(permuteAndFlatten(c, n, axc / a, h, w));
    reg.push(permuteAndFlatten(r, n, 4, h, w));
  });
  const c = cat(cls, 1);
  return [c.reshape([-1, c.shape[2]!]), cat(reg, 1).reshape([-1, 4])];
}

const RPN = signature(
  'new RegionProposalNetwork',
  ['anchorGenerator', 'head', 'fgIouThresh', 'bgIouThresh', 'batchSizePerImage', 'positiveFraction', 'preNmsTopN', 'postNmsTopN', 'nmsThresh', 'scoreThresh'],
  { required: 9 },
);

/** `{ training, testing }` counts of {@link RegionProposalNetwork}. */
export interface TrainTestCounts {
  /** Used in training mode. */
  training: number;
  /** Used in eval mode. */
  testing: number;
}

/** Options of {@link RegionProposalNetwork} past the nine required arguments. */
export interface RegionProposalNetworkOptions {
  /** Drop proposals whose objectness probability is below this (default 0). */
  scoreThresh?: number;
}

/**
 * Region Proposal Network (torchvision's `RegionProposalNetwork`, from "Faster R-CNN"): the
 * `head` scores and regresses the `anchor_generator`'s anchors on every feature map; the deltas
 * are decoded with `BoxCoder([1, 1, 1, 1])`; per image and level the `preNmsTopN` best-scoring
 * proposals are kept, clipped to the image, boxes smaller than 1e-3 and scores below `scoreThresh`
 * dropped, then `batchedNms` per level with `nmsThresh` and the `postNmsTopN` best kept.
 * Returns `[boxes per image, losses]`; in training mode (targets given) the losses are
 * `loss_objectness` (binary cross-entropy of the sampled anchors) and `loss_rpn_box_reg`
 * (smooth L1, beta 1/9, of the positive anchors over the number sampled), anchors matched to the
 * targets by a `Matcher(fgIouThresh, bgIouThresh, allowLowQualityMatches: true)` and sampled by
 * a `BalancedPositiveNegativeSampler(batchSizePerImage, positiveFraction)`.
 *
 * @example
 * ```ts
 * import { AnchorGenerator, ImageList, RegionProposalNetwork, RPNHead } from '@tensorgrad/vision';
 * import { randn, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const gen = new AnchorGenerator({ sizes: [[8, 16]], aspectRatios: [[1]] });
 * const rpn = new RegionProposalNetwork(gen, new RPNHead(4, 2), 0.7, 0.3, 256, 0.5, { training: 50, testing: 20 }, { training: 50, testing: 10 }, 0.7).eval();
 * const [boxes, losses] = rpn(new ImageList(zeros([1, 3, 32, 32]), [[32, 32]]), { '0': randn([1, 4, 8, 8]) });
 * boxes[0]!.shape[0] <= 10; // true
 * Object.keys(losses); // []
 * ```
 */
export class RegionProposalNetwork extends Module<[ImageList, Record<string, Tensor>, DetectionTarget[]?], [Tensor[], Record<string, Tensor>]> {
  /** The anchors. */
  declare anchor_generator: AnchorGenerator;
  /** The objectness and delta head. */
  declare head: Module<[Tensor[]], [Tensor[], Tensor[]]>;
  /** Decodes and encodes deltas (weights 1, 1, 1, 1). */
  readonly boxCoder: BoxCoder;
  /** Matches anchors to targets. */
  readonly proposalMatcher: Matcher;
  /** Samples the anchors of the loss. */
  readonly fgBgSampler: BalancedPositiveNegativeSampler;
  /** Proposals per level kept before NMS. */
  readonly preNmsTopNCounts: TrainTestCounts;
  /** Proposals per image kept after NMS. */
  readonly postNmsTopNCounts: TrainTestCounts;
  /** IoU threshold of the NMS. */
  readonly nmsThresh: number;
  /** Lowest objectness probability kept. */
  readonly scoreThresh: number;
  /** Smallest box side kept (1e-3). */
  readonly minSize = 1e-3;

  /** torchvision's `RegionProposalNetwork(anchor_generator, head, fg_iou_thresh, bg_iou_thresh, batch_size_per_image, positive_fraction, pre_nms_top_n, post_nms_top_n, nms_thresh, score_thresh=0.0)`. */
  constructor(
    anchorGenerator: AnchorGenerator,
    head: Module<[Tensor[]], [Tensor[], Tensor[]]>,
    fgIouThresh: number,
    bgIouThresh: number,
    batchSizePerImage: number,
    positiveFraction: number,
    preNmsTopN: TrainTestCounts,
    postNmsTopN: TrainTestCounts,
    nmsThresh: number,
    options?: RegionProposalNetworkOptions,
  );
  /** …with `scoreThresh` positionally. */
  constructor(
    anchorGenerator: AnchorGenerator,
    head: Module<[Tensor[]], [Tensor[], Tensor[]]>,
    fgIouThresh: number,
    bgIouThresh: number,
    batchSizePerImage: number,
    positiveFraction: number,
    preNmsTopN: TrainTestCounts,
    postNmsTopN: TrainTestCounts,
    nmsThresh: number,
    scoreThresh?: number,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(RPN, args);
    const owner = 'new RegionProposalNetwork';
    if (!(a.anchorGenerator instanceof AnchorGenerator)) throw new TypeError(`${owner}: expected anchorGenerator to be an AnchorGenerator, got ${typeof a.anchorGenerator}`);
    if (!(a.head instanceof Module)) throw new TypeError(`${owner}: expected head to be a Module (e.g. an RPNHead), got ${typeof a.head}`);
    for (const k of ['preNmsTopN', 'postNmsTopN'] as const) {
      const v = a[k] as TrainTestCounts;
      if (!v || typeof v !== 'object' || !Number.isInteger(v.training) || !Number.isInteger(v.testing)) {
        throw new TypeError(`${owner}: expected ${k} to be { training, testing } integer counts, got ${JSON.stringify(v)}`);
      }
    }
    this.registerModule('anchor_generator', a.anchorGenerator);
    this.registerModule('head', a.head as Module<[Tensor[]], [Tensor[], Tensor[]]>);
    this.boxCoder = new BoxCoder([1, 1, 1, 1]);
    this.proposalMatcher = new Matcher(a.fgIouThresh as number, a.bgIouThresh as number, true);
    this.fgBgSampler = new BalancedPositiveNegativeSampler(a.batchSizePerImage as number, a.positiveFraction as number);
    this.preNmsTopNCounts = { ...(a.preNmsTopN as TrainTestCounts) };
    this.postNmsTopNCounts = { ...(a.postNmsTopN as TrainTestCounts) };
    this.nmsThresh = a.nmsThresh as number;
    this.scoreThresh = (a.scoreThresh ?? 0) as number;
  }

  /** Proposals kept per level before NMS in the current mode. */
  preNmsTopN(): number {
    return this.training ? this.preNmsTopNCounts.training : this.preNmsTopNCounts.testing;
  }

  /** Proposals kept per image after NMS in the current mode. */
  postNmsTopN(): number {
    return this.training ? this.postNmsTopNCounts.training : this.postNmsTopNCounts.testing;
  }

  /** Per image: anchor labels (1 object, 0 background, −1 ignored) and the matched target boxes (torchvision's `assign_targets_to_anchors`). */
  assignTargetsToAnchors(anchors: Tensor[], targets: DetectionTarget[]): [Tensor[], Tensor[]] {
    const labels: Tensor[] = [];
    const matched: Tensor[] = [];
    anchors.forEach((anchorsPerImage, i) => {
      const gt = targets[i]!.boxes;
      if (gt.numel() === 0) {
        matched.push(zeros(anchorsPerImage.shape, { dtype: anchorsPerImage.dtype }));
        labels.push(zeros([anchorsPerImage.shape[0]!], { dtype: anchorsPerImage.dtype }));
        return;
      }
      const idx = this.proposalMatcher.call(boxIou(gt, anchorsPerImage));
      const m = idx.dataSync();
      const lab = new Float32Array(m.length);
      const clamped = new Int32Array(m.length);
      for (let j = 0; j < m.length; j++) {
        const v = m[j]!;
        clamped[j] = Math.max(v, 0);
        lab[j] = v >= 0 ? 1 : v === Matcher.BETWEEN_THRESHOLDS ? -1 : 0;
      }
      matched.push(gt.indexSelect(0, intTensor(clamped)).to(anchorsPerImage.dtype));
      labels.push(fromTypedArray(lab, [m.length], { dtype: anchorsPerImage.dtype }));
    });
    return [labels, matched];
  }

  /** torchvision's `filter_proposals`: top-k per level, clip, drop small and low-scoring boxes, NMS per level, keep `postNmsTopN`. */
  filterProposals(proposals: Tensor, objectness: Tensor, imageShapes: readonly (readonly [number, number])[], numAnchorsPerLevel: number[]): [Tensor[], Tensor[]] {
    const numImages = proposals.shape[0]!;
    const obj = objectness.detach().reshape([numImages, -1]);
    // top-n per level
    const idxParts: Tensor[] = [];
    const lvlParts: number[][] = [];
    let offset = 0;
    numAnchorsPerLevel.forEach((n, level) => {
      const ob = obj.narrow(1, offset, n);
      const k = Math.min(this.preNmsTopN(), n);
      const { indices } = topk(ob, k, { dim: 1 });
      idxParts.push(indices.add(offset));
      lvlParts.push(Array.from({ length: k }, () => level));
      offset += n;
    });
    const topIdx = cat(idxParts, 1);
    const levels = Int32Array.from(lvlParts.flat());
    const boxesOut: Tensor[] = [];
    const scoresOut: Tensor[] = [];
    for (let i = 0; i < numImages; i++) {
      const sel = topIdx.select(0, i);
      let boxes = proposals.select(0, i).indexSelect(0, sel);
      let scores = sigmoid(obj.select(0, i).indexSelect(0, sel));
      let lvl = intTensor(levels);
      boxes = clipBoxesToImage(boxes, imageShapes[i]! as [number, number]);
      let keep = removeSmallBoxes(boxes, this.minSize);
      [boxes, scores, lvl] = [boxes.indexSelect(0, keep), scores.indexSelect(0, keep), lvl.indexSelect(0, keep)];
      keep = indicesWhere(scores.dataSync(), (s) => s >= this.scoreThresh);
      [boxes, scores, lvl] = [boxes.indexSelect(0, keep), scores.indexSelect(0, keep), lvl.indexSelect(0, keep)];
      keep = batchedNms(boxes, scores, lvl, this.nmsThresh);
      const post = this.postNmsTopN();
      if (keep.shape[0]! > post) keep = keep.narrow(0, 0, post);
      boxesOut.push(boxes.indexSelect(0, keep));
      scoresOut.push(scores.indexSelect(0, keep));
    }
    return [boxesOut, scoresOut];
  }

  /** torchvision's `compute_loss`: `[objectness loss, box regression loss]` over the sampled anchors. */
  computeLoss(objectness: Tensor, predBboxDeltas: Tensor, labels: Tensor[], regressionTargets: Tensor[]): [Tensor, Tensor] {
    const [pos, neg] = this.fgBgSampler.call(labels);
    const posIdx = indicesWhere(cat(pos, 0).dataSync(), (v) => v !== 0);
    const negIdx = indicesWhere(cat(neg, 0).dataSync(), (v) => v !== 0);
    const sampled = cat([posIdx, negIdx], 0);
    const obj = objectness.flatten();
    const lab = cat(labels, 0);
    const reg = cat(regressionTargets, 0);
    const boxLoss = smoothL1Loss(indexRows(predBboxDeltas, posIdx), indexRows(reg, posIdx), { beta: 1 / 9, reduction: 'sum' }).div(sampled.shape[0]!);
    const objLoss = binaryCrossEntropyWithLogits(obj.indexSelect(0, sampled), lab.indexSelect(0, sampled));
    return [objLoss, boxLoss];
  }

  override forward(images: ImageList, features: Record<string, Tensor>, targets?: DetectionTarget[]): [Tensor[], Record<string, Tensor>] {
    const feats = Object.values(features);
    const [objectnessLevels, deltaLevels] = this.head(feats);
    const anchors = this.anchor_generator(images, feats);
    const numImages = anchors.length;
    const numAnchorsPerLevel = objectnessLevels.map((o) => o.shape[1]! * o.shape[2]! * o.shape[3]!);
    const [objectness, predBboxDeltas] = concatBoxPredictionLayers(objectnessLevels, deltaLevels);
    const proposals = this.boxCoder.decode(predBboxDeltas.detach(), anchors).reshape([numImages, -1, 4]);
    const [boxes] = this.filterProposals(proposals, objectness, images.imageSizes, numAnchorsPerLevel);
    const losses: Record<string, Tensor> = {};
    if (this.training) {
      if (!targets) throw new TypeError('RegionProposalNetwork: targets should be given in training mode (or call model.eval() for inference)');
      const [labels, matchedGtBoxes] = this.assignTargetsToAnchors(anchors, targets);
      const regressionTargets = this.boxCoder.encode(matchedGtBoxes, anchors);
      const [lo, lb] = this.computeLoss(objectness, predBboxDeltas, labels, regressionTargets);
      losses.loss_objectness = lo;
      losses.loss_rpn_box_reg = lb;
    }
    return [boxes, losses];
  }
}
