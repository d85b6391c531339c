import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';

const WG = 256;

// metadata: [count, C, Ho, Wo, x offset, x strides ×4, H, W]
const CODE = /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let oh = metaU(2u); let ow = metaU(3u);
  let H = metaU(9u); let W = metaU(10u);
  let ox = e % ow; var r = e / ow;
  let oy = r % oh; r = r / oh;
  let ch = r % metaU(1u); let b = r / metaU(1u);
  let base = metaU(4u) + b * metaU(5u) + ch * metaU(6u);
  let sy = metaU(7u); let sx = metaU(8u);
  // rows [⌊oy·H/Ho⌋, ⌈(oy+1)·H/Ho⌉) and likewise columns
  let h0 = (oy * H) / oh; let h1 = ((oy + 1u) * H + oh - 1u) / oh;
  let w0 = (ox * W) / ow; let w1 = ((ox + 1u) * W + ow - 1u) / ow;
  var s = 0.0;
  for (var ih = h0; ih < h1; ih = ih + 1u) {
    for (var iw = w0; iw < w1; iw = iw + 1u) { s = s + X[base + ih * sy + iw * sx]; }
  }
  Out[e] = s / f32((h1 - h0) * (w1 - w0));
}`;

/** Adaptive average pooling: one thread per output element averages its window (PyTorch's floor/ceil bounds). */
export const adaptiveAvgPool2d: Kernel<'adaptiveAvgPool2d', WebGPUBackend> = (ctx, x) => {
  const gpu = ctx.backend;
  const [, , h, w] = x.shape as [number, number, number, number];
  const [n, c, oh, ow] = ctx.shape as [number, number, number, number];
  const count = n * c * oh * ow;
  const out = gpu.allocOutput(ctx.dtype, count);
  gpu.run(
    { key: `adaptiveAvgPool2d:${x.dtype}`, build: () => ({ inputs: [['X', x.dtype]], outputs: [['Out', x.dtype]], metaWords: 11, code: CODE }) },
    [x.handle],
    [out],
    [count, c, oh, ow, x.offset, ...x.strides, h, w],
    Math.ceil(count / WG),
  );
  return { handle: out, shape: ctx.shape, dtype: ctx.dtype };
};
