import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// src is read (materialised) before dst's storage is replaced, so overlapping views of one
// storage are safe; the write through dst's strides is in KernelHost.update
export const copy_: KernelFactory<'copy_'> = (h) => (dst, src) => h.update('copy_', [dst], () => [tf.clone(h.view(src))]);
