import { interpolate, tidy, Tensor } from 'tensorgrad';

/** Options of {@link imageToInput}. */
export interface ImageToInputOptions {
  /** Invert the grey levels (255 - v), for dark garments on a light background. */
  invert?: boolean;
  /** Output side (default 28). */
  size?: number;
}

/**
 * Turns a decoded image into one Fashion-MNIST input, float32 `[1, 1, 28, 28]` in [0, 1]. The
 * image is `[1, H, W]` grey or `[2, H, W]` grey + alpha with values 0–255, as
 * `decodeImage(bytes, { mode: 'gray_alpha' })` of `@tensorgrad/vision` gives it for any PNG or
 * JPEG (grey from colour as torchvision's `ImageReadMode.GRAY`). Transparent pixels become the
 * black background; the grey levels are optionally inverted; the result is resized with bilinear
 * `interpolate`. Fashion-MNIST shows light garments on a black background; pass `invert: true`
 * for photos of dark garments on a light background.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { imageToInput } from '@tensorgrad/fashion-mnist';
 * const white = tensor([[[255, 255], [255, 255]]], { dtype: 'int32' }); // [1, 2, 2]
 * const x = imageToInput(white, { invert: true });
 * x.shape; // [1, 1, 28, 28]
 * await x.max().item(); // 0
 * x.dispose();
 * white.dispose();
 * ```
 */
export function imageToInput(image: Tensor, options: ImageToInputOptions = {}): Tensor {
  if (!(image instanceof Tensor) || image.ndim !== 3 || (image.shape[0] !== 1 && image.shape[0] !== 2)) {
    const got = image instanceof Tensor ? `shape [${image.shape.join(', ')}]` : typeof image;
    throw new RangeError(`imageToInput: expected a grey image [1, H, W] or grey + alpha [2, H, W] (decodeImage(bytes, { mode: 'gray_alpha' })), got ${got}`);
  }
  const [c, height, width] = image.shape as [number, number, number];
  const size = options.size ?? 28;
  const background = options.invert ? 255 : 0;
  return tidy(() => {
    const x = image.float();
    let v = x.narrow(0, 0, 1);
    if (c === 2) {
      // transparent pixels become background: black, or white before inverting
      const alpha = x.narrow(0, 1, 1).div(255);
      v = v.mul(alpha).add(alpha.neg().add(1).mul(background));
    }
    const grey = (options.invert ? v.neg().add(255) : v).div(255).reshape(1, 1, height, width);
    return width === size && height === size ? grey : interpolate(grey, { size: [size, size], mode: 'bilinear' });
  });
}
