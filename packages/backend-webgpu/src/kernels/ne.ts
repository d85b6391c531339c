import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// float NaN operands are tested on their bits: Vulkan compilers may assume no NaN and fold or
// reorder comparisons, and IEEE says every comparison with NaN is false except !=
export const ne: KernelMap['ne'] = (a, b) =>
  mapElementwise({
    name: 'ne',
    inputs: [a, b],
    outDtype: 'bool',
    expr: a.dtype === 'float32' ? 'select(a != b, true, isNan(a) || isNan(b))' : 'a != b',
  });
