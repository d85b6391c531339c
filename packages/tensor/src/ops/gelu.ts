import { parseArgs, signature } from '../signature.js';
import { assertTensor, unaryOp } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** `'none'` (default): the exact `x·Φ(x)` with the Gaussian CDF Φ; `'tanh'`: PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/** `F.gelu(input, approximate='none')` (keyword-only in PyTorch). */
const SIG = signature('gelu', ['approximate'], { keywordOnly: ['approximate'] });

/**
 * Gaussian error linear unit `x·Φ(x) = x/2 · (1 + erf(x/√2))`, or with `approximate: 'tanh'`
 * `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))`. Floating-point tensors only.
 *
 * @example
 * ```ts
 * import { tensor, gelu } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await gelu(tensor([0, 1], { dtype: 'float64' })).array(); // [0, 0.8413447460685429]
 * await gelu(tensor([1]), { approximate: 'tanh' }).array(); // [0.8411920070648193]
 * ```
 */
export function gelu(input: Tensor, options?: GeluOptions): Tensor;
export function gelu(input: Tensor, ...rest: unknown[]): Tensor {
  assertTensor('gelu', input);
  const approximate = parseArgs(SIG, rest).approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new TypeError(`gelu: expected approximate to be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  }
  if (!isFloating(input.dtype)) {
    throw new TypeError(`gelu: expected a floating-point tensor, got ${input.dtype}; convert it with .float() first`);
  }
  return unaryOp('gelu', input, { approximate });
}
