import { indexSelect, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkImage, indexTensor } from './common.js';

const HFLIP = signature('hflip', ['img'], { required: 1 });
const VFLIP = signature('vflip', ['img'], { required: 1 });

/** Reverses dim `dim` of `x` (a gather, so it runs on every backend and differentiates). */
export function flipDim(x: Tensor, dim: number): Tensor {
  const n = x.shape[dim]!;
  return tidy(() => indexSelect(x, indexTensor(Array.from({ length: n }, (_, i) => n - 1 - i), x), { dim }));
}

/**
 * torchvision's `transforms.functional.hflip`: mirrors an image `[..., H, W]` left to right
 * (any dtype).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { hflip } from '@tensorgrad/vision';
 * await hflip(tensor([[[1, 2, 3], [4, 5, 6]]])).array(); // [[[3, 2, 1], [6, 5, 4]]]
 * ```
 */
export function hflip(img: Tensor): Tensor;
export function hflip(...args: unknown[]): Tensor {
  const x = checkImage('hflip', parseArgs(HFLIP, args).img);
  return flipDim(x, x.ndim - 1);
}

/**
 * torchvision's `transforms.functional.vflip`: mirrors an image `[..., H, W]` top to bottom
 * (any dtype).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { vflip } from '@tensorgrad/vision';
 * await vflip(tensor([[[1, 2, 3], [4, 5, 6]]])).array(); // [[[4, 5, 6], [1, 2, 3]]]
 * ```
 */
export function vflip(img: Tensor): Tensor;
export function vflip(...args: unknown[]): Tensor {
  const x = checkImage('vflip', parseArgs(VFLIP, args).img);
  return flipDim(x, x.ndim - 2);
}
