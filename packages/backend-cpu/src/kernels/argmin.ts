import type { KernelMap } from '@tensorgrad/tensor';
import { freeBuffer } from '../util.js';
import type { CpuBuffer } from '../backend.js';
import { reduceWithIndex } from './reduce.js';

export const argmin: KernelMap['argmin'] = (x, { dim, keepdim }) => {
  const [values, indices] = reduceWithIndex(x, dim, keepdim, (v, best) => v < best);
  freeBuffer(values.handle as CpuBuffer);
  return indices;
};
