import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkRois, inputShape4 } from './roi-args.js';

/** Options of {@link roiPoolBackward}. */
export interface RoiPoolBackwardOptions {
  /** The forward input's shape `[N, C, H, W]`. */
  inputShape: readonly number[];
}

const SIG = signature('roiPoolBackward', ['inputShape'], { required: 1 });

/**
 * The gradient of {@link roiPool} with respect to its input (torchvision's `_roi_pool_backward`):
 * `grad[k, c, i, j]` is added at `argmax[k, c, i, j]` of plane `c` of image `rois[k, 0]` (nothing
 * for `-1`) → `inputShape`. Differentiable in `grad` (its gradient gathers at `argmax`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { roiPoolBackward } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const g = tensor([[[[2, 3]]]]);
 * const argmax = tensor([[[[3, -1]]]], { dtype: 'int32' });
 * await roiPoolBackward(g, tensor([[0, 0, 0, 1, 1]]), argmax, { inputShape: [1, 1, 2, 2] }).array(); // [[[[0, 0], [0, 2]]]]
 * ```
 */
export function roiPoolBackward(grad: Tensor, rois: Tensor, argmax: Tensor, options: RoiPoolBackwardOptions): Tensor;
export function roiPoolBackward(grad: Tensor, rois: Tensor, argmax: Tensor, ...args: unknown[]): Tensor {
  const op = 'roiPoolBackward';
  assertTensor(op, grad, 'grad');
  assertTensor(op, rois, 'rois');
  assertTensor(op, argmax, 'argmax');
  const inputShape = inputShape4(op, parseArgs(SIG, args).inputShape);
  checkRois(op, grad, 'grad', rois, inputShape);
  sameBackend(op, [grad, argmax], ['grad', 'argmax']);
  if (argmax.dtype !== 'int32') throw new TypeError(`${op}: expected an int32 argmax (the indices roiPool returned), got ${argmax.dtype}`);
  if (grad.ndim !== 4 || grad.shape[0] !== rois.shape[0] || grad.shape[1] !== inputShape[1]) {
    throw new RangeError(`${op}: expected grad of shape [${rois.shape[0]}, ${inputShape[1]}, pooledHeight, pooledWidth], got ${formatShape(grad.shape)}`);
  }
  if (!argmax.shape.every((d, i) => d === grad.shape[i]) || argmax.ndim !== 4) {
    throw new RangeError(`${op}: expected argmax of grad's shape ${formatShape(grad.shape)}, got ${formatShape(argmax.shape)}`);
  }
  const attrs = { inputShape };
  const backend = grad.backendInstance;
  const out = wrapResult(
    backend,
    runKernel(op, 'roiPoolBackward', { backend, shape: inputShape, dtype: grad.dtype }, kernelTensor(grad), kernelTensor(rois), kernelTensor(argmax), attrs),
  );
  record('roiPoolBackward', [grad, rois, argmax], attrs, [out]);
  return out;
}
