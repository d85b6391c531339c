import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkConvShapes, checkFloat, convAttrs, convGeometry } from './conv-args.js';
import type { Conv2dOptions } from './conv2d.js';

/** Options of {@link conv2dInputGrad} and {@link conv2dWeightGrad}: those of the forward `conv2d`. */
export interface Conv2dGradOptions extends Omit<Conv2dOptions, 'padding'> {
  /** As in `conv2d`; also accepts an explicit `[top, bottom, left, right]`. Default 0. */
  padding?: Conv2dOptions['padding'] | readonly [number, number, number, number];
}

/** `torch.nn.grad.conv2d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1)`. */
const SIG = signature('conv2dInputGrad', ['stride', 'padding', 'dilation', 'groups']);

/**
 * The gradient of `conv2d` with respect to its input (PyTorch's `torch.nn.grad.conv2d_input`):
 * given the forward input's shape `inputSize` `[N, C, H, W]`, the `weight` and the gradient of
 * the output `gradOutput` `[N, outChannels, Ho, Wo]`, returns `[N, C, H, W]`. Linear in both
 * tensors and differentiable.
 *
 * @example
 * ```ts
 * import { tensor, conv2dInputGrad, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const g = ones([1, 1, 2, 2]);
 * const w = tensor([[[[1, 2], [3, 4]]]]);
 * await conv2dInputGrad([1, 1, 3, 3], w, g).array(); // [[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]]
 * ```
 */
export function conv2dInputGrad(inputSize: readonly number[], weight: Tensor, gradOutput: Tensor, options?: Conv2dGradOptions): Tensor;
export function conv2dInputGrad(inputSize: readonly number[], weight: Tensor, gradOutput: Tensor, ...args: unknown[]): Tensor {
  const options = parseArgs(SIG, args) as Conv2dGradOptions;
  assertTensor('conv2dInputGrad', weight, 'weight');
  assertTensor('conv2dInputGrad', gradOutput, 'gradOutput');
  const backend = sameBackend('conv2dInputGrad', [gradOutput, weight], ['gradOutput', 'weight']);
  checkFloat('conv2dInputGrad', [gradOutput, weight], ['gradOutput', 'weight']);
  if (!Array.isArray(inputSize) || inputSize.length !== 4 || !inputSize.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`conv2dInputGrad: expected inputSize to be the 4-D input shape [N, C, H, W], got ${JSON.stringify(inputSize)}`);
  }
  if (gradOutput.ndim !== 4) throw new RangeError(`conv2dInputGrad: expected a 4-D gradOutput [N, outChannels, Ho, Wo], got shape ${formatShape(gradOutput.shape)}`);
  const kernel: [number, number] = weight.ndim === 4 ? [weight.shape[2]!, weight.shape[3]!] : [1, 1];
  const geo = convAttrs('conv2dInputGrad', options, kernel);
  const [oh, ow] = checkConvShapes('conv2dInputGrad', inputSize, weight.shape, geo);
  const [n, , h, w] = inputSize as [number, number, number, number];
  const [gn, go, gh, gw] = gradOutput.shape as [number, number, number, number];
  if (gn !== n || go !== weight.shape[0] || gh > oh || gw > ow) {
    throw new RangeError(
      `conv2dInputGrad: expected gradOutput of shape [${n}, ${weight.shape[0]}, ${oh}, ${ow}] (the conv2d output for input ${formatShape(inputSize)}), got ${formatShape(gradOutput.shape)}`,
    );
  }
  const attrs = { ...geo, inputSize: [h, w] as [number, number] };
  const geometry = convGeometry(inputSize, weight.shape, geo, gh, gw);
  const ctx = { backend, shape: inputSize, dtype: gradOutput.dtype, geometry };
  const out = wrapResult(backend, runKernel('conv2dInputGrad', 'conv2dInputGrad', ctx, kernelTensor(gradOutput), kernelTensor(weight), null, attrs));
  record('conv2dInputGrad', [gradOutput, weight], attrs, [out]);
  return out;
}
