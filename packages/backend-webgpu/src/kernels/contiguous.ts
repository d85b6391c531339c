import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

/** A contiguous copy of a (possibly strided) view, gathered on the GPU through its strides. */
export const contiguous: Kernel<'contiguous', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'copy', inputs: [x], outDtype: ctx.dtype, expr: 'a' });
