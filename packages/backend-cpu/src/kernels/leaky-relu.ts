import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise `x > 0 ? x : negativeSlope * x`. */
export const leakyRelu: KernelMap['leakyRelu'] = (x, { negativeSlope }) => mapUnary(x, (v) => (v > 0 ? v : v * negativeSlope));
