import { shapeSize, type DType } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { linearIndexing } from '../indexing.js';
import { wgslType } from '../wgsl.js';

const WG = 64;

// `before(a, b)`: a sorts strictly before b (NaN above every number; the bit tests of isNan
// survive drivers that assume no NaN); `same(a, b)`: a tie (-0 equals 0, NaN equals NaN)
function order(dtype: DType, descending: boolean): string {
  const t = wgslType(dtype);
  if (t !== 'f32') {
    return `fn before(a: ${t}, b: ${t}) -> bool { return a ${descending ? '>' : '<'} b; }
fn same(a: ${t}, b: ${t}) -> bool { return a == b; }`;
  }
  return `fn before(a: f32, b: f32) -> bool {
  let na = isNan(a);
  let nb = isNan(b);
  if (na || nb) { return ${descending ? 'na && !nb' : '!na && nb'}; }
  return a ${descending ? '>' : '<'} b;
}
fn same(a: f32, b: f32) -> bool {
  let na = isNan(a);
  let nb = isNan(b);
  if (na || nb) { return na && nb; }
  return a == b;
}`;
}

/**
 * A rank sort, one thread per element and no loop over the data in JS: element k of a lane goes
 * to position #{ j : x[j] sorts before x[k], or ties with it and j < k }, which is the stable
 * order. Each thread reads its whole lane (n reads), so a lane of n costs n² comparisons spread
 * over n threads; that is cheap for the row lengths of vision work (class scores, boxes) and
 * needs no shared memory or multi-pass merge, unlike a bitonic network.
 */
export const sort: Kernel<'sort', WebGPUBackend> = (ctx, x, { dim, descending }) => {
  const gpu = ctx.backend;
  const count = shapeSize(x.shape);
  const vals = gpu.allocOutput(x.dtype, count);
  const idx = gpu.allocOutput('int32', count);
  const results: [KernelResult, KernelResult] = [
    { handle: vals, shape: ctx.shape, dtype: ctx.dtype },
    { handle: idx, shape: ctx.shape, dtype: 'int32' },
  ];
  if (count === 0) return results;
  const nd = x.shape.length;
  const n = nd === 0 ? 1 : x.shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < nd; d++) inner *= x.shape[d]!;
  const sd = nd === 0 ? 0 : x.strides[dim]!;
  // each element's lane start: x's offset with the dim term left out
  const ix = linearIndexing(x.shape, [{ strides: x.strides.map((s, d) => (d === dim ? 0 : s)), offset: x.offset }]);
  gpu.run(
    {
      key: `sort:${x.dtype}:${descending ? 'desc' : 'asc'}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype]],
        outputs: [
          ['Vals', x.dtype],
          ['Idx', 'int32'],
        ],
        metaWords: 4 + ix.meta.length,
        code: `${order(x.dtype, descending)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let n = metaU(1u);
  let inner = metaU(2u);
  let sd = metaU(3u);
  ${ix.wgsl(4, ['xo_'], 'e')}
  let k = (e / inner) % n;
  let v = X[xo_ + k * sd];
  var rank = 0u;
  for (var j = 0u; j < n; j++) {
    let w = X[xo_ + j * sd];
    if (before(w, v) || (j < k && same(w, v))) { rank++; }
  }
  let o = e - k * inner + rank * inner;
  Vals[o] = v;
  Idx[o] = i32(k);
}`,
      }),
    },
    [x.handle],
    [vals, idx],
    [count, n, inner, sd, ...ix.meta],
    Math.ceil(count / WG),
  );
  return results;
};
