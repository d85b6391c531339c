import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';
import { f32Bits } from '../wgsl.js';

export const leakyRelu: KernelMap['leakyRelu'] = (x, { negativeSlope }) =>
  mapElementwise({ name: 'leakyRelu', inputs: [x], outDtype: x.dtype, expr: 'select(a * paramF(0u), a, a > 0.0)', params: [f32Bits(negativeSlope)] });
