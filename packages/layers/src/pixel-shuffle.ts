import { pixelShuffle, pixelUnshuffle, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { positiveInt } from './common.js';
import { Module } from './module.js';

const PIXEL_SHUFFLE = signature('new PixelShuffle', ['upscaleFactor'], { required: 1 });
const PIXEL_UNSHUFFLE = signature('new PixelUnshuffle', ['downscaleFactor'], { required: 1 });

/**
 * Rearranges `[*, C·r², H, W]` into `[*, C, H·r, W·r]` (PyTorch's `nn.PixelShuffle`, the
 * upsampling of sub-pixel convolution); see `pixelShuffle` in `@tensorgrad/tensor`.
 *
 * @example
 * ```ts
 * import { PixelShuffle } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new PixelShuffle(3).call(zeros([1, 9, 4, 4])).shape; // [1, 1, 12, 12]
 * ```
 */
export class PixelShuffle extends Module {
  /** The factor `r`. */
  readonly upscaleFactor: number;
  /** PyTorch's `PixelShuffle(upscale_factor)`, positionally… */
  constructor(upscaleFactor: number);
  /** …or by name. */
  constructor(options: { upscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.upscaleFactor = positiveInt('PixelShuffle', 'upscaleFactor', parseArgs(PIXEL_SHUFFLE, args).upscaleFactor);
  }
  override forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }
}

/**
 * Rearranges `[*, C, H·r, W·r]` into `[*, C·r², H, W]` (PyTorch's `nn.PixelUnshuffle`), the
 * inverse of {@link PixelShuffle}.
 *
 * @example
 * ```ts
 * import { PixelUnshuffle } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new PixelUnshuffle(2).call(zeros([1, 1, 4, 6])).shape; // [1, 4, 2, 3]
 * ```
 */
export class PixelUnshuffle extends Module {
  /** The factor `r`. */
  readonly downscaleFactor: number;
  /** PyTorch's `PixelUnshuffle(downscale_factor)`, positionally… */
  constructor(downscaleFactor: number);
  /** …or by name. */
  constructor(options: { downscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.downscaleFactor = positiveInt('PixelUnshuffle', 'downscaleFactor', parseArgs(PIXEL_UNSHUFFLE, args).downscaleFactor);
  }
  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }
}
