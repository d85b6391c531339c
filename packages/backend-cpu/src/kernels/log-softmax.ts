import type { KernelMap } from '@tensorgrad/tensor';
import { softmaxAlong } from './softmax.js';

export const logSoftmax: KernelMap['logSoftmax'] = (x, { dim }) => softmaxAlong(x, dim, true);
