import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { avgAttrs, checkFloat, poolAttrs, poolGeometry } from './conv-args.js';
import type { AvgPool2dOptions } from './avg-pool2d.js';

/** The gradient of `F.avg_pool2d`: after `(gradOutput, inputSize)`, avgPool2d's own parameters. */
const SIG = signature('avgPool2dBackward', ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], { required: 1 });

/**
 * The gradient of `avgPool2d` with respect to its input: spreads `gradOutput` `[N, C, Ho, Wo]`
 * back over the windows of an input of shape `inputSize` `[N, C, H, W]` (each value divided by
 * its window's divisor). Differentiable (its gradient is `avgPool2d`).
 *
 * @example
 * ```ts
 * import { tensor, avgPool2dBackward } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await avgPool2dBackward(tensor([[[[4, 8]]]]), [1, 1, 2, 4], { kernelSize: 2 }).array(); // [[[[1, 1, 2, 2], [1, 1, 2, 2]]]]
 * ```
 */
export function avgPool2dBackward(gradOutput: Tensor, inputSize: readonly number[], options: AvgPool2dOptions & { kernelSize: NonNullable<AvgPool2dOptions['kernelSize']> }): Tensor;
export function avgPool2dBackward(gradOutput: Tensor, inputSize: readonly number[], ...args: unknown[]): Tensor {
  const options = parseArgs(SIG, args) as AvgPool2dOptions;
  assertTensor('avgPool2dBackward', gradOutput, 'gradOutput');
  checkFloat('avgPool2dBackward', [gradOutput], ['gradOutput']);
  if (!Array.isArray(inputSize) || inputSize.length !== 4 || !inputSize.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`avgPool2dBackward: expected inputSize to be the 4-D input shape [N, C, H, W], got ${JSON.stringify(inputSize)}`);
  }
  // the window geometry is checked on a shape-only stand-in of the forward input
  const like = { shape: inputSize, ndim: 4 } as unknown as Tensor;
  const attrs = avgAttrs('avgPool2dBackward', like, options);
  const { outputSize } = poolAttrs('avgPool2dBackward', like, options);
  const [n, c] = inputSize as [number, number];
  const want = [n, c, outputSize[0], outputSize[1]];
  if (gradOutput.ndim !== 4 || gradOutput.shape.some((d, i) => d !== want[i])) {
    throw new RangeError(`avgPool2dBackward: expected gradOutput of shape ${formatShape(want)} (the avgPool2d output), got ${formatShape(gradOutput.shape)}`);
  }
  const full = { ...attrs, inputSize: [inputSize[2]!, inputSize[3]!] as [number, number] };
  const backend = gradOutput.backendInstance;
  const geometry = poolGeometry(inputSize, attrs, outputSize[0], outputSize[1]);
  const ctx = { backend, shape: inputSize, dtype: gradOutput.dtype, geometry };
  const out = wrapResult(backend, runKernel('avgPool2dBackward', 'avgPool2dBackward', ctx, kernelTensor(gradOutput), full));
  record('avgPool2dBackward', [gradOutput], full, [out]);
  return out;
}

