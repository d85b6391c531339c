import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { f32Bits, wgslType } from '../wgsl.js';

const WG = 256;

/**
 * Constant padding (`pad` in PyTorch order, last dim first; negative amounts crop): one thread per
 * output element maps each coordinate back into the input (read through its strides) or writes
 * the fill value.
 */
export const pad: Kernel<'pad', WebGPUBackend> = (ctx, x, { pad: p, value }) => {
  const { backend: gpu, shape } = ctx;
  const nd = x.shape.length;
  const before = new Array<number>(nd).fill(0);
  for (let k = 0; k < p.length / 2; k++) before[nd - 1 - k] = p[2 * k]!;
  const count = shapeSize(shape);
  const out = gpu.allocOutput(x.dtype, count);
  const result = { handle: out, shape, dtype: x.dtype };
  if (count === 0) return result;
  const t = wgslType(x.dtype);
  const fill = x.dtype === 'float32' ? f32Bits(value) : x.dtype === 'int32' ? value | 0 : value ? 1 : 0;
  // metadata: [count, x offset, fill bits, then per dim (innermost first): out size, before, in size, in stride]
  const dims: number[] = [];
  for (let d = nd - 1; d >= 0; d--) dims.push(shape[d]!, before[d]!, x.shape[d]!, x.strides[d]!);
  gpu.run(
    {
      key: `pad:${x.dtype}:r${nd}`,
      build: () => ({
        inputs: [['X', x.dtype]],
        outputs: [['Out', x.dtype]],
        metaWords: 3 + 4 * nd,
        code: `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (e >= metaU(0u)) { return; }
  var rem = e;
  var off = metaU(1u);
  var inside = true;
  for (var d = 0u; d < ${nd}u; d = d + 1u) {
    let w = 3u + 4u * d;
    let c = i32(rem % metaU(w)) - metaI(w + 1u);
    rem = rem / metaU(w);
    if (c < 0 || c >= i32(metaU(w + 2u))) { inside = false; } else { off = off + u32(c) * metaU(w + 3u); }
  }
  if (inside) { Out[e] = X[off]; } else { Out[e] = bitcast<${t}>(metaU(2u)); }
}`,
      }),
    },
    [x.handle],
    [out],
    [count, x.offset, fill, ...dims],
    Math.ceil(count / WG),
  );
  return result;
};
