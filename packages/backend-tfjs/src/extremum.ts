/**
 * The shared body of the `max`/`min` and `argmax`/`argmin` kernels (they differ only in the
 * direction): a tensorgrad reduction's `dim` (null: over every element, indices into the flattened
 * tensor) and `keepdim` around {@link extremum} (NaN propagation, first occurrence on ties).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelContext, KernelResult, KernelTensor, OpAttrs } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from './backend.js';
import { extremum } from './ops.js';

type Attrs = OpAttrs['max'];

// the values and indices of the reduction, reshaped to the front-end's output shape
function reduce(backend: TfjsBackend, x: KernelTensor, shape: readonly number[], mode: 'max' | 'min', { dim }: Attrs): { values: tf.Tensor; indices: tf.Tensor } {
  const v = backend.view(x);
  // an empty result (a kept dim of size 0): tfjs's max/min over a dim of an empty tensor return one element
  if (shape.includes(0)) return { values: tf.zeros([...shape], v.dtype), indices: tf.zeros([...shape], 'int32') };
  const all = dim === null || v.rank === 0;
  const r = extremum(all ? tf.reshape(v, [v.size]) : v, all ? 0 : dim, mode, true);
  return { values: tf.reshape(r.values, [...shape]), indices: tf.reshape(r.indices!, [...shape]) };
}

/** The `max`/`min` kernels: the values and the index of the first extremum (the first NaN where one propagates). */
export function valuesAndIndices(kernel: 'max' | 'min', ctx: KernelContext<'max' | 'min', TfjsBackend>, x: KernelTensor, attrs: Attrs): [KernelResult, KernelResult] {
  const [values, indices] = ctx.backend.computeMany(kernel, [ctx.dtype, 'int32'], () => {
    const r = reduce(ctx.backend, x, ctx.shape, kernel, attrs);
    return [r.values, r.indices];
  });
  return [values!, indices!];
}

/** The `argmax`/`argmin` kernels: the index of the first extremum (the first NaN where one propagates). */
export function indexOfExtremum(kernel: 'argmax' | 'argmin', ctx: KernelContext<'argmax' | 'argmin', TfjsBackend>, x: KernelTensor, attrs: Attrs): KernelResult {
  const mode = kernel === 'argmax' ? 'max' : 'min';
  return ctx.backend.compute(kernel, ctx.dtype, () => reduce(ctx.backend, x, ctx.shape, mode, attrs).indices);
}
