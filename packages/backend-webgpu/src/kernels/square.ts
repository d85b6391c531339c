import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// int32 squares wrap (Math.imul on the CPU)
export const square: KernelMap['square'] = (x) => mapElementwise({ name: 'square', inputs: [x], outDtype: x.dtype, expr: 'a * a' });
