import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { roiAlignAttrs, type RoiAlignOpOptions } from './roi-align.js';
import { checkRois, inputShape4 } from './roi-args.js';

/** Options of {@link roiAlignBackward}: the forward's options and its input shape. */
export interface RoiAlignBackwardOptions extends RoiAlignOpOptions {
  /** The forward input's shape `[N, C, H, W]`. */
  inputShape: readonly number[];
}

const SIG = signature('roiAlignBackward', ['spatialScale', 'pooledHeight', 'pooledWidth', 'samplingRatio', 'aligned', 'inputShape'], {
  keywordOnly: ['inputShape'],
  required: 3,
});

/**
 * The gradient of {@link roiAlign} with respect to its input (torchvision's
 * `_roi_align_backward`): each bin's gradient `grad[k, c, i, j]`, divided by the bin's sample
 * count, is added to the four pixels of every sample with its bilinear weights → `inputShape`.
 * Linear in `grad`, so differentiable (its gradient is `roiAlign`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { roiAlignBackward } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const g = tensor([[[[4]]]]);
 * const rois = tensor([[0, 0, 0, 1, 1]]);
 * const opts = { spatialScale: 1, pooledHeight: 1, pooledWidth: 1, samplingRatio: 1, inputShape: [1, 1, 2, 2] };
 * await roiAlignBackward(g, rois, opts).array(); // [[[[1, 1], [1, 1]]]]
 * ```
 */
export function roiAlignBackward(grad: Tensor, rois: Tensor, options: RoiAlignBackwardOptions): Tensor;
export function roiAlignBackward(grad: Tensor, rois: Tensor, ...args: unknown[]): Tensor {
  const op = 'roiAlignBackward';
  assertTensor(op, grad, 'grad');
  assertTensor(op, rois, 'rois');
  const o = parseArgs(SIG, args);
  const inputShape = inputShape4(op, o.inputShape);
  checkRois(op, grad, 'grad', rois, inputShape);
  const attrs = { ...roiAlignAttrs(op, o), inputShape };
  const expected = [rois.shape[0]!, inputShape[1], attrs.pooledHeight, attrs.pooledWidth];
  if (grad.ndim !== 4 || !grad.shape.every((d, i) => d === expected[i])) {
    throw new RangeError(`${op}: expected grad of shape ${formatShape(expected)} ([K, C, pooledHeight, pooledWidth]), got ${formatShape(grad.shape)}`);
  }
  const backend = grad.backendInstance;
  const out = wrapResult(backend, runKernel(op, 'roiAlignBackward', { backend, shape: inputShape, dtype: grad.dtype }, kernelTensor(grad), kernelTensor(rois), attrs));
  record('roiAlignBackward', [grad, rois], attrs, [out]);
  return out;
}
