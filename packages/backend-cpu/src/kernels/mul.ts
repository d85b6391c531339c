import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const times = (x: number, y: number): number => x * y;

export const mul: KernelMap['mul'] =
  (a, b) => (a.dtype === 'int32' ? mapBinary(a, b, Math.imul) : mapBinary(a, b, times));
