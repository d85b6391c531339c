import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { nmsKeepMask } from '../nms-sweep.js';

/**
 * Greedy non-maximum suppression over boxes already sorted by decreasing score → the bool keep
 * mask over the sorted positions, with no read-back and no loop over boxes in JS: torchvision's
 * CUDA algorithm (a parallel IoU bitmask, then a sweep in one workgroup), in `nms-sweep.ts`.
 */
export const nms: Kernel<'nms', WebGPUBackend> = (ctx, boxes, { iouThreshold }) => ({
  handle: nmsKeepMask(ctx.backend, boxes, iouThreshold),
  shape: ctx.shape,
  dtype: 'bool',
});
