import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// exp(±Infinity) and exp(NaN) follow IEEE; Vulkan's exp is accurate to 3 + 2·|x| ulp
export const exp: KernelMap['exp'] = (x) => mapElementwise({ name: 'exp', inputs: [x], outDtype: x.dtype, expr: 'exp(a)' });
