import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

// PyTorch's 1 / (1 + e^-x) (so results agree to the last bit) is already safe where e^-x
// overflows (1/Infinity = 0), but it would flush the subnormal tail below x ≈ -709 to 0; there
// e^x / (1 + e^x) keeps it
function stableSigmoid(v: number): number {
  if (v >= -700) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** Element-wise logistic function `1 / (1 + e^-x)`, stable for large |x|. */
export const sigmoid: Kernel<'sigmoid', CpuBackend> = (ctx, x) => mapUnary(ctx, x, stableSigmoid);
