import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { isFloating } from '../dtype.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Options of the {@link nms} op. */
export interface NmsOpOptions {
  /** Boxes overlapping a kept box with IoU strictly above it are suppressed. */
  iouThreshold: number;
}

const SIG = signature('nms', ['iouThreshold'], { required: 1 });

/**
 * The non-maximum-suppression op behind `@tensorgrad/vision`'s `nms`: `boxes` `[N, 4]`
 * (`x1, y1, x2, y2`) **already sorted by decreasing score** → a bool `[N]` mask of the boxes
 * kept by torchvision's greedy rule (a box is kept when no kept box before it has IoU >
 * `iouThreshold` with it; areas `(x2 - x1)·(y2 - y1)`). The mask has a fixed size, so it runs on
 * every backend without reading anything back; the vision package sorts, calls it and turns the
 * mask into indices. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { nms } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const boxes = tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]]);
 * await nms(boxes, { iouThreshold: 0.5 }).array(); // [true, false, true]
 * await nms(boxes, 0.9).array(); // [true, true, true]
 * ```
 */
export function nms(boxes: Tensor, options: NmsOpOptions): Tensor;
export function nms(boxes: Tensor, iouThreshold: number): Tensor;
export function nms(boxes: Tensor, ...args: unknown[]): Tensor {
  const op = 'nms';
  assertTensor(op, boxes, 'boxes');
  const t = parseArgs(SIG, args).iouThreshold;
  if (typeof t !== 'number' || Number.isNaN(t)) throw new TypeError(`${op}: expected iouThreshold to be a number, got ${String(t)}`);
  if (!isFloating(boxes.dtype)) throw new TypeError(`${op}: expected floating-point boxes (float32 or float64), got ${boxes.dtype}; convert them with .float()`);
  if (boxes.ndim !== 2 || boxes.shape[1] !== 4) throw new RangeError(`${op}: expected boxes of shape [N, 4] (x1, y1, x2, y2), got ${formatShape(boxes.shape)}`);
  const attrs = { iouThreshold: t };
  const backend = boxes.backendInstance;
  const out = wrapResult(backend, runKernel(op, 'nms', { backend, shape: [boxes.shape[0]!], dtype: 'bool' }, kernelTensor(boxes), attrs));
  record('nms', [boxes], attrs, [out]);
  return out;
}
