import type { KernelMap } from '@tensorgrad/tensor';
import { numbers, result, isContiguous, stridedOffsets } from '../util.js';

export const contiguous: KernelMap['contiguous'] = (x) => {
  const { out, data } = result(x.shape, x.dtype);
  const src = numbers(x);
  if (isContiguous(x)) {
    data.set((src as Float64Array).subarray(x.offset, x.offset + data.length) as never);
    return out;
  }
  const offs = stridedOffsets(x);
  for (let i = 0; i < data.length; i++) data[i] = src[offs[i]!]!;
  return out;
};
