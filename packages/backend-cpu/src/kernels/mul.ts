import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

export const mul: KernelMap['mul'] =
  (a, b) => (a.dtype === 'int32' ? mapBinary(a, b, (x, y) => Math.imul(x, y)) : mapBinary(a, b, (x, y) => x * y));
