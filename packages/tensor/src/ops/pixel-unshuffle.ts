import { parseArgs, signature } from '../signature.js';
import { assertTensor } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkShuffleFactor } from './shuffle-factor.js';
import './permute.js';
import './reshape.js';

/** Options of {@link pixelUnshuffle}. */
export interface PixelUnshuffleOptions {
  /** The factor `r` by which height and width shrink. */
  downscaleFactor: number;
}

/** `F.pixel_unshuffle(input, downscale_factor)`. */
const SIG = signature('pixelUnshuffle', ['downscaleFactor'], { required: 1 });

/**
 * Rearranges `[*, C, H·r, W·r]` into `[*, C·r², H, W]` (PyTorch's `F.pixel_unshuffle`), the
 * inverse of {@link pixelShuffle}: each `r × r` block of pixels becomes `r²` channels.
 * Differentiable on every backend.
 *
 * @example
 * ```ts
 * import { arange, pixelUnshuffle } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(8).reshape([1, 1, 2, 4]);
 * await pixelUnshuffle(x, 2).array(); // [[[[0, 2]], [[1, 3]], [[4, 6]], [[5, 7]]]]
 * ```
 */
export function pixelUnshuffle(input: Tensor, options: PixelUnshuffleOptions): Tensor;
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor;
export function pixelUnshuffle(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'pixelUnshuffle';
  assertTensor(op, input);
  const r = checkShuffleFactor(op, 'downscaleFactor', parseArgs(SIG, args).downscaleFactor);
  const nd = input.ndim;
  if (nd < 3) throw new RangeError(`${op}: expected an input with at least 3 dims [*, C, H, W], got shape ${formatShape(input.shape)}`);
  const [c, h, w] = input.shape.slice(nd - 3) as [number, number, number];
  for (const [name, size] of [['height (size(-2))', h], ['width (size(-1))', w]] as const) {
    if (size % r !== 0) {
      throw new RangeError(`${op}: expected the ${name} = ${size} to be divisible by downscaleFactor ${r}, got input of shape ${formatShape(input.shape)}`);
    }
  }
  const batch = input.shape.slice(0, nd - 3);
  const b = batch.length;
  const split = input.reshape([...batch, c, h / r, r, w / r, r]);
  const moved = split.permute([...batch.map((_, i) => i), b, b + 2, b + 4, b + 1, b + 3]);
  const out = moved.reshape([...batch, c * r * r, h / r, w / r]);
  split.dispose(); // the tape keeps what it needs
  moved.dispose();
  return out;
}
