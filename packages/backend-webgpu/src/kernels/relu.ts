import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// NaN passes through (PyTorch); -0 becomes +0 as on the CPU
export const relu: KernelMap['relu'] = (x) =>
  mapElementwise({ name: 'relu', inputs: [x], outDtype: x.dtype, expr: x.dtype === 'float32' ? 'select(0.0, a, a > 0.0 || isNan(a))' : 'max(a, 0)' });
