import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapBinary } from '../util.js';

const or = (x: number, y: number): number => (x || y ? 1 : 0);
const plus = (x: number, y: number): number => x + y;

export const add: Kernel<'add', CpuBackend> = (ctx, a, b) =>
  a.dtype === 'bool' ? mapBinary(ctx, a, b, or) : mapBinary(ctx, a, b, plus);
