/**
 * tfjs-level building blocks shared by the kernels, for the places where a tfjs op is missing or
 * its semantics differ from PyTorch's (each use is listed in the package README). Every function
 * runs inside a kernel's `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DType } from '@tensorgrad/tensor';
import type { PoolGeometry } from '@tensorgrad/tensor/backend';
import type { TfjsEngine } from './engine.js';

/** `x != 0` as bool (tfjs-wasm's cast to bool keeps the value and maps NaN to false). */
export function toBool(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'bool' ? x : tf.notEqual(x, tf.scalar(0, x.dtype));
}

/**
 * The int32 product modulo 2³² (`Math.imul`, what PyTorch's int32 overflow gives). tfjs's cpu
 * engine multiplies in float64 and rounds products beyond 2⁵³ before wrapping; the wasm engine
 * multiplies in int32 already. On cpu the operands are split into 16-bit halves so that every
 * partial product is exact.
 */
export function imul(a: tf.Tensor, b: tf.Tensor, engine: TfjsEngine): tf.Tensor {
  if (engine === 'wasm') return tf.mul(a, b);
  const m = tf.scalar(65536, 'int32');
  const aLo = tf.mod(a, m);
  const aHi = tf.floorDiv(a, m);
  const bLo = tf.mod(b, m);
  const bHi = tf.floorDiv(b, m);
  const cross = tf.add(tf.mul(aHi, bLo), tf.mul(aLo, bHi));
  return tf.add(tf.mul(aLo, bLo), tf.mul(cross, m));
}

/** `cond ? x : y` for any dtype (tfjs-wasm's select is wrong for bool operands: they go through int32). */
export function select(cond: tf.Tensor, x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (x.dtype === 'bool') return toBool(tf.where(cond, tf.cast(x, 'int32'), tf.cast(y, 'int32')));
  return tf.where(cond, x, y);
}

/** NaN where any element along `axis` is NaN (PyTorch's max/min propagate NaN), else `v`; `v` has kept dims. */
function withNaN(v: tf.Tensor, axis: number, nan: tf.Tensor): tf.Tensor {
  return tf.where(tf.any(nan, axis, true), tf.fill(v.shape, NaN), v);
}

/**
 * Max or min along `axis` with kept dims, NaN propagation (a lane with a NaN gives NaN) and, when
 * asked, the index of the first maximum (the first NaN where there is one): tfjs's max/min ignore
 * or mishandle NaN depending on the engine and its argMax does not promise first-occurrence ties.
 */
export function extremum(x: tf.Tensor, axis: number, mode: 'max' | 'min', withIndex: boolean): { values: tf.Tensor; indices: tf.Tensor | null } {
  const dtype = x.dtype;
  const xs = dtype === 'bool' ? tf.cast(x, 'int32') : x;
  let values = mode === 'max' ? tf.max(xs, axis, true) : tf.min(xs, axis, true);
  let match: tf.Tensor | null = null;
  if (dtype === 'float32') {
    const nan = tf.isNaN(xs);
    values = withNaN(values, axis, nan);
    if (withIndex) match = tf.logicalOr(tf.equal(xs, values), nan);
  } else if (withIndex) {
    match = tf.equal(xs, values);
  }
  if (dtype === 'bool') values = toBool(values);
  if (!withIndex) return { values, indices: null };
  const len = x.shape[axis]!;
  const iotaShape = x.shape.map((d, i) => (i === axis ? d : 1));
  const iota = tf.reshape(tf.range(0, len, 1, 'int32'), iotaShape);
  const indices = tf.min(tf.where(match!, iota, tf.scalar(len, 'int32')), axis, true);
  return { values, indices };
}

/** Moves PyTorch's negative padding (cropping) out of `pad`: crops `x` and returns the non-negative rest. */
export function cropNegative(x: tf.Tensor, pad: readonly (readonly [number, number])[]): { x: tf.Tensor; pad: [number, number][] } {
  const begin = pad.map(([lo]) => Math.max(0, -lo));
  const size = x.shape.map((d, i) => d - begin[i]! - Math.max(0, -pad[i]![1]));
  const cropped = begin.some((b) => b > 0) || size.some((s, i) => s !== x.shape[i]) ? tf.slice(x, begin, size.map((s) => Math.max(0, s))) : x;
  return { x: cropped, pad: pad.map(([lo, hi]) => [Math.max(0, lo), Math.max(0, hi)]) };
}

/**
 * Inserts `s - 1` zeros between the elements of the two last dims of an `[N, C, H, W]` tensor:
 * `[N, C, (H-1)·sh+1, (W-1)·sw+1]` (a strided convolution's or pooling's adjoint spreads the
 * gradient this way).
 */
export function zeroInsert(x: tf.Tensor, sh: number, sw: number): tf.Tensor {
  if (sh === 1 && sw === 1) return x;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  let t = x;
  if (sh > 1) {
    t = tf.pad(tf.reshape(t, [n * c, h, 1, w]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]);
    t = tf.slice(tf.reshape(t, [n, c, h * sh, w]), [0, 0, 0, 0], [n, c, (h - 1) * sh + 1, w]);
  }
  const hh = t.shape[2]!;
  if (sw > 1) {
    t = tf.pad(tf.reshape(t, [n * c * hh, w, 1]), [[0, 0], [0, 0], [0, sw - 1]]);
    t = tf.slice(tf.reshape(t, [n, c, hh, w * sw]), [0, 0, 0, 0], [n, c, hh, (w - 1) * sw + 1]);
  }
  return t;
}

/**
 * Every pooling window position of an `[N, C, H, W]` input (geometry `g`) as one `[N, C, oh, ow]`
 * tensor, window element `k = i·kw + j` read at input `(y·sh + i·dh − ph, x·sw + j·dw − pw)`;
 * positions outside the input read `value`. Windows that tile the input (no overlap: the usual
 * `kernelSize = stride`) come from one reshape + transpose and contiguous slices; others from
 * strided slices (several times slower in tfjs).
 */
export function windowSlices(x: tf.Tensor, value: number, g: PoolGeometry): tf.Tensor[] {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw } = g;
  const tiled = (kh - 1) * dh < sh && (kw - 1) * dw < sw;
  // rows (and columns) the windows read: exactly oh·sh when they tile, else up to the last tap
  const rows = tiled ? oh * sh : (oh - 1) * sh + (kh - 1) * dh + 1;
  const cols = tiled ? ow * sw : (ow - 1) * sw + (kw - 1) * dw + 1;
  const crop = cropNegative(x, [[0, 0], [0, 0], [ph, rows - h - ph], [pw, cols - w - pw]]);
  const xp = crop.pad.some(([a, b]) => a > 0 || b > 0) ? tf.pad(crop.x, crop.pad, value) : crop.x;
  const out: tf.Tensor[] = [];
  if (tiled) {
    const blocks = tf.transpose(tf.reshape(xp, [n * c * oh, sh, ow, sw]), [1, 3, 0, 2]); // [sh, sw, N·C·oh, ow]
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        out.push(tf.reshape(tf.slice(blocks, [i * dh, j * dw, 0, 0], [1, 1, n * c * oh, ow]), [n, c, oh, ow]));
      }
    }
    return out;
  }
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      out.push(tf.stridedSlice(xp, [0, 0, i * dh, j * dw], [n, c, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1], [1, 1, sh, sw]));
    }
  }
  return out;
}

/**
 * The adjoint of {@link windowSlices}: `parts[k]` (`[N, C, oh, ow]`) added back at window position
 * k's input elements, giving `[N, C, h, w]` (what falls in the padding is dropped).
 */
export function windowAdjoint(parts: readonly tf.Tensor[], g: PoolGeometry): tf.Tensor {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw } = g;
  const tiled = (kh - 1) * dh < sh && (kw - 1) * dw < sw;
  let full: tf.Tensor;
  if (tiled) {
    // every block element is one window position or none: the blocks are assembled whole
    const zero = tf.zeros([n * c * oh, ow], parts[0]!.dtype);
    const slabs: tf.Tensor[] = [];
    for (let a = 0; a < sh; a++) {
      for (let b = 0; b < sw; b++) {
        const hit = a % dh === 0 && b % dw === 0 && a / dh < kh && b / dw < kw;
        slabs.push(hit ? tf.reshape(parts[(a / dh) * kw + b / dw]!, [n * c * oh, ow]) : zero);
      }
    }
    const blocks = tf.reshape(tf.stack(slabs), [sh, sw, n * c * oh, ow]);
    full = tf.reshape(tf.transpose(blocks, [2, 0, 3, 1]), [n, c, oh * sh, ow * sw]);
  } else {
    const rows = (oh - 1) * sh + (kh - 1) * dh + 1;
    const cols = (ow - 1) * sw + (kw - 1) * dw + 1;
    const placed = parts.map((p, k) => {
      const i = Math.floor(k / kw) * dh;
      const j = (k % kw) * dw;
      const z = zeroInsert(p, sh, sw);
      return tf.pad(z, [[0, 0], [0, 0], [i, rows - i - z.shape[2]!], [j, cols - j - z.shape[3]!]]);
    });
    full = placed.length === 1 ? placed[0]! : tf.addN(placed);
  }
  // padded coordinates -> input coordinates: drop the top/left padding, crop or zero-fill the end
  const crop = cropNegative(full, [[0, 0], [0, 0], [-ph, ph + h - full.shape[2]!], [-pw, pw + w - full.shape[3]!]]);
  return crop.pad.some(([a, b]) => a > 0 || b > 0) ? tf.pad(crop.x, crop.pad) : crop.x;
}

/**
 * A convolution of `x` `[N, H, W, Cin]` with `filter` `[kh, kw, Cin, Cout]`, padding
 * `[top, bottom, left, right]` (negative values crop), where stride and dilation may both exceed
 * 1 (tfjs refuses that: the stride-1 result is subsampled instead).
 */
export function convNHWC(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  stride: readonly [number, number],
  padding: readonly [number, number, number, number],
  dilation: readonly [number, number],
  depthwise = false,
): tf.Tensor4D {
  const [pt, pb, pl, pr] = padding;
  const crop = cropNegative(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]]);
  const xs = crop.x as tf.Tensor4D;
  const pads = crop.pad as [[number, number], [number, number], [number, number], [number, number]];
  const both = (stride[0] > 1 || stride[1] > 1) && (dilation[0] > 1 || dilation[1] > 1);
  const s: [number, number] = both ? [1, 1] : [stride[0], stride[1]];
  const d: [number, number] = [dilation[0], dilation[1]];
  const out = depthwise ? tf.depthwiseConv2d(xs, filter, s, pads, 'NHWC', d) : tf.conv2d(xs, filter, s, pads, 'NHWC', d);
  if (!both) return out;
  const [n, h, w, c] = out.shape;
  return tf.stridedSlice(out, [0, 0, 0, 0], [n, h, w, c], [1, stride[0], stride[1], 1]) as tf.Tensor4D;
}

/**
 * A grouped convolution in tensorgrad's weight layout: `x` `[N, H, W, C]` (channels last),
 * `w` `[O, C/groups, kh, kw]`; returns `[N, oh, ow, O]`. tfjs has no groups: one group is
 * `conv2d`, one input channel per group is `depthwiseConv2d`, anything else one `conv2d` per group.
 */
export function groupedConvNHWC(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  groups: number,
  stride: readonly [number, number],
  padding: readonly [number, number, number, number],
  dilation: readonly [number, number],
): tf.Tensor4D {
  const [o, cg, kh, kw] = w.shape;
  if (groups === 1) return convNHWC(x, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, stride, padding, dilation);
  const og = o / groups;
  if (cg === 1) {
    // depthwise: output channel q·og + m reads input channel q with multiplier m
    const f = tf.transpose(tf.reshape(w, [groups, og, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
    return convNHWC(x, f, stride, padding, dilation, true);
  }
  const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
  const ws = tf.split(w, groups, 0) as tf.Tensor4D[];
  const outs = xs.map((xq, q) => convNHWC(xq, tf.transpose(ws[q]!, [2, 3, 1, 0]) as tf.Tensor4D, stride, padding, dilation));
  return tf.concat(outs, 3) as tf.Tensor4D;
}

/** A comparison operand: bool as int32 (tfjs's ordered comparisons are defined on numbers). */
export function operand(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'bool' ? tf.cast(x, 'int32') : x;
}

/**
 * `exp(x - max) / Σ exp(x - max)` (or `x - max - log Σ …`) along any dim: tfjs's softmax only
 * works along the last dim. The max propagates NaN, and an all -Infinity lane gives NaN
 * (-Infinity - -Infinity), as in PyTorch.
 */
export function softmaxAlong(x: tf.Tensor, dim: number, log: boolean): tf.Tensor {
  if (x.size === 0) return tf.clone(x);
  const scalar = x.rank === 0;
  const v = scalar ? tf.reshape(x, [1]) : x;
  const d = scalar ? 0 : dim;
  const shifted = tf.sub(v, extremum(v, d, 'max', false).values);
  const e = tf.exp(shifted);
  const s = tf.sum(e, d, true);
  const out = log ? tf.sub(shifted, tf.log(s)) : tf.div(e, s);
  return scalar ? tf.reshape(out, []) : out;
}

/** A tensorgrad dtype as a tfjs dtype (the backend's dtypes are exactly tfjs's numeric ones). */
export function td(dtype: DType): 'float32' | 'int32' | 'bool' {
  if (dtype === 'float64') throw new TypeError('backend-tfjs: float64 is not supported (tfjs has no float64); use float32 or the cpu backend');
  return dtype;
}
