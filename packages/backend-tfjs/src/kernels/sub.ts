import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const sub: Kernel<'sub', TfjsBackend> = (ctx, a, b) => ctx.backend.compute('sub', ctx.dtype, () => ctx.backend.expand(tf.sub(ctx.backend.operand(a), ctx.backend.operand(b)), ctx.shape));
