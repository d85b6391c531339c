import { shapeSize, type KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { linearIndexing } from '../indexing.js';

const WG = 256;

/**
 * `out[…, j, …] = x[…, index[…, j, …], …]` along `dim`: one thread per output (= index) element;
 * the index and `x` (its `dim` term left out, added from the index value) are read through their
 * strides.
 */
export const gather: KernelMap['gather'] = (x, index, { dim }) => {
  const gpu = gpuOf(x);
  const shape = index.shape;
  const count = shapeSize(shape);
  const out = gpu.allocOutput(x.dtype, count);
  const result = { handle: out, shape, dtype: x.dtype };
  if (count === 0) return result;
  const ix = linearIndexing(shape, [index, { strides: x.strides.map((s, d) => (d === dim ? 0 : s)), offset: x.offset }]);
  gpu.run(
    {
      key: `gather:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype], ['Idx', 'int32']],
        outputs: [['Out', x.dtype]],
        metaWords: 2 + ix.meta.length,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  ${ix.wgsl(2, ['io_', 'xo_'], 'e')}
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
};
