import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const difference = (x: number, y: number): number => x - y;

/** Element-wise `a - b` (int32 wraps like PyTorch's int arithmetic through the Int32Array store). */
export const sub: KernelMap['sub'] = (a, b) => mapBinary(a, b, difference);
