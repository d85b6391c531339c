import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapBinary } from '../util.js';

const difference = (x: number, y: number): number => x - y;

/** Element-wise `a - b` (int32 wraps like PyTorch's int arithmetic through the Int32Array store). */
export const sub: Kernel<'sub', CpuBackend> = (ctx, a, b) => mapBinary(ctx, a, b, difference);
