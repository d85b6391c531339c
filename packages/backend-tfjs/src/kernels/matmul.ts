import * as tf from '@tensorflow/tfjs-core';
import { isContiguousLayout, type KernelTensor } from '@tensorgrad/tensor/backend';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { imul, td } from '../ops.js';

/**
 * One operand `[B, R, C]` as a tfjs tensor plus whether tfjs should read it transposed: a view
 * whose two last dims are swapped in memory (`W.t()`, a transposed gradient) is read through
 * matMul's transpose flag instead of being copied; a batch stride of 0 stays a batch of 1, which
 * tfjs's matMul broadcasts.
 */
function operand(backend: TfjsBackend, t: KernelTensor): { x: tf.Tensor; transposed: boolean } {
  const [b, r, c] = t.shape as [number, number, number];
  const [sb, sr, sc] = t.strides as [number, number, number];
  const bb = b > 1 && sb === 0 ? 1 : b;
  const plain: KernelTensor = { ...t, shape: [bb, r, c] };
  const swapped: KernelTensor = { ...t, shape: [bb, c, r], strides: [sb, sc, sr] };
  if (!isContiguousLayout(plain.shape, plain.strides) && isContiguousLayout(swapped.shape, swapped.strides)) {
    return { x: backend.view(swapped), transposed: true };
  }
  return { x: backend.view(plain), transposed: false };
}

// tfjs-wasm has no int32 matMul and the cpu engine's would not wrap: int32 products are summed
// from wrapping element-wise products instead
function matmulInt(a: tf.Tensor, b: tf.Tensor, engine: 'cpu' | 'wasm'): tf.Tensor {
  const [, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const batch = Math.max(a.shape[0]!, b.shape[0]!);
  const prod = imul(tf.broadcastTo(tf.reshape(a, [a.shape[0]!, m, k, 1]), [batch, m, k, n]), tf.broadcastTo(tf.reshape(b, [b.shape[0]!, 1, k, n]), [batch, m, k, n]), engine);
  return tf.sum(prod, 2);
}

// tfjs-wasm caches one XNNPACK operator per right-hand operand, keyed by its data and transpose
// flag but not its shape: the same storage read as [K, N] and later as [K', N'] (a vector's
// storage as a row and as a column) would reuse the first operator and return garbage. A
// right-hand operand whose storage was already used with another shape goes in as a copy (the
// first shape of each storage is remembered per backend: TfjsBackend.wasmMatmulShapes).
function freshForWasm(backend: TfjsBackend, x: tf.Tensor, transposed: boolean): tf.Tensor {
  let seen = backend.wasmMatmulShapes.get(x.dataId);
  if (!seen) backend.wasmMatmulShapes.set(x.dataId, (seen = new Map()));
  const shape = x.shape.join('x');
  const first = seen.get(transposed);
  if (first === undefined) seen.set(transposed, shape);
  return first === undefined || first === shape ? x : tf.mul(x, tf.scalar(1));
}

export const matmul: Kernel<'matmul', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('matmul', ctx.dtype, () => {
    const [batch, m, n] = ctx.shape as [number, number, number];
    const k = a.shape[2]!;
    // tfjs-wasm leaves the result uninitialised for an empty inner dimension
    if (batch * m * n === 0 || k === 0) return tf.zeros([batch, m, n], td(ctx.dtype));
    const pa = operand(ctx.backend, a);
    const pb = operand(ctx.backend, b);
    if (ctx.backend.engine === 'wasm') pb.x = freshForWasm(ctx.backend, pb.x, pb.transposed);
    if (a.dtype === 'int32') {
      const x = pa.transposed ? tf.transpose(pa.x, [0, 2, 1]) : pa.x;
      const y = pb.transposed ? tf.transpose(pb.x, [0, 2, 1]) : pb.x;
      return matmulInt(x, y, ctx.backend.engine);
    }
    // one shared right-hand matrix and stacked left-hand rows (x[B,T,K]·W): a single 2-D product
    if (batch > 1 && pb.x.shape[0] === 1 && pa.x.shape[0] === batch && !pa.transposed) {
      const rows = tf.reshape(pa.x, [batch * m, k]);
      const y = tf.matMul(rows, tf.reshape(pb.x, [pb.x.shape[1]!, pb.x.shape[2]!]) as tf.Tensor2D, false, pb.transposed);
      return tf.reshape(y, [batch, m, y.shape[1]!]);
    }
    const out = tf.matMul(pa.x, pb.x, pa.transposed, pb.transposed);
    // a product of two broadcast batches is one matrix: repeat it
    return out.shape[0] === batch ? out : tf.broadcastTo(out, [batch, out.shape[1]!, out.shape[2]!]);
  });
