import { parseArgs, signature } from '../signature.js';
import { assertTensor, sameBackend } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { gt } from './gt.js';
import { mul } from './mul.js';
import { where } from './where.js';

/** `F.prelu(input, weight)`: no argument after the two tensors. */
const SIG = signature('prelu', []);

/**
 * Element-wise parametric ReLU (PyTorch's `F.prelu`): `x` where `x > 0`, else `weight · x`, with
 * one learned slope (`weight` of one element, or 0-d) or one per channel (`weight` of shape `[C]`
 * for an input `[N, C, ...]`: the channels are dim 1; a 0-d or 1-D input has one channel).
 * `input` and `weight` must be floating-point tensors of the same dtype on one backend.
 *
 * Built from `gt`, `mul` and `where`, so it is differentiable in both tensors with PyTorch's
 * gradients: wrt the input `1` where `x > 0` and `weight` elsewhere (`x = 0` included), wrt the
 * weight the sum of `x · grad` over the elements where `x ≤ 0` of its channel.
 *
 * @example
 * ```ts
 * import { tensor, prelu } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await prelu(tensor([-2, 0, 3]), tensor([0.25])).array(); // [-0.5, 0, 3]
 * // one slope per channel (dim 1)
 * await prelu(tensor([[-1, -1], [2, -4]]), tensor([0.5, 0.25])).array(); // [[-0.5, -0.25], [2, -1]]
 * ```
 */
export function prelu(input: Tensor, weight: Tensor): Tensor;
export function prelu(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('prelu', input);
  assertTensor('prelu', weight, 'weight');
  sameBackend('prelu', [input, weight], ['input', 'weight']);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`prelu: expected a floating-point input, got ${input.dtype}; convert it with .float() first`);
  }
  if (weight.dtype !== input.dtype) {
    throw new TypeError(`prelu: expected weight of the input's dtype ${input.dtype}, got ${weight.dtype}; convert it with .to('${input.dtype}')`);
  }
  if (weight.ndim > 1) {
    throw new RangeError(`prelu: expected weight to be 0-d or 1-D (one slope, or one per channel), got shape [${weight.shape.join(', ')}]; flatten it with .reshape([-1])`);
  }
  const slopes = weight.numel();
  const channels = input.ndim >= 2 ? input.shape[1]! : 1;
  if (slopes !== 1 && slopes !== channels) {
    throw new RangeError(
      input.ndim >= 2
        ? `prelu: expected weight with 1 element or one per channel (dim 1 of input [${input.shape.join(', ')}]: ${channels}), got ${slopes}; ` +
            `build PReLU with numParameters: ${channels} or 1`
        : `prelu: expected weight with 1 element for a ${input.ndim}-d input [${input.shape.join(', ')}] (it has no channel dim: PyTorch 1.13 reads the channels from dim 1), got ${slopes}; ` +
            `build PReLU with numParameters: 1, or pass the input as [N, C, …] with its ${slopes} channels in dim 1`,
    );
  }
  // one slope: a 0-d weight broadcasts without changing the input's shape; per channel: [C, 1, ...]
  const w = slopes === 1 ? weight.reshape([]) : weight.reshape([channels, ...new Array<number>(input.ndim - 2).fill(1)]);
  return where(gt(input, 0), input, mul(input, w));
}
