import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';
import { WGSL_SINCOS } from '../wgsl.js';

// WGSL's sin is only promised to 2^-11 absolute error; this one is about 1 ulp
export const sin: KernelMap['sin'] = (x) => mapElementwise({ name: 'sin', inputs: [x], outDtype: x.dtype, expr: 'sinCos(a, false)', helpers: WGSL_SINCOS });
