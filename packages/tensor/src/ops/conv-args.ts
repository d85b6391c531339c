/**
 * Argument normalisation shared by the convolution and pooling front-ends (`conv2d`,
 * `convTranspose2d`, `maxPool2d`, `avgPool2d`, `adaptiveAvgPool2d` and their gradient helpers).
 * Internal: not re-exported from the package index.
 */
import { isFloating } from '../dtype.js';
import { formatShape } from '../shape.js';
import type { ConvGeometry, PoolGeometry } from '../kernel.js';
import type { Tensor } from '../tensor.js';

/** An int applied to both spatial dims, or `[height, width]`. */
export type IntPair = number | readonly [number, number] | readonly number[];

/**
 * `v` as `[height, width]`, each an integer ≥ `min`, or a clear error naming `op` and `name`.
 */
export function pair(op: string, name: string, v: unknown, min: number): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : null;
  if (!p || p.length !== 2 || !p.every((x) => Number.isInteger(x) && (x as number) >= min)) {
    throw new RangeError(
      `${op}: expected ${name} to be an integer >= ${min} or a pair [height, width] of them, got ${JSON.stringify(v)}`,
    );
  }
  return [p[0] as number, p[1] as number];
}

/**
 * Normalised convolution padding `[top, bottom, left, right]` from an int, a pair, a 4-tuple
 * `[top, bottom, left, right]`, `'valid'` (none) or `'same'` (stride 1 only; the extra pixel of an
 * even dilated kernel goes to the bottom/right, as in PyTorch).
 */
export function convPadding(
  op: string,
  padding: unknown,
  kernel: readonly [number, number],
  dilation: readonly [number, number],
  stride: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new RangeError(`${op}: padding 'same' is not supported for strided convolutions (got stride ${JSON.stringify(stride)}); use stride 1 or an explicit padding`);
    }
    const th = dilation[0] * (kernel[0] - 1);
    const tw = dilation[1] * (kernel[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  if (Array.isArray(padding) && padding.length === 4 && padding.every((x) => Number.isInteger(x) && (x as number) >= 0)) {
    return [padding[0], padding[1], padding[2], padding[3]] as [number, number, number, number];
  }
  if (typeof padding === 'string') {
    throw new RangeError(`${op}: expected padding 'same' or 'valid' when it is a string, got '${padding}'`);
  }
  const [ph, pw] = pair(op, 'padding', padding, 0);
  return [ph, ph, pw, pw];
}

/**
 * Throws unless every given tensor has the floating-point dtype of the first.
 */
export function checkFloat(op: string, tensors: readonly (Tensor | null | undefined)[], names: readonly string[]): void {
  const first = tensors[0]!;
  if (!isFloating(first.dtype)) {
    throw new TypeError(`${op}: expected a floating-point ${names[0]} (float32 or float64), got ${first.dtype}; convert it with .float() or .to('float64')`);
  }
  tensors.forEach((t, i) => {
    if (t && t.dtype !== first.dtype) {
      throw new TypeError(`${op}: expected ${names[i]} to have the dtype of ${names[0]} (${first.dtype}), got ${t.dtype}; convert it with .to('${first.dtype}')`);
    }
  });
}

/**
 * Throws unless `t` is 3-D `(C, H, W)` or 4-D `(N, C, H, W)`; returns whether it is unbatched.
 */
export function spatialInput(op: string, t: Tensor, name = 'input'): boolean {
  if (t.ndim !== 3 && t.ndim !== 4) {
    throw new RangeError(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) ${name}, got shape ${formatShape(t.shape)}`);
  }
  return t.ndim === 3;
}

/**
 * Runs `fn` on the 4-D form of `input` (a batch of one for a 3-D input, recorded with
 * `unsqueeze`/`squeeze` so gradients flow) and returns the result in the input's form.
 */
export function withBatch(input: Tensor, unbatched: boolean, fn: (x: Tensor) => Tensor): Tensor {
  if (!unbatched) return fn(input);
  const x4 = input.unsqueeze(0);
  try {
    const y = fn(x4);
    try {
      return y.squeeze(0);
    } finally {
      y.dispose();
    }
  } finally {
    x4.dispose();
  }
}

/**
 * Convolution output size along one dim: `⌊(size + padding − dilation·(k − 1) − 1) / stride⌋ + 1`
 * (`padding` is the sum of both sides). The front-end's shape rule; backends size their outputs
 * with it.
 *
 * @example
 * ```ts
 * import { convOutSize } from '@tensorgrad/tensor/backend';
 * convOutSize(28, 3, 1, 0, 1); // 26
 * ```
 */
export function convOutSize(size: number, k: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + padding - dilation * (k - 1) - 1) / stride) + 1;
}

/**
 * Pooling output size along one dim, PyTorch's rule: `floor` (or `ceil` with `ceilMode`) of
 * `(size + 2·pad − dilation·(k − 1) − 1) / stride + 1`, where with `ceilMode` the last window
 * must start inside the input or the left padding. The front-end's shape rule; backends size
 * their outputs with it.
 *
 * @example
 * ```ts
 * import { poolOutSize } from '@tensorgrad/tensor/backend';
 * [poolOutSize(5, 2, 2, 0, 1, false), poolOutSize(5, 2, 2, 0, 1, true)]; // [2, 3]
 * ```
 */
export function poolOutSize(size: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= size + p) out--;
  return out;
}

/** Normalised, validated convolution geometry shared by conv2d and its gradient helpers. */
export interface ConvGeometryAttrs {
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

/**
 * Validates `options` for a convolution with kernel `[kH, kW]` and returns them normalised (internal).
 */
export function convAttrs(op: string, options: { stride?: unknown; padding?: unknown; dilation?: unknown; groups?: unknown }, kernel: readonly [number, number]): ConvGeometryAttrs {
  const stride = pair(op, 'stride', options.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
  const groups = options.groups ?? 1;
  if (typeof groups !== 'number') throw new TypeError(`${op}: expected groups to be a positive integer, got ${JSON.stringify(groups)}`);
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}: expected groups to be a positive integer, got ${String(groups)}`);
  const padding = convPadding(op, options.padding ?? 0, kernel, dilation, stride);
  return { stride, padding, dilation, groups };
}

/** Checks weight/channel/group compatibility and the output size of conv2d (internal). */
export function checkConvShapes(op: string, xShape: readonly number[], wShape: readonly number[], a: ConvGeometryAttrs): [number, number] {
  if (wShape.length !== 4) {
    throw new RangeError(`${op}: expected a 4-D weight (out_channels, in_channels/groups, kH, kW), got shape ${formatShape(wShape)}`);
  }
  const [o, cg, kh, kw] = wShape as [number, number, number, number];
  const c = xShape[1]!;
  if (o % a.groups !== 0) {
    throw new RangeError(`${op}: out_channels (${o}, weight dim 0) must be divisible by groups (${a.groups}); weight shape ${formatShape(wShape)}`);
  }
  if (c % a.groups !== 0) {
    throw new RangeError(`${op}: in_channels (${c}) must be divisible by groups (${a.groups}); input shape ${formatShape(xShape)}`);
  }
  if (cg * a.groups !== c) {
    throw new RangeError(
      `${op}: expected input ${formatShape(xShape)} to have ${cg * a.groups} channels (weight ${formatShape(wShape)} with groups=${a.groups}), ` +
        `but got ${c} channels instead; the weight's dim 1 must be in_channels / groups`,
    );
  }
  const [pt, pb, pl, pr] = a.padding;
  const ph = xShape[2]! + pt + pb;
  const pw = xShape[3]! + pl + pr;
  const eh = a.dilation[0] * (kh - 1) + 1;
  const ew = a.dilation[1] * (kw - 1) + 1;
  if (eh > ph || ew > pw) {
    throw new RangeError(
      `${op}: calculated padded input size per channel (${ph} x ${pw}) is smaller than the (dilated) kernel size (${eh} x ${ew}); ` +
        `the kernel can't be greater than the padded input: pad the input or use a smaller kernel`,
    );
  }
  return [convOutSize(xShape[2]!, kh, a.stride[0], pt + pb, a.dilation[0]), convOutSize(xShape[3]!, kw, a.stride[1], pl + pr, a.dilation[1])];
}


/** Normalised, validated pooling window (internal to the pooling front-ends). */
export function poolAttrs(
  op: string,
  x: Tensor,
  o: { kernelSize?: IntPair; stride?: IntPair | null; padding?: IntPair; dilation?: IntPair; ceilMode?: boolean },
): { kernelSize: [number, number]; stride: [number, number]; padding: [number, number]; dilation: [number, number]; ceilMode: boolean; outputSize: [number, number] } {
  if (o.kernelSize === undefined) throw new TypeError(`${op}: kernelSize is required, e.g. ${op}(x, 2) or ${op}(x, { kernelSize: [2, 2] })`);
  const kernelSize = pair(op, 'kernelSize', o.kernelSize, 1);
  const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernelSize : pair(op, 'stride', o.stride, 1);
  const padding = pair(op, 'padding', o.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', o.dilation ?? 1, 1);
  const ceilMode = o.ceilMode ?? false;
  if (typeof ceilMode !== 'boolean') throw new TypeError(`${op}: expected ceilMode to be a boolean, got ${String(ceilMode)}`);
  for (let i = 0; i < 2; i++) {
    if (padding[i]! > kernelSize[i]! / 2) {
      throw new RangeError(`${op}: pad should be at most half of the kernel size, got padding ${JSON.stringify(padding)} for kernelSize ${JSON.stringify(kernelSize)}`);
    }
  }
  const h = x.shape[x.ndim - 2]!;
  const w = x.shape[x.ndim - 1]!;
  const oh = poolOutSize(h, kernelSize[0], stride[0], padding[0], dilation[0], ceilMode);
  const ow = poolOutSize(w, kernelSize[1], stride[1], padding[1], dilation[1], ceilMode);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${op}: the output size (${oh} x ${ow}) is too small for input ${formatShape(x.shape)} with kernelSize ${JSON.stringify(kernelSize)}, ` +
        `stride ${JSON.stringify(stride)}, padding ${JSON.stringify(padding)}, dilation ${JSON.stringify(dilation)}; use a smaller window or pad the input`,
    );
  }
  return { kernelSize, stride, padding, dilation, ceilMode, outputSize: [oh, ow] };
}


/** Normalised avgPool2d attributes (internal). */
export function avgAttrs(op: string, x: Tensor, o: { kernelSize?: IntPair; stride?: IntPair | null; padding?: IntPair; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null }): {
  kernelSize: [number, number]; stride: [number, number]; padding: [number, number]; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null;
} {
  const { kernelSize, stride, padding, ceilMode } = poolAttrs(op, x, o);
  const countIncludePad = o.countIncludePad ?? true;
  if (typeof countIncludePad !== 'boolean') throw new TypeError(`${op}: expected countIncludePad to be a boolean, got ${String(countIncludePad)}`);
  const divisorOverride = o.divisorOverride ?? null;
  if (divisorOverride !== null && !(Number.isInteger(divisorOverride) && divisorOverride !== 0)) {
    throw new RangeError(`${op}: expected divisorOverride to be a non-zero integer, got ${String(divisorOverride)}`);
  }
  return { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride };
}


/**
 * The {@link ConvGeometry} of a convolution of input `[n, c, h, w]` with weight
 * `[o, c / groups, kh, kw]` giving `[n, o, oh, ow]` (internal: front-ends hand it to kernels).
 */
export function convGeometry(x: readonly number[], w: readonly number[], a: ConvGeometryAttrs, oh: number, ow: number): ConvGeometry {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  const [sh, sw] = a.stride;
  const [pt, pb, pl, pr] = a.padding;
  const [dh, dw] = a.dilation;
  return { n, c, h, w: wd, o, kh, kw, oh, ow, sh, sw, pt, pb, pl, pr, dh, dw, groups: a.groups };
}

/**
 * The {@link PoolGeometry} of a pooling window over input `[n, c, h, w]` giving `[n, c, oh, ow]`
 * (internal: front-ends hand it to kernels).
 */
export function poolGeometry(
  x: readonly number[],
  a: { readonly kernelSize: readonly [number, number]; readonly stride: readonly [number, number]; readonly padding: readonly [number, number]; readonly dilation?: readonly [number, number] },
  oh: number,
  ow: number,
): PoolGeometry {
  const [n, c, h, w] = x as [number, number, number, number];
  const [dh, dw] = a.dilation ?? [1, 1];
  return { n, c, h, w, oh, ow, kh: a.kernelSize[0], kw: a.kernelSize[1], sh: a.stride[0], sw: a.stride[1], ph: a.padding[0], pw: a.padding[1], dh, dw };
}
