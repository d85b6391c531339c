import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { avgAttrs, checkFloat, spatialInput, withBatch, poolAttrs, poolGeometry, type IntPair } from './conv-args.js';

/** Options of {@link avgPool2d} (PyTorch's `torch.nn.functional.avg_pool2d` keywords). */
export interface AvgPool2dOptions {
  /** Window size: an int or `[height, width]`. Required (or pass it positionally). */
  kernelSize?: IntPair;
  /** Window stride (int or pair). Default: `kernelSize`. */
  stride?: IntPair | null;
  /** Implicit zero padding on both sides (int or pair, at most half the kernel). Default 0. */
  padding?: IntPair;
  /** Use `ceil` instead of `floor` for the output size. Default false. */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor. Default true. */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead of the window size. Default: none. */
  divisorOverride?: number | null;
}

/** `F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`. */
const AVG_POOL2D = signature('avgPool2d', ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], { required: 1 });

/**
 * 2-D average pooling of `input` `[N, C, H, W]` (or `[C, H, W]`), like PyTorch's
 * `torch.nn.functional.avg_pool2d`, including its rules for windows that overlap the padding
 * (`countIncludePad`, `ceilMode`) and `divisorOverride`.
 *
 * @example
 * ```ts
 * import { tensor, avgPool2d } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
 * await avgPool2d(x, 2).array(); // [[[[3.5, 5.5], [11.5, 13.5]]]]
 * await avgPool2d(x, { kernelSize: 2, padding: 1 }).array(); // [[[[0.25, 1.25, 1], [3.5, 8.5, 5], [3.25, 7.25, 4]]]]
 * await x.avgPool2d(2, { padding: 1, countIncludePad: false }).array(); // [[[[1, 2.5, 4], [7, 8.5, 10], [13, 14.5, 16]]]]
 * avgPool2d(x, 2, 1).shape; // [1, 1, 3, 3]
 * ```
 */
export function avgPool2d(input: Tensor, options: AvgPool2dOptions & { kernelSize: IntPair }): Tensor;
export function avgPool2d(input: Tensor, kernelSize: IntPair, options?: AvgPool2dOptions): Tensor;
export function avgPool2d(
  input: Tensor,
  kernelSize: IntPair,
  stride: IntPair | null | undefined,
  padding?: IntPair,
  ceilMode?: boolean,
  countIncludePad?: boolean,
  divisorOverride?: number | null,
): Tensor;
export function avgPool2d(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('avgPool2d', input);
  checkFloat('avgPool2d', [input], ['input']);
  const unbatched = spatialInput('avgPool2d', input);
  const o = parseArgs(AVG_POOL2D, args) as AvgPool2dOptions;
  return withBatch(input, unbatched, (x) => {
    const attrs = avgAttrs('avgPool2d', x, o);
    const { outputSize: [oh, ow] } = poolAttrs('avgPool2d', x, o);
    const backend = x.backendInstance;
    const geometry = poolGeometry(x.shape, attrs, oh, ow);
    const ctx = { backend, shape: [geometry.n, geometry.c, oh, ow], dtype: x.dtype, geometry };
    const out = wrapResult(backend, runKernel('avgPool2d', 'avgPool2d', ctx, kernelTensor(x), attrs));
    record('avgPool2d', [x], attrs, [out]);
    return out;
  });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link avgPool2d}. */
    avgPool2d(options: AvgPool2dOptions & { kernelSize: IntPair }): Tensor;
    avgPool2d(kernelSize: IntPair, options?: AvgPool2dOptions): Tensor;
    avgPool2d(kernelSize: IntPair, stride: IntPair | null | undefined, padding?: IntPair, ceilMode?: boolean, countIncludePad?: boolean, divisorOverride?: number | null): Tensor;
  }
}
Tensor.prototype.avgPool2d = function (this: Tensor, ...args: unknown[]): never {
  return (avgPool2d as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args) as never;
};
