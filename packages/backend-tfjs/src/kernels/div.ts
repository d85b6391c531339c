import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// floating operands only (the front-end casts integers): tfjs's RealDiv
export const div: Kernel<'div', TfjsBackend> = (ctx, a, b) => ctx.backend.compute('div', ctx.dtype, () => ctx.backend.expand(tf.div(ctx.backend.operand(a), ctx.backend.operand(b)), ctx.shape));
