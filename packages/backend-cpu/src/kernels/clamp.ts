import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/**
 * Element-wise `min(max(x, min), max)` with absent bounds skipped; NaN inputs stay NaN and
 * `min > max` gives `max` everywhere (PyTorch's semantics).
 */
export const clamp: Kernel<'clamp', CpuBackend> = (ctx, x, { min, max }) => {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return mapUnary(ctx, x, (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi)));
};
