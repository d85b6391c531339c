import { div, fromTypedArray, Tensor, tidy } from '@tensorgrad/tensor';

/**
 * An image as raw bytes, laid out like a browser's `ImageData` or a decoder's output: rows top
 * to bottom, pixels left to right, `channels` bytes per pixel (HWC order).
 */
export interface ImageDataLike {
  /** `height * width * channels` bytes. */
  readonly data: Uint8Array | Uint8ClampedArray;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /**
   * Bytes per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA); default `data.length / (width *
   * height)`, so a browser `ImageData` (always RGBA) needs none.
   */
  readonly channels?: number;
}

/**
 * torchvision's `transforms.functional.to_tensor` / `ToTensor()`: an 8-bit image to a float32
 * tensor `[C, H, W]` with values in `[0, 1]` (each value divided by 255). It accepts:
 *
 * - an **int32 tensor** holding 0–255 values, as `decodeImage`/`readImage` return: taken as
 *   `[C, H, W]` (torchvision's tensor image layout; a batch `[B, C, H, W]` and a single-channel
 *   `[H, W]`, which becomes `[1, H, W]`, are accepted too). For an `[H, W, C]` array, permute it
 *   first (`t.permute(2, 0, 1)`) — the layout of a tensor is never guessed. The values are not
 *   checked (that would need a read back); values outside 0–255 map outside `[0, 1]`;
 * - an **ImageData-like object** `{ data, width, height, channels? }` of HWC bytes (a browser's
 *   `ImageData`, a `canvas` read-back, a decoder's raw output): transposed to `[C, H, W]`, alpha
 *   kept as a fourth channel as torchvision does for RGBA images.
 *
 * Float tensors are refused (they are already converted; torchvision refuses them too). The
 * result lives on the current backend (a tensor input: on its backend).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { toTensor } from '@tensorgrad/vision';
 * const rgba = { data: new Uint8ClampedArray([255, 0, 51, 255, 0, 255, 0, 255]), width: 2, height: 1 };
 * const t = toTensor(rgba); // [4, 1, 2]
 * await t.array(); // [[[1, 0]], [[0, 1]], [[0.20000000298023224, 0]], [[1, 1]]]
 * await toTensor(tensor([[[0, 255]]], { dtype: 'int32' })).array(); // [[[0, 1]]]
 * ```
 */
export function toTensor(pic: Tensor | ImageDataLike): Tensor {
  if (pic instanceof Tensor) {
    if (pic.dtype !== 'int32') {
      throw new TypeError(
        `toTensor: expected an int32 image tensor of 0-255 values (as decodeImage returns) or an ImageData-like { data, width, height }, got a ${pic.dtype} tensor; a float image is already converted (scale it yourself if it is not in [0, 1])`,
      );
    }
    if (pic.ndim < 2 || pic.ndim > 4) throw new RangeError(`toTensor: expected an image tensor [H, W], [C, H, W] or [B, C, H, W], got shape [${pic.shape.join(', ')}]`);
    return tidy(() => {
      const f = div(pic.float(), 255);
      return pic.ndim === 2 ? f.unsqueeze(0) : f;
    });
  }
  const o = pic as Partial<ImageDataLike> | null;
  if (o === null || typeof o !== 'object' || !(o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray)) {
    throw new TypeError(`toTensor: expected an int32 image tensor or an ImageData-like { data: Uint8Array | Uint8ClampedArray, width, height, channels? }, got ${o === null ? 'null' : typeof o === 'object' ? `an object with keys ${Object.keys(o).join(', ')}` : typeof o}`);
  }
  const { width, height, data } = o as ImageDataLike;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! <= 0 || height! <= 0) {
    throw new TypeError(`toTensor: expected positive integer width and height, got width ${String(width)}, height ${String(height)}`);
  }
  const pixels = width * height;
  const channels = o.channels ?? data.length / pixels;
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
    throw new RangeError(`toTensor: ${data.length} bytes for a ${width}x${height} image is not 1 to 4 bytes per pixel${o.channels === undefined ? '' : ` (channels ${o.channels})`}; give channels or check the size`);
  }
  if (data.length !== pixels * channels) {
    throw new RangeError(`toTensor: expected ${pixels * channels} bytes (${width}x${height}x${channels}), got ${data.length}`);
  }
  const out = new Float32Array(data.length);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < channels; c++) out[c * pixels + p] = data[p * channels + c]! / 255;
  return fromTypedArray(out, [channels, height, width]);
}
