import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { avgWindowMeta, avgWindowWgsl } from '../avg-pool-window.js';

const WG = 256;

// metadata: [count, C, Ho, Wo, g offset, g strides ×4, window words ×10]. One thread per input
// element gathers from the windows that contain it (rows ⌈(ih+ph−kh+1)/sh⌉ … ⌊(ih+ph)/sh⌋, and
// likewise columns), in the order the CPU kernel scatters them, so no atomics are needed.
const CODE = /* wgsl */ `
${avgWindowWgsl(9)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let H = metaU(9u); let W = metaU(10u);
  let kh = i32(metaU(11u)); let kw = i32(metaU(12u));
  let sh = i32(metaU(13u)); let sw = i32(metaU(14u));
  let ph = i32(metaU(15u)); let pw = i32(metaU(16u));
  let oh = i32(metaU(2u)); let ow = i32(metaU(3u));
  let iw = i32(e % W); var r = e / W;
  let ih = i32(r % H); r = r / H;
  let ch = r % metaU(1u); let b = r / metaU(1u);
  let base = metaU(4u) + b * metaU(5u) + ch * metaU(6u);
  let sy = metaU(7u); let sx = metaU(8u);
  let ty = ih + ph - kh + 1; let tx = iw + pw - kw + 1;
  let y0 = select(0, (ty + sh - 1) / sh, ty > 0);
  let x0 = select(0, (tx + sw - 1) / sw, tx > 0);
  let y1 = min((ih + ph) / sh, oh - 1);
  let x1 = min((iw + pw) / sw, ow - 1);
  var s = 0.0;
  for (var oy = y0; oy <= y1; oy = oy + 1) {
    for (var ox = x0; ox <= x1; ox = ox + 1) {
      let win = avgWindow(u32(oy), u32(ox));
      if (win.divisor != 0.0) { s = s + G[base + u32(oy) * sy + u32(ox) * sx] / win.divisor; }
    }
  }
  Out[e] = s;
}`;

/**
 * The adjoint of `avgPool2d`: each input element sums, over the windows containing it, the
 * window's output gradient divided by its divisor.
 */
export const avgPool2dBackward: Kernel<'avgPool2dBackward', WebGPUBackend> = (ctx, g, attrs) => {
  const { backend: gpu, geometry: geo } = ctx;
  const count = geo.n * geo.c * geo.h * geo.w;
  const out = gpu.allocOutput(ctx.dtype, count);
  gpu.run(
    { key: `avgPool2dBackward:${g.dtype}`, build: () => ({ inputs: [['G', g.dtype]], outputs: [['Out', g.dtype]], metaWords: 19, code: CODE }) },
    [g.handle],
    [out],
    [count, geo.c, geo.oh, geo.ow, g.offset, ...g.strides, ...avgWindowMeta(geo, attrs)],
    Math.ceil(count / WG),
  );
  return { handle: out, shape: ctx.shape, dtype: ctx.dtype };
};
