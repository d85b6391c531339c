import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { numbers, stridedOffsets } from '../util.js';

export const oneHot: Kernel<'oneHot', CpuBackend> = (ctx, x, { numClasses }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const src = numbers(x);
  const offs = stridedOffsets(x);
  for (let i = 0; i < offs.length; i++) data[i * numClasses + src[offs[i]!]!] = 1;
  return out;
};
