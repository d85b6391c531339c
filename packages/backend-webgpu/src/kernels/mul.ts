import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// bool * bool is a logical and; int32 products wrap (Math.imul on the CPU)
export const mul: KernelMap['mul'] = (a, b) =>
  mapElementwise({ name: 'mul', inputs: [a, b], outDtype: a.dtype, expr: a.dtype === 'bool' ? 'a & b' : 'a * b' });
