import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { ROI_ALIGN_META_WORDS, WGSL_ROI_ALIGN, roiAlignMeta } from '../roi-align-sampling.js';
import { atomicAddWgsl } from '../wgsl.js';

const WG = 256;

const CODE = /* wgsl */ `${WGSL_ROI_ALIGN}
fn addTo(slot: u32, v: f32) {
  ${atomicAddWgsl('float32', 'slot')}
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let C = metaU(1u);
  let PH = metaU(4u);
  let PW = metaU(5u);
  let pw = e % PW; var q = e / PW;
  let ph = q % PH; q = q / PH;
  let c = q % C; let k = q / C;
  let r = roiBin(k, ph, pw);
  if (!r.valid) { return; }
  let g = G[metaU(10u) + k * metaU(11u) + c * metaU(12u) + ph * metaU(13u) + pw * metaU(14u)];
  let W = metaU(3u);
  let plane = (r.b * C + c) * metaU(2u) * W;
  for (var iy = r.iy0; iy < r.iy1; iy++) {
    let y = sampleY(r, iy);
    for (var ix = r.ix0; ix < r.ix1; ix++) {
      let s = bilinear(y, sampleX(r, ix));
      if (s.ok) {
        addTo(plane + s.yl * W + s.xl, g * s.w1 / r.count);
        addTo(plane + s.yl * W + s.xh, g * s.w2 / r.count);
        addTo(plane + s.yh * W + s.xl, g * s.w3 / r.count);
        addTo(plane + s.yh * W + s.xh, g * s.w4 / r.count);
      }
    }
  }
}`;

/**
 * The gradient of `roiAlign` w.r.t. its input `[N, C, H, W]` (`attrs.inputShape`), as torchvision's
 * CUDA kernel: one thread per element `(k, c, ph, pw)` of the incoming gradient (read through its
 * strides) walks the same sampling grid as the forward (`roi-align-sampling.ts`) and adds
 * `g · w / count` to the four pixels of each sample point.
 *
 * The adds are atomic: a compare-exchange loop on the float32 bits (WGSL has no float atomics).
 * The alternative, a gather (one thread per input pixel summing what every bin of every RoI of its
 * image gives it), would be deterministic, but costs (input pixels × RoIs) instead of (bins ×
 * sample points) and needs each bin's sample range inverted, with torchvision's clamping at the
 * borders, for every pixel; the scatter is what torchvision's CUDA kernel does (with `atomicAdd`,
 * which PyTorch flags as nondeterministic), and it stays proportional to the work of the forward.
 * The price is the same: where bins overlap, the float32 sums land in whatever order the threads
 * run, so repeated runs can differ in the last bits.
 */
export const roiAlignBackward: Kernel<'roiAlignBackward', WebGPUBackend> = (ctx, grad, rois, attrs) => {
  const gpu = ctx.backend;
  const out = gpu.allocOutput(ctx.dtype, shapeSize(attrs.inputShape), { zero: true });
  const result: KernelResult = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  const count = shapeSize(grad.shape);
  gpu.run(
    {
      key: `roiAlignBackward:${grad.dtype}:${rois.dtype}`,
      build: () => ({
        inputs: [
          ['G', grad.dtype],
          ['Rois', rois.dtype],
        ],
        outputs: [['Out', ctx.dtype, 'atomic']],
        metaWords: ROI_ALIGN_META_WORDS,
        code: CODE,
      }),
    },
    [grad.handle, rois.handle],
    [out],
    roiAlignMeta(count, attrs.inputShape, attrs, grad, rois),
    Math.ceil(count / WG),
  );
  return result;
};
