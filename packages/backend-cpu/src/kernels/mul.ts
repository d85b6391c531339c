import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapBinary } from '../util.js';

const times = (x: number, y: number): number => x * y;

export const mul: Kernel<'mul', CpuBackend> =
  (ctx, a, b) => (a.dtype === 'int32' ? mapBinary(ctx, a, b, Math.imul) : mapBinary(ctx, a, b, times));
