import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise natural logarithm: log(0) = -Infinity, log(x < 0) = NaN. */
export const log: KernelMap['log'] = (x) => mapUnary(x, Math.log);
