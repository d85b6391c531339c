import { shapeSize, type Shape } from '@tensorgrad/tensor';
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from './backend.js';
import { linearIndexing } from './indexing.js';

const WG = 256;

/**
 * Shared by `gather` and `indexSelect` (not an op): `out[e] = x[xo(e) + index[io(e)] · x.strides[dim]]`
 * for every element `e` of an output of `shape`, one thread each. `xo` is `x`'s offset with its
 * `dim` term left out (added from the index value); `io` reads the index through `indexView`,
 * whose strides are laid out over the output's dims; `shape` is the kernel's `ctx.shape`.
 */
export function selectAlong(
  gpu: WebGPUBackend,
  op: 'gather' | 'indexSelect',
  x: KernelTensor,
  index: KernelTensor,
  indexView: { strides: readonly number[]; offset: number },
  dim: number,
  shape: Shape,
): KernelResult {
  const count = shapeSize(shape);
  const out = gpu.allocOutput(x.dtype, count);
  const result = { handle: out, shape, dtype: x.dtype };
  if (count === 0) return result;
  const ix = linearIndexing(shape, [{ strides: x.strides.map((s, d) => (d === dim ? 0 : s)), offset: x.offset }, indexView]);
  gpu.run(
    {
      key: `${op}:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype], ['Idx', 'int32']],
        outputs: [['Out', x.dtype]],
        metaWords: 2 + ix.meta.length,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  ${ix.wgsl(2, ['xo_', 'io_'], 'e')}
  Out[e] = X[xo_ + u32(Idx[io_]) * metaU(1u)];
}`,
      }),
    },
    [x.handle, index.handle],
    [out],
    [count, x.strides[dim]!, ...ix.meta],
    Math.ceil(count / WG),
  );
  return result;
}
