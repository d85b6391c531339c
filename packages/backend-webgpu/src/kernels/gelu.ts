import type { KernelMap } from '@tensorgrad/tensor';
import { mapElementwise } from '../elementwise.js';
import { WGSL_ERF } from '../wgsl.js';

// x·Φ(x) with a float32-accurate normal CDF (WGSL has no erf), or PyTorch's tanh approximation
// ½·x·(1 + tanh(u)) written as x / (1 + e^(-2u)), which equals it without the cancellation of
// 1 + tanh(u) for negative x
export const gelu: KernelMap['gelu'] = (x, { approximate }) =>
  approximate === 'tanh'
    ? mapElementwise({
        name: 'gelu-tanh',
        inputs: [x],
        outDtype: x.dtype,
        expr: 'a / (1.0 + exp(-1.5957691216057308 * (a + 0.044715 * a * a * a)))',
      })
    : mapElementwise({ name: 'gelu', inputs: [x], outDtype: x.dtype, expr: 'a * normalCdf(a)', helpers: WGSL_ERF });
