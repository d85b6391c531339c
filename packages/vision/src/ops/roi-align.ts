import { type Tensor } from '@tensorgrad/tensor';
import { roiAlign as roiAlignOp } from '@tensorgrad/tensor/backend';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import { outputPair, roisOf } from './roi-boxes.js';

/** Options of {@link roiAlign} (torchvision's keywords in camelCase). */
export interface RoiAlignOptions {
  /** The output size `[height, width]` of each RoI (or one int for both). */
  outputSize: number | readonly [number, number] | readonly number[];
  /** Factor from box coordinates to input coordinates (e.g. 1/16 for a stride-16 feature map). Default 1. */
  spatialScale?: number;
  /** Samples per bin side; `<= 0` (default -1) adapts to the RoI size (`ceil(roiSize / outputSize)`). */
  samplingRatio?: number;
  /** Shift the boxes by half a pixel to align them with the pixel centres (torchvision's `aligned=True`). Default false. */
  aligned?: boolean;
}

/** `torchvision.ops.roi_align(input, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False)`. */
const SIG = signature('roiAlign', ['outputSize', 'spatialScale', 'samplingRatio', 'aligned'], { required: 1 });

/** The boxes a RoI op accepts: `Tensor[K, 5]` rows `(batch index, x1, y1, x2, y2)`, or one `Tensor[L, 4]` per image. */
export type RoiBoxes = Tensor | readonly Tensor[];

/**
 * torchvision's `ops.roi_align` (Mask R-CNN's RoIAlign): pools each box of `boxes` from
 * `input` `[N, C, H, W]` into a `[C, outputSize]` map of bilinearly interpolated samples averaged
 * per bin → `[K, C, oh, ow]`. `boxes` is a `Tensor[K, 5]` (`batch index, x1, y1, x2, y2`) or a list
 * with one `Tensor[L, 4]` per image; coordinates are in the input's frame before `spatialScale`.
 * Differentiable in `input` (the boxes get no gradient, as in torchvision). Boxes outside the
 * image read zeros past one pixel and the clamped border within it, as torchvision's kernel; a
 * batch index outside `[0, N)` throws a RangeError.
 *
 * @example
 * ```ts
 * import { arange, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { roiAlign } from '@tensorgrad/vision';
 * const x = arange(16).reshape([1, 1, 4, 4]).float();
 * await roiAlign(x, [tensor([[0, 0, 2, 2]])], { outputSize: 1, samplingRatio: 1 }).array(); // [[[[5]]]]
 * await roiAlign(x, tensor([[0, 0, 0, 4, 4]]), 2, 1, 1).array(); // [[[[5, 7], [13, 15]]]]
 * ```
 */
export function roiAlign(input: Tensor, boxes: RoiBoxes, options: RoiAlignOptions): Tensor;
export function roiAlign(
  input: Tensor,
  boxes: RoiBoxes,
  outputSize: RoiAlignOptions['outputSize'],
  spatialScale?: number,
  samplingRatio?: number,
  aligned?: boolean,
): Tensor;
export function roiAlign(input: Tensor, boxes: RoiBoxes, ...args: unknown[]): Tensor {
  const o = parseArgs(SIG, args);
  const [pooledHeight, pooledWidth] = outputPair('roiAlign', o.outputSize);
  const rois = roisOf('roiAlign', boxes);
  try {
    return roiAlignOp(input, rois, {
      pooledHeight,
      pooledWidth,
      spatialScale: (o.spatialScale as number | undefined) ?? 1,
      samplingRatio: (o.samplingRatio as number | undefined) ?? -1,
      aligned: (o.aligned as boolean | undefined) ?? false,
    });
  } finally {
    if (rois !== boxes) rois.dispose();
  }
}

const ROI_ALIGN = signature('new RoIAlign', ['outputSize', 'spatialScale', 'samplingRatio', 'aligned'], { required: 3 });

/**
 * torchvision's `ops.RoIAlign(output_size, spatial_scale, sampling_ratio, aligned=False)`: the
 * module form of {@link roiAlign}, called as `layer(input, boxes)`.
 *
 * @example
 * ```ts
 * import { ones, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RoIAlign } from '@tensorgrad/vision';
 * const pool = new RoIAlign(2, 0.5, 2);
 * pool.call(ones([1, 3, 8, 8]), [tensor([[0, 0, 8, 8], [4, 4, 12, 12]])]).shape; // [2, 3, 2, 2]
 * new RoIAlign([7, 7], { spatialScale: 0.25, samplingRatio: 2, aligned: true }).outputSize; // [7, 7]
 * ```
 */
export class RoIAlign extends Module<[Tensor, RoiBoxes], Tensor> {
  /** `[height, width]` of each pooled RoI. */
  readonly outputSize: [number, number];
  /** Factor from box coordinates to input coordinates. */
  readonly spatialScale: number;
  /** Samples per bin side (`<= 0`: adaptive). */
  readonly samplingRatio: number;
  /** Half-pixel alignment. */
  readonly aligned: boolean;
  /** The options positionally in torchvision's order… */
  constructor(outputSize: RoiAlignOptions['outputSize'], spatialScale: number, samplingRatio: number, aligned?: boolean);
  /** …or the output size positionally and the rest by name… */
  constructor(outputSize: RoiAlignOptions['outputSize'], options: Omit<RoiAlignOptions, 'outputSize'> & { spatialScale: number; samplingRatio: number });
  /** …or everything by name. */
  constructor(options: RoiAlignOptions & { spatialScale: number; samplingRatio: number });
  constructor(...args: unknown[]) {
    super();
    const o = parseArgs(ROI_ALIGN, args);
    this.outputSize = outputPair('new RoIAlign', o.outputSize);
    if (typeof o.spatialScale !== 'number') throw new TypeError(`new RoIAlign: expected spatialScale to be a number, got ${String(o.spatialScale)}`);
    if (typeof o.samplingRatio !== 'number') throw new TypeError(`new RoIAlign: expected samplingRatio to be an integer, got ${String(o.samplingRatio)}`);
    const aligned = o.aligned ?? false;
    if (typeof aligned !== 'boolean') throw new TypeError(`new RoIAlign: expected aligned to be a boolean, got ${String(aligned)}`);
    this.spatialScale = o.spatialScale;
    this.samplingRatio = o.samplingRatio;
    this.aligned = aligned;
  }
  override forward(input: Tensor, boxes: RoiBoxes): Tensor {
    return roiAlign(input, boxes, { outputSize: this.outputSize, spatialScale: this.spatialScale, samplingRatio: this.samplingRatio, aligned: this.aligned });
  }
}
