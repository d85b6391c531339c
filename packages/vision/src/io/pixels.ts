/**
 * @internal The decoded-pixels record shared by the PNG and JPEG codecs and the mode conversions of
 * `decodeImage` (torchvision's `ImageReadMode`).
 */

/** torchvision's `ImageReadMode` names (`torchvision.io.ImageReadMode.RGB` → `'rgb'`). */
export type ImageReadMode = 'unchanged' | 'gray' | 'gray_alpha' | 'rgb' | 'rgb_alpha';

/** @internal The modes, in torchvision's order. */
export const IMAGE_READ_MODES: readonly ImageReadMode[] = ['unchanged', 'gray', 'gray_alpha', 'rgb', 'rgb_alpha'];

/** @internal 8-bit pixels, interleaved (`[H, W, C]`), 1 to 4 channels (gray, gray+alpha, RGB, RGBA). */
export interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** @internal The number of channels an image has in `mode` (`unchanged`: as stored). */
export function modeChannels(mode: ImageReadMode, stored: number): number {
  return mode === 'unchanged' ? stored : mode === 'gray' ? 1 : mode === 'gray_alpha' ? 2 : mode === 'rgb' ? 3 : 4;
}

/**
 * @internal libpng's `png_set_rgb_to_gray(png, 1, 0.2989, 0.587)` as torchvision calls it (8-bit
 * path, for a file without a significant gamma; see png.ts for the gamma path): coefficients in 1/32768 truncated from the fixed-point values 29890 and 58700,
 * blue the remainder; a pixel whose three values are equal is copied, any other is truncated.
 */
const RC = Math.floor((29890 * 32768) / 100000);
const GC = Math.floor((58700 * 32768) / 100000);
const BC = 32768 - RC - GC;
/** @internal The three coefficients of {@link pngGray}, in 1/32768. */
export const RGB_TO_GRAY: readonly [number, number, number] = [RC, GC, BC];

/** @internal See {@link RC}. */
export function pngGray(r: number, g: number, b: number): number {
  return r === g && g === b ? r : (RC * r + GC * g + BC * b) >> 15;
}

/**
 * @internal Converts 8-bit pixels with `channels` 1–4 to `target` channels the way libpng's
 * transformations in torchvision's `decode_png` do: gray → RGB replicates, RGB → gray with
 * {@link pngGray} (or `gray` given), a missing alpha is 255, an unwanted alpha is dropped.
 */
export function convertChannels(p: Pixels, target: number, gray: (r: number, g: number, b: number) => number = pngGray): Pixels {
  const { width, height, channels, data } = p;
  if (target === channels) return p;
  const n = width * height;
  const out = new Uint8Array(n * target);
  const hasColor = channels >= 3;
  const hasAlpha = channels === 2 || channels === 4;
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const r = data[s]!;
    const g = hasColor ? data[s + 1]! : r;
    const b = hasColor ? data[s + 2]! : r;
    const a = hasAlpha ? data[s + channels - 1]! : 255;
    const o = i * target;
    if (target <= 2) {
      out[o] = hasColor ? gray(r, g, b) : r;
      if (target === 2) out[o + 1] = a;
    } else {
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      if (target === 4) out[o + 3] = a;
    }
  }
  return { width, height, channels: target, data: out };
}
