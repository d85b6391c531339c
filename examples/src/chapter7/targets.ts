/**
 * The book's training targets for R-CNN and Fast R-CNN: every region proposal gets the class of
 * the ground-truth box it overlaps most when that IoU is above 0.3, else the background, and the
 * offsets from the proposal to that box as fractions of the image's width and height.
 */
import { getIou, type Box } from './worked.js';

/** Options of {@link labelProposals}. */
export interface LabelProposalsOptions {
  /** Width of the image, in pixels (the offsets and rois are divided by it). */
  width: number;
  /** Height of the image, in pixels. */
  height: number;
  /** A proposal whose best IoU is above this is foreground (default 0.3, the book's). */
  iouThreshold?: number;
  /** Label of the background (default 0). */
  backgroundClass?: number;
}

/** The targets of each proposal, in the proposals' order. */
export interface ProposalTargets {
  /** The class of each proposal: its best ground-truth box's label, or the background. */
  labels: number[];
  /** Each proposal's best IoU with a ground-truth box (0 when the image has none). */
  ious: number[];
  /** `(gt − proposal) / [W, H, W, H]` for its best ground-truth box (zeros when there is none). */
  deltas: [number, number, number, number][];
  /** The proposal divided by `[W, H, W, H]` (the book's `rois`). */
  rois: [number, number, number, number][];
}

/**
 * The book's labelling loop (`Training_RCNN.ipynb`, `for jx, candidate in enumerate(candidates)`):
 * IoU of every proposal with every ground-truth box, `best_iou_at = argmax`; the class is that
 * box's label when `best_iou > 0.3`, else `'background'`; `delta = ([_x, _y, _X, _Y] − [cx, cy, cX,
 * cY]) / [W, H, W, H]` for every proposal, background ones too (their offsets are not trained).
 *
 * @example
 * ```ts
 * import { labelProposals } from './targets.js';
 * const gt = [[10, 10, 50, 50], [60, 60, 90, 90]] as const; // a class-3 and a class-7 object
 * const proposals = [
 *   [10, 10, 50, 50], // IoU 1 with the first: class 3, no offset
 *   [20, 20, 60, 60], // IoU 900 / 2300 = 0.39 with the first: class 3
 *   [0, 0, 100, 100], // IoU 1600 / 10000 = 0.16 at best: background
 *   [55, 55, 95, 95], // IoU 900 / 1600 = 0.5625 with the second: class 7
 * ] as const;
 * const t = labelProposals(proposals, gt, [3, 7], { width: 100, height: 100 });
 * t.labels; // [3, 3, 0, 7]
 * t.deltas[1]; // [-0.1, -0.1, -0.1, -0.1]
 * t.deltas[2]; // [0.1, 0.1, -0.5, -0.5]
 * t.rois[3]; // [0.55, 0.55, 0.95, 0.95]
 * ```
 */
export function labelProposals(
  proposals: readonly Box[],
  gtBoxes: readonly Box[],
  gtLabels: readonly number[],
  options: LabelProposalsOptions,
): ProposalTargets {
  const { width: W, height: H } = options;
  const threshold = options.iouThreshold ?? 0.3;
  const background = options.backgroundClass ?? 0;
  if (gtBoxes.length !== gtLabels.length) {
    throw new RangeError(`labelProposals: expected one label per ground-truth box, got ${gtBoxes.length} boxes and ${gtLabels.length} labels`);
  }
  if (!(W > 0) || !(H > 0)) throw new RangeError(`labelProposals: expected a positive image width and height, got ${String(W)}×${String(H)}`);
  const out: ProposalTargets = { labels: [], ious: [], deltas: [], rois: [] };
  for (const p of proposals) {
    let best = -1;
    let bestIou = 0;
    gtBoxes.forEach((g, j) => {
      const iou = getIou(p, g);
      if (best < 0 || iou > bestIou) {
        best = j;
        bestIou = iou;
      }
    });
    const gt = best >= 0 ? gtBoxes[best]! : p;
    out.labels.push(best >= 0 && bestIou > threshold ? gtLabels[best]! : background);
    out.ious.push(bestIou);
    out.deltas.push([(gt[0] - p[0]) / W, (gt[1] - p[1]) / H, (gt[2] - p[2]) / W, (gt[3] - p[3]) / H]);
    out.rois.push([p[0] / W, p[1] / H, p[2] / W, p[3] / H]);
  }
  return out;
}
