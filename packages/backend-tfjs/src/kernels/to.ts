import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td, toBool } from '../ops.js';

// float -> int32 truncates toward zero and wraps (NaN and ±Infinity give 0) on both engines, like
// the reference; -> bool is `!= 0` (NaN is true), done as a comparison because tfjs-wasm's cast
// to bool keeps the value and maps NaN to false
export const to: Kernel<'to', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('to', ctx.dtype, () => {
    const v = ctx.backend.view(x);
    if (ctx.dtype === 'bool') return toBool(v);
    return v.dtype === ctx.dtype ? tf.clone(v) : tf.cast(v, td(ctx.dtype));
  });
