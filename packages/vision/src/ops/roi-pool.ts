import { type Tensor } from '@tensorgrad/tensor';
import { roiPool as roiPoolOp } from '@tensorgrad/tensor/backend';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import type { RoiBoxes } from './roi-align.js';
import { outputPair, roisOf } from './roi-boxes.js';

/** Options of {@link roiPool} (torchvision's keywords in camelCase). */
export interface RoiPoolOptions {
  /** The output size `[height, width]` of each RoI (or one int for both). */
  outputSize: number | readonly [number, number] | readonly number[];
  /** Factor from box coordinates to input coordinates. Default 1. */
  spatialScale?: number;
}

/** `torchvision.ops.roi_pool(input, boxes, output_size, spatial_scale=1.0)`. */
const SIG = signature('roiPool', ['outputSize', 'spatialScale'], { required: 1 });

/**
 * torchvision's `ops.roi_pool` (Fast R-CNN's RoI max pooling): each box of `boxes` (a
 * `Tensor[K, 5]` of `batch index, x1, y1, x2, y2` or one `Tensor[L, 4]` per image), scaled by
 * `spatialScale` and rounded to pixels, is split into `outputSize` bins whose maxima of `input`
 * `[N, C, H, W]` give `[K, C, oh, ow]`. Bins outside the image are clipped; an empty bin gives 0,
 * and so does every bin of a box with a NaN coordinate (as in torchvision); a bin holding only
 * NaN or `-Infinity` gives `-3.4028234663852886e38` (C's `-FLT_MAX`, torchvision's start value).
 * Differentiable in `input` (each bin's gradient goes to its maximum).
 *
 * @example
 * ```ts
 * import { arange, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { roiPool } from '@tensorgrad/vision';
 * const x = arange(16).reshape([1, 1, 4, 4]).float();
 * await roiPool(x, [tensor([[0, 0, 3, 3]])], { outputSize: 2 }).array(); // [[[[5, 7], [13, 15]]]]
 * await roiPool(x, tensor([[0, 0, 0, 1, 1]]), 1).array(); // [[[[5]]]]
 * ```
 */
export function roiPool(input: Tensor, boxes: RoiBoxes, options: RoiPoolOptions): Tensor;
export function roiPool(input: Tensor, boxes: RoiBoxes, outputSize: RoiPoolOptions['outputSize'], spatialScale?: number): Tensor;
export function roiPool(input: Tensor, boxes: RoiBoxes, ...args: unknown[]): Tensor {
  const o = parseArgs(SIG, args);
  const [pooledHeight, pooledWidth] = outputPair('roiPool', o.outputSize);
  const rois = roisOf('roiPool', boxes);
  try {
    const [values, indices] = roiPoolOp(input, rois, { pooledHeight, pooledWidth, spatialScale: (o.spatialScale as number | undefined) ?? 1 });
    // the argmax stays saved on the tape for the backward
    indices.dispose();
    return values;
  } finally {
    if (rois !== boxes) rois.dispose();
  }
}

const ROI_POOL = signature('new RoIPool', ['outputSize', 'spatialScale'], { required: 2 });

/**
 * torchvision's `ops.RoIPool(output_size, spatial_scale)`: the module form of {@link roiPool},
 * called as `layer(input, boxes)`.
 *
 * @example
 * ```ts
 * import { ones, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RoIPool } from '@tensorgrad/vision';
 * const pool = new RoIPool([2, 3], 0.5);
 * pool.call(ones([1, 3, 8, 8]), [tensor([[0, 0, 8, 8]])]).shape; // [1, 3, 2, 3]
 * ```
 */
export class RoIPool extends Module<[Tensor, RoiBoxes], Tensor> {
  /** `[height, width]` of each pooled RoI. */
  readonly outputSize: [number, number];
  /** Factor from box coordinates to input coordinates. */
  readonly spatialScale: number;
  /** The options positionally in torchvision's order… */
  constructor(outputSize: RoiPoolOptions['outputSize'], spatialScale: number);
  /** …or by name. */
  constructor(options: RoiPoolOptions & { spatialScale: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(ROI_POOL, args);
    this.outputSize = outputPair('new RoIPool', o.outputSize);
    if (typeof o.spatialScale !== 'number') throw new TypeError(`new RoIPool: expected spatialScale to be a number, got ${String(o.spatialScale)}`);
    this.spatialScale = o.spatialScale;
  }
  override forward(input: Tensor, boxes: RoiBoxes): Tensor {
    return roiPool(input, boxes, { outputSize: this.outputSize, spatialScale: this.spatialScale });
  }
}
