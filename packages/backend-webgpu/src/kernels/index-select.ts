import { shapeSize, type KernelMap } from '@tensorgrad/tensor';
import { selectAlong } from './select-along.js';

/**
 * `out[o, k, i] = x[o, index[k], i]` (`o` the dims before `dim`, `i` those after): one thread per
 * output element; `x` (its `dim` term left out) and the 1-d index are read through their strides.
 */
export const indexSelect: KernelMap['indexSelect'] = (x, index, { dim }) => {
  const shape = [...x.shape];
  shape[dim] = shapeSize(index.shape);
  const indexStride = index.shape.length === 0 ? 0 : index.strides[0]!;
  return selectAlong('indexSelect', x, index, { strides: shape.map((_, d) => (d === dim ? indexStride : 0)), offset: index.offset }, dim, shape);
};
