import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { cropNegative, td } from '../ops.js';

// PyTorch's order (last dim first) turned into tfjs's per-dim pairs; negative padding crops
// (tfjs's pad only adds)
export const pad: Kernel<'pad', TfjsBackend> = (ctx, x, { pad: p, value }) =>
  ctx.backend.compute('pad', ctx.dtype, () => {
    const shape = [...ctx.shape];
    const nd = x.shape.length;
    const pairs: [number, number][] = x.shape.map(() => [0, 0]);
    for (let k = 0; k < p.length / 2; k++) pairs[nd - 1 - k] = [p[2 * k]!, p[2 * k + 1]!];
    const fill = x.dtype === 'bool' ? Number(value !== 0) : value;
    if (shapeSize(shape) === 0) return tf.zeros(shape, td(x.dtype));
    const crop = cropNegative(ctx.backend.view(x), pairs);
    // everything cropped away: only padding is left
    if (crop.x.size === 0) return tf.fill(shape, fill, td(x.dtype));
    return tf.pad(crop.x, crop.pad, fill);
  });
