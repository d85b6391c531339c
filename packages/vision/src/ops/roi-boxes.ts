/**
 * torchvision's `ops._utils` for the RoI ops: boxes given as one `[K, 5]` tensor or as a list of
 * per-image `[L, 4]` tensors (`convert_boxes_to_roi_format`, `check_roi_boxes_shape`), and the
 * `outputSize` pair. Internal to the package.
 * @internal
 */
import { cat, full, isFloating, noGrad, Tensor } from '@tensorgrad/tensor';

/** `outputSize` (int or `[height, width]`) as a pair of positive integers (torchvision's `_pair`). @internal */
export function outputPair(op: string, v: unknown): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : null;
  if (!p || p.length !== 2 || !p.every((d) => Number.isInteger(d) && (d as number) >= 1)) {
    throw new RangeError(`${op}: expected outputSize to be a positive integer or a pair [height, width] of them, got ${JSON.stringify(v)}`);
  }
  return [p[0] as number, p[1] as number];
}

/**
 * `boxes` as RoIs `[K, 5]` (batch index, x1, y1, x2, y2): a `[K, 5]` tensor as it is, a list of
 * `[L, 4]` tensors (one per image, of one float dtype) with the image index prepended — as
 * torchvision's `convert_boxes_to_roi_format`. The caller disposes the result when it is not
 * `boxes` itself. The conversion is not differentiated (torchvision gives the boxes no gradient).
 * @internal
 */
export function roisOf(op: string, boxes: unknown): Tensor {
  if (boxes instanceof Tensor) {
    if (boxes.ndim !== 2 || boxes.shape[1] !== 5) {
      throw new RangeError(
        `${op}: expected boxes to be a Tensor[K, 5] (batch index, x1, y1, x2, y2) or a list of Tensor[L, 4], got a tensor of shape [${boxes.shape.join(', ')}]` +
          (boxes.ndim === 2 && boxes.shape[1] === 4 ? '; pass per-image [L, 4] boxes as a list: [boxes]' : ''),
      );
    }
    return boxes;
  }
  if (!Array.isArray(boxes) || !boxes.every((b) => b instanceof Tensor)) {
    throw new TypeError(`${op}: expected boxes to be a Tensor[K, 5] or a list of Tensor[L, 4] (one per image), got ${boxes === null ? 'null' : typeof boxes}`);
  }
  const list = boxes as Tensor[];
  list.forEach((b, i) => {
    if (b.ndim !== 2 || b.shape[1] !== 4) throw new RangeError(`${op}: expected boxes[${i}] of shape [L, 4] (x1, y1, x2, y2), got [${b.shape.join(', ')}]`);
    if (!isFloating(b.dtype)) throw new TypeError(`${op}: expected floating-point boxes, got ${b.dtype} for boxes[${i}]; convert them with .float()`);
    if (b.dtype !== list[0]!.dtype) throw new TypeError(`${op}: expected every boxes[i] to have one dtype, got ${list[0]!.dtype} and ${b.dtype} (boxes[${i}])`);
  });
  if (list.length === 0) throw new RangeError(`${op}: expected at least one Tensor[L, 4] in the boxes list (one per image), got an empty list`);
  return noGrad(() => {
    const dtype = list[0]!.dtype;
    const backend = list[0]!.backend;
    const parts = list.map((b, i) => {
      const ids = full([b.shape[0]!, 1], i, { dtype, backend });
      const plain = b.detach();
      const row = cat([ids, plain], 1);
      ids.dispose();
      plain.dispose();
      return row;
    });
    const rois = cat(parts, 0);
    for (const p of parts) p.dispose();
    return rois;
  });
}
