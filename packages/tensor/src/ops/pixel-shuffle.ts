import { parseArgs, signature } from '../signature.js';
import { assertTensor } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkShuffleFactor } from './shuffle-factor.js';
import './permute.js';
import './reshape.js';

/** Options of {@link pixelShuffle}. */
export interface PixelShuffleOptions {
  /** The factor `r` by which height and width grow. */
  upscaleFactor: number;
}

/** `F.pixel_shuffle(input, upscale_factor)`. */
const SIG = signature('pixelShuffle', ['upscaleFactor'], { required: 1 });

/**
 * Rearranges `[*, C·r², H, W]` into `[*, C, H·r, W·r]` (PyTorch's `F.pixel_shuffle`, the
 * sub-pixel convolution's upsampling): the `r²` channels of each group become an `r × r` block
 * of pixels. A reshape, a permute and a reshape, so it is differentiable on every backend; the
 * inverse is {@link pixelUnshuffle}.
 *
 * @example
 * ```ts
 * import { arange, pixelShuffle } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(8).reshape([1, 4, 1, 2]);
 * await pixelShuffle(x, 2).array(); // [[[[0, 2, 1, 3], [4, 6, 5, 7]]]]
 * pixelShuffle(x, { upscaleFactor: 2 }).shape; // [1, 1, 2, 4]
 * ```
 */
export function pixelShuffle(input: Tensor, options: PixelShuffleOptions): Tensor;
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor;
export function pixelShuffle(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'pixelShuffle';
  assertTensor(op, input);
  const r = checkShuffleFactor(op, 'upscaleFactor', parseArgs(SIG, args).upscaleFactor);
  const nd = input.ndim;
  if (nd < 3) throw new RangeError(`${op}: expected an input with at least 3 dims [*, C, H, W], got shape ${formatShape(input.shape)}`);
  const [c, h, w] = input.shape.slice(nd - 3) as [number, number, number];
  if (c % (r * r) !== 0) {
    throw new RangeError(
      `${op}: expected the channel dim (size(-3) = ${c}) to be divisible by upscaleFactor² = ${r * r}, got input of shape ${formatShape(input.shape)}`,
    );
  }
  const batch = input.shape.slice(0, nd - 3);
  const b = batch.length;
  const oc = c / (r * r);
  const split = input.reshape([...batch, oc, r, r, h, w]);
  const moved = split.permute([...batch.map((_, i) => i), b, b + 3, b + 1, b + 4, b + 2]);
  const out = moved.reshape([...batch, oc, h * r, w * r]);
  split.dispose(); // the tape keeps what it needs
  moved.dispose();
  return out;
}
