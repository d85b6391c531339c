import { matmul, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkFloat, checkImage, checkInterpolation, dims, hostTensor, type Interpolation } from './common.js';

/** Options of {@link resize} (torchvision's keywords). */
export interface ResizeOptions {
  /** Output size: `[h, w]`, or one number (or `[n]`) for the smaller edge, keeping the aspect ratio. */
  size?: number | readonly number[];
  /** `'bilinear'` (default), `'nearest'` or `'bicubic'`. */
  interpolation?: Interpolation;
  /** With an int `size`: the longest the longer edge may become (it is then scaled down to this). */
  maxSize?: number | null;
  /**
   * Antialias when downsampling with `'bilinear'`/`'bicubic'` (PIL's filter, which torchvision
   * ≥ 0.17 also uses by default for tensors). Default **`true`** for those modes (what a user
   * porting code that resized PIL images expects); `false` gives torchvision 0.14's tensor
   * default (plain `interpolate`). `'nearest'` never antialiases; `true` with it is an error.
   */
  antialias?: boolean | null;
}

/** `F.resize(img, size, interpolation=BILINEAR, max_size=None, antialias=None)`. */
const RESIZE = signature('resize', ['img', 'size', 'interpolation', 'maxSize', 'antialias'], { required: 2 });

/** torchvision's `_compute_resized_output_size`: `[newH, newW]`. */
export function resizedOutputSize(op: string, h: number, w: number, size: unknown, maxSize: unknown): [number, number] {
  const list = typeof size === 'number' ? [size] : Array.isArray(size) ? (size as unknown[]) : null;
  if (!list || (list.length !== 1 && list.length !== 2) || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v <= 0)) {
    throw new TypeError(`${op}: expected size to be a positive integer (the smaller edge), [n], or [height, width], got ${JSON.stringify(size)}`);
  }
  if (maxSize !== undefined && maxSize !== null) {
    if (typeof maxSize !== 'number' || !Number.isInteger(maxSize) || maxSize <= 0) throw new TypeError(`${op}: expected maxSize to be a positive integer or null, got ${JSON.stringify(maxSize)}`);
    if (list.length !== 1) throw new RangeError(`${op}: maxSize is only allowed when size gives the smaller edge (an int or [n]), got size ${JSON.stringify(size)}`);
  }
  if (list.length === 2) return [list[0] as number, list[1] as number];
  const [short, long] = w <= h ? [w, h] : [h, w];
  const requested = list[0] as number;
  let newShort = requested;
  let newLong = Math.trunc((requested * long) / short);
  if (typeof maxSize === 'number') {
    if (maxSize <= requested) throw new RangeError(`${op}: maxSize = ${maxSize} must be strictly greater than the requested size for the smaller edge, ${requested}; raise maxSize or lower size`);
    if (newLong > maxSize) {
      newShort = Math.trunc((maxSize * newShort) / newLong);
      newLong = maxSize;
    }
  }
  return w <= h ? [newLong, newShort] : [newShort, newLong];
}

function cubic1(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}

function cubic2(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/**
 * The `[outSize, inSize]` matrix `W` of one separable pass of PyTorch's `interpolate` with
 * `align_corners=False` (rows: output positions): `out = W · in` along that dim. The float32
 * rounding of PyTorch's index arithmetic is reproduced where it decides which pixels are read.
 */
export function resizeWeights(inSize: number, outSize: number, mode: Interpolation, antialias: boolean, float32: boolean): Float64Array {
  const f = float32 ? Math.fround : (v: number) => v;
  const m = new Float64Array(outSize * inSize);
  const scale = f(inSize / outSize);
  if (mode === 'nearest') {
    for (let j = 0; j < outSize; j++) {
      // nearest_idx: identity and exact doubling are special-cased, else floorf(dst * scale)
      const src = outSize === inSize ? j : outSize === 2 * inSize ? j >> 1 : Math.min(Math.floor(Math.fround(Math.fround(j) * Math.fround(inSize / outSize))), inSize - 1);
      m[j * inSize + src] = 1;
    }
    return m;
  }
  if (antialias) {
    // _compute_indices_weights_aa: a filter stretched by the scale when downsampling, normalised
    const interp = mode === 'bilinear' ? 2 : 4;
    const support = scale >= 1 ? f(f(interp * 0.5) * scale) : interp * 0.5;
    const invscale = scale >= 1 ? f(1 / scale) : 1;
    const filter = mode === 'bilinear'
      ? (x: number) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0)
      : (x: number) => {
          const a = -0.5;
          const t = Math.abs(x);
          if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
          if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
          return 0;
        };
    for (let i = 0; i < outSize; i++) {
      const center = f(scale * f(i + 0.5));
      const xmin = Math.max(Math.trunc(f(f(center - support) + 0.5)), 0);
      const xsize = Math.min(Math.trunc(f(f(center + support) + 0.5)), inSize) - xmin;
      const w = new Float64Array(Math.max(xsize, 0));
      let total = 0;
      for (let j = 0; j < xsize; j++) {
        w[j] = f(filter(f(f(f(j + xmin - center) + 0.5) * invscale)));
        total = f(total + w[j]!);
      }
      for (let j = 0; j < xsize; j++) m[i * inSize + xmin + j] = total !== 0 ? f(w[j]! / total) : w[j]!;
    }
    return m;
  }
  if (mode === 'bilinear') {
    for (let j = 0; j < outSize; j++) {
      const src = Math.max(f(f(scale * f(j + 0.5)) - 0.5), 0);
      const i0 = Math.trunc(src);
      const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      const l1 = Math.min(Math.max(f(src - i0), 0), 1);
      m[j * inSize + i0] += f(1 - l1);
      m[j * inSize + i1] += l1;
    }
    return m;
  }
  // bicubic (A = -0.75), taps clamped to the border
  for (let j = 0; j < outSize; j++) {
    const src = f(f(scale * f(j + 0.5)) - 0.5);
    const i0 = Math.floor(src);
    const t = f(src - i0);
    const coeffs = [cubic2(t + 1, -0.75), cubic1(t, -0.75), cubic1(1 - t, -0.75), cubic2(2 - t, -0.75)];
    for (let k = 0; k < 4; k++) {
      const idx = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      m[j * inSize + idx] += f(coeffs[k]!);
    }
  }
  return m;
}

/** Resizes the last two dims of `x` to `[oh, ow]` as two matrix products (no checks). */
export function resizeTo(x: Tensor, oh: number, ow: number, mode: Interpolation, antialias: boolean): Tensor {
  const [, h, w] = dims(x);
  return tidy(() => {
    const f32 = x.dtype === 'float32';
    let y = x;
    // an unchanged dim has identity weights in every mode: skipping it is exact
    if (oh !== h) y = matmul(hostTensor(resizeWeights(h, oh, mode, antialias, f32), [oh, h], x), y);
    if (ow !== w) y = matmul(y, hostTensor(transpose(resizeWeights(w, ow, mode, antialias, f32), ow, w), [w, ow], x));
    return y === x ? x.clone() : y;
  });
}

function transpose(m: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}

/** Resolves the `antialias` option against the mode (see {@link ResizeOptions.antialias}). */
export function antialiasFor(op: string, mode: Interpolation, antialias: unknown): boolean {
  if (antialias !== undefined && antialias !== null && typeof antialias !== 'boolean') throw new TypeError(`${op}: expected antialias to be a boolean or null, got ${JSON.stringify(antialias)}`);
  if (mode === 'nearest') {
    if (antialias === true) throw new RangeError(`${op}: antialias is supported for 'bilinear' and 'bicubic' interpolation only, got interpolation 'nearest'; drop antialias or pick 'bilinear'`);
    return false;
  }
  return antialias !== false;
}

/**
 * torchvision's `transforms.functional.resize` on a float image `[..., C, H, W]`: `size` is
 * `[h, w]`, or one number for the smaller edge (the other edge is `trunc(size * long / short)`,
 * then capped by `maxSize`), exactly as torchvision computes it. The interpolation is PyTorch's
 * `interpolate(..., align_corners=False)` — with **`antialias: true` by default** for
 * `'bilinear'`/`'bicubic'`, which matches PIL and torchvision ≥ 0.17 (pass `antialias: false`
 * for torchvision 0.14's tensor default). It runs as two matrix products with interpolation
 * weights built on the host (`Wh · X · Wwᵀ`), so it runs on every backend and is
 * differentiable. A batch `[B, C, H, W]` is resized as a whole.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { resize } from '@tensorgrad/vision';
 * const img = tensor([[[0, 1, 2, 3]]]); // [C=1, H=1, W=4]
 * await resize(img, [1, 2]).array(); // [[[0.7142857, 2.4285714]]] (antialiased, as PIL)
 * await resize(img, [1, 2], { antialias: false }).array(); // [[[0.5, 2.5]]] (torchvision 0.14's tensor default)
 * await resize(img, [1, 2], { interpolation: 'nearest' }).array(); // [[[0, 2]]]
 * resize(tensor([[[0, 1, 2, 3], [4, 5, 6, 7]]]), 4).shape; // [1, 4, 8]
 * ```
 */
export function resize(img: Tensor, size: number | readonly number[], options?: Omit<ResizeOptions, 'size'>): Tensor;
export function resize(img: Tensor, size: number | readonly number[], interpolation?: Interpolation, maxSize?: number | null, antialias?: boolean | null): Tensor;
export function resize(img: Tensor, options: ResizeOptions): Tensor;
export function resize(...args: unknown[]): Tensor {
  const a = parseArgs(RESIZE, args);
  const x = checkImage('resize', a.img);
  checkFloat('resize', x);
  const mode = checkInterpolation('resize', a.interpolation ?? 'bilinear', ['nearest', 'bilinear', 'bicubic']);
  const antialias = antialiasFor('resize', mode, a.antialias);
  const [, h, w] = dims(x);
  const [oh, ow] = resizedOutputSize('resize', h, w, a.size, a.maxSize);
  return resizeTo(x, oh, ow, mode, antialias);
}
