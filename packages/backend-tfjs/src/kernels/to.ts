import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { toBool } from '../ops.js';

// float -> int32 truncates toward zero and wraps (NaN and ±Infinity give 0) on both engines, like
// the reference; -> bool is `!= 0` (NaN is true), done as a comparison because tfjs-wasm's cast
// to bool keeps the value and maps NaN to false
export const to: KernelFactory<'to'> = (h) => (x, { dtype }) =>
  h.compute('to', dtype, () => {
    const v = h.view(x);
    if (dtype === 'bool') return toBool(v);
    return v.dtype === dtype ? tf.clone(v) : tf.cast(v, dtype as 'float32' | 'int32');
  });
