/**
 * What R-CNN and Fast R-CNN share around their networks: the scenes they learn from, the book's
 * targets for every region proposal, the crops R-CNN classifies, and the post-processing of both
 * (proposal + predicted offsets → boxes, background dropped, non-max suppression).
 */
import { nms, resizedCrop, stack, tensor, tidy, zeros, type Tensor } from 'tensorgrad';
import { labelProposals } from './targets.js';
import type { Box } from './worked.js';

/** One image with its objects: what the detectors train and are evaluated on. */
export interface Scene {
  /** The image, `[C, H, W]`, float values in [0, 1]. */
  image: Tensor;
  /** The objects' boxes, `xyxy` in pixels. */
  boxes: Box[];
  /** The objects' classes, 1…K (0 is the background). */
  labels: number[];
}

/** Region proposals of one image (selective search in the book), `xyxy` in pixels. */
export type Proposer = (image: Tensor) => Box[] | Promise<Box[]>;

/** A scene with its region proposals and their training targets. */
export interface ProposalScene extends Scene {
  /** The region proposals, `xyxy` in pixels. */
  proposals: Box[];
  /** The class of each proposal (the book's `clss`): 0 for the background. */
  proposalLabels: number[];
  /** Offsets from each proposal to its object, over `[W, H, W, H]` (the book's `deltas`). */
  deltas: [number, number, number, number][];
}

/**
 * Runs `proposer` on every scene and labels its proposals the book's way ({@link labelProposals}:
 * IoU above `iouThreshold`, default 0.3, → the object's class, else background). Scenes without a
 * single proposal are kept: they add nothing to training, and evaluation counts their objects as
 * missed.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { withProposals } from './detect.js';
 * const scene = { image: zeros([1, 20, 20]), boxes: [[2, 2, 10, 10]] as const, labels: [4] };
 * const [s] = await withProposals([{ ...scene, boxes: [[2, 2, 10, 10]] }], () => [[2, 2, 10, 10], [12, 12, 20, 20]]);
 * s!.proposalLabels; // [4, 0]
 * ```
 */
export async function withProposals(scenes: readonly Scene[], proposer: Proposer, iouThreshold = 0.3): Promise<ProposalScene[]> {
  const out: ProposalScene[] = [];
  for (const scene of scenes) {
    const [, height, width] = scene.image.shape as [number, number, number];
    const proposals = await proposer(scene.image);
    const t = labelProposals(proposals, scene.boxes, scene.labels, { width, height, iouThreshold });
    out.push({ ...scene, proposals, proposalLabels: t.labels, deltas: t.deltas });
  }
  return out;
}

/**
 * R-CNN's input: each proposal cut out of the image and resized to `size × size` (the book's
 * `cv2.resize(img[y:Y, x:X], (224, 224))`; bilinear here), stacked to `[P, C, size, size]`.
 * Proposals are rounded to whole pixels and clipped to the image; an empty one is widened to one
 * pixel.
 *
 * @example
 * ```ts
 * import { arange } from 'tensorgrad';
 * import { cropProposals } from './detect.js';
 * const image = arange(16).reshape([1, 4, 4]).float();
 * const crops = cropProposals(image, [[0, 0, 2, 2], [2, 2, 4, 4]], 2);
 * crops.shape; // [2, 1, 2, 2]
 * crops.flatten().arraySync(); // [0, 1, 4, 5, 10, 11, 14, 15]
 * ```
 */
export function cropProposals(image: Tensor, proposals: readonly Box[], size: number): Tensor {
  const [c, height, width] = image.shape as [number, number, number];
  if (proposals.length === 0) return zeros([0, c, size, size]);
  return tidy(() => {
    const crops = proposals.map((p) => {
      const left = Math.min(Math.max(0, Math.round(p[0])), width - 1);
      const top = Math.min(Math.max(0, Math.round(p[1])), height - 1);
      const right = Math.max(left + 1, Math.min(width, Math.round(p[2])));
      const bottom = Math.max(top + 1, Math.min(height, Math.round(p[3])));
      return resizedCrop(image, top, left, bottom - top, right - left, [size, size], { antialias: false });
    });
    return stack(crops);
  });
}

/** A detector's answer for one image, torchvision's `{ boxes, labels, scores }` as plain arrays. */
export interface Detections {
  /** `xyxy` boxes in pixels. */
  boxes: Box[];
  /** Their classes (never the background). */
  labels: number[];
  /** Their confidences (softmax probability of the class). */
  scores: number[];
}

/** Options of {@link decodeDetections}. */
export interface DecodeOptions {
  /** Image width in pixels (the offsets are fractions of it). */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** IoU above which `nms` drops the lower-scoring box (default 0.05, the book's). */
  iouThreshold?: number;
  /** The background class (default 0). */
  backgroundClass?: number;
}

/**
 * The book's `test_predictions` after the network: softmax over the class scores, the best class
 * and its probability per proposal, background proposals dropped, box = proposal + offsets ×
 * `[W, H, W, H]` (the book adds the offsets without scaling them back, so its boxes move by less
 * than a pixel, and its R-CNN truncates them to `uint16`), clipped to the image, then `nms` over
 * all classes with the book's threshold of 0.05. The book's Fast R-CNN `test_predictions` skips
 * the softmax and ranks by the raw class scores; here both detectors use the probabilities.
 * Reads the scores back, so it is async.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { decodeDetections } from './detect.js';
 * const scores = tensor([[0, 3], [3, 0]]); // the first proposal is class 1, the second background
 * const offsets = tensor([[0.1, 0, 0, 0], [0, 0, 0, 0]]);
 * const d = await decodeDetections([[0, 0, 5, 5], [5, 5, 9, 9]], scores, offsets, { width: 10, height: 10 });
 * d.boxes; // [[1, 0, 5, 5]]
 * d.labels; // [1]
 * ```
 */
export async function decodeDetections(proposals: readonly Box[], classScores: Tensor, offsets: Tensor, options: DecodeOptions): Promise<Detections> {
  const background = options.backgroundClass ?? 0;
  const { width: W, height: H } = options;
  if (proposals.length === 0) return { boxes: [], labels: [], scores: [] };
  const [probs, offs] = await tidy(async () => {
    const p = classScores.softmax(-1);
    return [(await p.array()) as number[][], (await offsets.array()) as number[][]];
  });
  const boxes: Box[] = [];
  const labels: number[] = [];
  const scores: number[] = [];
  probs.forEach((row, i) => {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
    if (best === background) return;
    const p = proposals[i]!;
    const d = offs[i]!;
    const clip = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);
    boxes.push([clip(p[0] + d[0]! * W, W), clip(p[1] + d[1]! * H, H), clip(p[2] + d[2]! * W, W), clip(p[3] + d[3]! * H, H)]);
    labels.push(best);
    scores.push(row[best]!);
  });
  if (boxes.length === 0) return { boxes, labels, scores };
  const keep = await tidy(async () => (await nms(tensor(boxes.map((b) => [...b])), tensor(scores), { iouThreshold: options.iouThreshold ?? 0.05 }).array()) as number[]);
  return { boxes: keep.map((i) => boxes[i]!), labels: keep.map((i) => labels[i]!), scores: keep.map((i) => scores[i]!) };
}
