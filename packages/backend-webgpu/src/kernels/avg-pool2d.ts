import { poolOutSize, type KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';

const WG = 256;

/**
 * WGSL `avgWindow(oy, ox) -> vec4<i32>` and `avgDivisor(...)`: the clipped input window of output
 * `(oy, ox)` and its divisor, PyTorch's CPU rules (a window may run into the right/bottom padding,
 * which counts with `countIncludePad`; a window entirely in the padding has divisor 0 and output
 * 0). Reads metadata words `at…at+8`: `H, W, kh, kw, sh, sw, ph, pw, countIncludePad,
 * divisorOverride (0: none)`.
 */
export function avgWindowWgsl(at: number): string {
  return /* wgsl */ `
struct AvgWindow { h0: i32, h1: i32, w0: i32, w1: i32, divisor: f32 }
fn avgWindow(oy: u32, ox: u32) -> AvgWindow {
  let H = i32(metaU(${at}u)); let W = i32(metaU(${at + 1}u));
  let ph = i32(metaU(${at + 6}u)); let pw = i32(metaU(${at + 7}u));
  var h0 = i32(oy * metaU(${at + 4}u)) - ph;
  var w0 = i32(ox * metaU(${at + 5}u)) - pw;
  var h1 = min(h0 + i32(metaU(${at + 2}u)), H + ph);
  var w1 = min(w0 + i32(metaU(${at + 3}u)), W + pw);
  let poolSize = (h1 - h0) * (w1 - w0);
  h0 = max(h0, 0); w0 = max(w0, 0);
  h1 = min(h1, H); w1 = min(w1, W);
  var win = AvgWindow(h0, h1, w0, w1, 0.0);
  if (h0 >= h1 || w0 >= w1) { return win; }
  if (metaU(${at + 9}u) != 0u) { win.divisor = f32(metaI(${at + 9}u)); }
  else if (metaU(${at + 8}u) != 0u) { win.divisor = f32(poolSize); }
  else { win.divisor = f32((h1 - h0) * (w1 - w0)); }
  return win;
}`;
}

// metadata: [count, C, Ho, Wo, x offset, x strides ×4, window words ×10]
const CODE = /* wgsl */ `
${avgWindowWgsl(9)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let oh = metaU(2u); let ow = metaU(3u);
  let ox = e % ow; var r = e / ow;
  let oy = r % oh; r = r / oh;
  let ch = r % metaU(1u); let b = r / metaU(1u);
  let base = metaU(4u) + b * metaU(5u) + ch * metaU(6u);
  let sy = metaU(7u); let sx = metaU(8u);
  let win = avgWindow(oy, ox);
  var s = 0.0;
  if (win.divisor != 0.0) {
    for (var ih = win.h0; ih < win.h1; ih = ih + 1) {
      for (var iw = win.w0; iw < win.w1; iw = iw + 1) { s = s + X[base + u32(ih) * sy + u32(iw) * sx]; }
    }
    s = s / win.divisor;
  }
  Out[e] = s;
}`;

/**
 * Average pooling: one thread per output element sums its clipped window (read through the
 * input's strides) and divides by PyTorch's divisor (`countIncludePad`, `divisorOverride`).
 */
export const avgPool2d: KernelMap['avgPool2d'] = (x, { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride }) => {
  const gpu = gpuOf(x);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = kernelSize;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const oh = poolOutSize(h, kh, sh, ph, 1, ceilMode);
  const ow = poolOutSize(w, kw, sw, pw, 1, ceilMode);
  const count = n * c * oh * ow;
  const out = gpu.allocOutput(x.dtype, count);
  gpu.run(
    { key: `avgPool2d:${x.dtype}`, build: () => ({ inputs: [['X', x.dtype]], outputs: [['Out', x.dtype]], metaWords: 19, code: CODE }) },
    [x.handle],
    [out],
    [count, c, oh, ow, x.offset, ...x.strides, h, w, kh, kw, sh, sw, ph, pw, countIncludePad ? 1 : 0, divisorOverride ?? 0],
    Math.ceil(count / WG),
  );
  return { handle: out, shape: [n, c, oh, ow], dtype: x.dtype };
};
