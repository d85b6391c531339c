import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

/** A contiguous copy of a (possibly strided) view, gathered on the GPU through its strides. */
export const contiguous: KernelMap['contiguous'] = (x) => mapElementwise({ name: 'copy', inputs: [x], outDtype: x.dtype, expr: 'a' });
