import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { valuesIndices, type ValuesIndices } from '../values-indices.js';
import { checkRois, finiteNumber, positiveInt } from './roi-args.js';

/** Options of the {@link roiPool} op (the kernel's attributes). */
export interface RoiPoolOpOptions {
  /** Factor from box coordinates to input coordinates. */
  spatialScale: number;
  /** Output rows per RoI. */
  pooledHeight: number;
  /** Output columns per RoI. */
  pooledWidth: number;
}

/** `torch.ops.torchvision.roi_pool(input, rois, spatial_scale, pooled_height, pooled_width)`. */
const SIG = signature('roiPool', ['spatialScale', 'pooledHeight', 'pooledWidth'], { required: 3 });

/**
 * The RoIPool op (torchvision's `torch.ops.torchvision.roi_pool`): for each RoI row
 * `(batch, x1, y1, x2, y2)` of `rois` `[K, 5]`, the maximum of `input` `[N, C, H, W]` over each of
 * `pooledHeight × pooledWidth` bins (corners rounded to pixels, bins clipped to the image; an empty
 * bin gives 0), as `{ values, indices }` (a pair too): `values` `[K, C, ph, pw]` and `indices` the
 * int32 argmax into the `H·W` plane of the RoI's image, `-1` for an empty bin. Differentiable in
 * `input` (`roiPoolBackward`). Users call `roiPool` of `@tensorgrad/vision`.
 *
 * @example
 * ```ts
 * import { tensor, arange } from '@tensorgrad/tensor';
 * import { roiPool } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(16).reshape([1, 1, 4, 4]).float();
 * const [values, indices] = roiPool(x, tensor([[0, 0, 0, 1, 2]]), { spatialScale: 1, pooledHeight: 1, pooledWidth: 1 });
 * await values.array(); // [[[[9]]]]
 * await indices.array(); // [[[[9]]]]
 * ```
 */
export function roiPool(input: Tensor, rois: Tensor, options: RoiPoolOpOptions): ValuesIndices;
export function roiPool(input: Tensor, rois: Tensor, spatialScale: number, pooledHeight: number, pooledWidth: number): ValuesIndices;
export function roiPool(input: Tensor, rois: Tensor, ...args: unknown[]): ValuesIndices {
  const op = 'roiPool';
  assertTensor(op, input);
  assertTensor(op, rois, 'rois');
  const o = parseArgs(SIG, args);
  if (input.ndim !== 4) throw new RangeError(`${op}: expected a 4-D input [N, C, H, W], got shape ${formatShape(input.shape)}`);
  checkRois(op, input, 'input', rois, input.shape);
  const attrs = {
    pooledHeight: positiveInt(op, 'pooledHeight', o.pooledHeight),
    pooledWidth: positiveInt(op, 'pooledWidth', o.pooledWidth),
    spatialScale: finiteNumber(op, 'spatialScale', o.spatialScale),
  };
  const backend = input.backendInstance;
  const shape = [rois.shape[0]!, input.shape[1]!, attrs.pooledHeight, attrs.pooledWidth];
  const [v, i] = runKernel(op, 'roiPool', { backend, shape, dtype: input.dtype }, kernelTensor(input), kernelTensor(rois), attrs);
  const values = wrapResult(backend, v);
  const indices = wrapResult(backend, i);
  record('roiPool', [input, rois], attrs, [values, indices]);
  return valuesIndices(values, indices);
}
