import type { KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { reduceWithIndex } from '../reduction.js';

export const argmax: KernelMap['argmax'] = (x, { dim, keepdim }) => {
  const [values, indices] = reduceWithIndex(x, dim, keepdim, 'max');
  gpuOf(x).free(values.handle);
  return indices;
};
