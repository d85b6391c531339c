import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { softmaxAlong } from '../ops.js';

export const logSoftmax: Kernel<'logSoftmax', TfjsBackend> = (ctx, x, { dim }) => ctx.backend.compute('logSoftmax', ctx.dtype, () => softmaxAlong(ctx.backend.view(x), dim, true));
