import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { imul } from '../ops.js';

// int32 products wrap modulo 2^32 (see imul); bool * bool is logical and
export const mul: Kernel<'mul', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('mul', ctx.dtype, () => {
    const x = ctx.backend.operand(a);
    const y = ctx.backend.operand(b);
    const r = a.dtype === 'bool' ? tf.logicalAnd(x, y) : a.dtype === 'int32' ? imul(x, y, ctx.backend.engine) : tf.mul(x, y);
    return ctx.backend.expand(r, ctx.shape);
  });
