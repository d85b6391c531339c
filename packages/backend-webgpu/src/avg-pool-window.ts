/**
 * The average-pooling window rule in WGSL, shared by the `avgPool2d` and `avgPool2dBackward`
 * kernels.
 */
import type { PoolGeometry } from '@tensorgrad/tensor/backend';

/**
 * WGSL `avgWindow(oy, ox) -> AvgWindow`: the clipped input window of output `(oy, ox)` and its
 * divisor, PyTorch's CPU rules (a window may run into the right/bottom padding, which counts with
 * `countIncludePad`; a window entirely in the padding has divisor 0 and output 0). The divisor is
 * computed on the GPU, per window; this is a line-for-line mirror of `avgPoolWindow` in
 * `@tensorgrad/tensor/backend` (the rule every backend shares): keep the two in step. Reads
 * metadata words `at…at+9`: `H, W, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride (0: none)`
 * ({@link avgWindowMeta}).
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

/** The 10 metadata words {@link avgWindowWgsl} reads, from the pooling geometry and attributes. */
export function avgWindowMeta(g: PoolGeometry, attrs: { readonly countIncludePad: boolean; readonly divisorOverride: number | null }): number[] {
  return [g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, attrs.countIncludePad ? 1 : 0, attrs.divisorOverride ?? 0];
}
