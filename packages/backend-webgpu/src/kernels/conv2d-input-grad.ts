import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import type { GpuStorage } from '../backend.js';
import { GEMM_META, GEOMETRY_WGSL, GEOMETRY_WORDS, geometryMeta, runConvGemm, viewMeta, viewWgsl } from '../conv-gemm.js';

const G_VIEW = GEMM_META + GEOMETRY_WORDS;
const W_VIEW = G_VIEW + 5;
const BIAS = W_VIEW + 5;

// C[m, n] with m an input channel of the group and n = (batch, input row, input column);
// k = (output channel of the group, kernel row, kernel column). B[k, n] is the output gradient
// at the position whose window puts tap (i, j) on input pixel n: 0 where no output position
// does (stride not dividing, or outside the output), which is col2im written as a gather
const COMMON = `
${GEOMETRY_WGSL}
${viewWgsl('g', G_VIEW)}
${viewWgsl('w', W_VIEW)}
fn rowBase(g: u32, m: u32) -> u32 { return (g * gCg() + m) * gH() * gW(); }
fn colBase(g: u32, n: u32) -> u32 { let HW = gH() * gW(); let b = n / HW; return b * gC() * HW + (n - b * HW); }
fn tap(b: u32, q: u32, ty: i32, tx: i32) -> f32 {
  if (ty < 0 || tx < 0) { return 0.0; }
  var y = u32(ty); var x = u32(tx);
  // (a uniform branch: integer division is slow where the CPU runs the shader)
  if (gSh() != 1u || gSw() != 1u) {
    y = y / gSh(); x = x / gSw();
    if (y * gSh() != u32(ty) || x * gSw() != u32(tx)) { return 0.0; }
  }
  if (y >= gOh() || x >= gOw()) { return 0.0; }
  return Gr[gAt(b, q, y, x)];
}`;

const STAGED = `
fn loadA(g: u32, m: u32, k: u32) -> f32 { let t = tapOf(k); return Wt[wAt(g * gOg() + t.x, m, t.y, t.z)]; }
fn loadB(g: u32, k: u32, n: u32) -> f32 {
  let p = inPos(n); let t = tapOf(k);
  return tap(p.x, g * gOg() + t.x, i32(p.y) + gPt() - i32(t.y * gDh()), i32(p.z) + gPl() - i32(t.z * gDw()));
}`;

// the storage offset of g[b, q, y, x] is split into a column part (batch, input pixel) and a step
// part (output channel, tap); stride 1 (the common case) needs no division at all
const DIRECT = `
fn gs(d: u32) -> i32 { return i32(metaU(${G_VIEW + 1}u + d)); }
struct RowInfo { w: u32 }
struct ColInfo { b: u32, ty: i32, tx: i32, base: i32 }
struct KInfo { w: u32, q: u32, di: i32, dj: i32, off: i32 }
fn rowInfo(g: u32, m: u32) -> RowInfo { return RowInfo(wAt(0u, m, 0u, 0u)); }
fn colInfo(g: u32, n: u32) -> ColInfo {
  let p = inPos(n);
  let ty = i32(p.y) + gPt(); let tx = i32(p.z) + gPl();
  return ColInfo(p.x, ty, tx, i32(gAt(p.x, 0u, 0u, 0u)) + ty * gs(2u) + tx * gs(3u));
}
fn kInfo(g: u32, k: u32) -> KInfo {
  let t = tapOf(k);
  let oc = g * gOg() + t.x;
  let di = i32(t.y * gDh()); let dj = i32(t.z * gDw());
  return KInfo(oc * metaU(${W_VIEW + 1}u) + t.y * metaU(${W_VIEW + 3}u) + t.z * metaU(${W_VIEW + 4}u), oc, di, dj, i32(oc) * gs(1u) - di * gs(2u) - dj * gs(3u));
}
fn loadA2(r: RowInfo, k: KInfo) -> f32 { return Wt[r.w + k.w]; }
fn loadB2(k: KInfo, c: ColInfo) -> f32 {
  let y = c.ty - k.di; let x = c.tx - k.dj;
  if (gSh() != 1u || gSw() != 1u) { return tap(c.b, k.q, y, x); }
  if (y < 0 || x < 0 || y >= i32(gOh()) || x >= i32(gOw())) { return 0.0; }
  return Gr[u32(c.base + k.off)];
}`;

/**
 * The input gradient of `conv2d` (and the forward of `convTranspose2d`) as an implicit GEMM per
 * group: `dx[n, g] = W_gᵀ · g[n, g]` scattered back by col2im, computed instead as a gather (each
 * input pixel sums the taps that read it), so no atomics and no column buffer are needed.
 */
export const conv2dInputGrad: Kernel<'conv2dInputGrad', WebGPUBackend> = (ctx, g, w, bias) => {
  const { backend: gpu, geometry } = ctx;
  const { n, c, h, w: wd, o, kh, kw, groups } = geometry;
  const cg = c / groups;
  const og = o / groups;
  const HW = h * wd;
  const out = gpu.allocOutput(ctx.dtype, n * c * HW);
  const result = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  const geo = geometryMeta(geometry);
  const hasBias = bias !== null;
  const inputs = [g.handle, w.handle, ...(bias ? [bias.handle] : [])] as GpuStorage[];
  runConvGemm(
    gpu,
    {
      key: `conv2dInputGrad:${hasBias ? 'bias' : 'nobias'}`,
      inputs: [['Gr', g.dtype], ['Wt', w.dtype], ...(hasBias ? ([['Bias', g.dtype]] as const) : [])],
      outputs: [['Out', g.dtype]],
      fns: `${COMMON}
fn rowBias(g: u32, m: u32) -> f32 { return ${hasBias ? `Bias[metaU(${BIAS}u) + (g * gCg() + m) * metaU(${BIAS + 1}u)]` : '0.0'}; }`,
      staged: STAGED,
      direct: DIRECT,
      aAlongK: true,
      bAlongK: false,
      meta: [...geo, ...viewMeta(g), ...viewMeta(w), bias ? bias.offset : 0, bias ? bias.strides[0]! : 0],
    },
    inputs,
    [out],
    { m: cg, n: n * HW, k: og * kh * kw, groups },
  );
  return result;
};
