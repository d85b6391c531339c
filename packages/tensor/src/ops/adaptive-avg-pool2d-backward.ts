import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloat } from './conv-args.js';

/** The gradient of `F.adaptive_avg_pool2d`: no arguments after `(gradOutput, inputSize)`. */
const SIG = signature('adaptiveAvgPool2dBackward', []);

/**
 * The gradient of `adaptiveAvgPool2d` with respect to its input: spreads `gradOutput`
 * `[N, C, Ho, Wo]` back over the windows of an input of shape `inputSize` `[N, C, H, W]`.
 * Differentiable (its gradient is `adaptiveAvgPool2d`).
 *
 * @example
 * ```ts
 * import { tensor, adaptiveAvgPool2dBackward } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await adaptiveAvgPool2dBackward(tensor([[[[4]]]]), [1, 1, 2, 2]).array(); // [[[[1, 1], [1, 1]]]]
 * ```
 */
export function adaptiveAvgPool2dBackward(gradOutput: Tensor, inputSize: readonly number[]): Tensor;
export function adaptiveAvgPool2dBackward(gradOutput: Tensor, inputSize: readonly number[], ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('adaptiveAvgPool2dBackward', gradOutput, 'gradOutput');
  checkFloat('adaptiveAvgPool2dBackward', [gradOutput], ['gradOutput']);
  // N and C may be 0 (an empty batch has an empty gradient); H and W are at least 1, as adaptiveAvgPool2d requires
  if (!Array.isArray(inputSize) || inputSize.length !== 4 || !inputSize.every((d, i) => Number.isInteger(d) && d >= (i < 2 ? 0 : 1))) {
    throw new RangeError(`adaptiveAvgPool2dBackward: expected inputSize to be the 4-D input shape [N, C, H, W] (N, C ≥ 0; H, W ≥ 1), got ${JSON.stringify(inputSize)}`);
  }
  if (gradOutput.ndim !== 4 || gradOutput.shape[0] !== inputSize[0] || gradOutput.shape[1] !== inputSize[1]) {
    throw new RangeError(`adaptiveAvgPool2dBackward: expected a 4-D gradOutput [${inputSize[0]}, ${inputSize[1]}, Ho, Wo], got ${formatShape(gradOutput.shape)}`);
  }
  const attrs = { inputSize: [inputSize[2]!, inputSize[3]!] as [number, number] };
  const backend = gradOutput.backendInstance;
  const out = wrapResult(backend, runKernel('adaptiveAvgPool2dBackward', 'adaptiveAvgPool2dBackward', { backend, shape: inputSize, dtype: gradOutput.dtype }, kernelTensor(gradOutput), attrs));
  record('adaptiveAvgPool2dBackward', [gradOutput], attrs, [out]);
  return out;
}
