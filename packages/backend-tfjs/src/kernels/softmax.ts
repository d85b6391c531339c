import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { softmaxAlong } from '../ops.js';

// along any dim, NaN propagating: see softmaxAlong in ops.ts
export const softmax: Kernel<'softmax', TfjsBackend> = (ctx, x, { dim }) => ctx.backend.compute('softmax', ctx.dtype, () => softmaxAlong(ctx.backend.view(x), dim, false));
