import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel, KernelResult } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { linearIndexing } from '../indexing.js';

const WG = 64;

/**
 * One thread per lane along `dim` walks it in order. float32 sums are compensated (Kahan), so the
 * running sums stay as close to the exact ones as PyTorch's CPU kernel, which accumulates float32
 * in double; int32 wraps. An infinite running sum stays infinite (no Inf − Inf in the compensation).
 */
export const cumsum: Kernel<'cumsum', WebGPUBackend> = (ctx, x, { dim }) => {
  const gpu = ctx.backend;
  const count = shapeSize(x.shape);
  const out = gpu.allocOutput(ctx.dtype, count);
  const result: KernelResult = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  if (count === 0) return result;
  const nd = x.shape.length;
  const n = nd === 0 ? 1 : x.shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < nd; d++) inner *= x.shape[d]!;
  const sd = nd === 0 ? 0 : x.strides[dim]!;
  const lanes = count / n;
  const rest = [...Array(nd).keys()].filter((d) => d !== dim);
  const ix = linearIndexing(
    rest.map((d) => x.shape[d]!),
    [{ strides: rest.map((d) => x.strides[d]!), offset: x.offset }],
  );
  const float = ctx.dtype === 'float32';
  const body = float
    ? `var acc = 0.0;
  var comp = 0.0;
  for (var k = 0u; k < n; k++) {
    let y = X[xo_ + k * sd] - comp;
    // OR-ing a run-time zero into the bits makes the sum opaque, so a driver that reassociates
    // float math (lavapipe does) cannot fold the compensation (t - acc) - y to 0
    let t = bitcast<f32>(bitcast<u32>(acc + y) | zero);
    // once the sum is ±Inf the compensation would be Inf - Inf = NaN: keep it 0 there, so the sum
    // stays ±Inf (as an uncompensated sum does) until an opposite infinity or a NaN makes it NaN
    let finite = (bitcast<u32>(t) & 0x7f800000u) != 0x7f800000u;
    comp = select(0.0, (t - acc) - y, finite);
    acc = t;
    Out[base + k * inner] = acc;
  }`
    : `var acc = 0i;
  for (var k = 0u; k < n; k++) {
    acc = acc + X[xo_ + k * sd];
    Out[base + k * inner] = acc;
  }`;
  gpu.run(
    {
      key: `cumsum:${ctx.dtype}:${ix.key}`,
      build: () => ({
        inputs: [['X', ctx.dtype]],
        outputs: [['Out', ctx.dtype]],
        metaWords: 5 + ix.meta.length,
        code: `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let l = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (l >= metaU(0u)) { return; }
  let n = metaU(1u);
  let inner = metaU(2u);
  let sd = metaU(3u);
  let zero = metaU(4u);
  ${ix.wgsl(5, ['xo_'], 'l')}
  let base = (l / inner) * n * inner + l % inner;
  ${body}
}`,
      }),
    },
    [x.handle],
    [out],
    [lanes, n, inner, sd, 0, ...ix.meta],
    Math.ceil(lanes / WG),
  );
  return result;
};
