import type { KernelFactory } from '../host.js';
import { softmaxAlong } from './softmax.js';

export const logSoftmax: KernelFactory<'logSoftmax'> = (h) => (x, { dim }) => h.compute('logSoftmax', x.dtype, () => softmaxAlong(h.view(x), dim, true));
