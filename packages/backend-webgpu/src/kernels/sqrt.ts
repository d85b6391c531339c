import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// Vulkan leaves sqrt undefined below 0: NaN there, as IEEE says
export const sqrt: KernelMap['sqrt'] = (x) =>
  mapElementwise({ name: 'sqrt', inputs: [x], outDtype: x.dtype, expr: 'select(sqrt(a), nanF32(), a < 0.0 || isNan(a))' });
