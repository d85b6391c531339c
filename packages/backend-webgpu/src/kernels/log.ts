import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';

// Vulkan leaves log undefined for x <= 0: spell out log(0) = -Infinity and log(x < 0) = NaN
const helpers = 'fn logOf(v: f32) -> f32 { if (v == 0.0) { return -infF32(); } if (v < 0.0 || isNan(v)) { return nanF32(); } return log(v); }';

export const log: KernelMap['log'] = (x) => mapElementwise({ name: 'log', inputs: [x], outDtype: x.dtype, expr: 'logOf(a)', helpers });
