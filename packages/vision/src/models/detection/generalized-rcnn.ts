// torchvision.models.detection.generalized_rcnn: GeneralizedRCNN
import { Tensor } from '@tensorgrad/tensor';
import { Module, type AnyModule } from '@tensorgrad/layers';
import type { GeneralizedRCNNTransform, DetectionTarget } from './transform.js';
import type { RegionProposalNetwork } from './rpn.js';
import type { Detection, RoIHeads } from './roi-heads.js';

/** What a detector returns: a dict of losses in training mode, one {@link Detection} per image in eval mode. */
export type DetectorOutput = Record<string, Tensor> | Detection[];

/**
 * The two-stage detector skeleton (torchvision's `GeneralizedRCNN`): `transform` normalises,
 * resizes and batches the images (and targets), `backbone` computes the features (a tensor is
 * named `'0'`), `rpn` proposes boxes, `roi_heads` classifies and refines them and `transform`
 * maps the detections back to the original image sizes. `model.call(images, targets)` in
 * training mode returns the losses of `roi_heads` and `rpn` (`loss_classifier`, `loss_box_reg`,
 * `loss_objectness`, `loss_rpn_box_reg`); in eval mode `model.call(images)` returns
 * `{ boxes, labels, scores }` per image. Target boxes must have x2 > x1 and y2 > y1.
 *
 * @example
 * ```ts
 * import { GeneralizedRCNN, FasterRCNN } from '@tensorgrad/vision';
 * FasterRCNN.prototype instanceof GeneralizedRCNN; // true
 * ```
 */
export class GeneralizedRCNN extends Module<[Tensor[], DetectionTarget[]?], DetectorOutput> {
  /** The feature extractor (`outChannels` channels per level). */
  declare backbone: AnyModule;
  /** The region proposal network. */
  declare rpn: RegionProposalNetwork;
  /** The box (and mask) heads. */
  declare roi_heads: RoIHeads;
  /** Normalisation, resizing and batching. */
  declare transform: GeneralizedRCNNTransform;

  /** torchvision's `GeneralizedRCNN(backbone, rpn, roi_heads, transform)`. */
  constructor(backbone: AnyModule, rpn: RegionProposalNetwork, roiHeads: RoIHeads, transform: GeneralizedRCNNTransform) {
    super();
    this.registerModule('transform', transform);
    this.registerModule('backbone', backbone);
    this.registerModule('rpn', rpn);
    this.registerModule('roi_heads', roiHeads);
  }

  override forward(images: Tensor[], targets?: DetectionTarget[]): DetectorOutput {
    if (!Array.isArray(images)) throw new TypeError(`${this.constructor.name}: expected a list of [C, H, W] images, got ${typeof images}`);
    if (this.training) {
      if (!targets) throw new TypeError(`${this.constructor.name}: targets should be given in training mode (one { boxes, labels } per image), or call model.eval() for inference`);
      targets.forEach((t, i) => {
        if (!t || !t.boxes || t.boxes.ndim !== 2 || t.boxes.shape[1] !== 4) {
          throw new RangeError(`${this.constructor.name}: expected target boxes to be a tensor of shape [N, 4], got ${t?.boxes ? `[${t.boxes.shape.join(', ')}]` : 'none'} for target ${i}`);
        }
      });
    }
    const originalSizes = images.map((img) => [img.shape[img.ndim - 2]!, img.shape[img.ndim - 1]!] as const);
    const [imageList, tgts] = this.transform(images, targets);
    if (tgts) {
      tgts.forEach((t, i) => {
        const b = t.boxes.dataSync();
        for (let j = 0; j < b.length; j += 4) {
          if (!(b[j + 2]! > b[j]!) || !(b[j + 3]! > b[j + 1]!)) {
            throw new RangeError(
              `${this.constructor.name}: all bounding boxes should have positive height and width. Found invalid box [${Array.from(b.subarray(j, j + 4)).join(', ')}] for target at index ${i} (after resizing); boxes are x1, y1, x2, y2 with x2 > x1 and y2 > y1`,
            );
          }
        }
      });
    }
    const out = this.backbone(imageList.tensors) as Tensor | Record<string, Tensor>;
    const feats: Record<string, Tensor> = out instanceof Tensor ? { '0': out } : out;
    const [proposals, proposalLosses] = this.rpn(imageList, feats, tgts ?? undefined);
    const [detections, detectorLosses] = this.roi_heads(feats, proposals, imageList.imageSizes, tgts ?? undefined);
    if (this.training) return { ...detectorLosses, ...proposalLosses };
    return this.transform.postprocess(detections, imageList.imageSizes, originalSizes);
  }
}
