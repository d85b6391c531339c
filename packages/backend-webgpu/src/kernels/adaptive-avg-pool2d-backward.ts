import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';

const WG = 256;

// metadata: [count, C, Ho, Wo, g offset, g strides ×4, H, W]. One thread per input element
// gathers from the windows containing it: output rows ⌊ih·Ho/H⌋ … ⌊((ih+1)·Ho − 1)/H⌋ (and
// likewise columns), each checked against its window's bounds.
const CODE = /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let oh = metaU(2u); let ow = metaU(3u);
  let H = metaU(9u); let W = metaU(10u);
  let iw = e % W; var r = e / W;
  let ih = r % H; r = r / H;
  let ch = r % metaU(1u); let b = r / metaU(1u);
  let base = metaU(4u) + b * metaU(5u) + ch * metaU(6u);
  let sy = metaU(7u); let sx = metaU(8u);
  let y0 = (ih * oh) / H; let y1 = min(((ih + 1u) * oh - 1u) / H, oh - 1u);
  let x0 = (iw * ow) / W; let x1 = min(((iw + 1u) * ow - 1u) / W, ow - 1u);
  var s = 0.0;
  for (var oy = y0; oy <= y1; oy = oy + 1u) {
    let h0 = (oy * H) / oh; let h1 = ((oy + 1u) * H + oh - 1u) / oh;
    if (ih < h0 || ih >= h1) { continue; }
    for (var ox = x0; ox <= x1; ox = ox + 1u) {
      let w0 = (ox * W) / ow; let w1 = ((ox + 1u) * W + ow - 1u) / ow;
      if (iw < w0 || iw >= w1) { continue; }
      s = s + G[base + oy * sy + ox * sx] / f32((h1 - h0) * (w1 - w0));
    }
  }
  Out[e] = s;
}`;

/** The adjoint of `adaptiveAvgPool2d`: each input element sums the gradients of the windows containing it, each divided by its window's size. */
export const adaptiveAvgPool2dBackward: Kernel<'adaptiveAvgPool2dBackward', WebGPUBackend> = (ctx, g) => {
  const gpu = ctx.backend;
  const [, , oh, ow] = g.shape as [number, number, number, number];
  const [n, c, h, w] = ctx.shape as [number, number, number, number];
  const count = n * c * h * w;
  const out = gpu.allocOutput(ctx.dtype, count);
  gpu.run(
    { key: `adaptiveAvgPool2dBackward:${g.dtype}`, build: () => ({ inputs: [['G', g.dtype]], outputs: [['Out', g.dtype]], metaWords: 11, code: CODE }) },
    [g.handle],
    [out],
    [count, c, oh, ow, g.offset, ...g.strides, h, w],
    Math.ceil(count / WG),
  );
  return { handle: out, shape: ctx.shape, dtype: ctx.dtype };
};
