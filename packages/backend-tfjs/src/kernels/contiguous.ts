import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// the view, materialised (see view.ts), is the contiguous copy
export const contiguous: Kernel<'contiguous', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('contiguous', ctx.dtype, () => ctx.backend.view(x));
