import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

/** Element-wise `a - b` (int32 wraps like PyTorch's int arithmetic through the Int32Array store). */
export const sub: KernelMap['sub'] = (a, b) => mapBinary(a, b, (x, y) => x - y);
