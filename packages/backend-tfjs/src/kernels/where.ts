import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { select } from '../ops.js';

export const where: Kernel<'where', TfjsBackend> = (ctx, cond, x, y) => ctx.backend.compute('where', ctx.dtype, () => select(ctx.backend.view(cond), ctx.backend.view(x), ctx.backend.view(y)));
