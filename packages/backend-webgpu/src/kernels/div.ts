import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

export const div: KernelMap['div'] = (a, b) => mapElementwise({ name: 'div', inputs: [a, b], outDtype: a.dtype, expr: 'a / b' });
