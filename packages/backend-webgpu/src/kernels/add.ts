import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// bool + bool is a logical or (PyTorch); int32 wraps like the CPU's 32-bit arithmetic
export const add: KernelMap['add'] = (a, b) =>
  mapElementwise({ name: 'add', inputs: [a, b], outDtype: a.dtype, expr: a.dtype === 'bool' ? 'a | b' : 'a + b' });
