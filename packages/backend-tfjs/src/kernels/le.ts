import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { operand } from '../ops.js';

export const le: Kernel<'le', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('le', ctx.dtype, () => ctx.backend.expand(tf.lessEqual(operand(ctx.backend.operand(a)), operand(ctx.backend.operand(b))), ctx.shape));
