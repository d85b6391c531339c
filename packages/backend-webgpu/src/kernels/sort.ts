import { shapeSize, type DType } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { linearIndexing } from '../indexing.js';
import { wgslType } from '../wgsl.js';

const WG = 64;
/** Lanes longer than this take the bitonic network (n log² n) instead of the rank kernel (n²). */
const RANK_MAX = 1024;

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
 * Two ways, neither with a loop over the data in JS. Lanes of up to 1024 elements: a rank sort,
 * one thread per element: element k of a lane goes to position #{ j : x[j] sorts before x[k], or
 * ties with it and j < k }, which is the stable order; each thread reads its whole lane, so a lane
 * costs n² comparisons over n threads, in one dispatch. Longer lanes: a bitonic network over
 * (value, position) pairs padded to a power of two, compared by value and then by position (a
 * total order, so the unstable network gives the stable result): log²(n)/2 dispatches of n/2
 * compare-exchanges each.
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
  if (n > RANK_MAX) {
    bitonic(gpu, x, dim, n, inner, sd, descending, vals, idx);
    return results;
  }
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

/** The bitonic path of {@link sort} for lanes longer than {@link RANK_MAX}. */
function bitonic(
  gpu: WebGPUBackend,
  x: Parameters<Kernel<'sort', WebGPUBackend>>[1],
  dim: number,
  n: number,
  inner: number,
  sd: number,
  descending: boolean,
  vals: ReturnType<WebGPUBackend['allocOutput']>,
  idx: ReturnType<WebGPUBackend['allocOutput']>,
): void {
  const nd = x.shape.length;
  const lanes = shapeSize(x.shape) / n;
  let p = 1;
  while (p < n) p *= 2;
  const keys = gpu.allocOutput(x.dtype, lanes * p);
  const pos = gpu.allocOutput('int32', lanes * p);
  const rest = [...Array(nd).keys()].filter((d) => d !== dim);
  const ix = linearIndexing(
    rest.map((d) => x.shape[d]!),
    [{ strides: rest.map((d) => x.strides[d]!), offset: x.offset }],
  );
  const head = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = flatWorkgroup(wid, nwg) * ${WG}u + lid;`;
  // load: pair (x[lane, q], q) for q < n; positions >= n are padding (they sort last)
  gpu.run(
    {
      key: `sort:bitonic-load:${x.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', x.dtype]],
        outputs: [
          ['K', x.dtype],
          ['P', 'int32'],
        ],
        metaWords: 4 + ix.meta.length,
        code: `${head}
  if (t >= metaU(0u)) { return; }
  let n = metaU(1u);
  let p = metaU(2u);
  let sd = metaU(3u);
  let lane = t / p;
  let q = t % p;
  ${ix.wgsl(4, ['xo_'], 'lane')}
  P[t] = i32(q);
  if (q < n) { K[t] = X[xo_ + q * sd]; }
}`,
      }),
    },
    [x.handle],
    [keys, pos],
    [lanes * p, n, p, sd, ...ix.meta],
    Math.ceil((lanes * p) / WG),
  );
  const half = (lanes * p) / 2;
  for (let k = 2; k <= p; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) {
      gpu.run(
        {
          key: `sort:bitonic-step:${x.dtype}:${descending ? 'desc' : 'asc'}`,
          build: () => ({
            inputs: [],
            outputs: [
              ['K', x.dtype],
              ['P', 'int32'],
            ],
            metaWords: 5,
            code: `${order(x.dtype, descending)}
// pair a sorts before pair b: padding last, then by value, then by position
fn first(ak: ${wgslType(x.dtype)}, ap: i32, bk: ${wgslType(x.dtype)}, bp: i32, n: i32) -> bool {
  if (ap >= n) { return false; }
  if (bp >= n) { return true; }
  if (before(ak, bk)) { return true; }
  if (before(bk, ak)) { return false; }
  return ap < bp;
}
${head}
  if (t >= metaU(0u)) { return; }
  let n = i32(metaU(1u));
  let p = metaU(2u);
  let k = metaU(3u);
  let j = metaU(4u);
  let halfP = p / 2u;
  let lane = t / halfP;
  let q = t % halfP;
  let i = (q / j) * 2u * j + q % j;
  let a = lane * p + i;
  let b = a + j;
  let ak = K[a];
  let ap = P[a];
  let bk = K[b];
  let bp = P[b];
  let up = (i & k) == 0u;
  let swap = select(first(ak, ap, bk, bp, n), first(bk, bp, ak, ap, n), up);
  if (swap) {
    K[a] = bk;
    P[a] = bp;
    K[b] = ak;
    P[b] = ap;
  }
}`,
          }),
        },
        [],
        [keys, pos],
        [half, n, p, k, j],
        Math.ceil(half / WG),
      );
    }
  }
  // store: output element e (contiguous, x's shape) is entry (e / inner) % n of its lane
  const count = lanes * n;
  gpu.run(
    {
      key: `sort:bitonic-store:${x.dtype}`,
      build: () => ({
        inputs: [
          ['K', x.dtype],
          ['P', 'int32'],
        ],
        outputs: [
          ['Vals', x.dtype],
          ['Idx', 'int32'],
        ],
        metaWords: 4,
        code: `${head}
  if (t >= metaU(0u)) { return; }
  let n = metaU(1u);
  let p = metaU(2u);
  let inner = metaU(3u);
  let lane = (t / (n * inner)) * inner + t % inner;
  let src = lane * p + (t / inner) % n;
  Vals[t] = K[src];
  Idx[t] = P[src];
}`,
      }),
    },
    [keys, pos],
    [vals, idx],
    [count, n, p, inner],
    Math.ceil(count / WG),
  );
  gpu.free(keys);
  gpu.free(pos);
}
