import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// the view, materialised (see view.ts), is the contiguous copy
export const contiguous: KernelFactory<'contiguous'> = (h) => (x) =>
  h.compute('contiguous', x.dtype, () => h.view(x));
