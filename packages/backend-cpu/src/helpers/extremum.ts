/** The one implementation behind `max`/`min` and `argmax`/`argmin`. */
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import type { CpuContext } from '../util.js';
import { lanesOf } from './reduce.js';

/** Whether `v` replaces the current best `best` (strict, so the first occurrence wins ties). */
export type Better = (v: number, best: number) => boolean;

/** `max`'s and `argmax`'s comparison. */
export const greater: Better = (v, best) => v > best;
/** `min`'s and `argmin`'s comparison. */
export const less: Better = (v, best) => v < best;

// Fills `id` with each lane's index of its best element and, when given, `vd` with its value. NaN
// always wins and stops the lane (PyTorch propagates NaN and reports the first NaN's index).
function scan(backend: CpuBackend, x: KernelTensor, dim: number | null, better: Better, id: { [i: number]: number; length: number }, vd: { [i: number]: number } | null): void {
  const lanes = lanesOf(backend, x, dim);
  const { src, bases, len, stride } = lanes;
  for (let i = 0; i < id.length; i++) {
    let o = bases[i]!;
    let best = src[o]!;
    let bi = 0;
    if (best === best) {
      for (let k = 1; k < len; k++) {
        o += stride;
        const v = src[o]!;
        if (v !== v) {
          best = v;
          bi = k;
          break;
        }
        if (better(v, best)) {
          best = v;
          bi = k;
        }
      }
    }
    if (vd) vd[i] = best;
    id[i] = bi;
  }
  lanes.release();
}

/** `[values, indices]` of the best element of each lane along `dim` (all elements when `null`), of `ctx.shape`. */
export function extremum(ctx: CpuContext, x: KernelTensor, dim: number | null, better: Better): [KernelResult, KernelResult] {
  const values = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const indices = ctx.backend.result(ctx.shape, 'int32', true);
  scan(ctx.backend, x, dim, better, indices.data, values.data);
  return [values.out, indices.out];
}

/** The int32 indices of the best element of each lane along `dim` (into the flattened tensor when `null`). */
export function argExtremum(ctx: CpuContext, x: KernelTensor, dim: number | null, better: Better): KernelResult {
  const indices = ctx.backend.result(ctx.shape, 'int32', true);
  scan(ctx.backend, x, dim, better, indices.data, null);
  return indices.out;
}
