import { shapeSize } from '@tensorgrad/tensor';
import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { linearIndexing } from '../indexing.js';
import { atomicAddWgsl } from '../wgsl.js';

const WG = 256;

/**
 * Out-of-place `x.scatter_add(dim, index, src)`: the output starts as a contiguous copy of `x`,
 * then one thread per index element adds its `src` element at the indexed position with an atomic
 * (int32 adds are exact; float32 adds land in whatever order the threads run, so repeated indices
 * may round differently from the CPU's sequential sums; bool ORs).
 */
export const scatterAdd: Kernel<'scatterAdd', WebGPUBackend> = (ctx, x, index, src, { dim }) => {
  const gpu = ctx.backend;
  const copy = mapElementwise(gpu, { name: 'copy', inputs: [x], outDtype: ctx.dtype, expr: 'a' });
  const out = copy.handle as GpuStorage;
  const count = shapeSize(index.shape);
  if (count === 0) return copy;
  const outStrides = contiguousStrides(ctx.shape);
  const ix = linearIndexing(index.shape, [index, src, { strides: outStrides.map((s, d) => (d === dim ? 0 : s)), offset: 0 }]);
  gpu.run(
    {
      key: `scatterAdd:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['Idx', 'int32'], ['Src', x.dtype]],
        outputs: [['Out', x.dtype, 'atomic']],
        metaWords: 2 + ix.meta.length,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  ${ix.wgsl(2, ['io_', 'so_', 'oo_'], 'e')}
  let t = oo_ + u32(Idx[io_]) * metaU(1u);
  let v = Src[so_];
  ${atomicAddWgsl(x.dtype, 't')}
}`,
      }),
    },
    [index.handle, src.handle],
    [out],
    [count, outStrides[dim]!, ...ix.meta],
    Math.ceil(count / WG),
  );
  return copy;
};
