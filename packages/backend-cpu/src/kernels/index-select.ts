import { shapeSize, type KernelMap } from '@tensorgrad/tensor';
import { numbers, result, stridedOffsets } from '../util.js';

// out[o, k, i] = x[o, index[k], i] with `o` the dims before `dim` and `i` those after
export const indexSelect: KernelMap['indexSelect'] = (x, index, { dim }) => {
  const k = shapeSize(index.shape);
  const shape = [...x.shape];
  shape[dim] = k;
  const { out, data } = result(shape, x.dtype);
  if (data.length === 0) return out;
  const src = numbers(x);
  const idx = numbers(index);
  const idxOffs = stridedOffsets(index);
  const before = x.shape.slice(0, dim);
  const after = x.shape.slice(dim + 1);
  // storage offsets of the leading and trailing sub-blocks (strided inputs are fine)
  const lead = stridedOffsets({ ...x, shape: before, strides: x.strides.slice(0, dim), offset: 0 });
  const trail = stridedOffsets({ ...x, shape: after, strides: x.strides.slice(dim + 1), offset: 0 });
  const sd = x.strides[dim]!;
  let w = 0;
  for (let o = 0; o < lead.length; o++) {
    for (let j = 0; j < k; j++) {
      const base = x.offset + lead[o]! + idx[idxOffs[j]!]! * sd;
      for (let i = 0; i < trail.length; i++) data[w++] = src[base + trail[i]!]!;
    }
  }
  return out;
};
