import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { linearIndexing } from '../indexing.js';

const WG = 256;

/** One-hot encoding: one thread per output element `[..., c]` sets `x[...] == c` (int32 0/1), `x` read through its strides. */
export const oneHot: Kernel<'oneHot', WebGPUBackend> = (ctx, x, { numClasses }) => {
  const { backend: gpu, shape } = ctx;
  const count = shapeSize(shape);
  const out = gpu.allocOutput('int32', count);
  const result = { handle: out, shape, dtype: 'int32' as const };
  if (count === 0) return result;
  const ix = linearIndexing(shape, [{ strides: [...x.strides, 0], offset: x.offset }]);
  gpu.run(
    {
      key: `oneHot:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype]],
        outputs: [['Out', 'int32']],
        metaWords: 2 + ix.meta.length,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  ${ix.wgsl(2, ['xo_'], 'e')}
  Out[e] = select(0, 1, i32(X[xo_]) == i32(e % metaU(1u)));
}`,
      }),
    },
    [x.handle],
    [out],
    [count, numClasses, ...ix.meta],
    Math.ceil(count / WG),
  );
  return result;
};
