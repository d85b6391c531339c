import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkConvShapes, checkFloat, convAttrs, convGeometry } from './conv-args.js';
import type { Conv2dGradOptions } from './conv2d-input-grad.js';

/** `torch.nn.grad.conv2d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1)`. */
const SIG = signature('conv2dWeightGrad', ['stride', 'padding', 'dilation', 'groups']);

/**
 * The gradient of `conv2d` with respect to its weight (PyTorch's `torch.nn.grad.conv2d_weight`):
 * given the forward `input` `[N, C, H, W]`, the weight's shape `weightSize`
 * `[outChannels, C / groups, kH, kW]` and the gradient of the output `gradOutput`, returns a
 * tensor of shape `weightSize`. Linear in both tensors and differentiable.
 *
 * @example
 * ```ts
 * import { tensor, conv2dWeightGrad, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
 * await conv2dWeightGrad(x, [1, 1, 2, 2], ones([1, 1, 2, 2])).array(); // [[[[12, 16], [24, 28]]]]
 * ```
 */
export function conv2dWeightGrad(input: Tensor, weightSize: readonly number[], gradOutput: Tensor, options?: Conv2dGradOptions): Tensor;
export function conv2dWeightGrad(input: Tensor, weightSize: readonly number[], gradOutput: Tensor, ...args: unknown[]): Tensor {
  const options = parseArgs(SIG, args) as Conv2dGradOptions;
  assertTensor('conv2dWeightGrad', input, 'input');
  assertTensor('conv2dWeightGrad', gradOutput, 'gradOutput');
  const backend = sameBackend('conv2dWeightGrad', [input, gradOutput], ['input', 'gradOutput']);
  checkFloat('conv2dWeightGrad', [input, gradOutput], ['input', 'gradOutput']);
  if (input.ndim !== 4) throw new RangeError(`conv2dWeightGrad: expected a 4-D input [N, C, H, W], got shape ${formatShape(input.shape)}`);
  if (!Array.isArray(weightSize) || weightSize.length !== 4 || !weightSize.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`conv2dWeightGrad: expected weightSize to be the 4-D weight shape [outChannels, C / groups, kH, kW], got ${JSON.stringify(weightSize)}`);
  }
  const [o, , kh, kw] = weightSize as [number, number, number, number];
  const geo = convAttrs('conv2dWeightGrad', options, [kh, kw]);
  const [oh, ow] = checkConvShapes('conv2dWeightGrad', input.shape, weightSize, geo);
  const [gn, go, gh, gw] = gradOutput.shape.length === 4 ? (gradOutput.shape as [number, number, number, number]) : [-1, -1, -1, -1];
  if (gn !== input.shape[0] || go !== o || gh > oh || gw > ow) {
    throw new RangeError(
      `conv2dWeightGrad: expected gradOutput of shape [${input.shape[0]}, ${o}, ${oh}, ${ow}] (the conv2d output), got ${formatShape(gradOutput.shape)}`,
    );
  }
  const attrs = { ...geo, kernelSize: [kh, kw] as [number, number] };
  const geometry = convGeometry(input.shape, weightSize, geo, gh, gw);
  const ctx = { backend, shape: weightSize, dtype: input.dtype, geometry };
  const out = wrapResult(backend, runKernel('conv2dWeightGrad', 'conv2dWeightGrad', ctx, kernelTensor(input), kernelTensor(gradOutput), attrs));
  record('conv2dWeightGrad', [input, gradOutput], attrs, [out]);
  return out;
}
