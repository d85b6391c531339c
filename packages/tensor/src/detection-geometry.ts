/**
 * The per-RoI geometry of torchvision's detection kernels (`csrc/ops/cpu/roi_align_kernel.cpp`,
 * `roi_pool_kernel.cpp`, `nms_kernel.cpp`), written once for every backend that computes it on the
 * host (the CPU kernels, the tfjs kernels' gather tables): RoIAlign's bilinear sample points and
 * weights, RoIPool's bins, and the greedy NMS keep mask. Arithmetic is rounded to float32 at each
 * step when the tensors are float32, as torchvision computes in the tensors' own type, so bin
 * edges, sample counts and IoU comparisons come out as in PyTorch.
 */
import type { DType } from './dtype.js';

/** Rounds to the dtype's precision: `Math.fround` for float32, the identity for float64. */
function rounder(dtype: DType): (v: number) => number {
  return dtype === 'float32' ? Math.fround : (v: number) => v;
}

/** The RoIAlign attributes that decide the sample points (the `roiAlign` op's attrs). */
export interface RoiAlignParams {
  readonly pooledHeight: number;
  readonly pooledWidth: number;
  readonly spatialScale: number;
  readonly samplingRatio: number;
  readonly aligned: boolean;
}

/** The bilinear samples of one RoI: see {@link roiAlignSamples}. */
export interface RoiAlignSamples {
  /** The image the RoI reads: `trunc(rois[k, 0])`. */
  readonly batch: number;
  /** The divisor of every bin: `max(gridH · gridW, 1)` (samples outside the image count too). */
  readonly count: number;
  /** The number of samples that read the image (the others contribute 0 and are left out). */
  readonly size: number;
  /** The output bin (row-major over `pooledHeight × pooledWidth`) of each sample, in bin order. */
  readonly bin: Int32Array;
  /**
   * Four plane positions (`y · W + x`) per sample: sample `s` reads `pos[s · 4 + j]`, `j` =
   * top-left, top-right, bottom-left, bottom-right.
   */
  readonly pos: Int32Array;
  /** The bilinear weight of each of those positions (rounded to the dtype). */
  readonly weight: Float64Array;
}

/**
 * The grid indices `[i0, i1)` of one bin side whose sample coordinate
 * `base + (i + 0.5) · bin / grid` can lie in `[-1, limit]`: all of them when `bin` is not a
 * positive finite number (the grid is then `samplingRatio`, or empty), else the range solved for
 * `i` and widened by one each way (the exact test is made per sample).
 */
function gridRange(base: number, bin: number, grid: number, limit: number): [number, number] {
  if (!(bin > 0) || !Number.isFinite(bin) || !Number.isFinite(base)) return [0, grid];
  const lo = Math.floor(((-1 - base) * grid) / bin - 0.5) - 1;
  const hi = Math.ceil(((limit - base) * grid) / bin - 0.5) + 2;
  return [Math.min(Math.max(lo, 0), grid), Math.min(Math.max(hi, 0), grid)];
}

/**
 * torchvision's RoIAlign sample points for the RoI `rois[k]` (`rois` row-major `[K, 5]`) over an
 * `h × w` plane: the RoI is scaled by `spatialScale` (minus half a pixel when `aligned`), forced to
 * at least 1×1 unless `aligned`, split into `pooledHeight × pooledWidth` bins, each sampled on a
 * `samplingRatio²` grid (adaptive `ceil(roiSize / pooledSize)` when `samplingRatio <= 0`); a
 * sample outside `[-1, h] × [-1, w]` contributes 0, others are clamped to the image and
 * interpolated bilinearly. A bin's value is the sum of its samples' weighted values divided by
 * `count`. Only the samples that read the image are listed (torchvision multiplies pixel 0 by a
 * zero weight for the others, which differs only when that pixel is not finite), so a huge RoI
 * costs what its part inside the image costs.
 *
 * @example
 * ```ts
 * import { roiAlignSamples } from '@tensorgrad/tensor/backend';
 * const params = { pooledHeight: 1, pooledWidth: 1, spatialScale: 1, samplingRatio: 1, aligned: false };
 * const s = roiAlignSamples([0, 0, 0, 2, 2], 0, params, 4, 4, 'float64');
 * [s.batch, s.count, s.size, [...s.bin], [...s.pos], [...s.weight]]; // [0, 1, 1, [0], [5, 6, 9, 10], [1, 0, 0, 0]]
 * ```
 */
export function roiAlignSamples(rois: ArrayLike<number>, k: number, p: RoiAlignParams, h: number, w: number, dtype: DType): RoiAlignSamples {
  const f = rounder(dtype);
  const r = k * 5;
  const scale = f(p.spatialScale);
  const offset = p.aligned ? 0.5 : 0;
  const startW = f(f(rois[r + 1]! * scale) - offset);
  const startH = f(f(rois[r + 2]! * scale) - offset);
  const endW = f(f(rois[r + 3]! * scale) - offset);
  const endH = f(f(rois[r + 4]! * scale) - offset);
  let roiW = f(endW - startW);
  let roiH = f(endH - startH);
  if (!p.aligned) {
    // torchvision forces malformed RoIs to 1×1 (std::max: a NaN size stays NaN)
    roiW = roiW < 1 ? 1 : roiW;
    roiH = roiH < 1 ? 1 : roiH;
  }
  const ph = p.pooledHeight;
  const pw = p.pooledWidth;
  const binH = f(roiH / ph);
  const binW = f(roiW / pw);
  // a NaN or negative size gives an empty grid (torchvision's loops then do not run)
  const grid = (bin: number): number => (p.samplingRatio > 0 ? p.samplingRatio : Number.isFinite(bin) && bin > 0 ? Math.ceil(bin) : 0);
  const gridH = grid(binH);
  const gridW = grid(binW);
  const count = Math.max(gridH * gridW, 1);
  const rowsOf = Array.from({ length: ph }, (_, by) => gridRange(f(startH + f(by * binH)), binH, gridH, h));
  const colsOf = Array.from({ length: pw }, (_, bx) => gridRange(f(startW + f(bx * binW)), binW, gridW, w));
  const nRows = rowsOf.reduce((t, [a, b]) => t + b - a, 0);
  const nCols = colsOf.reduce((t, [a, b]) => t + b - a, 0);
  const capacity = nRows * nCols;
  const bin = new Int32Array(capacity);
  const pos = new Int32Array(capacity * 4);
  const weight = new Float64Array(capacity * 4);
  let n = 0;
  for (let by = 0; by < ph; by++) {
    const [iy0, iy1] = rowsOf[by]!;
    for (let bx = 0; bx < pw; bx++) {
      const [ix0, ix1] = colsOf[bx]!;
      for (let iy = iy0; iy < iy1; iy++) {
        const yy = f(f(startH + f(by * binH)) + f(f(f(iy + 0.5) * binH) / gridH));
        for (let ix = ix0; ix < ix1; ix++) {
          const xx = f(f(startW + f(bx * binW)) + f(f(f(ix + 0.5) * binW) / gridW));
          let y = yy;
          let x = xx;
          if (!(y >= -1 && y <= h && x >= -1 && x <= w)) continue;
          if (y <= 0) y = 0;
          if (x <= 0) x = 0;
          let yLow = Math.trunc(y);
          let xLow = Math.trunc(x);
          let yHigh: number;
          let xHigh: number;
          if (yLow >= h - 1) {
            yHigh = yLow = h - 1;
            y = yLow;
          } else yHigh = yLow + 1;
          if (xLow >= w - 1) {
            xHigh = xLow = w - 1;
            x = xLow;
          } else xHigh = xLow + 1;
          const ly = f(y - yLow);
          const lx = f(x - xLow);
          const hy = f(1 - ly);
          const hx = f(1 - lx);
          const o = n * 4;
          bin[n] = by * pw + bx;
          pos[o] = yLow * w + xLow;
          pos[o + 1] = yLow * w + xHigh;
          pos[o + 2] = yHigh * w + xLow;
          pos[o + 3] = yHigh * w + xHigh;
          weight[o] = f(hy * hx);
          weight[o + 1] = f(hy * lx);
          weight[o + 2] = f(ly * hx);
          weight[o + 3] = f(ly * lx);
          n++;
        }
      }
    }
  }
  return { batch: Math.trunc(rois[r]!), count, size: n, bin, pos, weight };
}

/** One RoIPool bin: rows `[h0, h1)` and columns `[w0, w1)` of the image, clipped to it. */
export interface RoiPoolBin {
  readonly h0: number;
  readonly h1: number;
  readonly w0: number;
  readonly w1: number;
}

/** C's `round`: halves away from zero (JavaScript's `Math.round` rounds them up). */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * torchvision's RoIPool bins of RoI `rois[k]` (`rois` row-major `[K, 5]`) over an `h × w` plane,
 * row-major (`pooledHeight · pooledWidth` of them): the RoI's corners are `round(coord ·
 * spatialScale)`, its size `max(end - start + 1, 1)`, bin `(i, j)` covers
 * `[floor(i · binH), ceil((i + 1) · binH))` (and the same across) shifted by the RoI's start and
 * clipped to the image; an empty bin has `h1 <= h0` or `w1 <= w0`. A bin with an undefined edge
 * (a NaN corner; infinite corners whose arithmetic gives NaN) is empty, `{ 0, 0, 0, 0 }`, as
 * torchvision's kernel gives 0 for a NaN RoI.
 *
 * @example
 * ```ts
 * import { roiPoolBins } from '@tensorgrad/tensor/backend';
 * const bins = roiPoolBins([0, 1, 1, 4, 2], 0, { pooledHeight: 1, pooledWidth: 2, spatialScale: 1 }, 8, 8, 'float32');
 * bins; // [{ h0: 1, h1: 3, w0: 1, w1: 3 }, { h0: 1, h1: 3, w0: 3, w1: 5 }]
 * ```
 */
export function roiPoolBins(
  rois: ArrayLike<number>,
  k: number,
  p: { readonly pooledHeight: number; readonly pooledWidth: number; readonly spatialScale: number },
  h: number,
  w: number,
  dtype: DType,
): RoiPoolBin[] {
  const f = rounder(dtype);
  const r = k * 5;
  const scale = f(p.spatialScale);
  const startW = roundHalfAway(f(rois[r + 1]! * scale));
  const startH = roundHalfAway(f(rois[r + 2]! * scale));
  const endW = roundHalfAway(f(rois[r + 3]! * scale));
  const endH = roundHalfAway(f(rois[r + 4]! * scale));
  const roiW = Math.max(endW - startW + 1, 1);
  const roiH = Math.max(endH - startH + 1, 1);
  const binH = f(roiH / p.pooledHeight);
  const binW = f(roiW / p.pooledWidth);
  const clip = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);
  const bins: RoiPoolBin[] = [];
  for (let i = 0; i < p.pooledHeight; i++) {
    for (let j = 0; j < p.pooledWidth; j++) {
      const bin = {
        h0: clip(Math.floor(f(i * binH)) + startH, h),
        h1: clip(Math.ceil(f((i + 1) * binH)) + startH, h),
        w0: clip(Math.floor(f(j * binW)) + startW, w),
        w1: clip(Math.ceil(f((j + 1) * binW)) + startW, w),
      };
      // an undefined edge (a NaN corner, ∞ - ∞, 0·∞) holds no pixel: torchvision's NaN RoIs give
      // empty bins (0), not -FLT_MAX, which would poison every layer after the pooling
      const undef = Number.isNaN(bin.h0) || Number.isNaN(bin.h1) || Number.isNaN(bin.w0) || Number.isNaN(bin.w1);
      bins.push(undef ? { h0: 0, h1: 0, w0: 0, w1: 0 } : bin);
    }
  }
  return bins;
}

/**
 * torchvision's greedy non-maximum suppression over boxes already sorted by decreasing score
 * (`boxes` row-major `[n, 4]`, `x1, y1, x2, y2`): box `i` is kept when no kept box before it
 * overlaps it with IoU > `iouThreshold`. Areas are `(x2 - x1) · (y2 - y1)` (no +1; reversed boxes
 * give negative areas, as in torchvision), intersections clamp at 0, all in the boxes' dtype.
 *
 * @example
 * ```ts
 * import { nmsKeep } from '@tensorgrad/tensor/backend';
 * const boxes = [0, 0, 10, 10, 1, 1, 10, 10, 20, 20, 30, 30];
 * [...nmsKeep(boxes, 3, 0.5, 'float32')]; // [1, 0, 1]
 * ```
 */
export function nmsKeep(boxes: ArrayLike<number>, n: number, iouThreshold: number, dtype: DType): Uint8Array {
  const f = rounder(dtype);
  const area = new Float64Array(n);
  for (let i = 0; i < n; i++) area[i] = f(f(boxes[i * 4 + 2]! - boxes[i * 4]!) * f(boxes[i * 4 + 3]! - boxes[i * 4 + 1]!));
  const keep = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const ix1 = boxes[i * 4]!;
    const iy1 = boxes[i * 4 + 1]!;
    const ix2 = boxes[i * 4 + 2]!;
    const iy2 = boxes[i * 4 + 3]!;
    for (let j = i + 1; j < n; j++) {
      if (!keep[j]) continue;
      // std::max/std::min as torchvision calls them (the first argument wins a NaN comparison)
      const a1 = boxes[j * 4]!;
      const b1 = boxes[j * 4 + 1]!;
      const a2 = boxes[j * 4 + 2]!;
      const b2 = boxes[j * 4 + 3]!;
      const xx1 = ix1 < a1 ? a1 : ix1;
      const yy1 = iy1 < b1 ? b1 : iy1;
      const xx2 = a2 < ix2 ? a2 : ix2;
      const yy2 = b2 < iy2 ? b2 : iy2;
      const dw = f(xx2 - xx1);
      const dh = f(yy2 - yy1);
      const iw = 0 < dw ? dw : 0;
      const ih = 0 < dh ? dh : 0;
      const inter = f(iw * ih);
      const iou = f(inter / f(f(area[i]! + area[j]!) - inter));
      if (iou > iouThreshold) keep[j] = 0;
    }
  }
  return keep;
}
