import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td, windowSlices } from '../ops.js';
import { avgDivisors } from '../pool.js';

/**
 * Average pooling in NCHW with PyTorch's divisors (tfjs's avgPool is NHWC, has no ceilMode and
 * always excludes the padding): the window positions of the zero-padded input are summed and
 * divided by each output's divisor (a window entirely in the padding sums to 0 and keeps it).
 */
export const avgPool2d: Kernel<'avgPool2d', TfjsBackend> = (ctx, x, attrs) =>
  ctx.backend.compute('avgPool2d', ctx.dtype, () => {
    const g = ctx.geometry;
    if (g.n * g.c * g.oh * g.ow === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    const wins = windowSlices(ctx.backend.view(x), 0, g);
    const sums = wins.length === 1 ? wins[0]! : tf.addN(wins);
    const div = avgDivisors(g, attrs);
    // [oh, ow] broadcast over the leading dims
    return tf.div(sums, tf.tensor(div.map((d) => (d === 0 ? 1 : d)), [g.oh, g.ow]));
  });
