import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { Tensor } from '../tensor.js';
import { checkFloat, spatialInput, withBatch } from './conv-args.js';

/** Options of {@link adaptiveAvgPool2d}. */
export interface AdaptiveAvgPool2dOptions {
  /** Output `[height, width]` (or one int for both); `null` in a slot keeps that input size. */
  outputSize: number | readonly (number | null)[];
}

/** `F.adaptive_avg_pool2d(input, output_size)`. */
const SIG = signature('adaptiveAvgPool2d', ['outputSize'], { required: 1 });

/**
 * Adaptive 2-D average pooling to a fixed output size, like PyTorch's
 * `torch.nn.functional.adaptive_avg_pool2d`: output `(i, j)` averages input rows
 * `⌊i·H/Ho⌋ … ⌈(i+1)·H/Ho⌉ − 1` and the analogous columns. `input` is `[N, C, H, W]` or `[C, H, W]`.
 *
 * @example
 * ```ts
 * import { tensor, adaptiveAvgPool2d } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
 * await adaptiveAvgPool2d(x, 1).array(); // [[[3.5]]]
 * await adaptiveAvgPool2d(x, [1, 2]).array(); // [[[3, 4]]]
 * await x.adaptiveAvgPool2d({ outputSize: [2, null] }).array(); // [[[1, 2, 3], [4, 5, 6]]]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveAvgPool2dOptions['outputSize'] | AdaptiveAvgPool2dOptions): Tensor;
export function adaptiveAvgPool2d(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('adaptiveAvgPool2d', input);
  checkFloat('adaptiveAvgPool2d', [input], ['input']);
  const unbatched = spatialInput('adaptiveAvgPool2d', input);
  const raw = parseArgs(SIG, args).outputSize as AdaptiveAvgPool2dOptions['outputSize'];
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  const p = typeof raw === 'number' ? [raw, raw] : Array.isArray(raw) ? raw : null;
  if (!p || p.length !== 2 || !p.every((v) => v === null || (Number.isInteger(v) && (v as number) >= 1))) {
    throw new RangeError(`adaptiveAvgPool2d: expected outputSize to be a positive integer or a pair [height, width] of them (null keeps the input size), got ${JSON.stringify(raw)}`);
  }
  const size: [number, number] = [(p[0] as number | null) ?? h, (p[1] as number | null) ?? w];
  if (h === 0 || w === 0) throw new RangeError(`adaptiveAvgPool2d: expected non-empty spatial dims, got input of shape [${input.shape.join(', ')}]`);
  return withBatch(input, unbatched, (x) => {
    const backend = x.backendInstance;
    const out = wrapResult(backend, runKernel('adaptiveAvgPool2d', 'adaptiveAvgPool2d', { backend, shape: [x.shape[0]!, x.shape[1]!, ...size], dtype: x.dtype }, kernelTensor(x), { outputSize: size }));
    record('adaptiveAvgPool2d', [x], { outputSize: size }, [out]);
    return out;
  });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link adaptiveAvgPool2d}. */
    adaptiveAvgPool2d(outputSize: AdaptiveAvgPool2dOptions['outputSize'] | AdaptiveAvgPool2dOptions): Tensor;
  }
}
Tensor.prototype.adaptiveAvgPool2d = function (this: Tensor, ...args: unknown[]): Tensor {
  return (adaptiveAvgPool2d as (...a: unknown[]) => Tensor)(this, ...args);
};
