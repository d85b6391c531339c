import * as tf from '@tensorflow/tfjs-core';
import type { Kernel, KernelTensor } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { imul, select, toBool } from '../ops.js';

const INT_BITS = 31;

// C's pow, which PyTorch uses: pow(1, y) = 1 for every y (even NaN) and pow(-1, ±Infinity) = 1;
// tfjs's cpu engine uses Math.pow, which gives NaN for both (its wasm engine already agrees)
function powC(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const p = tf.pow(a, b);
  const one = tf.onesLike(p);
  const fix = tf.logicalOr(tf.equal(a, one), tf.logicalAnd(tf.equal(a, tf.neg(one)), tf.isInf(b)));
  return tf.where(fix, one, p);
}

// integer power by repeated squaring with wrapping products (31 rounds: the exponent's bits);
// negative exponents truncate toward zero, so only ±1 give a non-zero result, as in PyTorch
function powInt(a: tf.Tensor, b: tf.Tensor, engine: 'cpu' | 'wasm'): tf.Tensor {
  const zero = tf.zerosLike(a);
  const one = tf.onesLike(a);
  const two = tf.scalar(2, 'int32');
  let result = tf.broadcastTo(one, a.shape);
  let base = a;
  let e = tf.maximum(b, tf.zerosLike(b));
  for (let i = 0; i < INT_BITS; i++) {
    const bit = tf.equal(tf.mod(e, two), one);
    result = tf.where(bit, imul(result, base, engine), result);
    base = imul(base, base, engine);
    e = tf.floorDiv(e, two);
  }
  const negative = tf.less(b, tf.zerosLike(b));
  const negResult = tf.where(
    tf.equal(a, one),
    one,
    tf.where(tf.equal(a, tf.neg(one)), tf.where(tf.equal(tf.mod(b, two), zero), one, tf.neg(one)), zero),
  );
  return tf.where(negative, negResult, result);
}

function isScalarLike(t: KernelTensor): boolean {
  return t.strides.every((s) => s === 0);
}

export const pow: Kernel<'pow', TfjsBackend> = (ctx, a, b) =>
  ctx.backend.compute('pow', ctx.dtype, () => {
    if (a.dtype === 'int32') return powInt(ctx.backend.view(a), ctx.backend.view(b), ctx.backend.engine);
    if (a.dtype === 'bool') return toBool(powInt(tf.cast(ctx.backend.view(a), 'int32'), tf.cast(ctx.backend.view(b), 'int32'), ctx.backend.engine));
    const x = ctx.backend.operand(a);
    const y = ctx.backend.operand(b);
    const p = ctx.backend.expand(powC(x, y), ctx.shape);
    if (!isScalarLike(b)) return p;
    // PyTorch special-cases a scalar exponent of 0.5 (sqrt), -0.5 (rsqrt) and 2 (x*x), which also
    // fixes their special values (pow(-Infinity, 0.5) = Infinity but sqrt(-Infinity) = NaN;
    // pow(-0, -0.5) = Infinity but rsqrt(-0) = -Infinity)
    const e = ctx.backend.expand(y, ctx.shape);
    const xs = ctx.backend.expand(x, ctx.shape);
    const special = select(tf.equal(e, tf.scalar(-0.5)), tf.div(tf.scalar(1), tf.sqrt(xs)), select(tf.equal(e, tf.scalar(2)), tf.square(xs), p));
    return select(tf.equal(e, tf.scalar(0.5)), tf.sqrt(xs), special);
  });
