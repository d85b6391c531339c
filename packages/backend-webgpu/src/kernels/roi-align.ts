import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { ROI_ALIGN_META_WORDS, WGSL_ROI_ALIGN, roiAlignMeta } from '../roi-align-sampling.js';

const WG = 256;

const CODE = /* wgsl */ `${WGSL_ROI_ALIGN}
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
  if (!r.valid) {
    Out[e] = 0.0;
    return;
  }
  let base = metaU(10u) + r.b * metaU(11u) + c * metaU(12u);
  let sy = metaU(13u); let sx = metaU(14u);
  var acc = 0.0;
  for (var iy = r.iy0; iy < r.iy1; iy++) {
    let y = sampleY(r, iy);
    for (var ix = r.ix0; ix < r.ix1; ix++) {
      let s = bilinear(y, sampleX(r, ix));
      if (s.ok) {
        let v1 = X[base + s.yl * sy + s.xl * sx];
        let v2 = X[base + s.yl * sy + s.xh * sx];
        let v3 = X[base + s.yh * sy + s.xl * sx];
        let v4 = X[base + s.yh * sy + s.xh * sx];
        acc += s.w1 * v1 + s.w2 * v2 + s.w3 * v3 + s.w4 * v4;
      }
    }
  }
  Out[e] = acc / r.count;
}`;

/**
 * torchvision's `roi_align`, one thread per output element `(k, c, ph, pw)`: it walks the bin's
 * sampling grid (sized per RoI in the shader when `samplingRatio <= 0`) and averages the bilinear
 * samples of `x` (read through its strides), as torchvision's CUDA kernel; the rule lives in
 * `roi-align-sampling.ts`, shared with `roiAlignBackward`.
 */
export const roiAlign: Kernel<'roiAlign', WebGPUBackend> = (ctx, x, rois, attrs) => {
  const gpu = ctx.backend;
  const count = shapeSize(ctx.shape);
  const out = gpu.allocOutput(ctx.dtype, count);
  const result: KernelResult = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  gpu.run(
    {
      key: `roiAlign:${x.dtype}:${rois.dtype}`,
      build: () => ({
        inputs: [
          ['X', x.dtype],
          ['Rois', rois.dtype],
        ],
        outputs: [['Out', ctx.dtype]],
        metaWords: ROI_ALIGN_META_WORDS,
        code: CODE,
      }),
    },
    [x.handle, rois.handle],
    [out],
    roiAlignMeta(count, x.shape, attrs, x, rois),
    Math.ceil(count / WG),
  );
  return result;
};
