import type { KernelMap } from '@tensorgrad/tensor';
import { softmaxAlong } from './softmax.js';

/** Log-softmax along `dim`: `x − max − log Σ exp(x − max)` per lane. */
export const logSoftmax: KernelMap['logSoftmax'] = (x, { dim }) => softmaxAlong(x, dim, true);
