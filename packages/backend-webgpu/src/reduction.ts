/**
 * Parallel reductions (`sum`, and `max`/`min` with indices, which `argmax`/`argmin` reuse). The
 * input is split into kept dims (one output element each) and reduced dims, both read through
 * their strides. Two program shapes:
 *
 * - `row`: a workgroup of 256 threads per output element (or per chunk of one: when there are few
 *   outputs and long lanes, each lane is cut into chunks reduced by separate workgroups, and a
 *   second pass folds the partial results); threads stride over the lane, then a tree in
 *   workgroup memory folds their results.
 * - `col`: one thread per output element looping over its lane, for short lanes, or when
 *   neighbouring outputs are neighbours in memory (a sum over the batch dim) so that the loads of
 *   a warp coalesce.
 *
 * `max`/`min` carry (value, index) pairs: NaN beats everything (the first NaN wins), ties keep the
 * smaller index, exactly as the CPU kernel's sequential scan.
 */
import { shapeSize, type DType, type Shape } from '@tensorgrad/tensor';
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from './backend.js';
import { linearIndexing, type LinearIndexing } from './indexing.js';
import { wgslType } from './wgsl.js';

const WG = 256;
const EMPTY = 0xffffffff;

/** What is folded: a sum, or an arg-reduction that keeps values and indices. */
type Fold = 'sum' | 'max' | 'min';

interface Plan {
  outer: number;
  inner: number;
  kept: LinearIndexing;
  red: LinearIndexing;
  /** Whether consecutive outputs are consecutive in memory (the kept dims' innermost stride is 1). */
  keptContiguous: boolean;
}

function plan(x: KernelTensor, dims: readonly number[]): Plan {
  const nd = x.shape.length;
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  for (let d = 0; d < nd; d++) {
    if (dims.includes(d)) {
      redShape.push(x.shape[d]!);
      redStrides.push(x.strides[d]!);
    } else {
      keptShape.push(x.shape[d]!);
      keptStrides.push(x.strides[d]!);
    }
  }
  const kept = linearIndexing(keptShape, [{ strides: keptStrides, offset: x.offset }]);
  const red = linearIndexing(redShape, [{ strides: redStrides, offset: 0 }]);
  let innermost = -1;
  for (let d = keptShape.length - 1; d >= 0; d--) {
    if (keptShape[d] !== 1) {
      innermost = keptStrides[d]!;
      break;
    }
  }
  return { outer: shapeSize(keptShape), inner: shapeSize(redShape), kept, red, keptContiguous: innermost === 1 };
}

function foldHelpers(fold: Fold, t: string): string {
  if (fold === 'sum') return '';
  const cmp = fold === 'max' ? '>' : '<';
  const nan = t === 'f32' ? 'let vn = isNan(v); let bn = isNan(best); if (vn || bn) { return vn && (!bn || vi < bi); }' : '';
  return `
fn better(v: ${t}, vi: u32, best: ${t}, bi: u32) -> bool {
  if (vi == ${EMPTY}u) { return false; }
  if (bi == ${EMPTY}u) { return true; }
  ${nan}
  if (v ${cmp} best) { return true; }
  return v == best && vi < bi;
}`;
}

interface Variant {
  fold: Fold;
  shape: 'row' | 'col';
  /** The input dtype and the accumulator/output dtype. */
  inType: DType;
  outType: DType;
  /** Second pass over partial results (contiguous `[outer, chunks]`, indices read from `xi`). */
  partials: boolean;
}

// metadata: [outer, inner, chunks, chunkLen, ...kept indexing, ...reduced indexing]
function programFor(v: Variant, kept: LinearIndexing, red: LinearIndexing) {
  const tIn = wgslType(v.inType);
  const tAcc = wgslType(v.outType);
  const indexed = v.fold !== 'sum';
  const key = `reduce:${v.fold}:${v.shape}:${v.inType}>${v.outType}:${v.partials ? 'p' : `${kept.key}|${red.key}`}`;
  const keptBase = 4;
  const redBase = 4 + kept.meta.length;
  const zero = tAcc === 'f32' ? '0.0' : tAcc === 'i32' ? '0' : '0u';
  const load = (offset: string): string => (tIn === tAcc ? `x[${offset}]` : `${tAcc}(x[${offset}])`);
  const step = (offset: string, index: string): string =>
    indexed
      ? `{ let v = x[${offset}]; let vi = ${v.partials ? `u32(xi[${offset}])` : index}; if (better(v, vi, acc, ai)) { acc = v; ai = vi; } }`
      : `acc = acc + ${load(offset)};`;
  const koStmts = v.partials ? 'let ko_ = o * metaU(1u);' : kept.wgsl(keptBase, ['ko_'], 'o', 'k');
  const roStmts = (r: string): string => (v.partials ? `let ro_ = ${r};` : red.wgsl(redBase, ['ro_'], r, 'r'));
  const init = indexed ? `var acc = x[ko_]; var ai = ${EMPTY}u;` : `var acc = ${zero};`;
  const write = indexed ? 'out[g_] = acc; outIdx[g_] = i32(ai);' : 'out[g_] = acc;';
  const inputs = v.partials && indexed ? ([['x', v.inType], ['xi', 'int32']] as const) : ([['x', v.inType]] as const);
  const outputs = indexed ? ([['out', v.outType], ['outIdx', 'int32']] as const) : ([['out', v.outType]] as const);
  let code: string;
  if (v.shape === 'col') {
    code = `
${foldHelpers(v.fold, tAcc)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (o >= metaU(0u)) { return; }
  let g_ = o;
  ${koStmts}
  ${init}
  for (var r = 0u; r < metaU(1u); r = r + 1u) {
    ${roStmts('r')}
    ${step('ko_ + ro_', 'r')}
  }
  ${write}
}`;
  } else {
    const shared = indexed ? `var<workgroup> sv: array<${tAcc}, ${WG}>;\nvar<workgroup> si: array<u32, ${WG}>;` : `var<workgroup> sv: array<${tAcc}, ${WG}>;`;
    const merge = indexed
      ? 'if (better(sv[lid + s], si[lid + s], sv[lid], si[lid])) { sv[lid] = sv[lid + s]; si[lid] = si[lid + s]; }'
      : 'sv[lid] = sv[lid] + sv[lid + s];';
    code = `
${foldHelpers(v.fold, tAcc)}
${shared}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g_ = flatWorkgroup(wid, nwg);
  let chunks = metaU(2u);
  if (g_ >= metaU(0u) * chunks) { return; }
  let o = g_ / chunks;
  let r0 = (g_ % chunks) * metaU(3u);
  let r1 = min(metaU(1u), r0 + metaU(3u));
  ${koStmts}
  ${init}
  for (var r = r0 + lid; r < r1; r = r + ${WG}u) {
    ${roStmts('r')}
    ${step('ko_ + ro_', 'r')}
  }
  sv[lid] = acc;
  ${indexed ? 'si[lid] = ai;' : ''}
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { ${merge} }
    workgroupBarrier();
  }
  if (lid == 0u) { acc = sv[0]; ${indexed ? 'ai = si[0];' : ''} ${write} }
}`;
  }
  return {
    key,
    build: () => ({ inputs, outputs, metaWords: v.partials ? 4 : redBase + red.meta.length, code }),
  };
}

function dispatch(gpu: WebGPUBackend, v: Variant, p: Plan, chunks: number, inputs: GpuStorage[], outputs: GpuStorage[], outer: number, inner: number): void {
  const chunkLen = Math.ceil(inner / chunks);
  const meta = v.partials ? [outer, inner, chunks, chunkLen] : [outer, inner, chunks, chunkLen, ...p.kept.meta, ...p.red.meta];
  const workgroups = v.shape === 'col' ? Math.ceil(outer / WG) : outer * chunks;
  gpu.run(programFor(v, p.kept, p.red), inputs, outputs, meta, workgroups);
}

function reduce(gpu: WebGPUBackend, x: KernelTensor, dims: readonly number[], outShape: Shape, fold: Fold, outType: DType): [KernelResult, KernelResult | null] {
  const p = plan(x, dims);
  const indexed = fold !== 'sum';
  const { outer, inner } = p;
  const values = gpu.allocOutput(outType, outer, { zero: inner === 0 });
  const indices = indexed ? gpu.allocOutput('int32', outer) : null;
  const result = (): [KernelResult, KernelResult | null] => [
    { handle: values, shape: outShape, dtype: outType },
    indices ? { handle: indices, shape: outShape, dtype: 'int32' } : null,
  ];
  if (outer === 0) return result();
  if (inner === 0) {
    if (indexed) throw new RangeError(`${fold}: cannot reduce an empty dimension (it has no ${fold === 'max' ? 'maximum' : 'minimum'})`);
    return result();
  }
  const outs = indices ? [values, indices] : [values];
  const base: Variant = { fold, shape: 'row', inType: x.dtype, outType, partials: false };
  if (inner <= 16 || (p.keptContiguous && outer >= 1024)) {
    dispatch(gpu, { ...base, shape: 'col' }, p, 1, [x.handle as GpuStorage], outs, outer, inner);
    return result();
  }
  // enough workgroups to fill a GPU, but chunks of at least 2048 elements
  const chunks = Math.max(1, Math.min(Math.ceil(256 / outer), Math.ceil(inner / 2048)));
  if (chunks === 1) {
    dispatch(gpu, base, p, 1, [x.handle as GpuStorage], outs, outer, inner);
    return result();
  }
  const pv = gpu.allocOutput(outType, outer * chunks);
  const pi = indexed ? gpu.allocOutput('int32', outer * chunks) : null;
  try {
    dispatch(gpu, base, p, chunks, [x.handle as GpuStorage], pi ? [pv, pi] : [pv], outer, inner);
    const second: Variant = { fold, shape: chunks <= 16 ? 'col' : 'row', inType: outType, outType, partials: true };
    dispatch(gpu, second, p, 1, pi ? [pv, pi] : [pv], outs, outer, chunks);
  } finally {
    gpu.free(pv);
    if (pi) gpu.free(pi);
  }
  return result();
}

/**
 * Sums `x` over the sorted dims `dims` on `gpu` (int32 and bool sum to int32) into a result of
 * `outShape` (the kernel's `ctx.shape`: the kept dims, with or without the reduced ones as 1s).
 *
 * @example
 * ```ts
 * import { reduceSum, type WebGPUBackend } from '@tensorgrad/backend-webgpu';
 * import type { KernelTensor } from '@tensorgrad/tensor/backend';
 * const rowSums = (gpu: WebGPUBackend, x: KernelTensor) => reduceSum(gpu, x, [1], [x.shape[0]!]);
 * ```
 */
export function reduceSum(gpu: WebGPUBackend, x: KernelTensor, dims: readonly number[], outShape: Shape): KernelResult {
  return reduce(gpu, x, dims, outShape, 'sum', x.dtype === 'float32' ? 'float32' : 'int32')[0];
}

/**
 * `[values, indices]` of the maximum (`'max'`) or minimum along `dim` on `gpu`, or over all
 * elements when `dim` is null (indices into the flattened tensor), both of `outShape` (the
 * kernel's `ctx.shape`).
 *
 * @example
 * ```ts
 * import { reduceWithIndex, type WebGPUBackend } from '@tensorgrad/backend-webgpu';
 * import type { KernelTensor } from '@tensorgrad/tensor/backend';
 * const rowMax = (gpu: WebGPUBackend, x: KernelTensor) => reduceWithIndex(gpu, x, 1, [x.shape[0]!], 'max');
 * ```
 */
export function reduceWithIndex(gpu: WebGPUBackend, x: KernelTensor, dim: number | null, outShape: Shape, fold: 'max' | 'min'): [KernelResult, KernelResult] {
  const dims = dim === null ? x.shape.map((_, d) => d) : [dim];
  const [values, indices] = reduce(gpu, x, dims, outShape, fold, x.dtype);
  return [values, indices!];
}
