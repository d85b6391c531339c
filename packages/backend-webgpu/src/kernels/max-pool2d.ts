import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';

const WG = 256;

// metadata: [count, C, H, W, Ho, Wo, kh, kw, sh, sw, ph, pw, dh, dw, x offset, x strides ×4]
const CODE = /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let H = i32(metaU(2u)); let W = i32(metaU(3u));
  let oh = metaU(4u); let ow = metaU(5u);
  let kh = i32(metaU(6u)); let kw = i32(metaU(7u));
  let dh = i32(metaU(12u)); let dw = i32(metaU(13u));
  let ox = e % ow; var r = e / ow;
  let oy = r % oh; r = r / oh;
  let ch = r % metaU(1u); let b = r / metaU(1u);
  let base = metaU(14u) + b * metaU(15u) + ch * metaU(16u);
  let sy = metaU(17u); let sx = metaU(18u);
  var h0 = i32(oy * metaU(8u)) - i32(metaU(10u));
  let h1 = min(h0 + (kh - 1) * dh + 1, H);
  if (h0 < 0) { h0 = h0 + ((dh - 1 - h0) / dh) * dh; }
  var w0 = i32(ox * metaU(9u)) - i32(metaU(11u));
  let w1 = min(w0 + (kw - 1) * dw + 1, W);
  if (w0 < 0) { w0 = w0 + ((dw - 1 - w0) / dw) * dw; }
  // padding never wins; the first maximum wins ties; a NaN wins and ends the window
  var best = -infF32();
  var bi = h0 * W + w0;
  var done = false;
  for (var ih = h0; ih < h1 && !done; ih = ih + dh) {
    for (var iw = w0; iw < w1; iw = iw + dw) {
      let v = X[base + u32(ih) * sy + u32(iw) * sx];
      if (isNan(v)) { best = v; bi = ih * W + iw; done = true; break; }
      if (v > best) { best = v; bi = ih * W + iw; }
    }
  }
  V[e] = best;
  I[e] = bi;
}`;

/**
 * Max pooling: one thread per output element scans its (dilated) window through the input's
 * strides, returning the maximum and its int32 position in the `H·W` plane (as the CPU kernel:
 * padding never wins, NaN propagates, the first maximum wins ties).
 */
export const maxPool2d: Kernel<'maxPool2d', WebGPUBackend> = (ctx, x) => {
  const { backend: gpu, geometry: g, shape } = ctx;
  const count = g.n * g.c * g.oh * g.ow;
  const values = gpu.allocOutput(ctx.dtype, count);
  const indices = gpu.allocOutput('int32', count);
  gpu.run(
    {
      key: `maxPool2d:${x.dtype}`,
      build: () => ({ inputs: [['X', x.dtype]], outputs: [['V', x.dtype], ['I', 'int32']], metaWords: 19, code: CODE }),
    },
    [x.handle],
    [values, indices],
    [count, g.c, g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, x.offset, ...x.strides],
    Math.ceil(count / WG),
  );
  return [
    { handle: values, shape, dtype: ctx.dtype },
    { handle: indices, shape, dtype: 'int32' },
  ];
};
