// torchvision.models.detection.roi_heads: RoIHeads and fastrcnn_loss (the box branch)
import { arange, cat, softmax, zeros, type Tensor } from '@tensorgrad/tensor';
import { Module, type AnyModule } from '@tensorgrad/layers';
import { crossEntropy, smoothL1Loss } from '@tensorgrad/losses';
import { parseArgs, signature } from '../../args.js';
import { boxIou } from '../../ops/box-iou.js';
import { clipBoxesToImage } from '../../ops/clip-boxes-to-image.js';
import { removeSmallBoxes } from '../../ops/remove-small-boxes.js';
import { batchedNms } from '../../ops/nms.js';
import type { FeatureMaps } from '../../ops/poolers.js';
import { BoxCoder } from './box-coder.js';
import { Matcher } from './matcher.js';
import { BalancedPositiveNegativeSampler } from './balanced-positive-negative-sampler.js';
import type { DetectionTarget } from './transform.js';
import { indicesWhere, intTensor } from './indexing.js';

/** One image's detections (torchvision's result dict): `boxes` `[D, 4]`, `labels` `[D]` int32, `scores` `[D]`. */
export interface Detection {
  /** Boxes, x1 y1 x2 y2 in pixels of the input image. */
  boxes: Tensor;
  /** Class of each box (int32, 1…numClasses − 1). */
  labels: Tensor;
  /** Softmax score of each box's class. */
  scores: Tensor;
  /** Other per-detection outputs (`masks` of Mask R-CNN). */
  [key: string]: Tensor;
}

/**
 * The losses of Fast R-CNN's box branch (torchvision's `fastrcnn_loss`): cross-entropy of the
 * class logits against `labels`, and smooth L1 (beta 1/9, summed) of the positive proposals'
 * deltas for their class against `regressionTargets`, divided by the number of proposals.
 *
 * @example
 * ```ts
 * import { fastrcnnLoss } from '@tensorgrad/vision';
 * import { tensor, zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const [cls, box] = fastrcnnLoss(zeros([2, 3]), zeros([2, 12]), [tensor([1, 0], { dtype: 'int32' })], [tensor([[1, 0, 0, 0], [0, 0, 0, 0]])]);
 * await cls.item(); // 1.0986123085021973
 * await box.item(); // 0.4722222089767456 (smooth L1 of 1 with beta 1/9, over 2 proposals)
 * ```
 */
export function fastrcnnLoss(classLogits: Tensor, boxRegression: Tensor, labels: Tensor[], regressionTargets: Tensor[]): [Tensor, Tensor] {
  const lab = cat(labels, 0);
  const reg = cat(regressionTargets, 0);
  const classificationLoss = crossEntropy(classLogits, lab);
  const pos = indicesWhere(lab.dataSync(), (v) => v > 0);
  const n = classLogits.shape[0]!;
  const numClasses = boxRegression.shape[boxRegression.ndim - 1]! / 4;
  // box_regression[pos, labels_pos]: rows pos·numClasses + label of the [N·numClasses, 4] view
  const labPos = lab.indexSelect(0, pos);
  const rows = pos.mul(numClasses).add(labPos);
  const picked = boxRegression.reshape([n * numClasses, 4]).indexSelect(0, rows);
  const boxLoss = smoothL1Loss(picked, reg.indexSelect(0, pos), { beta: 1 / 9, reduction: 'sum' }).div(lab.numel());
  return [classificationLoss, boxLoss];
}

const ROI_HEADS = signature(
  'new RoIHeads',
  ['boxRoiPool', 'boxHead', 'boxPredictor', 'fgIouThresh', 'bgIouThresh', 'batchSizePerImage', 'positiveFraction', 'bboxRegWeights', 'scoreThresh', 'nmsThresh', 'detectionsPerImg'],
  { required: 11 },
);

/** The RoI pooler RoIHeads calls: `(features, proposals, imageShapes) → [ΣK, C, h, w]` (a `MultiScaleRoIAlign`). */
export type BoxRoiPool = Module<[FeatureMaps, readonly Tensor[], readonly (readonly [number, number])[]], Tensor>;

/**
 * The second stage of Faster R-CNN (torchvision's `RoIHeads`, box branch): `box_roi_pool` pools
 * each proposal's features, `box_head` maps them to a vector, `box_predictor` gives class logits
 * and per-class deltas. In training mode the targets' boxes are added to the proposals, which are
 * matched to the targets (`Matcher(fgIouThresh, bgIouThresh)`), sampled
 * (`BalancedPositiveNegativeSampler(batchSizePerImage, positiveFraction)`) and encoded with
 * `BoxCoder(bboxRegWeights ?? [10, 10, 5, 5])`, and the losses are `loss_classifier` and
 * `loss_box_reg` ({@link fastrcnnLoss}). In eval mode each proposal gives one box per class but
 * the background; boxes are clipped, scores ≤ `scoreThresh` and boxes smaller than 1e-2
 * dropped, `batchedNms` per class with `nmsThresh`, and the `detectionsPerImg` best kept.
 *
 * @example
 * ```ts
 * import { FastRCNNPredictor, MultiScaleRoIAlign, RoIHeads, TwoMLPHead } from '@tensorgrad/vision';
 * import { randn, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const heads = new RoIHeads(
 *   new MultiScaleRoIAlign(['0'], 7, 2), new TwoMLPHead(4 * 49, 32), new FastRCNNPredictor(32, 3),
 *   0.5, 0.5, 64, 0.25, null, 0.0, 0.5, 10,
 * ).eval();
 * const [detections] = heads({ '0': randn([1, 4, 8, 8]) }, [tensor([[0, 0, 16, 16], [8, 8, 30, 30]])], [[32, 32]]);
 * detections[0]!.boxes.shape[1]; // 4
 * detections[0]!.scores.shape[0] <= 4; // true
 * ```
 */
export class RoIHeads extends Module<[Record<string, Tensor>, Tensor[], readonly (readonly [number, number])[], DetectionTarget[]?], [Detection[], Record<string, Tensor>]> {
  /** Pools each proposal's features. */
  declare box_roi_pool: BoxRoiPool;
  /** Maps pooled features to a vector (e.g. {@link TwoMLPHead}). */
  declare box_head: AnyModule;
  /** Class logits and per-class deltas (e.g. {@link FastRCNNPredictor}). */
  declare box_predictor: Module<[Tensor], [Tensor, Tensor]>;
  /** Encodes and decodes the per-class deltas. */
  readonly boxCoder: BoxCoder;
  /** Matches proposals to targets. */
  readonly proposalMatcher: Matcher;
  /** Samples the proposals of the loss. */
  readonly fgBgSampler: BalancedPositiveNegativeSampler;
  /** Lowest class score kept in eval mode. */
  readonly scoreThresh: number;
  /** IoU threshold of the per-class NMS. */
  readonly nmsThresh: number;
  /** Detections kept per image. */
  readonly detectionsPerImg: number;

  /** torchvision's `RoIHeads(box_roi_pool, box_head, box_predictor, fg_iou_thresh, bg_iou_thresh, batch_size_per_image, positive_fraction, bbox_reg_weights, score_thresh, nms_thresh, detections_per_img)`. */
  constructor(
    boxRoiPool: BoxRoiPool,
    boxHead: AnyModule,
    boxPredictor: Module<[Tensor], [Tensor, Tensor]>,
    fgIouThresh: number,
    bgIouThresh: number,
    batchSizePerImage: number,
    positiveFraction: number,
    bboxRegWeights: readonly [number, number, number, number] | null,
    scoreThresh: number,
    nmsThresh: number,
    detectionsPerImg: number,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(ROI_HEADS, args);
    const owner = 'new RoIHeads';
    for (const k of ['boxRoiPool', 'boxHead', 'boxPredictor'] as const) {
      if (!(a[k] instanceof Module)) throw new TypeError(`${owner}: expected ${k} to be a Module, got ${a[k] === null ? 'null' : typeof a[k]}`);
    }
    this.registerModule('box_roi_pool', a.boxRoiPool as BoxRoiPool);
    this.registerModule('box_head', a.boxHead as AnyModule);
    this.registerModule('box_predictor', a.boxPredictor as Module<[Tensor], [Tensor, Tensor]>);
    this.proposalMatcher = new Matcher(a.fgIouThresh as number, a.bgIouThresh as number, false);
    this.fgBgSampler = new BalancedPositiveNegativeSampler(a.batchSizePerImage as number, a.positiveFraction as number);
    this.boxCoder = new BoxCoder((a.bboxRegWeights ?? [10, 10, 5, 5]) as [number, number, number, number]);
    const dpi = a.detectionsPerImg as number;
    if (!Number.isInteger(dpi) || dpi <= 0) throw new TypeError(`${owner}: expected detectionsPerImg to be a positive integer, got ${String(dpi)}`);
    this.scoreThresh = a.scoreThresh as number;
    this.nmsThresh = a.nmsThresh as number;
    this.detectionsPerImg = dpi;
  }

  /** torchvision's `assign_targets_to_proposals`: per image, the matched target index (clamped to ≥ 0) and the label (0 background, −1 ignored). */
  assignTargetsToProposals(proposals: Tensor[], gtBoxes: Tensor[], gtLabels: Tensor[]): [Int32Array[], Int32Array[]] {
    const matchedIdxs: Int32Array[] = [];
    const labels: Int32Array[] = [];
    proposals.forEach((p, i) => {
      const n = p.shape[0]!;
      if (gtBoxes[i]!.numel() === 0) {
        matchedIdxs.push(new Int32Array(n));
        labels.push(new Int32Array(n));
        return;
      }
      const m = this.proposalMatcher.call(boxIou(gtBoxes[i]!, p)).dataSync();
      const gl = gtLabels[i]!.dataSync();
      const clamped = new Int32Array(n);
      const lab = new Int32Array(n);
      for (let j = 0; j < n; j++) {
        const v = m[j]!;
        clamped[j] = Math.max(v, 0);
        lab[j] = v === Matcher.BELOW_LOW_THRESHOLD ? 0 : v === Matcher.BETWEEN_THRESHOLDS ? -1 : Number(gl[clamped[j]!]);
      }
      matchedIdxs.push(clamped);
      labels.push(lab);
    });
    return [matchedIdxs, labels];
  }

  /** torchvision's `select_training_samples`: the sampled proposals (targets' boxes added), their labels and regression targets. */
  selectTrainingSamples(proposals: Tensor[], targets: DetectionTarget[]): [Tensor[], Tensor[], Tensor[]] {
    const dtype = proposals[0]!.dtype;
    const gtBoxes = targets.map((t) => t.boxes.to(dtype));
    const gtLabels = targets.map((t) => t.labels);
    const withGt = proposals.map((p, i) => cat([p, gtBoxes[i]!], 0));
    const [matchedIdxs, labels] = this.assignTargetsToProposals(withGt, gtBoxes, gtLabels);
    const labelTensors = labels.map((l) => intTensor(l));
    const [pos, neg] = this.fgBgSampler.call(labelTensors);
    const sampledProposals: Tensor[] = [];
    const sampledLabels: Tensor[] = [];
    const matchedGt: Tensor[] = [];
    withGt.forEach((p, i) => {
      const pm = pos[i]!.dataSync();
      const nm = neg[i]!.dataSync();
      const inds = indicesWhere(pm.map((v, j) => (v || nm[j] ? 1 : 0)), (v) => v !== 0);
      const sampled = inds.dataSync();
      sampledProposals.push(p.indexSelect(0, inds));
      sampledLabels.push(labelTensors[i]!.indexSelect(0, inds));
      const gt = gtBoxes[i]!.numel() === 0 ? zeros([1, 4], { dtype }) : gtBoxes[i]!;
      matchedGt.push(gt.indexSelect(0, intTensor(Array.from(sampled, (j) => matchedIdxs[i]![j]!))));
    });
    const regressionTargets = this.boxCoder.encode(matchedGt, sampledProposals);
    return [sampledProposals, sampledLabels, regressionTargets];
  }

  /** torchvision's `postprocess_detections`: per-class boxes and scores, thresholded, NMS per class, the best `detectionsPerImg`. */
  postprocessDetections(classLogits: Tensor, boxRegression: Tensor, proposals: Tensor[], imageShapes: readonly (readonly [number, number])[]): Detection[] {
    const numClasses = classLogits.shape[classLogits.ndim - 1]!;
    const predBoxes = this.boxCoder.decode(boxRegression, proposals);
    const predScores = softmax(classLogits, -1);
    const out: Detection[] = [];
    let offset = 0;
    proposals.forEach((p, i) => {
      const k = p.shape[0]!;
      let boxes = clipBoxesToImage(predBoxes.narrow(0, offset, k), imageShapes[i]! as [number, number]);
      let scores = predScores.narrow(0, offset, k);
      offset += k;
      let labels = arange(numClasses, { dtype: 'int32' }).reshape([1, -1]).expand([k, numClasses]);
      // drop the background class
      boxes = boxes.narrow(1, 1, numClasses - 1).reshape([-1, 4]);
      scores = scores.narrow(1, 1, numClasses - 1).reshape([-1]);
      labels = labels.narrow(1, 1, numClasses - 1).reshape([-1]);
      let keep = indicesWhere(scores.dataSync(), (s) => s > this.scoreThresh);
      [boxes, scores, labels] = [boxes.indexSelect(0, keep), scores.indexSelect(0, keep), labels.indexSelect(0, keep)];
      keep = removeSmallBoxes(boxes, 1e-2);
      [boxes, scores, labels] = [boxes.indexSelect(0, keep), scores.indexSelect(0, keep), labels.indexSelect(0, keep)];
      keep = batchedNms(boxes, scores, labels, this.nmsThresh);
      if (keep.shape[0]! > this.detectionsPerImg) keep = keep.narrow(0, 0, this.detectionsPerImg);
      out.push({ boxes: boxes.indexSelect(0, keep), labels: labels.indexSelect(0, keep), scores: scores.indexSelect(0, keep) });
    });
    return out;
  }

  override forward(
    features: Record<string, Tensor>,
    proposals: Tensor[],
    imageShapes: readonly (readonly [number, number])[],
    targets?: DetectionTarget[],
  ): [Detection[], Record<string, Tensor>] {
    if (targets) {
      for (const t of targets) {
        if (t.boxes.dtype !== 'float32' && t.boxes.dtype !== 'float64') throw new TypeError(`RoIHeads: target boxes must be of a float type, got ${t.boxes.dtype}`);
        if (t.labels.dtype !== 'int32') throw new TypeError(`RoIHeads: target labels must be int32 (PyTorch's int64), got ${t.labels.dtype}`);
      }
    }
    let labels: Tensor[] | null = null;
    let regressionTargets: Tensor[] | null = null;
    if (this.training) {
      if (!targets) throw new TypeError('RoIHeads: targets should be given in training mode (or call model.eval() for inference)');
      [proposals, labels, regressionTargets] = this.selectTrainingSamples(proposals, targets);
    }
    const pooled = this.box_roi_pool(features, proposals, imageShapes);
    const boxFeatures = this.box_head(pooled) as Tensor;
    const [classLogits, boxRegression] = this.box_predictor(boxFeatures);
    if (this.training) {
      const [lc, lb] = fastrcnnLoss(classLogits, boxRegression, labels!, regressionTargets!);
      return [[], { loss_classifier: lc, loss_box_reg: lb }];
    }
    return [this.postprocessDetections(classLogits, boxRegression, proposals, imageShapes), {}];
  }
}
