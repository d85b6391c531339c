import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { operand } from '../ops.js';

export const ge: Kernel<'ge', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('ge', ctx.dtype, () => ctx.backend.expand(tf.greaterEqual(operand(ctx.backend.operand(a)), operand(ctx.backend.operand(b))), ctx.shape));
