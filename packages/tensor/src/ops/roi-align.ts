import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkRois, finiteNumber, positiveInt } from './roi-args.js';

/** Options of the {@link roiAlign} op (the kernel's attributes). */
export interface RoiAlignOpOptions {
  /** Factor from box coordinates to input coordinates (`1 / stride` of a feature map). */
  spatialScale: number;
  /** Output rows per RoI. */
  pooledHeight: number;
  /** Output columns per RoI. */
  pooledWidth: number;
  /** Sample grid per bin side; `<= 0` adapts it to the RoI (`ceil(roiSize / pooledSize)`). Default -1. */
  samplingRatio?: number;
  /** Shift the RoI by half a pixel (torchvision's `aligned=True`). Default false. */
  aligned?: boolean;
}

/** `torch.ops.torchvision.roi_align(input, rois, spatial_scale, pooled_height, pooled_width, sampling_ratio, aligned)`. */
const SIG = signature('roiAlign', ['spatialScale', 'pooledHeight', 'pooledWidth', 'samplingRatio', 'aligned'], { required: 3 });

/**
 * The RoIAlign op (torchvision's `torch.ops.torchvision.roi_align`, the kernel behind
 * `torchvision.ops.roi_align`): for each RoI row `(batch, x1, y1, x2, y2)` of `rois` `[K, 5]`, a
 * `[C, pooledHeight, pooledWidth]` map of bilinear samples of `input` `[N, C, H, W]` averaged per
 * bin → `[K, C, pooledHeight, pooledWidth]`. Differentiable in `input` (`roiAlignBackward`); the
 * RoIs get no gradient. Users call `roiAlign` of `@tensorgrad/vision` (box lists, `outputSize`);
 * this is the op it records. A batch index outside `[0, N)` throws a RangeError (checked where the
 * backend reads synchronously).
 *
 * @example
 * ```ts
 * import { tensor, arange } from '@tensorgrad/tensor';
 * import { roiAlign } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(16).reshape([1, 1, 4, 4]).float();
 * const rois = tensor([[0, 0, 0, 2, 2]]);
 * await roiAlign(x, rois, { spatialScale: 1, pooledHeight: 1, pooledWidth: 1, samplingRatio: 1 }).array(); // [[[[5]]]]
 * roiAlign(x, rois, 0.5, 2, 2).shape; // [1, 1, 2, 2]
 * ```
 */
export function roiAlign(input: Tensor, rois: Tensor, options: RoiAlignOpOptions): Tensor;
export function roiAlign(input: Tensor, rois: Tensor, spatialScale: number, pooledHeight: number, pooledWidth: number, samplingRatio?: number, aligned?: boolean): Tensor;
export function roiAlign(input: Tensor, rois: Tensor, ...args: unknown[]): Tensor {
  const op = 'roiAlign';
  assertTensor(op, input);
  assertTensor(op, rois, 'rois');
  const o = parseArgs(SIG, args);
  if (input.ndim !== 4) throw new RangeError(`${op}: expected a 4-D input [N, C, H, W], got shape ${formatShape(input.shape)}`);
  checkRois(op, input, 'input', rois, input.shape);
  const attrs = roiAlignAttrs(op, o);
  const [, c] = input.shape as [number, number, number, number];
  const backend = input.backendInstance;
  const shape = [rois.shape[0]!, c, attrs.pooledHeight, attrs.pooledWidth];
  const out = wrapResult(backend, runKernel(op, 'roiAlign', { backend, shape, dtype: input.dtype }, kernelTensor(input), kernelTensor(rois), attrs));
  record('roiAlign', [input, rois], attrs, [out]);
  return out;
}

/** Validated RoIAlign attributes (shared with `roiAlignBackward`). @internal */
export function roiAlignAttrs(
  op: string,
  o: Partial<Record<'spatialScale' | 'pooledHeight' | 'pooledWidth' | 'samplingRatio' | 'aligned', unknown>>,
): { pooledHeight: number; pooledWidth: number; spatialScale: number; samplingRatio: number; aligned: boolean } {
  const samplingRatio = o.samplingRatio ?? -1;
  if (typeof samplingRatio !== 'number' || !Number.isInteger(samplingRatio)) {
    throw new TypeError(`${op}: expected samplingRatio to be an integer (<= 0: adaptive), got ${String(samplingRatio)}`);
  }
  const aligned = o.aligned ?? false;
  if (typeof aligned !== 'boolean') throw new TypeError(`${op}: expected aligned to be a boolean, got ${String(aligned)}`);
  return {
    pooledHeight: positiveInt(op, 'pooledHeight', o.pooledHeight),
    pooledWidth: positiveInt(op, 'pooledWidth', o.pooledWidth),
    spatialScale: finiteNumber(op, 'spatialScale', o.spatialScale),
    samplingRatio,
    aligned,
  };
}
