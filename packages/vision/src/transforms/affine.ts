import { add, indexSelect, mul, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkFloat, checkImage, checkInterpolation, checkNumber, dims, hostTensor, indexTensor } from './common.js';

/** The interpolation modes of {@link rotate} and {@link affine}. */
export type GridInterpolation = 'nearest' | 'bilinear';

/** Options of {@link rotate} (torchvision's keywords). */
export interface RotateOptions {
  /** Angle in degrees, counter-clockwise. */
  angle?: number;
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: GridInterpolation;
  /** Grow the output so that the whole rotated image fits (default `false`: same size). */
  expand?: boolean;
  /** Centre of rotation `[x, y]` in pixels from the top-left corner (default the image centre). */
  center?: readonly number[] | null;
  /** Value of the pixels outside the source image: one number or one per channel (default: zeros). */
  fill?: number | readonly number[] | null;
}

/** Options of {@link affine} (torchvision's keywords). */
export interface AffineOptions {
  /** Rotation angle in degrees, clockwise (as torchvision's `affine`). */
  angle?: number;
  /** Translation `[dx, dy]` in pixels (after the rotation). */
  translate?: readonly number[];
  /** Overall scale (> 0). */
  scale?: number;
  /** Shear angle(s) in degrees: one number (x only) or `[sx, sy]`. */
  shear?: number | readonly number[];
  /** `'nearest'` (default) or `'bilinear'`. */
  interpolation?: GridInterpolation;
  /** Value of the pixels outside the source image: one number or one per channel (default: zeros). */
  fill?: number | readonly number[] | null;
  /** Centre `[x, y]` in pixels from the top-left corner (default the image centre). */
  center?: readonly number[] | null;
}

/** `F.rotate(img, angle, interpolation=NEAREST, expand=False, center=None, fill=None)`. */
const ROTATE = signature('rotate', ['img', 'angle', 'interpolation', 'expand', 'center', 'fill'], { required: 2 });
/** `F.affine(img, angle, translate, scale, shear, interpolation=NEAREST, fill=None, center=None)`. */
const AFFINE = signature('affine', ['img', 'angle', 'translate', 'scale', 'shear', 'interpolation', 'fill', 'center'], { required: 5 });

const rad = (deg: number): number => (deg * Math.PI) / 180;

/** torchvision's `_get_inverse_affine_matrix` (output pixel → input pixel, centred coordinates). */
export function inverseAffineMatrix(center: readonly number[], angle: number, translate: readonly number[], scale: number, shear: readonly number[]): number[] {
  const rot = rad(angle);
  const sx = rad(shear[0]!);
  const sy = rad(shear[1]!);
  const [cx, cy] = center as [number, number];
  const [tx, ty] = translate as [number, number];
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((v) => v / scale);
  m[2] = m[2]! + m[0]! * (-cx - tx) + m[1]! * (-cy - ty);
  m[5] = m[5]! + m[3]! * (-cx - tx) + m[4]! * (-cy - ty);
  m[2] = m[2]! + cx;
  m[5] = m[5]! + cy;
  return m;
}

/** torchvision's `_compute_affine_output_size` (float32, with its 1e-4 truncation): `[ow, oh]`. */
function expandedSize(matrix: readonly number[], w: number, h: number): [number, number] {
  const f = Math.fround;
  const t = matrix.map(f);
  const pts = [[-0.5 * w, -0.5 * h], [-0.5 * w, 0.5 * h], [0.5 * w, 0.5 * h], [0.5 * w, -0.5 * h]];
  const out = [0, 1].map((r) => pts.map(([x, y]) => f(f(f(x! * t[3 * r]!) + f(y! * t[3 * r + 1]!)) + t[3 * r + 2]!)));
  const size = [0, 1].map((r) => {
    const half = f(r === 0 ? w * 0.5 : h * 0.5);
    const mx = f(Math.max(...out[r]!) + half);
    const mn = f(Math.min(...out[r]!) + half);
    const tol = f(1e-4);
    const cmax = Math.ceil(f(Math.trunc(f(mx / tol)) * tol));
    const cmin = Math.floor(f(Math.trunc(f(mn / tol)) * tol));
    return cmax - cmin;
  });
  return [size[0]!, size[1]!];
}

/**
 * torchvision's `_gen_affine_grid` + `grid_sample(..., align_corners=False, padding_mode='zeros')`
 * + its fill mask, as gathers: the sampling positions depend only on the matrix and the sizes,
 * so they are computed on the host (in float32, as PyTorch does for float32 images) and the image
 * is read with `indexSelect` at up to four taps per output pixel. Runs on every backend and is
 * differentiable in the image.
 */
export function gridTransform(x: Tensor, matrix: readonly number[], ow: number, oh: number, mode: GridInterpolation, fill: readonly number[] | null): Tensor {
  const [c, h, w] = dims(x);
  const f = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  const theta = matrix.map(f);
  // rescaled_theta = theta^T / [0.5 w, 0.5 h]
  const rx = [f(theta[0]! / f(0.5 * w)), f(theta[1]! / f(0.5 * w)), f(theta[2]! / f(0.5 * w))];
  const ry = [f(theta[3]! / f(0.5 * h)), f(theta[4]! / f(0.5 * h)), f(theta[5]! / f(0.5 * h))];
  const n = ow * oh;
  const taps = mode === 'nearest' ? 1 : 4;
  const idx = Array.from({ length: taps }, () => new Int32Array(n));
  const wt = Array.from({ length: taps }, () => new Float64Array(n));
  const mask = new Float64Array(n);
  const halfW = f(w / 2);
  const halfH = f(h / 2);
  for (let i = 0; i < oh; i++) {
    const by = -oh * 0.5 + 0.5 + i;
    for (let j = 0; j < ow; j++) {
      const bx = -ow * 0.5 + 0.5 + j;
      const gx = f(f(f(bx * rx[0]!) + f(by * rx[1]!)) + rx[2]!);
      const gy = f(f(f(bx * ry[0]!) + f(by * ry[1]!)) + ry[2]!);
      // grid_sampler_unnormalize, align_corners=False: ((g + 1) * size - 1) / 2
      const ix = f(f(f(gx + 1) * halfW) - 0.5);
      const iy = f(f(f(gy + 1) * halfH) - 0.5);
      const p = i * ow + j;
      if (mode === 'nearest') {
        const xn = roundEven(ix);
        const yn = roundEven(iy);
        if (xn >= 0 && xn < w && yn >= 0 && yn < h) {
          idx[0]![p] = yn * w + xn;
          wt[0]![p] = 1;
          mask[p] = 1;
        }
        continue;
      }
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const we = f(ix - x0);
      const ww = f(1 - we);
      const ns = f(iy - y0);
      const nn = f(1 - ns);
      const corners: [number, number, number][] = [
        [x0, y0, f(nn * ww)],
        [x0 + 1, y0, f(nn * we)],
        [x0, y0 + 1, f(ns * ww)],
        [x0 + 1, y0 + 1, f(ns * we)],
      ];
      let m = 0;
      corners.forEach(([cx, cy, cw], k) => {
        if (cx >= 0 && cx < w && cy >= 0 && cy < h) {
          idx[k]![p] = cy * w + cx;
          wt[k]![p] = cw;
          m = f(m + cw);
        }
      });
      mask[p] = m;
    }
  }
  const lead = x.shape.slice(0, x.ndim - 2);
  return tidy(() => {
    const flat = x.reshape([...lead, h * w]);
    let out: Tensor | null = null;
    for (let k = 0; k < taps; k++) {
      const term = mul(indexSelect(flat, indexTensor(idx[k]!, x), { dim: x.ndim - 2 }), hostTensor(wt[k]!, [n], x));
      out = out === null ? term : add(out, term);
    }
    let y = out!;
    if (fill !== null) {
      // torchvision samples a ones-channel alongside the image: out = img * mask + (1 - mask) * fill
      const bias = new Float64Array(c * n);
      for (let ch = 0; ch < c; ch++) {
        const v = fill.length === 1 ? fill[0]! : fill[ch]!;
        for (let p = 0; p < n; p++) bias[ch * n + p] = f(f(1 - mask[p]!) * v);
      }
      y = add(mul(y, hostTensor(mask, [n], x)), hostTensor(bias, x.ndim >= 3 ? [c, n] : [n], x));
    }
    return y.reshape([...lead, oh, ow]);
  });
}

/** `nearbyint`: round half to even. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function checkFillValues(op: string, fill: unknown, channels: number): number[] | null {
  if (fill === undefined || fill === null) return null;
  const list = typeof fill === 'number' ? [fill] : Array.isArray(fill) ? (fill as unknown[]) : null;
  if (!list || list.length === 0 || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TypeError(`${op}: expected fill to be a number or a list of numbers (one per channel), got ${JSON.stringify(fill)}`);
  }
  if (list.length !== 1 && list.length !== channels) {
    throw new RangeError(`${op}: fill has ${list.length} values but the image has ${channels} channels; give one value or one per channel`);
  }
  return list as number[];
}

function checkPair(op: string, name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) {
    throw new TypeError(`${op}: expected ${name} to be a list of two numbers [x, y], got ${JSON.stringify(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

/** Checked arguments of rotate, shared with RandomRotation. */
export function rotateImage(x: Tensor, angle: number, mode: GridInterpolation, expand: boolean, center: readonly number[] | null, fill: readonly number[] | null): Tensor {
  const [, h, w] = dims(x);
  const centerF = center === null ? [0, 0] : [center[0]! - w * 0.5, center[1]! - h * 0.5];
  const matrix = inverseAffineMatrix(centerF, -angle, [0, 0], 1, [0, 0]);
  const [ow, oh] = expand ? expandedSize(matrix, w, h) : [w, h];
  return gridTransform(x, matrix, ow, oh, mode, fill);
}

/**
 * torchvision's `transforms.functional.rotate` (tensor path) on a float image `[..., C, H, W]`:
 * rotates by `angle` degrees counter-clockwise about `center` (default the image centre) with
 * `'nearest'` (default) or `'bilinear'` sampling; `expand: true` enlarges the output to hold the
 * whole rotated image; pixels from outside the image are 0, or `fill` (which, as in torchvision,
 * is blended with the bilinear border weights). A batch is rotated as a whole.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { rotate } from '@tensorgrad/vision';
 * const img = tensor([[[1, 2], [3, 4]]]); // [1, 2, 2]
 * await rotate(img, 90).array(); // [[[2, 4], [1, 3]]]
 * await rotate(img, { angle: -90, fill: 0 }).array(); // [[[3, 1], [4, 2]]]
 * // expand: the output holds the whole rotated image (the size torchvision computes)
 * rotate(tensor([[[1, 2, 3, 4]]]), 90, 'nearest', true).shape; // [1, 5, 2]
 * ```
 */
export function rotate(img: Tensor, angle: number, options?: Omit<RotateOptions, 'angle'>): Tensor;
export function rotate(img: Tensor, angle: number, interpolation?: GridInterpolation, expand?: boolean, center?: readonly number[] | null, fill?: number | readonly number[] | null): Tensor;
export function rotate(img: Tensor, options: RotateOptions): Tensor;
export function rotate(...args: unknown[]): Tensor {
  const a = parseArgs(ROTATE, args);
  const x = checkImage('rotate', a.img);
  checkFloat('rotate', x);
  const angle = checkNumber('rotate', 'angle', a.angle);
  const mode = checkInterpolation('rotate', a.interpolation ?? 'nearest', ['nearest', 'bilinear']) as GridInterpolation;
  if (a.expand !== undefined && typeof a.expand !== 'boolean') throw new TypeError(`rotate: expected expand to be a boolean, got ${JSON.stringify(a.expand)}`);
  const center = a.center === undefined || a.center === null ? null : checkPair('rotate', 'center', a.center);
  const fill = checkFillValues('rotate', a.fill, dims(x)[0]);
  return rotateImage(x, angle, mode, a.expand === true, center, fill);
}

/** Checked arguments of affine, shared with RandomAffine. */
export function affineImage(x: Tensor, angle: number, translate: readonly number[], scale: number, shear: readonly number[], mode: GridInterpolation, fill: readonly number[] | null, center: readonly number[] | null): Tensor {
  const [, h, w] = dims(x);
  const centerF = center === null ? [0, 0] : [center[0]! - w * 0.5, center[1]! - h * 0.5];
  const matrix = inverseAffineMatrix(centerF, angle, translate, scale, shear);
  return gridTransform(x, matrix, w, h, mode, fill);
}

/**
 * torchvision's `transforms.functional.affine` (tensor path) on a float image `[..., C, H, W]`,
 * keeping the centre (or `center`) fixed: rotation by `angle` degrees (clockwise, as in
 * torchvision's `affine`), translation `translate = [dx, dy]` pixels, `scale`, and `shear`
 * degrees (one number for x, or `[sx, sy]`); `'nearest'` (default) or `'bilinear'` sampling,
 * zeros or `fill` outside. The output has the input's size.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { affine } from '@tensorgrad/vision';
 * const img = tensor([[[1, 2, 3]]]); // [1, 1, 3]
 * await affine(img, 0, [1, 0], 1, 0).array(); // [[[0, 1, 2]]]
 * await affine(img, { angle: 0, translate: [-1, 0], scale: 1, shear: [0, 0], fill: 9 }).array(); // [[[2, 3, 9]]]
 * ```
 */
export function affine(img: Tensor, angle: number, translate: readonly number[], scale: number, shear: number | readonly number[], options?: { interpolation?: GridInterpolation; fill?: number | readonly number[] | null; center?: readonly number[] | null }): Tensor;
export function affine(
  img: Tensor,
  angle: number,
  translate: readonly number[],
  scale: number,
  shear: number | readonly number[],
  interpolation?: GridInterpolation,
  fill?: number | readonly number[] | null,
  center?: readonly number[] | null,
): Tensor;
export function affine(img: Tensor, options: AffineOptions): Tensor;
export function affine(...args: unknown[]): Tensor {
  const a = parseArgs(AFFINE, args);
  const x = checkImage('affine', a.img);
  checkFloat('affine', x);
  const angle = checkNumber('affine', 'angle', a.angle);
  const translate = checkPair('affine', 'translate', a.translate);
  const scale = checkNumber('affine', 'scale', a.scale);
  if (scale <= 0) throw new RangeError(`affine: expected scale > 0, got ${scale}`);
  const shear = parseShear('affine', a.shear);
  const mode = checkInterpolation('affine', a.interpolation ?? 'nearest', ['nearest', 'bilinear']) as GridInterpolation;
  const center = a.center === undefined || a.center === null ? null : checkPair('affine', 'center', a.center);
  const fill = checkFillValues('affine', a.fill, dims(x)[0]);
  return affineImage(x, angle, translate, scale, shear, mode, fill, center);
}

/** torchvision's shear argument: a number (x only), `[s]` (both) or `[sx, sy]`. */
function parseShear(op: string, v: unknown): [number, number] {
  if (typeof v === 'number' && Number.isFinite(v)) return [v, 0];
  if (Array.isArray(v) && (v.length === 1 || v.length === 2) && v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    return v.length === 1 ? [v[0] as number, v[0] as number] : [v[0] as number, v[1] as number];
  }
  throw new TypeError(`affine: expected shear to be a number or a list of one or two numbers (degrees), got ${JSON.stringify(v)}${op === 'affine' ? '' : ` (${op})`}`);
}

