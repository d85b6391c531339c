import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { valuesIndices, type ValuesIndices } from '../values-indices.js';
import { checkFloat, poolAttrs, spatialInput, withBatch, poolGeometry, type IntPair } from './conv-args.js';

/** Options of {@link maxPool2d} (PyTorch's `torch.nn.functional.max_pool2d` keywords). */
export interface MaxPool2dOptions {
  /** Window size: an int or `[height, width]`. Required (or pass it positionally). */
  kernelSize?: IntPair;
  /** Window stride (int or pair). Default: `kernelSize`. */
  stride?: IntPair | null;
  /** Implicit `-Infinity` padding on both sides (int or pair, at most half the kernel). Default 0. */
  padding?: IntPair;
  /** Spacing between window taps (int or pair). Default 1. */
  dilation?: IntPair;
  /** Use `ceil` instead of `floor` for the output size. Default false. */
  ceilMode?: boolean;
  /**
   * Also return where each maximum came from: the result is then `{ values, indices }` (a
   * {@link ValuesIndices} pair), the int32 indices pointing into each channel's flattened `H×W`
   * input plane, as PyTorch's (what {@link maxUnpool2d} takes). Default false.
   */
  returnIndices?: boolean;
}

/** `F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)`. */
const MAX_POOL2D = signature('maxPool2d', ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'], { required: 1 });

/**
 * 2-D max pooling of `input` `[N, C, H, W]` (or `[C, H, W]`), like PyTorch's
 * `torch.nn.functional.max_pool2d`: each output is the maximum of its window (NaN propagates).
 * The gradient flows to the position of each window's maximum (the first one on ties). Arguments
 * follow PyTorch's order — `maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode,
 * returnIndices)` — or go in the options object. With `returnIndices: true` the result is
 * `{ values, indices }` (also destructurable as `[values, indices]`): int32 positions of each
 * maximum in its channel's flattened `H×W` plane, as PyTorch's.
 *
 * @example
 * ```ts
 * import { tensor, maxPool2d } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
 * await maxPool2d(x, 2).array(); // [[[[6, 8], [14, 16]]]]
 * await maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }).array(); // [[[[6, 8], [14, 16]]]]
 * x.maxPool2d(2, { stride: 1 }).shape; // [1, 1, 3, 3]
 * await maxPool2d(x, 3, 1).array(); // [[[[11, 12], [15, 16]]]]
 * maxPool2d(x, 3, 2, 1, 1, true).shape; // [1, 1, 3, 3]
 * const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
 * await values.array(); // [[[[6, 8], [14, 16]]]]
 * await indices.array(); // [[[[5, 7], [13, 15]]]]
 * ```
 */
export function maxPool2d(input: Tensor, options: MaxPool2dOptions & { kernelSize: IntPair; returnIndices: true }): ValuesIndices;
export function maxPool2d(input: Tensor, kernelSize: IntPair, options: MaxPool2dOptions & { returnIndices: true }): ValuesIndices;
export function maxPool2d(input: Tensor, options: MaxPool2dOptions & { kernelSize: IntPair; returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntPair, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(
  input: Tensor,
  kernelSize: IntPair,
  stride: IntPair | null | undefined,
  padding?: IntPair,
  dilation?: IntPair,
  ceilMode?: boolean,
  returnIndices?: false,
): Tensor;
export function maxPool2d(
  input: Tensor,
  kernelSize: IntPair,
  stride: IntPair | null | undefined,
  padding: IntPair | undefined,
  dilation: IntPair | undefined,
  ceilMode: boolean | undefined,
  returnIndices: true,
): ValuesIndices;
export function maxPool2d(input: Tensor, ...args: unknown[]): Tensor | ValuesIndices {
  const { returnIndices = false, ...o } = parseArgs(MAX_POOL2D, args) as MaxPool2dOptions & { returnIndices?: unknown };
  if (typeof returnIndices !== 'boolean') {
    throw new TypeError(`maxPool2d: expected returnIndices to be a boolean, got ${String(returnIndices)}`);
  }
  assertTensor('maxPool2d', input);
  checkFloat('maxPool2d', [input], ['input']);
  const unbatched = spatialInput('maxPool2d', input);
  let keptIndices: Tensor | null = null;
  const values = withBatch(input, unbatched, (x) => {
    const { outputSize: [oh, ow], ...attrs } = poolAttrs('maxPool2d', x, o);
    const backend = x.backendInstance;
    const geometry = poolGeometry(x.shape, attrs, oh, ow);
    const ctx = { backend, shape: [geometry.n, geometry.c, oh, ow], dtype: x.dtype, geometry };
    const [v, i] = runKernel('maxPool2d', 'maxPool2d', ctx, kernelTensor(x), attrs);
    const values = wrapResult(backend, v);
    const indices = wrapResult(backend, i);
    record('maxPool2d', [x], attrs, [values, indices]);
    if (returnIndices) keptIndices = unbatched ? indices.reshape(indices.shape.slice(1)) : indices;
    if (keptIndices !== indices) indices.dispose();
    return values;
  });
  return keptIndices === null ? values : valuesIndices(values, keptIndices);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link maxPool2d}. */
    maxPool2d(options: MaxPool2dOptions & { kernelSize: IntPair; returnIndices: true }): ValuesIndices;
    maxPool2d(kernelSize: IntPair, options: MaxPool2dOptions & { returnIndices: true }): ValuesIndices;
    maxPool2d(options: MaxPool2dOptions & { kernelSize: IntPair; returnIndices?: false }): Tensor;
    maxPool2d(kernelSize: IntPair, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
    maxPool2d(kernelSize: IntPair, stride: IntPair | null | undefined, padding?: IntPair, dilation?: IntPair, ceilMode?: boolean, returnIndices?: false): Tensor;
  }
}
Tensor.prototype.maxPool2d = function (this: Tensor, ...args: unknown[]): never {
  return (maxPool2d as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args) as never;
};
