import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from '../backend.js';
import { f32Bits } from '../wgsl.js';

const WG = 256;

/**
 * One fused Adam/AdamW step in place over contiguous float32 tensors: one thread per element
 * updates the moments and the parameter in one pass (instead of about a dozen element-wise ops
 * and their temporaries), with the same float32 scalars and the same order of operations as the
 * op-by-op update and the CPU kernel. `maxExpAvgSq` (AMSGrad) keeps the running maximum.
 */
export const adamUpdate_: Kernel<'adamUpdate_', WebGPUBackend> = (ctx, param, grad, expAvg, expAvgSq, maxExpAvgSq, o) => {
  const gpu = ctx.backend;
  const n = shapeSize(param.shape);
  if (n === 0) return;
  if (param.dtype !== 'float32') throw new TypeError(`adamUpdate_: expected float32 tensors on webgpu, got ${param.dtype}`);
  const decoupled = o.decoupled;
  const l2 = !decoupled && o.weightDecay !== 0;
  const ams = maxExpAvgSq !== null;
  const scalars = [
    decoupled ? 1 - o.lr * o.weightDecay : 1,
    l2 ? o.weightDecay : 0,
    o.beta1,
    1 - o.beta1,
    o.beta2,
    1 - o.beta2,
    Math.sqrt(1 - o.beta2 ** o.step),
    o.eps,
    -(o.lr / (1 - o.beta1 ** o.step)),
    o.maximize ? -1 : 1,
  ].map(f32Bits);
  const outputs = [param.handle, expAvg.handle, expAvgSq.handle, ...(maxExpAvgSq ? [maxExpAvgSq.handle] : [])] as GpuStorage[];
  gpu.run(
    {
      key: `adamUpdate_:${decoupled ? 'decoupled' : l2 ? 'l2' : 'plain'}:${ams ? 'amsgrad' : 'adam'}`,
      build: () => ({
        inputs: [['G', 'float32']],
        outputs: [['P', 'float32'], ['Mo', 'float32'], ['Vo', 'float32'], ...(ams ? ([['Xo', 'float32']] as const) : [])],
        metaWords: 16,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (i >= metaU(0u)) { return; }
  let pi = metaU(1u) + i; let gi = metaU(2u) + i; let mi = metaU(3u) + i; let vi = metaU(4u) + i;
  var p = P[pi];
  var g = metaF(15u) * G[gi];
  ${decoupled ? 'p = p * metaF(6u);' : l2 ? 'g = g + p * metaF(7u);' : ''}
  let m = Mo[mi] * metaF(8u) + g * metaF(9u);
  let v = Vo[vi] * metaF(10u) + (g * g) * metaF(11u);
  Mo[mi] = m;
  Vo[vi] = v;
  var second = v;
  ${ams ? 'let xi = metaU(5u) + i; let prev = Xo[xi]; second = select(v, prev, prev >= v); Xo[xi] = second;' : ''}
  let denom = sqrt(second) / metaF(12u) + metaF(13u);
  P[pi] = p + (m / denom) * metaF(14u);
}`,
      }),
    },
    [grad.handle],
    outputs,
    [n, param.offset, grad.offset, expAvg.offset, expAvgSq.offset, maxExpAvgSq ? maxExpAvgSq.offset : 0, ...scalars],
    Math.ceil(n / WG),
  );
};
