import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';
import { WGSL_SINCOS } from '../wgsl.js';

// WGSL's cos is only promised to 2^-11 absolute error; this one is about 1 ulp
export const cos: KernelMap['cos'] = (x) => mapElementwise({ name: 'cos', inputs: [x], outDtype: x.dtype, expr: 'sinCos(a, true)', helpers: WGSL_SINCOS });
