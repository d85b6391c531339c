import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

const negative = (v: number): number => -v;

/** Element-wise `-x` (the front-end rejects bool). */
export const neg: KernelMap['neg'] = (x) => mapUnary(x, negative);
