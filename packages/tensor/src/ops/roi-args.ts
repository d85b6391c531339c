/**
 * Argument checks shared by the RoI front-ends (`roiAlign`, `roiPool` and their backward ops).
 * Internal: not re-exported from the package index.
 */
import { sameBackend } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloat } from './conv-args.js';

/** `v` as an integer >= 1, or a RangeError naming `op` and `name`. */
export function positiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${op}: expected ${name} to be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** `v` as a finite number, or a TypeError naming `op` and `name`. */
export function finiteNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${op}: expected ${name} to be a finite number, got ${String(v)}`);
  return v;
}

/** `shape` as a 4-D `[N, C, H, W]` of non-negative integers, or a RangeError. */
export function inputShape4(op: string, shape: unknown): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new RangeError(`${op}: expected inputShape to be the forward input's shape [N, C, H, W] (non-negative integers), got ${JSON.stringify(shape)}`);
  }
  return shape as [number, number, number, number];
}

/**
 * Checks `rois` `[K, 5]` (same float dtype and backend as `like`) against an input of shape
 * `[N, C, H, W]`: when `K > 0` the planes must be non-empty and, on a backend that reads
 * synchronously, every batch index `trunc(rois[k, 0])` must lie in `[0, N)` (torchvision reads
 * out of bounds otherwise). Backends that cannot read synchronously skip the index check; their
 * kernels must not read outside the input for such a RoI.
 */
export function checkRois(op: string, like: Tensor, likeName: string, rois: Tensor, shape: readonly number[]): void {
  sameBackend(op, [like, rois], [likeName, 'rois']);
  checkFloat(op, [like, rois], [likeName, 'rois']);
  if (rois.ndim !== 2 || rois.shape[1] !== 5) {
    throw new RangeError(
      `${op}: expected rois of shape [K, 5] (each row: batch index, x1, y1, x2, y2), got ${formatShape(rois.shape)}; ` +
        'per-image [L, 4] boxes are converted by the vision package (roiAlign(input, [boxes0, boxes1]))',
    );
  }
  const k = rois.shape[0]!;
  const [n, , h, w] = shape as [number, number, number, number];
  if (k === 0) return;
  if (h === 0 || w === 0) throw new RangeError(`${op}: expected an input with non-empty planes (H, W >= 1) for ${k} RoIs, got input shape ${formatShape(shape)}`);
  const backend = rois.backendInstance;
  if (!backend.readSync) return;
  const v = rois.dataSync();
  for (let i = 0; i < k; i++) {
    const b = v[i * 5]!;
    if (!(Math.trunc(b) >= 0 && Math.trunc(b) < n)) {
      throw new RangeError(
        `${op}: expected each RoI's batch index rois[k, 0] to be in [0, ${n}) (the input has ${n} image${n === 1 ? '' : 's'}), got ${b} at row ${i}; ` +
          'the first column of rois names the image each box belongs to',
      );
    }
  }
}
