import * as tf from '@tensorflow/tfjs-core';
import { roiPoolBins, type Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

/** C's `-FLT_MAX`: torchvision's starting maximum of a non-empty bin. */
const NEG_FLT_MAX = -3.4028234663852886e38;

// RoIPool from tfjs ops: the bins are computed on the host (the RoIs are read back) as tables of
// pixel rows padded to the largest bin with a row of -Infinity; the pixels `[N·H·W + 1, C]` are
// gathered `[K·bins, M, C]`, NaN and values <= -FLT_MAX become -Infinity (torchvision's strict
// `v > max` from -FLT_MAX never takes them), and max/argMax over the M slots (first maximum
// wins, as in the row-major scan) give the value and the slot, mapped back to the plane index.
export const roiPool: Kernel<'roiPool', TfjsBackend> = (ctx, x, rois, attrs) => {
  const [values, indices] = ctx.backend.computeMany('roiPool', [ctx.dtype, 'int32'], () => {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [k, , ph, pw] = ctx.shape as [number, number, number, number];
    const nb = ph * pw;
    if (k * c * nb === 0) return [tf.zeros([...ctx.shape], 'float32'), tf.zeros([...ctx.shape], 'int32')];
    const r = ctx.backend.view(rois).dataSync();
    const allBins = Array.from({ length: k }, (_, i) => roiPoolBins(r, i, attrs, h, w, 'float32'));
    let m = 1;
    for (const bins of allBins) for (const b of bins) m = Math.max(m, Math.max(0, b.h1 - b.h0) * Math.max(0, b.w1 - b.w0));
    const sentinel = n * h * w;
    const rows = new Int32Array(k * nb * m).fill(sentinel);
    const plane = new Int32Array(k * nb * m).fill(-1);
    const empty = new Uint8Array(k * nb);
    allBins.forEach((bins, i) => {
      const base = Math.trunc(r[i * 5]!) * h * w;
      bins.forEach(({ h0, h1, w0, w1 }, j) => {
        const row = i * nb + j;
        if (h1 <= h0 || w1 <= w0) empty[row] = 1;
        let s = row * m;
        for (let y = h0; y < h1; y++) {
          for (let xx = w0; xx < w1; xx++, s++) {
            rows[s] = base + y * w + xx;
            plane[s] = y * w + xx;
          }
        }
      });
    });
    const pixels = tf.concat([tf.reshape(tf.transpose(ctx.backend.view(x), [0, 2, 3, 1]), [sentinel, c]), tf.fill([1, c], -Infinity)], 0);
    const gathered = tf.reshape(tf.gather(pixels, tf.tensor1d(rows, 'int32')), [k * nb, m, c]);
    const clean = tf.where(tf.logicalOr(tf.isNaN(gathered), tf.lessEqual(gathered, NEG_FLT_MAX)), tf.fill(gathered.shape, -Infinity), gathered);
    const best = tf.max(clean, 1);
    const slot = tf.argMax(clean, 1);
    const rowBase = tf.reshape(tf.mul(tf.range(0, k * nb, 1, 'int32'), tf.scalar(m, 'int32')), [k * nb, 1]);
    const pos = tf.gather(tf.tensor1d(plane, 'int32'), tf.add(rowBase, slot));
    const found = tf.greater(best, -Infinity);
    const isEmpty = tf.reshape(tf.tensor1d(empty, 'bool'), [k * nb, 1]);
    const value = tf.where(found, best, tf.where(isEmpty, tf.zerosLike(best), tf.fill(best.shape, NEG_FLT_MAX)));
    const index = tf.where(found, pos, tf.fill(pos.shape, -1, 'int32'));
    const back = (t: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(t, [k, ph, pw, c]), [0, 3, 1, 2]);
    return [back(value), back(index)];
  });
  return [values!, indices!];
};
