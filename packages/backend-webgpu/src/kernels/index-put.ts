import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { linearIndexing } from '../indexing.js';
import { atomicAddWgsl } from '../wgsl.js';

const WG = 256;

/**
 * Rows of `x` `[P, R]` overwritten (or, with `accumulate`, incremented) by the rows of `values`
 * at `index`: the output starts as a contiguous copy of `x`, then one thread per `(m, j)` of
 * `values` stores (or atomically adds) its element at `index[m]·R + j`. Repeated rows without
 * `accumulate`: one of the values wins (unspecified which, as in PyTorch on the GPU); with it,
 * float32 sums land in thread order.
 */
export const indexPut: Kernel<'indexPut', WebGPUBackend> = (ctx, x, index, values, { accumulate }) => {
  const gpu = ctx.backend;
  const copy = mapElementwise(gpu, { name: 'copy', inputs: [x], outDtype: ctx.dtype, expr: 'a' });
  const r = x.shape[1]!;
  const shape = [index.shape[0]!, r];
  const count = shapeSize(shape);
  if (count === 0) return copy;
  const ix = linearIndexing(shape, [{ strides: [index.strides[0]!, 0], offset: index.offset }, values, { strides: [0, 1], offset: 0 }]);
  const store = accumulate ? atomicAddWgsl(ctx.dtype, 'o') : 'Out[o] = v;';
  gpu.run(
    {
      key: `indexPut:${ctx.dtype}:${accumulate}:${ix.key}`,
      build: () => ({
        inputs: [
          ['Idx', 'int32'],
          ['Vals', ctx.dtype],
        ],
        outputs: [accumulate ? ['Out', ctx.dtype, 'atomic'] : ['Out', ctx.dtype]],
        metaWords: 2 + ix.meta.length,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  ${ix.wgsl(2, ['io_', 'vo_', 'oo_'], 'e')}
  let o = oo_ + u32(Idx[io_]) * metaU(1u);
  let v = Vals[vo_];
  ${store}
}`,
      }),
    },
    [index.handle, values.handle],
    [copy.handle as GpuStorage],
    [count, r, ...ix.meta],
    Math.ceil(count / WG),
  );
  return copy;
};
