import { shapeSize } from '@tensorgrad/tensor';
import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapInto } from '../elementwise.js';

/**
 * Concatenation along `dim`: one strided copy per input into its slab of the output (a view of
 * the output with the output's strides, offset to where the input's block starts along `dim`).
 */
export const cat: Kernel<'cat', WebGPUBackend> = (ctx, xs, { dim }) => {
  const { backend: gpu, shape, dtype } = ctx;
  const out = gpu.allocOutput(dtype, shapeSize(shape));
  const strides = contiguousStrides(shape);
  let at = 0;
  for (const x of xs) {
    const dst = { handle: out, shape: x.shape, strides, offset: at * strides[dim]!, dtype };
    mapInto(gpu, dst, { name: 'copy', inputs: [x], outDtype: dtype, expr: 'a' });
    at += x.shape[dim]!;
  }
  return { handle: out, shape, dtype };
};
