import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import type { GpuStorage } from '../backend.js';
import { GEMM_META, GEOMETRY_WGSL, GEOMETRY_WORDS, IM2COL_WGSL, geometryMeta, runConvGemm, splitsFor, viewMeta, viewWgsl } from '../conv-gemm.js';
import { reduceSum } from '../reduction.js';

const X_VIEW = GEMM_META + GEOMETRY_WORDS;
const G_VIEW = X_VIEW + 5;

// C[m, n] with m an output channel of the group and n = (input channel of the group, kernel row,
// kernel column); k = (batch, output row, output column) runs over every output position, so B
// is im2col(x) transposed, read in place
const COMMON = `
${GEOMETRY_WGSL}
${viewWgsl('x', X_VIEW)}
${viewWgsl('g', G_VIEW)}
${IM2COL_WGSL}
fn rowBase(g: u32, m: u32) -> u32 { return (g * gOg() + m) * gCg() * gKh() * gKw(); }
fn colBase(g: u32, n: u32) -> u32 { return n; }
fn rowBias(g: u32, m: u32) -> f32 { return 0.0; }`;

const STAGED = `
fn loadA(g: u32, m: u32, k: u32) -> f32 { let o = outPos(k); return Gr[gAt(o.x, g * gOg() + m, o.y, o.z)]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 { return im2col(g, tapOf(n), outPos(k)); }`;

// the storage offset of x[b, c, ih, iw] is split into a step part (batch, the window's corner)
// and a column part (channel, tap); only the bounds need ih and iw themselves
const DIRECT = `
fn xs(d: u32) -> i32 { return i32(metaU(${X_VIEW + 1}u + d)); }
struct RowInfo { g: u32 }
struct ColInfo { off: i32, di: i32, dj: i32 }
struct KInfo { g: u32, base: i32, iy: i32, ix: i32 }
fn rowInfo(g: u32, m: u32) -> RowInfo { return RowInfo((g * gOg() + m) * metaU(${G_VIEW + 2}u)); }
fn colInfo(g: u32, n: u32) -> ColInfo {
  let t = tapOf(n);
  let di = i32(t.y * gDh()); let dj = i32(t.z * gDw());
  return ColInfo(i32(g * gCg() + t.x) * xs(1u) + di * xs(2u) + dj * xs(3u), di, dj);
}
fn kInfo(g: u32, k: u32) -> KInfo {
  let o = outPos(k);
  let iy = i32(o.y * gSh()) - gPt(); let ix = i32(o.z * gSw()) - gPl();
  return KInfo(gAt(o.x, 0u, o.y, o.z), i32(xAt(o.x, 0u, 0u, 0u)) + iy * xs(2u) + ix * xs(3u), iy, ix);
}
fn loadA2(r: RowInfo, k: KInfo) -> f32 { return Gr[k.g + r.g]; }
fn loadB2(k: KInfo, c: ColInfo) -> f32 {
  let ih = k.iy + c.di; let iw = k.ix + c.dj;
  if (ih < 0 || iw < 0 || ih >= i32(gH()) || iw >= i32(gW())) { return 0.0; }
  return X[u32(k.base + c.off)];
}`;

/**
 * The weight gradient of `conv2d` as an implicit GEMM per group, `dW_g = g_g · im2col(x_g)ᵀ`,
 * reducing over every batch entry and output position at once (the im2col matrix is read from
 * `x` in place).
 */
export const conv2dWeightGrad: Kernel<'conv2dWeightGrad', WebGPUBackend> = (ctx, x, g) => {
  const { backend: gpu, geometry, shape, dtype } = ctx;
  const { n, c, o, oh, ow, kh, kw, groups } = geometry;
  const cg = c / groups;
  const og = o / groups;
  const K = cg * kh * kw;
  const L = n * oh * ow;
  if (L === 0 || o * K === 0) return { handle: gpu.allocOutput(dtype, o * K, { zero: true }), shape, dtype };
  const geo = geometryMeta(geometry);
  // few output tiles (a 3×3 kernel over few channels) and a long reduction: partial sums over
  // chunks of the output positions, then one sum over the chunks
  const splits = splitsFor(og, K, L, groups);
  const out = gpu.allocOutput(dtype, splits * o * K);
  runConvGemm(
    gpu,
    {
      key: 'conv2dWeightGrad',
      inputs: [['X', x.dtype], ['Gr', g.dtype]],
      outputs: [['Out', x.dtype]],
      fns: COMMON,
      staged: STAGED,
      direct: DIRECT,
      aAlongK: true,
      bAlongK: true,
      meta: [...geo, ...viewMeta(x), ...viewMeta(g)],
    },
    [x.handle, g.handle] as GpuStorage[],
    [out],
    { m: og, n: K, k: L, groups, splits, splitStride: o * K },
  );
  if (splits === 1) return { handle: out, shape, dtype };
  try {
    const partials = { handle: out, shape: [splits, o * K], strides: [o * K, 1], offset: 0, dtype };
    return { handle: reduceSum(gpu, partials, [0], [o * K]).handle, shape, dtype };
  } finally {
    gpu.free(out);
  }
};
