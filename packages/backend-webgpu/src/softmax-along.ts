/**
 * Softmax and log-softmax along one dim (the `softmax` and `logSoftmax` kernels): one thread per
 * lane for short lanes, one workgroup per lane for long ones.
 */
import { shapeSize } from '@tensorgrad/tensor';
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from './backend.js';
import { linearIndexing } from './indexing.js';

const WG_LANE = 64;
const WG_ROW = 256;
/** Lanes longer than this get a workgroup each (a parallel max and sum); shorter ones a thread each. */
const ROW_MIN = 256;

// A lane (the values along `dim` for one position of the other dims) starts at its storage offset
// `lb_` (the other dims read through their strides) and steps by `dim`'s stride; its output is
// contiguous with step `inner`. Subtracting the lane's maximum keeps exp() finite. A NaN or an
// infinite maximum (a NaN in the lane, an all -Infinity lane, a +Infinity) makes the whole lane
// NaN, PyTorch's result too; it is written explicitly, not left to exp/log of NaN and Infinity,
// which drivers that assume finite floats may not honour. -Infinity elements give 0 (log: -Infinity).
function value(log: boolean): string {
  return log ? 'select(v - m - ls, -infF32(), isInf(v))' : 'select(exp(v - m) / s, 0.0, isInf(v))';
}

// metadata: [lanes, len, inner, lane stride, ...lane-base indexing]
function laneProgram(log: boolean, key: string, ixWgsl: string, metaWords: number) {
  const code = /* wgsl */ `
@compute @workgroup_size(${WG_LANE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatWorkgroup(wid, nwg) * ${WG_LANE}u + lid;
  if (r >= metaU(0u)) { return; }
  let len = metaU(1u); let inner = metaU(2u); let sd = metaU(3u);
  ${ixWgsl}
  let ob = (r / inner) * len * inner + r % inner;
  var m = -infF32();
  var bad = false;
  for (var k = 0u; k < len; k = k + 1u) {
    let v = X[lb_ + k * sd];
    if (isNan(v)) { bad = true; } else if (v > m) { m = v; }
  }
  if (bad || isInf(m)) {
    for (var k = 0u; k < len; k = k + 1u) { Out[ob + k * inner] = nanF32(); }
    return;
  }
  var s = 0.0;
  for (var k = 0u; k < len; k = k + 1u) {
    let v = X[lb_ + k * sd];
    if (!isInf(v)) { s = s + exp(v - m); }
  }
  let ls = log(s);
  for (var k = 0u; k < len; k = k + 1u) {
    let v = X[lb_ + k * sd];
    Out[ob + k * inner] = ${value(log)};
  }
}`;
  return { key, build: () => ({ inputs: [['X', 'float32']] as const, outputs: [['Out', 'float32']] as const, metaWords, code }) };
}

function rowProgram(log: boolean, key: string, ixWgsl: string, metaWords: number) {
  const code = /* wgsl */ `
var<workgroup> sm: array<f32, ${WG_ROW}>;
var<workgroup> sbad: array<u32, ${WG_ROW}>;
@compute @workgroup_size(${WG_ROW})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatWorkgroup(wid, nwg);
  if (r >= metaU(0u)) { return; }
  let len = metaU(1u); let inner = metaU(2u); let sd = metaU(3u);
  ${ixWgsl}
  let ob = (r / inner) * len * inner + r % inner;
  var m = -infF32();
  var bad = 0u;
  for (var k = lid; k < len; k = k + ${WG_ROW}u) {
    let v = X[lb_ + k * sd];
    if (isNan(v)) { bad = 1u; } else if (v > m) { m = v; }
  }
  sm[lid] = m;
  sbad[lid] = bad;
  workgroupBarrier();
  for (var h = ${WG_ROW / 2}u; h > 0u; h = h >> 1u) {
    if (lid < h) { sm[lid] = max(sm[lid], sm[lid + h]); sbad[lid] = sbad[lid] | sbad[lid + h]; }
    workgroupBarrier();
  }
  m = sm[0];
  let nan = sbad[0] != 0u || isInf(m);
  workgroupBarrier();
  var s = 0.0;
  for (var k = lid; k < len; k = k + ${WG_ROW}u) {
    let v = X[lb_ + k * sd];
    if (!isInf(v)) { s = s + exp(v - m); }
  }
  sm[lid] = s;
  workgroupBarrier();
  for (var h = ${WG_ROW / 2}u; h > 0u; h = h >> 1u) {
    if (lid < h) { sm[lid] = sm[lid] + sm[lid + h]; }
    workgroupBarrier();
  }
  s = sm[0];
  let ls = log(s);
  for (var k = lid; k < len; k = k + ${WG_ROW}u) {
    let v = X[lb_ + k * sd];
    Out[ob + k * inner] = select(${value(log)}, nanF32(), nan);
  }
}`;
  return { key, build: () => ({ inputs: [['X', 'float32']] as const, outputs: [['Out', 'float32']] as const, metaWords, code }) };
}

/**
 * Softmax (or log-softmax) of `x` along `dim` into a contiguous result, reading `x` through its
 * strides: one thread per lane for short lanes, one workgroup per lane (parallel max and sum in
 * workgroup memory) for long ones.
 */
export function softmaxAlong(gpu: WebGPUBackend, x: KernelTensor, dim: number, log: boolean): KernelResult {
  if (x.dtype !== 'float32') throw new TypeError(`${log ? 'logSoftmax' : 'softmax'}: expected a float32 tensor on webgpu, got ${x.dtype}`);
  const count = shapeSize(x.shape);
  const out = gpu.allocOutput(x.dtype, count);
  const result = { handle: out, shape: x.shape, dtype: x.dtype };
  if (count === 0) return result;
  const scalar = x.shape.length === 0;
  const shape = scalar ? [1] : x.shape;
  const strides = scalar ? [1] : x.strides;
  const d = scalar ? 0 : dim;
  const len = shape[d]!;
  const inner = shapeSize(shape.slice(d + 1));
  const lanes = count / len;
  const rest = linearIndexing(
    shape.filter((_, i) => i !== d),
    [{ strides: strides.filter((_, i) => i !== d), offset: x.offset }],
  );
  const ixWgsl = rest.wgsl(4, ['lb_'], 'r');
  const metaWords = 4 + rest.meta.length;
  const row = len >= ROW_MIN;
  const key = `${log ? 'logSoftmax' : 'softmax'}:${row ? 'row' : 'lane'}:${rest.key}`;
  const program = row ? rowProgram(log, key, ixWgsl, metaWords) : laneProgram(log, key, ixWgsl, metaWords);
  gpu.run(program, [x.handle], [out], [lanes, len, inner, strides[d]!, ...rest.meta], row ? lanes : Math.ceil(lanes / WG_LANE));
  return result;
}
