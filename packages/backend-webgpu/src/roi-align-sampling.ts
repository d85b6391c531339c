/**
 * The sampling grid of torchvision's `roi_align`, shared by the `roiAlign` and `roiAlignBackward`
 * kernels so that the rule is written once: where the sample points of one output bin lie, how many
 * there are (the divisor), and the bilinear weights of one sample point.
 *
 * Both programs use one metadata layout (the words 1–9 and 15–17 are read here):
 * `[count, C, H, W, pooledHeight, pooledWidth, samplingRatio (i32), aligned, spatialScale (f32),
 * N, tensor offset, tensor strides ×4, rois offset, rois strides ×2]`, where the tensor is `x` for
 * the forward kernel and the incoming gradient for the backward one; the RoIs are bound as `Rois`.
 */
import { f32Bits } from './wgsl.js';
import type { KernelTensor } from '@tensorgrad/tensor/backend';

/** The attributes both RoIAlign kernels share. */
export interface RoiAlignAttrs {
  readonly pooledHeight: number;
  readonly pooledWidth: number;
  readonly spatialScale: number;
  readonly samplingRatio: number;
  readonly aligned: boolean;
}

/** Metadata words of both RoIAlign programs. */
export const ROI_ALIGN_META_WORDS = 18;

/**
 * The metadata of a RoIAlign program: `count` threads (one per output bin and channel) over RoIs
 * `rois` and a `[K or N, C, ·, ·]` tensor `t` read through its strides, for input planes `[N, C, H, W]`.
 */
export function roiAlignMeta(count: number, inputShape: readonly number[], attrs: RoiAlignAttrs, t: KernelTensor, rois: KernelTensor): number[] {
  const [n, c, h, w] = inputShape as [number, number, number, number];
  return [
    count,
    c,
    h,
    w,
    attrs.pooledHeight,
    attrs.pooledWidth,
    attrs.samplingRatio >>> 0,
    attrs.aligned ? 1 : 0,
    f32Bits(attrs.spatialScale),
    n,
    t.offset,
    ...t.strides,
    rois.offset,
    rois.strides[0]!,
    rois.strides[1]!,
  ];
}

/**
 * WGSL: `roiBin(k, ph, pw)` gives bin `(ph, pw)` of RoI `k` (its batch index, the first sample
 * point, the spacing of the sample points, the grid size and divisor, and the range of grid rows and
 * columns that can be non-zero), `sampleY`/`sampleX` a sample point's coordinate, and
 * `bilinear(y, x)` the four input pixels and weights of a sample point (`ok` false for a point
 * outside `[-1, H] × [-1, W]`, which contributes 0). All as torchvision 0.14's CUDA kernel
 * (csrc/ops/cuda/roi_align_kernel.cu), in float32:
 *
 * - the RoI's corners are scaled by `spatialScale` and, when `aligned`, shifted by half a pixel;
 *   without `aligned`, its width and height are at least 1;
 * - the grid is `samplingRatio × samplingRatio` points per bin, or when `samplingRatio <= 0`
 *   `ceil(roiHeight / pooledHeight) × ceil(roiWidth / pooledWidth)` (per RoI); the bin's value is
 *   the sum over the grid divided by `max(gridH · gridW, 1)`;
 * - a point with `y < -1`, `y > H`, `x < -1` or `x > W` is 0; otherwise the coordinates are
 *   clamped at 0 and the last row/column.
 *
 * A grid row or column whose points all lie outside the image contributes nothing, so `iy0..iy1`
 * (`ix0..ix1`) is the range of rows (columns) that can lie within `[-1, H]` (`[-1, W]`), widened
 * on each side against rounding (each point is still tested as torchvision tests it): the result is the same as walking the whole grid, and a huge
 * RoI (or a huge `samplingRatio` over a tiny image) costs at most a few points more than the image
 * holds instead of hanging the GPU. A RoI is not `valid` (its bins are 0 and add nothing to the
 * gradient) when the input is empty (`H` or `W` = 0), when a coordinate is not finite (every sample
 * point is then NaN or infinite, so outside the image: the CPU kernel's result, where torchvision's
 * integer conversions are undefined) or when its batch index is outside `[0, N)` (which the
 * front-end rejects; the test only keeps reads in bounds).
 */
export const WGSL_ROI_ALIGN = /* wgsl */ `
struct RoiBin {
  valid: bool,
  b: u32,
  y0: f32,
  x0: f32,
  binH: f32,
  binW: f32,
  gridH: i32,
  gridW: i32,
  iy0: i32,
  iy1: i32,
  ix0: i32,
  ix1: i32,
  count: f32,
}
fn roiIsFinite(v: f32) -> bool { return !isNan(v) && !isInf(v); }
fn gridSize(extent: f32, pooled: u32) -> i32 {
  let sr = metaI(6u);
  if (sr > 0) { return sr; }
  return i32(clamp(ceil(extent / f32(pooled)), -1.0e9, 1.0e9));
}
// the grid rows (columns) s in [0, grid) whose points start + (s + 0.5) * bin / grid can lie in [-1, size]
fn sampleRange(start: f32, bin: f32, grid: i32, size: f32) -> vec2<i32> {
  if (grid <= 0) { return vec2<i32>(0, 0); }
  let step = bin / f32(grid);
  if (!(step > 0.0) || isInf(step)) { return vec2<i32>(0, grid); }
  let g = f32(grid);
  // widened by one grid step, and by a relative margin where f32 cannot count steps exactly (past 2^24)
  let a = (-1.0 - start) / step - 0.5;
  let b = (size - start) / step - 0.5;
  let lo = clamp(floor(a) - 1.0 - abs(a) * 1.0e-6, 0.0, g);
  let hi = clamp(floor(b) + 2.0 + abs(b) * 1.0e-6, 0.0, g);
  return vec2<i32>(i32(lo), i32(hi));
}
fn roiBin(k: u32, ph: u32, pw: u32) -> RoiBin {
  var r: RoiBin;
  if (metaU(2u) == 0u || metaU(3u) == 0u) { return r; }
  let ro = metaU(15u) + k * metaU(16u);
  let rs = metaU(17u);
  let bf = f32(Rois[ro]);
  let c1 = f32(Rois[ro + rs]);
  let c2 = f32(Rois[ro + 2u * rs]);
  let c3 = f32(Rois[ro + 3u * rs]);
  let c4 = f32(Rois[ro + 4u * rs]);
  // the batch index truncates toward zero, as C++'s int conversion
  let bt = trunc(bf);
  if (!(roiIsFinite(c1) && roiIsFinite(c2) && roiIsFinite(c3) && roiIsFinite(c4)) || isNan(bf) || bt < 0.0 || bt >= f32(metaU(9u))) {
    return r;
  }
  r.b = u32(bt);
  let aligned = metaU(7u) != 0u;
  let scale = metaF(8u);
  let off = select(0.0, 0.5, aligned);
  let xs = c1 * scale - off;
  let ys = c2 * scale - off;
  let xe = c3 * scale - off;
  let ye = c4 * scale - off;
  var rw = xe - xs;
  var rh = ye - ys;
  if (!aligned) { rw = max(rw, 1.0); rh = max(rh, 1.0); }
  let PH = metaU(4u);
  let PW = metaU(5u);
  r.binH = rh / f32(PH);
  r.binW = rw / f32(PW);
  r.gridH = gridSize(rh, PH);
  r.gridW = gridSize(rw, PW);
  r.count = max(f32(r.gridH) * f32(r.gridW), 1.0);
  r.y0 = ys + f32(ph) * r.binH;
  r.x0 = xs + f32(pw) * r.binW;
  let yr = sampleRange(r.y0, r.binH, r.gridH, f32(metaU(2u)));
  let xr = sampleRange(r.x0, r.binW, r.gridW, f32(metaU(3u)));
  r.iy0 = yr.x; r.iy1 = yr.y;
  r.ix0 = xr.x; r.ix1 = xr.y;
  r.valid = true;
  return r;
}
fn sampleY(r: RoiBin, iy: i32) -> f32 { return r.y0 + (f32(iy) + 0.5) * r.binH / f32(r.gridH); }
fn sampleX(r: RoiBin, ix: i32) -> f32 { return r.x0 + (f32(ix) + 0.5) * r.binW / f32(r.gridW); }
struct Bilinear {
  ok: bool,
  yl: u32,
  yh: u32,
  xl: u32,
  xh: u32,
  w1: f32,
  w2: f32,
  w3: f32,
  w4: f32,
}
fn bilinear(yIn: f32, xIn: f32) -> Bilinear {
  var s: Bilinear;
  let H = i32(metaU(2u));
  let W = i32(metaU(3u));
  if (yIn < -1.0 || yIn > f32(H) || xIn < -1.0 || xIn > f32(W)) { return s; }
  var y = select(yIn, 0.0, yIn <= 0.0);
  var x = select(xIn, 0.0, xIn <= 0.0);
  var yl = i32(y);
  var xl = i32(x);
  var yh: i32;
  var xh: i32;
  if (yl >= H - 1) { yl = H - 1; yh = yl; y = f32(yl); } else { yh = yl + 1; }
  if (xl >= W - 1) { xl = W - 1; xh = xl; x = f32(xl); } else { xh = xl + 1; }
  let ly = y - f32(yl);
  let lx = x - f32(xl);
  let hy = 1.0 - ly;
  let hx = 1.0 - lx;
  s.ok = true;
  s.yl = u32(yl); s.yh = u32(yh); s.xl = u32(xl); s.xh = u32(xh);
  s.w1 = hy * hx; s.w2 = hy * lx; s.w3 = ly * hx; s.w4 = ly * lx;
  return s;
}
`;
