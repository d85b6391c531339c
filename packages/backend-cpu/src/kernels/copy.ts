import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// Writes through `dst`'s strides into its (shared) storage; `src` may broadcast (stride 0).
export const copy_: Kernel<'copy_', CpuBackend> = (ctx, dst, src) => {
  const d = numbers(dst);
  const s = numbers(src);
  const n = dst.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const dOff = isContiguous(dst) ? null : stridedOffsets(dst);
  const sOff = isContiguous(src) ? null : stridedOffsets(src);
  if (dst.handle !== src.handle) {
    if (!dOff && !sOff) {
      for (let i = 0, o = dst.offset, p = src.offset; i < n; i++) d[o + i] = s[p + i]!;
      return;
    }
    for (let i = 0; i < n; i++) d[dOff ? dOff[i]! : dst.offset + i] = s[sOff ? sOff[i]! : src.offset + i]!;
    return;
  }
  // source and destination views of one storage may overlap: read everything before writing
  const tmp = new Float64Array(n);
  for (let i = 0; i < n; i++) tmp[i] = s[sOff ? sOff[i]! : src.offset + i]!;
  for (let i = 0; i < n; i++) d[dOff ? dOff[i]! : dst.offset + i] = tmp[i]!;
};
