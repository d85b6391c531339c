import { contiguousStrides, type KernelMap } from '@tensorgrad/tensor';
import { isContiguous, numbers, result, stridedOffsets } from '../util.js';

// copy x, then add each src element (over the index's extent) at its indexed position
export const scatterAdd: KernelMap['scatterAdd'] = (x, index, src, { dim }) => {
  const { out, data } = result(x.shape, x.dtype);
  const xs = numbers(x);
  if (isContiguous(x)) {
    for (let i = 0; i < data.length; i++) data[i] = xs[x.offset + i]!;
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < data.length; i++) data[i] = xs[offs[i]!]!;
  }
  const idx = numbers(index);
  const s = numbers(src);
  const idxOffs = stridedOffsets(index);
  const n = idxOffs.length;
  const nd = index.shape.length;
  const walk = contiguousStrides(index.shape);
  const outStrides = contiguousStrides(x.shape);
  const bool = x.dtype === 'bool';
  for (let i = 0; i < n; i++) {
    let rem = i;
    let o = 0;
    let so = src.offset;
    for (let d = 0; d < nd; d++) {
      const c = Math.floor(rem / walk[d]!);
      rem -= c * walk[d]!;
      o += (d === dim ? idx[idxOffs[i]!]! : c) * outStrides[d]!;
      so += c * src.strides[d]!;
    }
    data[o] = bool ? (data[o]! || s[so]! ? 1 : 0) : data[o]! + s[so]!;
  }
  return out;
};
