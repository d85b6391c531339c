import type { KernelFactory } from '../host.js';
import { select } from '../ops.js';

export const where: KernelFactory<'where'> = (h) => (cond, x, y) => h.compute('where', x.dtype, () => select(h.view(cond), h.view(x), h.view(y)));
