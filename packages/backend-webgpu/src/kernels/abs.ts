import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

export const abs: KernelMap['abs'] = (x) => mapElementwise({ name: 'abs', inputs: [x], outDtype: x.dtype, expr: 'abs(a)' });
