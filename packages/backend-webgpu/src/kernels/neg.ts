import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

export const neg: KernelMap['neg'] = (x) => mapElementwise({ name: 'neg', inputs: [x], outDtype: x.dtype, expr: '-a' });
