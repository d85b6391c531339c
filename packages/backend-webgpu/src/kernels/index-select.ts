import { shapeSize, type KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { linearIndexing } from '../indexing.js';

const WG = 256;

/**
 * `out[o, k, i] = x[o, index[k], i]` (`o` the dims before `dim`, `i` those after): one thread per
 * output element; `x` (its `dim` term left out) and the 1-d index are read through their strides.
 */
export const indexSelect: KernelMap['indexSelect'] = (x, index, { dim }) => {
  const gpu = gpuOf(x);
  const k = shapeSize(index.shape);
  const shape = [...x.shape];
  shape[dim] = k;
  const count = shapeSize(shape);
  const out = gpu.allocOutput(x.dtype, count);
  const result = { handle: out, shape, dtype: x.dtype };
  if (count === 0) return result;
  const indexStride = index.shape.length === 0 ? 0 : index.strides[0]!;
  const ix = linearIndexing(shape, [
    { strides: x.strides.map((s, d) => (d === dim ? 0 : s)), offset: x.offset },
    { strides: shape.map((_, d) => (d === dim ? indexStride : 0)), offset: index.offset },
  ]);
  gpu.run(
    {
      key: `indexSelect:${x.dtype}:${ix.key}`,
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
};
