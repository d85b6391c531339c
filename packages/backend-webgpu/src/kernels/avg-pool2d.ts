import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { avgWindowMeta, avgWindowWgsl } from '../avg-pool-window.js';

const WG = 256;

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
export const avgPool2d: Kernel<'avgPool2d', WebGPUBackend> = (ctx, x, attrs) => {
  const { backend: gpu, geometry: g } = ctx;
  const count = g.n * g.c * g.oh * g.ow;
  const out = gpu.allocOutput(ctx.dtype, count);
  gpu.run(
    { key: `avgPool2d:${x.dtype}`, build: () => ({ inputs: [['X', x.dtype]], outputs: [['Out', x.dtype]], metaWords: 19, code: CODE }) },
    [x.handle],
    [out],
    [count, g.c, g.oh, g.ow, x.offset, ...x.strides, ...avgWindowMeta(g, attrs)],
    Math.ceil(count / WG),
  );
  return { handle: out, shape: ctx.shape, dtype: ctx.dtype };
};
