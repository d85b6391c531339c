import { nmsKeep, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData } from '../helpers/im2col.js';

// torchvision's greedy NMS over boxes the front-end already sorted by decreasing score
// (`nmsKeep`, in the boxes' dtype); the result is the keep mask.
export const nms: Kernel<'nms', CpuBackend> = (ctx, boxes, { iouThreshold }) => {
  const n = boxes.shape[0]!;
  const { out, data } = ctx.backend.result(ctx.shape, 'bool', true);
  const B = contiguousData(boxes);
  data.set(nmsKeep(B.data.subarray(B.offset, B.offset + n * 4), n, iouThreshold, boxes.dtype));
  return out;
};
