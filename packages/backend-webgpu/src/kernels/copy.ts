import type { KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { mapInto } from '../elementwise.js';
import { contiguous } from './contiguous.js';

// Writes through `dst`'s strides into its (shared) storage; `src` may broadcast (stride 0). A
// program cannot bind one buffer both read-only and writable, and views of one storage may
// overlap, so a source in the destination's storage is copied out first.
export const copy_: KernelMap['copy_'] = (dst, src) => {
  if (dst.handle !== src.handle) {
    mapInto(dst, { name: 'copy', inputs: [src], outDtype: dst.dtype, expr: 'a' });
    return;
  }
  const tmp = contiguous(src, {});
  try {
    mapInto(dst, { name: 'copy', inputs: [{ ...tmp, strides: contiguousStrides(tmp.shape), offset: 0 }], outDtype: dst.dtype, expr: 'a' });
  } finally {
    gpuOf(dst).free(tmp.handle);
  }
};

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}
