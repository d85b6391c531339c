import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

export const sub: KernelMap['sub'] = (a, b) => mapElementwise({ name: 'sub', inputs: [a, b], outDtype: a.dtype, expr: 'a - b' });
