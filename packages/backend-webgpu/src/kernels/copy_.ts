import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise, mapInto } from '../elementwise.js';

// Writes through `dst`'s strides into its (shared) storage; `src` may broadcast (stride 0). A
// program cannot bind one buffer both read-only and writable, and views of one storage may
// overlap, so a source in the destination's storage is copied out first.
export const copy_: Kernel<'copy_', WebGPUBackend> = (ctx, dst, src) => {
  const gpu = ctx.backend;
  if (dst.handle !== src.handle) {
    mapInto(gpu, dst, { name: 'copy', inputs: [src], outDtype: dst.dtype, expr: 'a' });
    return;
  }
  const tmp = mapElementwise(gpu, { name: 'copy', inputs: [src], outDtype: src.dtype, expr: 'a' });
  try {
    mapInto(gpu, dst, { name: 'copy', inputs: [{ ...tmp, strides: contiguousStrides(tmp.shape), offset: 0 }], outDtype: dst.dtype, expr: 'a' });
  } finally {
    gpu.free(tmp.handle);
  }
};
