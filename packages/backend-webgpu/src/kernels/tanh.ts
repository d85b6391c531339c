import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';
import { WGSL_TANH } from '../wgsl.js';

export const tanh: KernelMap['tanh'] = (x) => mapElementwise({ name: 'tanh', inputs: [x], outDtype: x.dtype, expr: 'tanhAccurate(a)', helpers: WGSL_TANH });
