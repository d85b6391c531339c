import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

export const exp: KernelMap['exp'] = (x) => mapUnary(x, Math.exp);
