import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

/** Element-wise `cond ? x : y`; all three already have the output shape (broadcast through strides). */
export const where: KernelMap['where'] = (cond, x, y) =>
  mapElementwise({ name: 'where', inputs: [cond, x, y], outDtype: x.dtype, expr: 'select(c, b, a != 0u)' });
