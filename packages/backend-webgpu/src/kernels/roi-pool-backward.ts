import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { atomicAddWgsl } from '../wgsl.js';

const WG = 256;

// metadata: [count, C, H·W, pooledHeight, pooledWidth, N, grad offset, grad strides ×4, rois offset,
// rois stride 0, argmax offset, argmax strides ×4]
const CODE = /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let C = metaU(1u);
  let HW = metaU(2u);
  let PH = metaU(3u);
  let PW = metaU(4u);
  let pw = e % PW; var q = e / PW;
  let ph = q % PH; q = q / PH;
  let c = q % C; let k = q / C;
  let a = A[metaU(13u) + k * metaU(14u) + c * metaU(15u) + ph * metaU(16u) + pw * metaU(17u)];
  if (a < 0 || u32(a) >= HW) { return; }
  let bt = trunc(f32(Rois[metaU(11u) + k * metaU(12u)]));
  if (!(bt >= 0.0 && bt < f32(metaU(5u)))) { return; }
  let v = G[metaU(6u) + k * metaU(7u) + c * metaU(8u) + ph * metaU(9u) + pw * metaU(10u)];
  let slot = (u32(bt) * C + c) * HW + u32(a);
  ${atomicAddWgsl('float32', 'slot')}
}`;

/**
 * The gradient of `roiPool` w.r.t. its input `[N, C, H, W]` (`attrs.inputShape`): one thread per
 * element of the incoming gradient adds it to the input pixel its bin's argmax names (nothing for
 * an empty bin, argmax -1), as torchvision's kernels. The adds are atomic (a compare-exchange loop
 * on the float32 bits, as `roiAlignBackward`, which says why a scatter and not a gather): where
 * RoIs overlap, a pixel's float32 sum lands in whatever order the threads run.
 */
export const roiPoolBackward: Kernel<'roiPoolBackward', WebGPUBackend> = (ctx, grad, rois, argmax, { inputShape }) => {
  const gpu = ctx.backend;
  const out = gpu.allocOutput(ctx.dtype, shapeSize(inputShape), { zero: true });
  const result: KernelResult = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  const count = shapeSize(grad.shape);
  const [n, c, h, w] = inputShape as [number, number, number, number];
  const [, , ph, pw] = grad.shape as [number, number, number, number];
  gpu.run(
    {
      key: `roiPoolBackward:${grad.dtype}:${rois.dtype}`,
      build: () => ({
        inputs: [
          ['G', grad.dtype],
          ['Rois', rois.dtype],
          ['A', 'int32'],
        ],
        outputs: [['Out', ctx.dtype, 'atomic']],
        metaWords: 18,
        code: CODE,
      }),
    },
    [grad.handle, rois.handle, argmax.handle],
    [out],
    [count, c, h * w, ph, pw, n, grad.offset, ...grad.strides, rois.offset, rois.strides[0]!, argmax.offset, ...argmax.strides],
    Math.ceil(count / WG),
  );
  return result;
};
