/**
 * Shared machinery of the convolution kernels: contiguous float data of a kernel tensor and the
 * im2col / col2im transforms that turn a convolution into GEMMs (`matmulInto`).
 */
import { allocArray, type DType } from '@tensorgrad/tensor';
import type { ConvGeometry, KernelTensor } from '@tensorgrad/tensor/backend';
import type { CpuBuffer } from '../backend.js';
import { isContiguous, stridedOffsets } from '../util.js';

/** A float typed array accepted by the GEMM. */
export type FloatArray = Float32Array | Float64Array;

/** Row-major contiguous data of `t`: its own storage (with offset) or a packed copy of a strided view. */
export function contiguousData(t: KernelTensor): { data: FloatArray; offset: number } {
  const src = (t.handle as CpuBuffer).array as FloatArray;
  if (isContiguous(t)) return { data: src, offset: t.offset };
  const offs = stridedOffsets(t);
  const data = allocArray(t.dtype, offs.length) as FloatArray;
  for (let i = 0; i < offs.length; i++) data[i] = src[offs[i]!]!;
  return { data, offset: 0 };
}

/** A scratch column buffer of `size` elements of `dtype`. */
export function colBuffer(dtype: DType, size: number): FloatArray {
  return allocArray(dtype, size) as FloatArray;
}

/**
 * Writes the `[cg·kh·kw, oh·ow]` column matrix of the `cg = c / groups` input planes (one group)
 * starting at `x[xo]` (contiguous planes of `h·w`) into `col`; out-of-range taps read 0.
 */
export function im2col(x: FloatArray, xo: number, g: ConvGeometry, col: FloatArray): void {
  const { h, w, kh, kw, oh, ow, sh, sw, pt, pl, dh, dw } = g;
  const cg = g.c / g.groups;
  const L = oh * ow;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    const plane = xo + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r++) {
        const rowBase = r * L;
        const jOff = j * dw - pl;
        for (let y = 0; y < oh; y++) {
          const ih = y * sh - pt + i * dh;
          const d0 = rowBase + y * ow;
          if (ih < 0 || ih >= h) {
            col.fill(0, d0, d0 + ow);
            continue;
          }
          const src = plane + ih * w;
          if (sw === 1 && jOff >= 0 && jOff + ow <= w) {
            // the whole output row reads one contiguous input run
            for (let x0 = 0; x0 < ow; x0++) col[d0 + x0] = x[src + jOff + x0]!;
            continue;
          }
          for (let x0 = 0; x0 < ow; x0++) {
            const iw = x0 * sw + jOff;
            col[d0 + x0] = iw >= 0 && iw < w ? x[src + iw]! : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of {@link im2col}: adds the column matrix `col` into the planes starting at `out[oo]`. */
export function col2im(col: FloatArray, g: ConvGeometry, out: FloatArray, oo: number): void {
  const { h, w, kh, kw, oh, ow, sh, sw, pt, pl, dh, dw } = g;
  const cg = g.c / g.groups;
  const L = oh * ow;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    const plane = oo + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++, r++) {
        const rowBase = r * L;
        const jOff = j * dw - pl;
        for (let y = 0; y < oh; y++) {
          const ih = y * sh - pt + i * dh;
          if (ih < 0 || ih >= h) continue;
          const d0 = rowBase + y * ow;
          const dst = plane + ih * w;
          for (let x0 = 0; x0 < ow; x0++) {
            const iw = x0 * sw + jOff;
            if (iw >= 0 && iw < w) out[dst + iw] = out[dst + iw]! + col[d0 + x0]!;
          }
        }
      }
    }
  }
}
