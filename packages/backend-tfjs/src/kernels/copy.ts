import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// src is read (materialised) before dst's storage is replaced, so overlapping views of one
// storage are safe; the write through dst's strides is in TfjsBackend.update
export const copy_: Kernel<'copy_', TfjsBackend> = (ctx, dst, src) => ctx.backend.update('copy_', [dst], () => [tf.clone(ctx.backend.view(src))]);
