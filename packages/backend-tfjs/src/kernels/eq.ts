import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { operand } from '../ops.js';

export const eq: Kernel<'eq', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('eq', ctx.dtype, () => ctx.backend.expand(tf.equal(operand(ctx.backend.operand(a)), operand(ctx.backend.operand(b))), ctx.shape));
