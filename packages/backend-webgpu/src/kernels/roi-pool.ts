import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { f32Bits } from '../wgsl.js';

const WG = 256;

// metadata: [count, C, H, W, pooledHeight, pooledWidth, spatialScale (f32), N, x offset, x strides ×4, rois offset, rois strides ×2]
const CODE = /* wgsl */ `
// C's round(): halves away from zero (WGSL's round() takes halves to even)
fn roundAway(v: f32) -> f32 {
  let a = abs(v);
  var r = floor(a);
  if (a - r >= 0.5) { r = r + 1.0; }
  return select(r, -r, v < 0.0);
}
// clamped so that the RoI's width stays within i32 (coordinates past 10⁸ pixels bin as if they were at 10⁸)
fn toInt(v: f32) -> i32 { return i32(clamp(v, -1.0e8, 1.0e8)); }
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  let C = metaU(1u);
  let H = i32(metaU(2u));
  let W = i32(metaU(3u));
  let PH = metaU(4u);
  let PW = metaU(5u);
  let pw = e % PW; var q = e / PW;
  let ph = q % PH; q = q / PH;
  let c = q % C; let k = q / C;
  let ro = metaU(13u) + k * metaU(14u);
  let rs = metaU(15u);
  let bf = f32(Rois[ro]);
  let c1 = f32(Rois[ro + rs]);
  let c2 = f32(Rois[ro + 2u * rs]);
  let c3 = f32(Rois[ro + 3u * rs]);
  let c4 = f32(Rois[ro + 4u * rs]);
  let bt = trunc(bf);
  // a batch index outside [0, N) (the front-end rejects it where it can read the RoIs): 0, nothing read
  if (!(bt >= 0.0 && bt < f32(metaU(7u)))) {
    V[e] = 0.0;
    I[e] = -1;
    return;
  }
  // a NaN corner makes every bin edge NaN: the bin is not empty, but no pixel is in it (as the CPU kernel)
  if (isNan(c1) || isNan(c2) || isNan(c3) || isNan(c4)) {
    V[e] = bitcast<f32>(0xff7fffffu);
    I[e] = -1;
    return;
  }
  let scale = metaF(6u);
  let xs = toInt(roundAway(c1 * scale));
  let ys = toInt(roundAway(c2 * scale));
  let xe = toInt(roundAway(c3 * scale));
  let ye = toInt(roundAway(c4 * scale));
  // malformed RoIs are 1×1
  let rw = max(xe - xs + 1, 1);
  let rh = max(ye - ys + 1, 1);
  let binH = f32(rh) / f32(PH);
  let binW = f32(rw) / f32(PW);
  let h0 = clamp(toInt(floor(f32(ph) * binH)) + ys, 0, H);
  let h1 = clamp(toInt(ceil(f32(ph + 1u) * binH)) + ys, 0, H);
  let w0 = clamp(toInt(floor(f32(pw) * binW)) + xs, 0, W);
  let w1 = clamp(toInt(ceil(f32(pw + 1u) * binW)) + xs, 0, W);
  // an empty bin is 0 with argmax -1; NaN never wins (torchvision compares with >)
  var best = select(bitcast<f32>(0xff7fffffu), 0.0, h1 <= h0 || w1 <= w0); // -FLT_MAX, or 0
  var bi = -1;
  let base = metaU(8u) + u32(bt) * metaU(9u) + c * metaU(10u);
  let sy = metaU(11u); let sx = metaU(12u);
  for (var h = h0; h < h1; h++) {
    for (var w = w0; w < w1; w++) {
      let v = X[base + u32(h) * sy + u32(w) * sx];
      if (v > best) { best = v; bi = h * W + w; }
    }
  }
  V[e] = best;
  I[e] = bi;
}`;

/**
 * torchvision's `roi_pool`, one thread per output element `(k, c, ph, pw)`: the RoI's corners
 * scaled and rounded half away from zero (C's `round`), at least 1×1, the bin `[floor(ph·h/PH),
 * ceil((ph+1)·h/PH))` shifted by the RoI's corner and clipped to the image; the maximum over the bin
 * (the first one on ties, NaN never wins; `-FLT_MAX` when nothing exceeds it) and its int32
 * position in the `H·W` plane, or 0 and -1 for an empty bin. As the CPU kernel where torchvision's
 * integer conversions are undefined: a RoI with a NaN corner gives `-FLT_MAX` and -1. Corners
 * beyond ±10⁸ pixels (±∞ included) count as ±10⁸. A batch index outside `[0, N)` (rejected by the
 * front-end where it can read the RoIs) gives 0 and -1 without reading the input.
 */
export const roiPool: Kernel<'roiPool', WebGPUBackend> = (ctx, x, rois, { pooledHeight, pooledWidth, spatialScale }) => {
  const gpu = ctx.backend;
  const count = shapeSize(ctx.shape);
  const values = gpu.allocOutput(ctx.dtype, count);
  const indices = gpu.allocOutput('int32', count);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  gpu.run(
    {
      key: `roiPool:${x.dtype}:${rois.dtype}`,
      build: () => ({
        inputs: [
          ['X', x.dtype],
          ['Rois', rois.dtype],
        ],
        outputs: [
          ['V', ctx.dtype],
          ['I', 'int32'],
        ],
        metaWords: 16,
        code: CODE,
      }),
    },
    [x.handle, rois.handle],
    [values, indices],
    [count, c, h, w, pooledHeight, pooledWidth, f32Bits(spatialScale), n, x.offset, ...x.strides, rois.offset, rois.strides[0]!, rois.strides[1]!],
    Math.ceil(count / WG),
  );
  return [
    { handle: values, shape: ctx.shape, dtype: ctx.dtype },
    { handle: indices, shape: ctx.shape, dtype: 'int32' },
  ];
};
