import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const or = (x: number, y: number): number => (x || y ? 1 : 0);
const plus = (x: number, y: number): number => x + y;

export const add: KernelMap['add'] = (a, b) =>
  a.dtype === 'bool' ? mapBinary(a, b, or) : mapBinary(a, b, plus);
