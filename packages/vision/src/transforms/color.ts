import { add, clamp, eq, ge, lt, max, mean, min, mul, ne, select, stack, sub, tidy, where, div, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkFloat, checkImage, checkNumber, dims } from './common.js';

const GRAY = signature('rgbToGrayscale', ['img', 'numOutputChannels'], { required: 1 });
const BRIGHTNESS = signature('adjustBrightness', ['img', 'brightnessFactor'], { required: 2 });
const CONTRAST = signature('adjustContrast', ['img', 'contrastFactor'], { required: 2 });
const SATURATION = signature('adjustSaturation', ['img', 'saturationFactor'], { required: 2 });
const HUE = signature('adjustHue', ['img', 'hueFactor'], { required: 2 });

/** A float image `[..., C, H, W]` with `C` in `allowed`. */
function colorImage(op: string, img: unknown, allowed: readonly number[]): Tensor {
  const x = checkImage(op, img, 3);
  checkFloat(op, x);
  const c = dims(x)[0];
  if (!allowed.includes(c)) throw new RangeError(`${op}: expected an image with ${allowed.join(' or ')} channels ([..., C, H, W]), got ${c} channels (shape [${x.shape.join(', ')}])`);
  return x;
}

/** torchvision's `_blend`: `clamp(ratio * a + (1 - ratio) * b, 0, 1)` for float images. */
function blend(a: Tensor, b: Tensor | number, ratio: number): Tensor {
  return clamp(add(mul(a, ratio), typeof b === 'number' ? b * (1 - ratio) : mul(b, 1 - ratio)), 0, 1);
}

/** `0.2989 r + 0.587 g + 0.114 b`, keeping the channel dim (no checks). */
function luminance(x: Tensor): Tensor {
  const d = x.ndim - 3;
  const [r, g, b] = [0, 1, 2].map((i) => select(x, d, i));
  return add(add(mul(r!, 0.2989), mul(g!, 0.587)), mul(b!, 0.114)).unsqueeze(d);
}

/**
 * torchvision's `transforms.functional.rgb_to_grayscale` on a float image `[..., 3, H, W]`:
 * `0.2989 R + 0.587 G + 0.114 B` (a 1-channel image is returned unchanged), as
 * `numOutputChannels` (1 or 3) identical channels.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { rgbToGrayscale } from '@tensorgrad/vision';
 * const img = tensor([[[1]], [[0]], [[0]]]); // a red pixel, [3, 1, 1]
 * (await rgbToGrayscale(img).data())[0]; // 0.2989000082015991
 * rgbToGrayscale(img, { numOutputChannels: 3 }).shape; // [3, 1, 1]
 * ```
 */
export function rgbToGrayscale(img: Tensor, options?: { numOutputChannels?: 1 | 3 }): Tensor;
export function rgbToGrayscale(img: Tensor, numOutputChannels?: 1 | 3): Tensor;
export function rgbToGrayscale(...args: unknown[]): Tensor {
  const a = parseArgs(GRAY, args);
  const x = colorImage('rgbToGrayscale', a.img, [1, 3]);
  const k = a.numOutputChannels ?? 1;
  if (k !== 1 && k !== 3) throw new RangeError(`rgbToGrayscale: expected numOutputChannels to be 1 or 3, got ${JSON.stringify(k)}`);
  return tidy(() => {
    const l = dims(x)[0] === 3 ? luminance(x) : x.clone();
    return k === 3 ? l.expand(...x.shape.slice(0, x.ndim - 3), 3, x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!).contiguous() : l;
  });
}

function factor(op: string, name: string, v: unknown): number {
  const f = checkNumber(op, name, v);
  if (f < 0) throw new RangeError(`${op}: expected ${name} >= 0, got ${f}`);
  return f;
}

/**
 * torchvision's `transforms.functional.adjust_brightness` on a float image (1 or 3 channels):
 * `clamp(img * brightnessFactor, 0, 1)` (0 gives black, 1 the original).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { adjustBrightness } from '@tensorgrad/vision';
 * await adjustBrightness(tensor([[[0.25, 0.75]]]), 2).array(); // [[[0.5, 1]]]
 * ```
 */
export function adjustBrightness(img: Tensor, brightnessFactor: number): Tensor;
export function adjustBrightness(img: Tensor, options: { brightnessFactor: number }): Tensor;
export function adjustBrightness(...args: unknown[]): Tensor {
  const a = parseArgs(BRIGHTNESS, args);
  const x = colorImage('adjustBrightness', a.img, [1, 3]);
  const f = factor('adjustBrightness', 'brightnessFactor', a.brightnessFactor);
  return tidy(() => blend(x, 0, f));
}

/**
 * torchvision's `transforms.functional.adjust_contrast` on a float image (1 or 3 channels):
 * blends the image with the mean of its grayscale version (per image of a batch):
 * `clamp(f * img + (1 - f) * mean, 0, 1)`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { adjustContrast } from '@tensorgrad/vision';
 * await adjustContrast(tensor([[[0.25, 0.75]]]), 0).array(); // [[[0.5, 0.5]]]
 * ```
 */
export function adjustContrast(img: Tensor, contrastFactor: number): Tensor;
export function adjustContrast(img: Tensor, options: { contrastFactor: number }): Tensor;
export function adjustContrast(...args: unknown[]): Tensor {
  const a = parseArgs(CONTRAST, args);
  const x = colorImage('adjustContrast', a.img, [1, 3]);
  const f = factor('adjustContrast', 'contrastFactor', a.contrastFactor);
  return tidy(() => {
    const n = x.ndim;
    const gray = dims(x)[0] === 3 ? luminance(x) : x;
    const m = mean(gray, { dim: [n - 3, n - 2, n - 1], keepdim: true });
    return blend(x, m, f);
  });
}

/**
 * torchvision's `transforms.functional.adjust_saturation` on a float image (1 or 3 channels; a
 * 1-channel image is returned unchanged): blends the image with its grayscale version,
 * `clamp(f * img + (1 - f) * gray, 0, 1)` (0 gives grayscale, 1 the original).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { adjustSaturation } from '@tensorgrad/vision';
 * const gray = await adjustSaturation(tensor([[[1]], [[0]], [[0]]]), 0).data();
 * [gray[0] === gray[1], gray[1] === gray[2]]; // [true, true]
 * ```
 */
export function adjustSaturation(img: Tensor, saturationFactor: number): Tensor;
export function adjustSaturation(img: Tensor, options: { saturationFactor: number }): Tensor;
export function adjustSaturation(...args: unknown[]): Tensor {
  const a = parseArgs(SATURATION, args);
  const x = colorImage('adjustSaturation', a.img, [1, 3]);
  const f = factor('adjustSaturation', 'saturationFactor', a.saturationFactor);
  if (dims(x)[0] === 1) return x.clone();
  return tidy(() => blend(x, luminance(x), f));
}

/** Elementwise `a && b` of bool tensors. */
const and = (a: Tensor, b: Tensor): Tensor => where(a, b, a);
/** Elementwise `a || b` of bool tensors. */
const or = (a: Tensor, b: Tensor): Tensor => where(a, a, b);

/** torchvision's `_rgb2hsv` on `[..., 3, H, W]` → `[h, s, v]` planes `[..., H, W]`. */
function rgbToHsv(x: Tensor): [Tensor, Tensor, Tensor] {
  const d = x.ndim - 3;
  const [r, g, b] = [0, 1, 2].map((i) => select(x, d, i)) as [Tensor, Tensor, Tensor];
  const maxc = max(x, d).values;
  const minc = min(x, d).values;
  const eqc = eq(maxc, minc);
  const cr = sub(maxc, minc);
  const s = div(cr, where(eqc, 1, maxc));
  const crDivisor = where(eqc, 1, cr);
  const rc = div(sub(maxc, r), crDivisor);
  const gc = div(sub(maxc, g), crDivisor);
  const bc = div(sub(maxc, b), crDivisor);
  const isR = eq(maxc, r);
  const isG = eq(maxc, g);
  const hr = where(isR, sub(bc, gc), 0);
  const hg = where(and(isG, ne(maxc, r)), sub(add(rc, 2), bc), 0);
  const hb = where(and(ne(maxc, g), ne(maxc, r)), sub(add(gc, 4), rc), 0);
  const h = add(add(hr, hg), hb);
  // fmod(h / 6 + 1, 1): h / 6 + 1 lies in [2/3, 2), so one subtraction where it is >= 1
  const h1 = add(div(h, 6), 1);
  return [where(ge(h1, 1), sub(h1, 1), h1), s, maxc];
}

/** torchvision's `_hsv2rgb` (the sector `i = floor(6h) mod 6` chosen by comparisons). */
function hsvToRgb(h: Tensor, s: Tensor, v: Tensor, d: number): Tensor {
  const h6 = mul(h, 6);
  // i = floor(h6) for h6 in [0, 6]: the count of k in 1..6 with h6 >= k; f = h6 - i
  const steps = [1, 2, 3, 4, 5, 6].map((k) => ge(h6, k));
  let i: Tensor = steps[0]!.to(h.dtype);
  for (let k = 1; k < 6; k++) i = add(i, steps[k]!.to(h.dtype));
  const fr = sub(h6, i);
  const p = clamp(mul(v, sub(1, s)), 0, 1);
  const q = clamp(mul(v, sub(1, mul(s, fr))), 0, 1);
  const t = clamp(mul(v, sub(1, mul(s, sub(1, fr)))), 0, 1);
  const sector = (k: number) => (k === 0 ? or(lt(h6, 1), ge(h6, 6)) : and(ge(h6, k), lt(h6, k + 1)));
  const pick = (vals: Tensor[]): Tensor => {
    let out: Tensor = vals[5]!;
    for (let k = 4; k >= 0; k--) out = where(sector(k), vals[k]!, out);
    return out;
  };
  const r = pick([v, q, p, p, t, v]);
  const g = pick([t, v, v, q, p, p]);
  const b = pick([p, p, t, v, v, q]);
  return stack([r, g, b], d);
}

/**
 * torchvision's `transforms.functional.adjust_hue` on a float RGB image (a 1-channel image is
 * returned unchanged): converts to HSV, shifts the hue by `hueFactor` (in `[-0.5, 0.5]`, a
 * fraction of the colour wheel) modulo 1, and converts back, with torchvision's formulas.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { adjustHue } from '@tensorgrad/vision';
 * const red = tensor([[[1]], [[0]], [[0]]]);
 * await adjustHue(red, 1 / 3).array(); // [[[0]], [[1]], [[0]]]
 * ```
 */
export function adjustHue(img: Tensor, hueFactor: number): Tensor;
export function adjustHue(img: Tensor, options: { hueFactor: number }): Tensor;
export function adjustHue(...args: unknown[]): Tensor {
  const a = parseArgs(HUE, args);
  const x = colorImage('adjustHue', a.img, [1, 3]);
  const f = checkNumber('adjustHue', 'hueFactor', a.hueFactor);
  if (!(f >= -0.5 && f <= 0.5)) throw new RangeError(`adjustHue: expected hueFactor in [-0.5, 0.5], got ${f}`);
  if (dims(x)[0] === 1) return x.clone();
  return tidy(() => {
    const [h, s, v] = rgbToHsv(x);
    // (h + f) % 1 for h + f in [-0.5, 1.5)
    const hf = add(h, f);
    const wrapped = where(lt(hf, 0), add(hf, 1), where(ge(hf, 1), sub(hf, 1), hf));
    return hsvToRgb(wrapped, s, v, x.ndim - 3);
  });
}
