import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { linearIndexing } from '../indexing.js';

const WG = 64;
/** Elements per chunk: one thread counts, then writes, one chunk. */
const CH = 256;

const NONZERO: Record<string, string> = { float32: '(v != 0.0 || isNan(v))', int32: 'v != 0', bool: 'v != 0u' };

const HEAD = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = flatWorkgroup(wid, nwg) * ${WG}u + lid;`;

/**
 * The first `size` non-zero positions, without reading anything back, in four dispatches: fill
 * the output with `fillValue`; count each chunk's non-zero elements (one thread per chunk of
 * 256); an exclusive running sum of the chunk counts (one thread); then each chunk writes the
 * coordinates of its non-zero elements from its running-sum row on, stopping at `size`.
 */
export const nonzero: Kernel<'nonzero', WebGPUBackend> = (ctx, x, { size, fillValue }) => {
  const gpu = ctx.backend;
  const nd = x.shape.length;
  const n = shapeSize(x.shape);
  const out = gpu.allocOutput('int32', size * nd);
  const result: KernelResult = { handle: out, shape: ctx.shape, dtype: 'int32' };
  if (size * nd === 0) return result;
  gpu.run(
    {
      key: 'nonzero:fill',
      build: () => ({ inputs: [], outputs: [['Out', 'int32']], metaWords: 2, code: `${HEAD}\n  if (t >= metaU(0u)) { return; }\n  Out[t] = metaI(1u);\n}` }),
    },
    [],
    [out],
    [size * nd, fillValue >>> 0],
    Math.ceil((size * nd) / WG),
  );
  if (n === 0) return result;
  const chunks = Math.ceil(n / CH);
  const offsets = gpu.allocOutput('int32', chunks);
  const ix = linearIndexing(x.shape, [x]);
  const test = NONZERO[x.dtype]!;
  // metadata: n, chunks, then the view's indexing
  gpu.run(
    {
      key: `nonzero:count:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype]],
        outputs: [['Counts', 'int32']],
        metaWords: 2 + ix.meta.length,
        code: `${HEAD}
  if (t >= metaU(1u)) { return; }
  let end = min(metaU(0u), (t + 1u) * ${CH}u);
  var k: i32 = 0;
  for (var e = t * ${CH}u; e < end; e++) {
    ${ix.wgsl(2, ['xo_'], 'e')}
    let v = X[xo_];
    if (${test}) { k++; }
  }
  Counts[t] = k;
}`,
      }),
    },
    [x.handle],
    [offsets],
    [n, chunks, ...ix.meta],
    Math.ceil(chunks / WG),
  );
  gpu.run(
    {
      key: 'nonzero:scan',
      build: () => ({
        inputs: [],
        outputs: [['Counts', 'int32']],
        metaWords: 1,
        code: `@compute @workgroup_size(1)
fn main() {
  var acc: i32 = 0;
  for (var c = 0u; c < metaU(0u); c++) { let k = Counts[c]; Counts[c] = acc; acc += k; }
}`,
      }),
    },
    [],
    [offsets],
    [chunks],
    1,
  );
  // metadata: n, chunks, size, then x's shape (nd words), then the view's indexing
  const base = 3 + nd;
  gpu.run(
    {
      key: `nonzero:write:${x.dtype}:${nd}:${ix.key}`,
      build: () => ({
        inputs: [
          ['X', x.dtype],
          ['Offs', 'int32'],
        ],
        outputs: [['Out', 'int32']],
        metaWords: base + ix.meta.length,
        code: `${HEAD}
  if (t >= metaU(1u)) { return; }
  let size = metaU(2u);
  var row = u32(Offs[t]);
  if (row >= size) { return; }
  let end = min(metaU(0u), (t + 1u) * ${CH}u);
  for (var e = t * ${CH}u; e < end; e++) {
    ${ix.wgsl(base, ['xo_'], 'e')}
    let v = X[xo_];
    if (${test}) {
      var r = e;
      for (var d = ${nd - 1}; d >= 0; d--) {
        let s = metaU(3u + u32(d));
        Out[row * ${nd}u + u32(d)] = i32(r % s);
        r = r / s;
      }
      row++;
      if (row >= size) { return; }
    }
  }
}`,
      }),
    },
    [x.handle, offsets],
    [out],
    [n, chunks, size, ...x.shape, ...ix.meta],
    Math.ceil(chunks / WG),
  );
  gpu.free(offsets);
  return result;
};
