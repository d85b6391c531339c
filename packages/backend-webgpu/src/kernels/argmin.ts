import type { KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { reduceWithIndex } from '../reduction.js';

export const argmin: KernelMap['argmin'] = (x, { dim, keepdim }) => {
  const [values, indices] = reduceWithIndex(x, dim, keepdim, 'min');
  gpuOf(x).free(values.handle);
  return indices;
};
