import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { toBool } from '../ops.js';

// a running count (cumsum) of the non-zero flags gives each non-zero element its row; its flat
// position (+1) is scattered to that row (rows past `size` go to one extra, dropped row), so
// every row holds a position or 0 (padding); the coordinates are the position's digits
export const nonzero: Kernel<'nonzero', TfjsBackend> = (ctx, x, { size, fillValue }) =>
  ctx.backend.compute('nonzero', 'int32', () => {
    const nd = x.shape.length;
    const n = shapeSize(x.shape);
    if (size === 0 || nd === 0 || n === 0) return tf.fill([size, nd], fillValue, 'int32');
    const flags = tf.cast(toBool(tf.reshape(ctx.backend.view(x), [n])), 'int32');
    const rank = tf.sub(tf.cumsum(flags), tf.scalar(1, 'int32'));
    const keep = tf.logicalAnd(tf.cast(flags, 'bool'), tf.less(rank, tf.scalar(size, 'int32')));
    const row = tf.where(keep, rank, tf.fill([n], size, 'int32'));
    const pos1 = tf.range(1, n + 1, 1, 'int32');
    const rows = tf.slice(tf.scatterND(tf.reshape(row, [n, 1]), tf.mul(pos1, tf.cast(keep, 'int32')), [size + 1]), [0], [size]);
    const pos = tf.sub(rows, tf.scalar(1, 'int32'));
    const strides = contiguousStrides(x.shape);
    const cols = strides.map((s, d) => tf.mod(tf.floorDiv(pos, tf.scalar(s, 'int32')), tf.scalar(x.shape[d]!, 'int32')));
    const coords = tf.stack(cols, 1);
    const pad = tf.reshape(tf.less(pos, tf.scalar(0, 'int32')), [size, 1]);
    return tf.where(tf.tile(pad, [1, nd]), tf.fill([size, nd], fillValue, 'int32'), coords);
  });
