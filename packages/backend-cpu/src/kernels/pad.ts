import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { numbers, stridedOffsets } from '../util.js';

// fill with the value, then copy the part of the input that lands inside the output (negative
// padding crops, so only the overlapping box is copied)
export const pad: Kernel<'pad', CpuBackend> = (ctx, x, { pad: p, value }) => {
  const nd = x.shape.length;
  const shape = ctx.shape;
  // the padding before each dim (p lists the last dim first)
  const before = new Array<number>(nd).fill(0);
  for (let k = 0; k < p.length / 2; k++) before[nd - 1 - k] = p[2 * k]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  if (data.length === 0) return out;
  if (value !== 0) data.fill(x.dtype === 'bool' ? (value ? 1 : 0) : value);
  // the overlap box in input coordinates: [lo, hi) per dim
  const lo = before.map((b) => Math.max(0, -b));
  const hi = x.shape.map((s, d) => Math.min(s, shape[d]! - before[d]!));
  if (lo.some((l, d) => l >= hi[d]!)) return out;
  const box = lo.map((l, d) => hi[d]! - l);
  const boxView = { ...x, shape: box, offset: x.offset + lo.reduce((s, l, d) => s + l * x.strides[d]!, 0) };
  const srcOffs = stridedOffsets(boxView);
  const os = contiguousStrides(shape);
  const dstView = { ...x, shape: box, strides: os, offset: lo.reduce((s, l, d) => s + (l + before[d]!) * os[d]!, 0) };
  const dstOffs = stridedOffsets(dstView);
  const src = numbers(x);
  for (let i = 0; i < srcOffs.length; i++) data[dstOffs[i]!] = src[srcOffs[i]!]!;
  return out;
};
