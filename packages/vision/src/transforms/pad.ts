import { indexSelect, narrow, pad as padTensor, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkImage, dims, indexTensor } from './common.js';

/** torchvision's padding modes. */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

/** Options of {@link pad} (torchvision's keywords). */
export interface PadImageOptions {
  /** Padding: one number for all sides, `[leftRight, topBottom]`, or `[left, top, right, bottom]`. */
  padding?: number | readonly number[];
  /** The value of the padded pixels in `'constant'` mode (default 0). */
  fill?: number;
  /**
   * `'constant'` (default, `fill`), `'edge'` (repeat the last pixel), `'reflect'` (mirror without
   * repeating the edge: `[1, 2, 3]` padded by 2 → `[3, 2, 1, 2, 3, 2, 1]`) or `'symmetric'` (mirror
   * repeating the edge: `[2, 1, 1, 2, 3, 3, 2]`).
   */
  paddingMode?: PaddingMode;
}

/** `F.pad(img, padding, fill=0, padding_mode='constant')`. */
const PAD = signature('pad', ['img', 'padding', 'fill', 'paddingMode'], { required: 2 });

/** torchvision's `_parse_pad_padding`: `[left, top, right, bottom]`. */
export function parsePadding(op: string, padding: unknown): [number, number, number, number] {
  const list = typeof padding === 'number' ? [padding] : Array.isArray(padding) ? (padding as unknown[]) : null;
  if (!list || ![1, 2, 4].includes(list.length) || list.some((v) => typeof v !== 'number' || !Number.isInteger(v))) {
    throw new TypeError(`${op}: expected padding to be an integer, [leftRight, topBottom] or [left, top, right, bottom] integers, got ${JSON.stringify(padding)}`);
  }
  const p = list as number[];
  if (p.length === 1) return [p[0]!, p[0]!, p[0]!, p[0]!];
  if (p.length === 2) return [p[0]!, p[1]!, p[0]!, p[1]!];
  return [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** Source index of padded position `i` (may be < 0 or >= n) along a dim of size `n`. */
function sourceIndex(i: number, n: number, mode: Exclude<PaddingMode, 'constant'>): number {
  if (mode === 'edge') return Math.min(Math.max(i, 0), n - 1);
  if (mode === 'reflect') return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
  return i < 0 ? -i - 1 : i >= n ? 2 * n - 1 - i : i;
}

/** Pads (or, for negative amounts, crops) the last two dims; no argument checks. */
export function padImage(op: string, x: Tensor, [left, top, right, bottom]: readonly number[], fill: number, mode: PaddingMode): Tensor {
  const [, h, w] = dims(x);
  const n = x.ndim;
  if (mode === 'constant') {
    return tidy(() => {
      // negative padding crops first; the tensor-level pad then adds the positive part
      let y = x;
      const cl = Math.max(-left!, 0);
      const cr = Math.max(-right!, 0);
      const ct = Math.max(-top!, 0);
      const cb = Math.max(-bottom!, 0);
      if (cl + cr >= w || ct + cb >= h) throw new RangeError(`${op}: negative padding [${[left, top, right, bottom].join(', ')}] removes the whole ${h}x${w} image`);
      if (cl || cr) y = narrow(y, n - 1, cl, w - cl - cr);
      if (ct || cb) y = narrow(y, n - 2, ct, h - ct - cb);
      const p = [Math.max(left!, 0), Math.max(right!, 0), Math.max(top!, 0), Math.max(bottom!, 0)];
      if (p.every((v) => v === 0)) return y === x ? x.clone() : y.contiguous();
      return padTensor(y, p, { value: fill });
    });
  }
  if (mode === 'reflect' && (left! >= w || right! >= w || top! >= h || bottom! >= h)) {
    throw new RangeError(`${op}: reflect padding must be smaller than the image size it mirrors (${h}x${w}), got [${[left, top, right, bottom].join(', ')}]; use 'symmetric' or a smaller padding`);
  }
  if (mode === 'symmetric' && (left! > w || right! > w || top! > h || bottom! > h)) {
    throw new RangeError(`${op}: symmetric padding must be at most the image size it mirrors (${h}x${w}), got [${[left, top, right, bottom].join(', ')}]`);
  }
  const ow = w + left! + right!;
  const oh = h + top! + bottom!;
  if (ow <= 0 || oh <= 0) throw new RangeError(`${op}: negative padding [${[left, top, right, bottom].join(', ')}] removes the whole ${h}x${w} image`);
  return tidy(() => {
    const cols = Array.from({ length: ow }, (_, j) => sourceIndex(j - left!, w, mode));
    const rows = Array.from({ length: oh }, (_, i) => sourceIndex(i - top!, h, mode));
    const y = indexSelect(x, indexTensor(cols, x), { dim: n - 1 });
    return indexSelect(y, indexTensor(rows, x), { dim: n - 2 });
  });
}

/**
 * torchvision's `transforms.functional.pad` on an image `[..., H, W]` (any dtype): pads the
 * last two dims by `padding` (one number for every side, `[leftRight, topBottom]` or
 * `[left, top, right, bottom]`; negative amounts crop) with `fill` in `'constant'` mode, or by
 * repeating (`'edge'`) or mirroring (`'reflect'`, `'symmetric'`) the image. Gradients flow
 * through it.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { pad } from '@tensorgrad/vision';
 * const img = tensor([[[1, 2, 3]]]); // [1, 1, 3]
 * await pad(img, [2, 0]).array(); // [[[0, 0, 1, 2, 3, 0, 0]]]
 * await pad(img, [2, 0], { paddingMode: 'reflect' }).array(); // [[[3, 2, 1, 2, 3, 2, 1]]]
 * await pad(img, [2, 0], 0, 'symmetric').array(); // [[[2, 1, 1, 2, 3, 3, 2]]]
 * await pad(img, [1, 0], { fill: 9 }).array(); // [[[9, 1, 2, 3, 9]]]
 * ```
 */
export function pad(img: Tensor, padding: number | readonly number[], options?: Omit<PadImageOptions, 'padding'>): Tensor;
export function pad(img: Tensor, padding: number | readonly number[], fill?: number, paddingMode?: PaddingMode): Tensor;
export function pad(img: Tensor, options: PadImageOptions): Tensor;
export function pad(...args: unknown[]): Tensor {
  const a = parseArgs(PAD, args);
  const x = checkImage('pad', a.img);
  const p = parsePadding('pad', a.padding);
  const fill = a.fill ?? 0;
  if (typeof fill !== 'number' || !Number.isFinite(fill)) throw new TypeError(`pad: expected fill to be a finite number (tensor images take one fill value for every channel), got ${JSON.stringify(fill)}`);
  const mode = a.paddingMode ?? 'constant';
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(mode as string)) {
    throw new TypeError(`pad: expected paddingMode to be 'constant', 'edge', 'reflect' or 'symmetric', got ${JSON.stringify(mode)}`);
  }
  return padImage('pad', x, p, fill, mode as PaddingMode);
}
