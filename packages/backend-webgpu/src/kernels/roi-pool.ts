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
// one side of bin j: rows (or columns) [lo, hi) of the image, or undefined (an edge is NaN)
struct Edges { undef: bool, lo: i32, hi: i32 }
fn finiteEdges(start: i32, roi: i32, j: u32, pooled: u32, size: i32) -> Edges {
  let bin = f32(roi) / f32(pooled);
  return Edges(false, clamp(toInt(floor(f32(j) * bin)) + start, 0, size), clamp(toInt(ceil(f32(j + 1u) * bin)) + start, 0, size));
}
// the RoI's scaled corners s (start) and e (end) along one side. Where torchvision's integer
// conversions are undefined (NaN or infinite corners), the CPU kernel's IEEE arithmetic: a NaN
// corner, ∞ - ∞, and 0·∞ (bin 0 of an infinitely large RoI) make the edges undefined, an
// infinite start puts both edges on that side of the image, a reversed RoI is 1 wide
fn binEdges(s: f32, e: f32, j: u32, pooled: u32, size: i32) -> Edges {
  if (isNan(s) || isNan(e)) { return Edges(true, 0, 0); }
  let sInf = isInf(s);
  let eInf = isInf(e);
  let sNeg = (bitcast<u32>(s) >> 31u) != 0u;
  let eNeg = (bitcast<u32>(e) >> 31u) != 0u;
  if (!sInf && !eInf) {
    let start = toInt(roundAway(s));
    // malformed RoIs are 1×1
    return finiteEdges(start, max(toInt(roundAway(e)) - start + 1, 1), j, pooled, size);
  }
  if (sInf && eInf && sNeg == eNeg) { return Edges(true, 0, 0); }
  if ((eInf && !eNeg) || (sInf && sNeg)) {
    // an infinitely large RoI: bin 0 starts at 0·∞, the others at ∞ + start
    if (sInf || j == 0u) { return Edges(true, 0, 0); }
    return Edges(false, size, size);
  }
  if (sInf) { return Edges(false, size, size); }
  // a finite start and an end at -∞: 1 wide
  return finiteEdges(toInt(roundAway(s)), 1, j, pooled, size);
}
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
  let scale = metaF(6u);
  let ex = binEdges(c1 * scale, c3 * scale, pw, PW, W);
  let ey = binEdges(c2 * scale, c4 * scale, ph, PH, H);
  // an empty bin is 0 with argmax -1, and so is a bin with an undefined edge (roiPoolBins on the
  // CPU: torchvision gives 0 for a NaN RoI); NaN never wins (torchvision compares with >)
  if (ex.undef || ey.undef || ey.hi <= ey.lo || ex.hi <= ex.lo) {
    V[e] = 0.0;
    I[e] = -1;
    return;
  }
  var best = bitcast<f32>(0xff7fffffu); // -FLT_MAX
  let h0 = ey.lo; let h1 = ey.hi;
  let w0 = ex.lo; let w1 = ex.hi;
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
 * position in the `H·W` plane, or 0 and -1 for an empty bin. Where torchvision's integer
 * conversions are undefined (NaN or infinite corners), the CPU kernel's IEEE arithmetic (see
 * `binEdges`; a bin with an undefined edge is empty, as a NaN RoI is in torchvision); finite corners beyond ±10⁸ pixels count as ±10⁸. A batch index outside `[0, N)`
 * (rejected by the front-end where it can read the RoIs) gives 0 and -1 without reading the input.
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
