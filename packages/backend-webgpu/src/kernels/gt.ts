import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// float NaN operands are tested on their bits: Vulkan compilers may assume no NaN and fold or
// reorder comparisons, and IEEE says every comparison with NaN is false except !=
export const gt: KernelMap['gt'] = (a, b) =>
  mapElementwise({
    name: 'gt',
    inputs: [a, b],
    outDtype: 'bool',
    expr: a.dtype === 'float32' ? 'select(a > b, false, isNan(a) || isNan(b))' : 'a > b',
  });
