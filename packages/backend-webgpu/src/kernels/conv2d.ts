import type { Kernel } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from '../backend.js';
import { GEMM_META, GEOMETRY_WGSL, GEOMETRY_WORDS, IM2COL_WGSL, geometryMeta, runConvGemm, viewMeta, viewWgsl } from '../conv-gemm.js';

const X_VIEW = GEMM_META + GEOMETRY_WORDS;
const W_VIEW = X_VIEW + 5;
const BIAS = W_VIEW + 5;

// C[m, n] with m an output channel of the group and n = (batch, output row, output column);
// k = (input channel of the group, kernel row, kernel column): B is im2col(x), read in place
const COMMON = `
${GEOMETRY_WGSL}
${viewWgsl('x', X_VIEW)}
${viewWgsl('w', W_VIEW)}
${IM2COL_WGSL}
fn rowBase(g: u32, m: u32) -> u32 { return (g * gOg() + m) * gOh() * gOw(); }
fn colBase(g: u32, n: u32) -> u32 { let L = gOh() * gOw(); let b = n / L; return b * gO() * L + (n - b * L); }`;

const STAGED = `
fn loadA(g: u32, m: u32, k: u32) -> f32 { let t = tapOf(k); return Wt[wAt(g * gOg() + m, t.x, t.y, t.z)]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 { return im2col(g, tapOf(k), outPos(n)); }`;

// the storage offset of x[b, c, ih, iw] is split into a column part (batch, the window's corner)
// and a step part (channel, tap); only the bounds need ih and iw themselves
const DIRECT = `
fn xs(d: u32) -> i32 { return i32(metaU(${X_VIEW + 1}u + d)); }
struct RowInfo { w: u32 }
struct ColInfo { base: i32, iy: i32, ix: i32 }
struct KInfo { w: u32, off: i32, di: i32, dj: i32 }
fn rowInfo(g: u32, m: u32) -> RowInfo { return RowInfo(wAt(g * gOg() + m, 0u, 0u, 0u)); }
fn colInfo(g: u32, n: u32) -> ColInfo {
  let o = outPos(n);
  let iy = i32(o.y * gSh()) - gPt(); let ix = i32(o.z * gSw()) - gPl();
  return ColInfo(i32(xAt(o.x, g * gCg(), 0u, 0u)) + iy * xs(2u) + ix * xs(3u), iy, ix);
}
fn kInfo(g: u32, k: u32) -> KInfo {
  let t = tapOf(k);
  let di = i32(t.y * gDh()); let dj = i32(t.z * gDw());
  return KInfo(t.x * metaU(${W_VIEW + 2}u) + t.y * metaU(${W_VIEW + 3}u) + t.z * metaU(${W_VIEW + 4}u), i32(t.x) * xs(1u) + di * xs(2u) + dj * xs(3u), di, dj);
}
fn loadA2(r: RowInfo, k: KInfo) -> f32 { return Wt[r.w + k.w]; }
fn loadB2(k: KInfo, c: ColInfo) -> f32 {
  let ih = c.iy + k.di; let iw = c.ix + k.dj;
  if (ih < 0 || iw < 0 || ih >= i32(gH()) || iw >= i32(gW())) { return 0.0; }
  return X[u32(c.base + k.off)];
}`;

/**
 * 2-D convolution as an implicit GEMM per group (see `conv-gemm.ts`): `out[n, g] = W_g · im2col(x[n, g])`
 * with the batch folded into the GEMM's columns, the im2col matrix read straight from `x` through
 * its strides (padding reads 0), and the bias added when the tile is stored.
 */
export const conv2d: Kernel<'conv2d', WebGPUBackend> = (ctx, x, w, bias) => {
  const { backend: gpu, geometry } = ctx;
  const { n, c, o, oh, ow, kh, kw, groups } = geometry;
  const L = oh * ow;
  const cg = c / groups;
  const og = o / groups;
  const out = gpu.allocOutput(ctx.dtype, n * o * L);
  const result = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  const geo = geometryMeta(geometry);
  const hasBias = bias !== null;
  const inputs = [x.handle, w.handle, ...(bias ? [bias.handle] : [])] as GpuStorage[];
  runConvGemm(
    gpu,
    {
      key: `conv2d:${hasBias ? 'bias' : 'nobias'}`,
      inputs: [['X', x.dtype], ['Wt', w.dtype], ...(hasBias ? ([['Bias', x.dtype]] as const) : [])],
      outputs: [['Out', x.dtype]],
      fns: `${COMMON}
fn rowBias(g: u32, m: u32) -> f32 { return ${hasBias ? `Bias[metaU(${BIAS}u) + (g * gOg() + m) * metaU(${BIAS + 1}u)]` : '0.0'}; }`,
      staged: STAGED,
      direct: DIRECT,
      aAlongK: true,
      bAlongK: false,
      meta: [...geo, ...viewMeta(x), ...viewMeta(w), bias ? bias.offset : 0, bias ? bias.strides[0]! : 0],
    },
    inputs,
    [out],
    { m: og, n: n * L, k: cg * kh * kw, groups },
  );
  return result;
};
