/** @internal Between 8-bit pixels and `int32` image tensors `[C, H, W]`. */
import { fromTypedArray, Tensor } from '@tensorgrad/tensor';
import type { Pixels } from './pixels.js';

/** @internal `[H, W, C]` interleaved pixels → an `int32` tensor `[C, H, W]` with values 0–255. */
export function pixelsToTensor(p: Pixels): Tensor {
  const { width, height, channels, data } = p;
  const plane = width * height;
  const out = new Int32Array(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) out[c * plane + i] = data[i * channels + c]!;
  }
  return fromTypedArray(out, [channels, height, width], { dtype: 'int32' });
}

/**
 * @internal Reads an image tensor `[C, H, W]` (C in `allowed`, integer values 0–255, any dtype)
 * into interleaved 8-bit pixels, with errors that name `op`.
 */
export async function tensorToPixels(op: string, image: unknown, allowed: readonly number[]): Promise<Pixels> {
  if (!(image instanceof Tensor)) {
    throw new TypeError(`${op}: expected an image tensor [C, H, W] with values 0–255 (e.g. from decodeImage), got ${image === null ? 'null' : typeof image}`);
  }
  if (image.ndim !== 3) {
    throw new RangeError(`${op}: expected an image [C, H, W] (3 dims), got shape [${image.shape.join(', ')}]; ${image.ndim === 4 ? 'pass one image of the batch (x.select(0, i)) or use saveImage for a grid' : 'add or remove dimensions'}`);
  }
  const [channels, height, width] = image.shape as [number, number, number];
  if (!allowed.includes(channels)) {
    throw new RangeError(`${op}: expected ${allowed.join(', ').replace(/, (\d)$/, ' or $1')} channels (dim 0 of [C, H, W]), got ${channels} (shape [${image.shape.join(', ')}])`);
  }
  if (height === 0 || width === 0) throw new RangeError(`${op}: the image is empty (shape [${image.shape.join(', ')}])`);
  const values = await image.data();
  const plane = width * height;
  const data = new Uint8Array(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) {
      const v = Number(values[c * plane + i]);
      if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
        const y = Math.floor(i / width);
        throw new RangeError(
          `${op}: expected integer pixel values 0–255, got ${v} at [${c}, ${y}, ${i - y * width}]; ` +
            'a float image in [0, 1] becomes one with x.mul(255).add(0.5).clamp(0, 255).int() (as saveImage does)',
        );
      }
      data[i * channels + c] = v;
    }
  }
  return { width, height, channels, data };
}
