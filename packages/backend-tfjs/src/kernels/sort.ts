import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

/** Comparison elements per block (bounds the [block, n] temporaries). */
const BLOCK = 1 << 22;

// tfjs's topk compares by subtraction (NaN and ±Infinity ties come out in no defined order) and is
// not stable on every engine, so the sort is a rank computation: element i of a lane goes to
// position rank(i) = #{ j : x[j] sorts before x[i], or equals it with j < i }, NaN above every
// number. That is exactly the stable order, with tfjs ops only; it costs n comparisons per
// element, done in blocks of elements (each block compares against its lanes' n elements).
// The ranks are then scattered: lane r's element i lands at r·n + rank.
export const sort: Kernel<'sort', TfjsBackend> = (ctx, x, { dim, descending }) => {
  const [values, indices] = ctx.backend.computeMany('sort', [ctx.dtype, 'int32'], () => {
    const nd = x.shape.length;
    const total = shapeSize(x.shape);
    if (total === 0) return [tf.zeros([...ctx.shape], ctx.dtype as 'float32' | 'int32' | 'bool'), tf.zeros([...ctx.shape], 'int32')];
    const view = ctx.backend.view(x);
    if (nd === 0) return [tf.clone(view), tf.zeros([], 'int32')];
    const n = x.shape[dim]!;
    const rows = total / n;
    // dim moved last, lanes as rows; bool compares as int32
    const perm = [...Array(nd).keys()].filter((d) => d !== dim).concat(dim);
    const moved = tf.transpose(view, perm);
    const keys2d = tf.reshape(x.dtype === 'bool' ? tf.cast(moved, 'int32') : moved, [rows, n]);
    const float = x.dtype === 'float32';
    const nan2d = float ? tf.isNaN(keys2d) : null;
    const jPos = tf.reshape(tf.range(0, n, 1, 'int32'), [1, n]);
    const block = Math.max(1, Math.floor(BLOCK / n));
    const ranks: tf.Tensor[] = [];
    for (let e0 = 0; e0 < total; e0 += block) {
      const e1 = Math.min(total, e0 + block);
      ranks.push(
        tf.tidy(() => {
          const e = tf.range(e0, e1, 1, 'int32');
          const row = tf.floorDiv(e, tf.scalar(n, 'int32'));
          const iPos = tf.reshape(tf.sub(e, tf.mul(row, tf.scalar(n, 'int32'))), [e1 - e0, 1]);
          const xj = tf.gather(keys2d, row);
          const xi = tf.reshape(tf.gather(tf.reshape(keys2d, [total]), e), [e1 - e0, 1]);
          let before = descending ? tf.greater(xj, xi) : tf.less(xj, xi);
          let equal = tf.equal(xj, xi);
          if (nan2d) {
            const nj = tf.gather(nan2d, row);
            const ni = tf.reshape(tf.gather(tf.reshape(nan2d, [total]), e), [e1 - e0, 1]);
            // ascending: j before i when i is NaN and j is not; descending: when j is NaN and i is not
            const nanBefore = descending ? tf.logicalAnd(nj, tf.logicalNot(ni)) : tf.logicalAnd(ni, tf.logicalNot(nj));
            before = tf.logicalOr(nanBefore, before);
            equal = tf.logicalOr(equal, tf.logicalAnd(nj, ni));
          }
          const tie = tf.logicalAnd(equal, tf.less(jPos, iPos));
          return tf.sum(tf.cast(tf.logicalOr(before, tie), 'int32'), 1);
        }),
      );
    }
    const rank = ranks.length === 1 ? ranks[0]! : tf.concat(ranks, 0);
    const e = tf.range(0, total, 1, 'int32');
    const row = tf.floorDiv(e, tf.scalar(n, 'int32'));
    const target = tf.reshape(tf.add(tf.mul(row, tf.scalar(n, 'int32')), rank), [total, 1]);
    const pos = tf.sub(e, tf.mul(row, tf.scalar(n, 'int32')));
    // the positions are scattered (integers: scatterND adds them to 0, exactly); the values are
    // gathered from them, which keeps -0 (adding it to 0 would not)
    const sortedPos = tf.scatterND(target, pos, [total]);
    const sortedKeys = tf.gather(tf.reshape(keys2d, [total]), tf.add(tf.mul(row, tf.scalar(n, 'int32')), sortedPos));
    const inverse = perm.map((_, d) => perm.indexOf(d));
    const back = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, perm.map((d) => x.shape[d]!)), inverse);
    const v = back(sortedKeys);
    return [x.dtype === 'bool' ? tf.cast(v, 'bool') : v, back(sortedPos)];
  });
  return [values!, indices!];
};
