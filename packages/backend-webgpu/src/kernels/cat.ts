import { contiguousStrides, shapeSize, type KernelMap } from '@tensorgrad/tensor';
import { gpuOf } from '../backend.js';
import { mapInto } from '../elementwise.js';

/**
 * Concatenation along `dim`: one strided copy per input into its slab of the output (a view of
 * the output with the output's strides, offset to where the input's block starts along `dim`).
 */
export const cat: KernelMap['cat'] = (xs, { dim }) => {
  const first = xs[0]!;
  const gpu = gpuOf(first);
  const shape = [...first.shape];
  shape[dim] = xs.reduce((s, x) => s + x.shape[dim]!, 0);
  const out = gpu.allocOutput(first.dtype, shapeSize(shape));
  const strides = contiguousStrides(shape);
  let at = 0;
  for (const x of xs) {
    const dst = { handle: out, shape: x.shape, strides, offset: at * strides[dim]!, dtype: first.dtype };
    mapInto(dst, { name: 'copy', inputs: [x], outDtype: first.dtype, expr: 'a' });
    at += x.shape[dim]!;
  }
  return { handle: out, shape, dtype: first.dtype };
};
