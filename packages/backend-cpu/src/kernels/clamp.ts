import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/**
 * Element-wise `min(max(x, min), max)` with absent bounds skipped; NaN inputs stay NaN and
 * `min > max` gives `max` everywhere (PyTorch's semantics).
 */
export const clamp: KernelMap['clamp'] = (x, { min, max }) => {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return mapUnary(x, (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi)));
};
