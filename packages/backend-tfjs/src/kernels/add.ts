import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// bool + bool is logical or in PyTorch (tfjs would add the bytes); broadcast operands stay
// unexpanded (tfjs broadcasts them)
export const add: Kernel<'add', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('add', ctx.dtype, () => {
    const x = ctx.backend.operand(a);
    const y = ctx.backend.operand(b);
    return ctx.backend.expand(a.dtype === 'bool' ? tf.logicalOr(x, y) : tf.add(x, y), ctx.shape);
  });
