import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td, windowAdjoint } from '../ops.js';
import { avgDivisors } from '../pool.js';

/**
 * The adjoint of avgPool2d: each output gradient divided by its divisor, added back at every
 * element of its window (the adjoint of the forward's window slices; tfjs's avgPoolGrad has
 * neither ceilMode nor PyTorch's divisors).
 */
export const avgPool2dBackward: Kernel<'avgPool2dBackward', TfjsBackend> = (ctx, grad, attrs) =>
  ctx.backend.compute('avgPool2dBackward', ctx.dtype, () => {
    const g = ctx.geometry;
    if (g.n * g.c * g.oh * g.ow === 0 || g.h * g.w === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    const div = avgDivisors(g, attrs);
    // a window entirely in the padding only reaches padding, which is dropped: any divisor will do
    const scaled = tf.div(ctx.backend.view(grad), tf.tensor(div.map((d) => (d === 0 ? 1 : d)), [g.oh, g.ow]));
    const parts = new Array<tf.Tensor>(g.kh * g.kw).fill(scaled);
    return windowAdjoint(parts, g);
  });
