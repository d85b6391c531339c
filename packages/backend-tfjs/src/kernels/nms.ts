import * as tf from '@tensorflow/tfjs-core';
import { nmsKeep, type Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// torchvision's greedy NMS on the host: the boxes (already sorted by decreasing score) are read
// back, which tfjs can do synchronously. tfjs's own nonMaxSuppression is not used: it sorts by
// score itself (no defined order for ties), takes a maximum output size, and computes IoU with
// coordinates normalised to (min, max) corners, where torchvision computes with the boxes as given
// (a box with x2 < x1 has a negative area).
export const nms: Kernel<'nms', TfjsBackend> = (ctx, boxes, { iouThreshold }) =>
  ctx.backend.compute('nms', 'bool', () => {
    const n = boxes.shape[0]!;
    if (n === 0) return tf.zeros([0], 'bool');
    const keep = nmsKeep(ctx.backend.view(boxes).dataSync(), n, iouThreshold, 'float32');
    return tf.tensor1d(keep, 'bool');
  });
