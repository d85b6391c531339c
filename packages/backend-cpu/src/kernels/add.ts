import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

export const add: KernelMap['add'] = (a, b) =>
  a.dtype === 'bool' ? mapBinary(a, b, (x, y) => (x || y ? 1 : 0)) : mapBinary(a, b, (x, y) => x + y);
