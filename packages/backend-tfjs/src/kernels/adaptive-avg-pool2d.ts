import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';
import { adaptiveRange } from '../pool.js';

/**
 * Adaptive average pooling, separably: the mean of each window along W (one slice and mean per
 * output column), then along H; tfjs has no adaptive pooling and its windows vary in size. (Products
 * with averaging matrices would multiply every element outside a window by 0, and an Inf or NaN
 * there would turn the whole row of windows into NaN.)
 */
export const adaptiveAvgPool2d: Kernel<'adaptiveAvgPool2d', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('adaptiveAvgPool2d', ctx.dtype, () => {
    const [n, c, oh, ow] = ctx.shape as [number, number, number, number];
    const [, , ih, iw] = x.shape as [number, number, number, number];
    if (n * c * oh * ow === 0) return tf.zeros([n, c, oh, ow], td(ctx.dtype));
    const windows = (t: tf.Tensor, axis: 2 | 3, size: number, out: number): tf.Tensor => {
      const parts: tf.Tensor[] = [];
      for (let i = 0; i < out; i++) {
        const [a, b] = adaptiveRange(i, size, out);
        const begin = [0, 0, 0, 0];
        const extent = [...t.shape];
        begin[axis] = a;
        extent[axis] = b - a;
        parts.push(tf.mean(tf.slice(t, begin, extent), axis, true));
      }
      return parts.length === 1 ? parts[0]! : tf.concat(parts, axis);
    };
    return windows(windows(ctx.backend.view(x), 3, iw, ow), 2, ih, oh);
  });
