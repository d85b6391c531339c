import { argsort, isFloating, maskedSelect, maskedSelectAsync, noGrad, NotSupportedError, tidy, Tensor, zeros } from '@tensorgrad/tensor';
import { nms as nmsOp } from '@tensorgrad/tensor/backend';
import { parseArgs, signature } from '../args.js';

/** Options of {@link nms}. */
export interface NmsOptions {
  /** Discards a box whose IoU with a kept, higher-scoring box is strictly above this. */
  iouThreshold: number;
}

/** Options of {@link batchedNms}. */
export type BatchedNmsOptions = NmsOptions;

const NMS = signature('nms', ['iouThreshold'], { required: 1 });
const BATCHED = signature('batchedNms', ['iouThreshold'], { required: 1 });

function checkNmsInputs(op: string, boxes: unknown, scores: unknown): asserts boxes is Tensor {
  if (!(boxes instanceof Tensor)) throw new TypeError(`${op}: expected boxes to be a Tensor[N, 4], got ${boxes === null ? 'null' : typeof boxes}`);
  if (!(scores instanceof Tensor)) throw new TypeError(`${op}: expected scores to be a Tensor[N], got ${scores === null ? 'null' : typeof scores}`);
  if (boxes.ndim !== 2 || boxes.shape[1] !== 4) {
    throw new RangeError(`${op}: expected boxes of shape [N, 4] (x1, y1, x2, y2), got [${boxes.shape.join(', ')}]`);
  }
  if (scores.ndim !== 1 || scores.shape[0] !== boxes.shape[0]) {
    throw new RangeError(`${op}: expected scores of shape [${boxes.shape[0]}] (one per box), got [${scores.shape.join(', ')}]`);
  }
  if (!isFloating(boxes.dtype)) throw new TypeError(`${op}: expected floating-point boxes (float32 or float64), got ${boxes.dtype}; convert them with .float()`);
  if (scores.dtype !== boxes.dtype) {
    throw new TypeError(`${op}: expected scores to have the boxes' dtype (${boxes.dtype}), got ${scores.dtype}; convert them with .to('${boxes.dtype}') (torchvision requires the same type)`);
  }
  if (boxes.backend !== scores.backend) {
    throw new RangeError(`${op}: boxes are on '${boxes.backend}' and scores on '${scores.backend}'; move one with .to('${boxes.backend}')`);
  }
}

function threshold(op: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: expected iouThreshold to be a number, got ${String(v)}`);
  return v;
}

/** The score order (stable, descending; NaN first as in torch.sort) and the keep mask over it. */
function keepMask(boxes: Tensor, scores: Tensor, iouThreshold: number): [order: Tensor, keep: Tensor] {
  return noGrad(() =>
    tidy(() => {
      const order = argsort(scores, { dim: 0, descending: true, stable: true });
      const keep = nmsOp(boxes.detach().indexSelect(0, order), { iouThreshold });
      return [order, keep] as [Tensor, Tensor];
    }),
  );
}

function empty(boxes: Tensor): Tensor {
  return zeros([0], { dtype: 'int32', backend: boxes.backend });
}

function syncRead(op: string, boxes: Tensor): void {
  const backend = boxes.backendInstance;
  if (!backend.readSync) {
    throw new NotSupportedError(
      op,
      backend.name,
      'sync-read',
      `${op}: the number of kept boxes depends on the data, and backend '${backend.name}' cannot read it synchronously; use \`await ${op}Async(...)\` with the same arguments`,
    );
  }
}

function selectKept(order: Tensor, keep: Tensor): Tensor {
  try {
    return maskedSelect(order, keep);
  } finally {
    order.dispose();
    keep.dispose();
  }
}

async function selectKeptAsync(order: Tensor, keep: Tensor): Promise<Tensor> {
  try {
    return await maskedSelectAsync(order, keep);
  } finally {
    order.dispose();
    keep.dispose();
  }
}

/**
 * torchvision's `ops.nms`: greedy non-maximum suppression. Boxes (`[N, 4]`, `x1, y1, x2, y2`) are
 * visited by decreasing `scores` (ties in index order; NaN scores first, as `torch.sort` puts
 * them); a box is kept unless a box kept before it overlaps it with IoU > `iouThreshold`. Returns
 * the int32 indices (torchvision: int64) of the kept boxes, by decreasing score — an empty int32
 * tensor of shape `[0]` for no boxes. As in torchvision, boxes with `x2 < x1` are not rejected:
 * their area is negative and IoU is computed with it; a box with a NaN coordinate has a NaN IoU
 * with every box, so it neither suppresses nor is suppressed.
 * The number of kept boxes is read back synchronously; on a backend that cannot (WebGPU) this
 * throws a `NotSupportedError` (`'sync-read'`): use {@link nmsAsync} there.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { nms } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]);
 * await nms(boxes, tensor([0.8, 0.9, 0.5]), { iouThreshold: 0.5 }).array(); // [1, 2]
 * await nms(boxes, tensor([0.8, 0.9, 0.5]), 0.7).array(); // [1, 0, 2]
 * ```
 */
export function nms(boxes: Tensor, scores: Tensor, options: NmsOptions): Tensor;
export function nms(boxes: Tensor, scores: Tensor, iouThreshold: number): Tensor;
export function nms(boxes: Tensor, scores: Tensor, ...args: unknown[]): Tensor {
  const t = threshold('nms', parseArgs(NMS, args).iouThreshold);
  checkNmsInputs('nms', boxes, scores);
  if (boxes.shape[0] === 0) return empty(boxes);
  syncRead('nms', boxes);
  const [order, keep] = keepMask(boxes, scores, t);
  return selectKept(order, keep);
}

/**
 * {@link nms} on every backend: the kept boxes are counted with an asynchronous read (the only
 * one), so it runs on WebGPU too.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { nmsAsync } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [1, 1, 11, 11]]);
 * await (await nmsAsync(boxes, tensor([0.8, 0.9]), { iouThreshold: 0.5 })).array(); // [1]
 * ```
 */
export async function nmsAsync(boxes: Tensor, scores: Tensor, options: NmsOptions): Promise<Tensor>;
export async function nmsAsync(boxes: Tensor, scores: Tensor, iouThreshold: number): Promise<Tensor>;
export async function nmsAsync(boxes: Tensor, scores: Tensor, ...args: unknown[]): Promise<Tensor> {
  const t = threshold('nmsAsync', parseArgs({ ...NMS, name: 'nmsAsync' }, args).iouThreshold);
  checkNmsInputs('nmsAsync', boxes, scores);
  if (boxes.shape[0] === 0) return empty(boxes);
  const [order, keep] = keepMask(boxes, scores, t);
  return selectKeptAsync(order, keep);
}

function checkIdxs(op: string, boxes: Tensor, idxs: unknown): asserts idxs is Tensor {
  if (!(idxs instanceof Tensor)) throw new TypeError(`${op}: expected idxs to be a Tensor[N] of category indices, got ${idxs === null ? 'null' : typeof idxs}`);
  if (idxs.ndim !== 1 || idxs.shape[0] !== boxes.shape[0]) {
    throw new RangeError(`${op}: expected idxs of shape [${boxes.shape[0]}] (one category per box), got [${idxs.shape.join(', ')}]`);
  }
  if (idxs.dtype === 'bool') throw new TypeError(`${op}: expected integer category indices in idxs, got bool; convert them with .to('int32')`);
  if (idxs.backend !== boxes.backend) {
    throw new RangeError(`${op}: boxes are on '${boxes.backend}' and idxs on '${idxs.backend}'; move idxs with .to('${boxes.backend}')`);
  }
}

// torchvision's coordinate trick: every box is offset by idxs · (max coordinate + 1), so boxes of
// different categories never overlap and one NMS handles every category. torchvision's span is too
// short when coordinates are negative (all boxes <= 0: no offset at all, and categories suppress
// each other, unlike its own per-category path above 1000 boxes); adding max(0, -min coordinate)
// keeps the categories apart and leaves torchvision's offsets unchanged for coordinates >= 0
function offsetBoxes(boxes: Tensor, idxs: Tensor): Tensor {
  return noGrad(() =>
    tidy(() => {
      const b = boxes.detach();
      const span = b.max().add(1).add(b.min().neg().clamp({ min: 0 }));
      const offsets = idxs.to(b.dtype).mul(span);
      return b.add(offsets.unsqueeze(1));
    }),
  );
}

/**
 * torchvision's `ops.batched_nms`: {@link nms} within each category — boxes whose `idxs` differ
 * never suppress each other. Returns the int32 indices of the kept boxes by decreasing score.
 * Uses torchvision's coordinate trick (each category's boxes are shifted by
 * `idxs · (max coordinate + 1)`, plus `-min coordinate` when a coordinate is negative, and one NMS
 * runs); torchvision switches to a per-category loop above 1000 boxes (4000 coordinates) on the
 * CPU, which gives the same boxes except for rounding of huge offsets and the order of equal
 * scores. Below that, torchvision's own trick lets categories suppress each other when the largest
 * coordinate is below 0 (no offset at all); this function keeps them apart, as torchvision's loop
 * does. A NaN coordinate makes every shifted box NaN (nothing is suppressed), as in torchvision.
 * Reads the count synchronously: use {@link batchedNmsAsync} on WebGPU.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { batchedNms } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [1, 1, 11, 11], [1, 1, 11, 11]]);
 * const idxs = tensor([0, 0, 1], { dtype: 'int32' });
 * await batchedNms(boxes, tensor([0.9, 0.8, 0.7]), idxs, { iouThreshold: 0.5 }).array(); // [0, 2]
 * ```
 */
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, options: BatchedNmsOptions): Tensor;
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor;
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, ...args: unknown[]): Tensor {
  const t = threshold('batchedNms', parseArgs(BATCHED, args).iouThreshold);
  checkNmsInputs('batchedNms', boxes, scores);
  checkIdxs('batchedNms', boxes, idxs);
  if (boxes.shape[0] === 0) return empty(boxes);
  syncRead('batchedNms', boxes);
  const shifted = offsetBoxes(boxes, idxs);
  try {
    const [order, keep] = keepMask(shifted, scores, t);
    return selectKept(order, keep);
  } finally {
    shifted.dispose();
  }
}

/**
 * {@link batchedNms} on every backend (one asynchronous read of the count).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { batchedNmsAsync } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [1, 1, 11, 11]]);
 * const kept = await batchedNmsAsync(boxes, tensor([0.9, 0.8]), tensor([0, 1], { dtype: 'int32' }), { iouThreshold: 0.5 });
 * await kept.array(); // [0, 1]
 * ```
 */
export async function batchedNmsAsync(boxes: Tensor, scores: Tensor, idxs: Tensor, options: BatchedNmsOptions): Promise<Tensor>;
export async function batchedNmsAsync(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Promise<Tensor>;
export async function batchedNmsAsync(boxes: Tensor, scores: Tensor, idxs: Tensor, ...args: unknown[]): Promise<Tensor> {
  const t = threshold('batchedNmsAsync', parseArgs({ ...BATCHED, name: 'batchedNmsAsync' }, args).iouThreshold);
  checkNmsInputs('batchedNmsAsync', boxes, scores);
  checkIdxs('batchedNmsAsync', boxes, idxs);
  if (boxes.shape[0] === 0) return empty(boxes);
  const shifted = offsetBoxes(boxes, idxs);
  try {
    const [order, keep] = keepMask(shifted, scores, t);
    return await selectKeptAsync(order, keep);
  } finally {
    shifted.dispose();
  }
}
