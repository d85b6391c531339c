import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { checkConvShapes, checkFloat, convAttrs, spatialInput, withBatch, convGeometry, type IntPair } from './conv-args.js';

/** Options of {@link conv2d} (PyTorch's `torch.nn.functional.conv2d` keywords). */
export interface Conv2dOptions {
  /** Stride of the sliding window: an int or `[height, width]`. Default 1. */
  stride?: IntPair;
  /**
   * Implicit zero padding: an int or `[height, width]` (both sides), `'valid'` (none) or `'same'`
   * (output size = input size; stride 1 only). Default 0.
   */
  padding?: IntPair | 'same' | 'valid';
  /** Spacing between kernel taps: an int or `[height, width]`. Default 1. */
  dilation?: IntPair;
  /** Split channels into this many independent groups (must divide both channel counts). Default 1. */
  groups?: number;
}

/** `F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`. */
const CONV2D = signature('conv2d', ['bias', 'stride', 'padding', 'dilation', 'groups'], {
  unsupported: { paddingMode: "it is an option of the Conv2d layer, not of F.conv2d; pad the input with pad(x, [...], { mode }) and use padding 0" },
});

function conv2d4(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  const kernel: [number, number] = weight.ndim === 4 ? [weight.shape[2]!, weight.shape[3]!] : [1, 1];
  const attrs = convAttrs('conv2d', options, kernel);
  const [oh, ow] = checkConvShapes('conv2d', x.shape, weight.shape, attrs);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new RangeError(`conv2d: expected bias of shape [${weight.shape[0]}] (one value per output channel), got ${formatShape(bias.shape)}`);
  }
  const backend = x.backendInstance;
  const geometry = convGeometry(x.shape, weight.shape, attrs, oh, ow);
  const ctx = { backend, shape: [geometry.n, geometry.o, oh, ow], dtype: x.dtype, geometry };
  const r = runKernel('conv2d', 'conv2d', ctx, kernelTensor(x), kernelTensor(weight), bias ? kernelTensor(bias) : null, attrs);
  const out = wrapResult(backend, r);
  record('conv2d', [x, weight, bias], attrs, [out]);
  return out;
}

/**
 * 2-D convolution (cross-correlation, like PyTorch's `torch.nn.functional.conv2d`) of `input`
 * `[N, C, H, W]` (or unbatched `[C, H, W]`) with `weight` `[outChannels, C / groups, kH, kW]` and
 * an optional `bias` `[outChannels]`. Computed with im2col and the blocked GEMM. The other
 * arguments follow PyTorch's order — `conv2d(x, w, b, stride, padding, dilation, groups)` — or go
 * in the options object; an unknown option or an extra positional argument throws.
 *
 * @example
 * ```ts
 * import { tensor, conv2d, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
 * const w = ones([1, 1, 2, 2]);
 * await conv2d(x, w).array(); // [[[[12, 16], [24, 28]]]]
 * await conv2d(x, w, tensor([1]), { stride: 2, padding: 1 }).array(); // [[[[2, 6], [12, 29]]]]
 * conv2d(x, ones([4, 1, 3, 3]), null, { padding: 'same' }).shape; // [1, 4, 3, 3]
 * await conv2d(x, w, tensor([1]), 2, 1).array(); // [[[[2, 6], [12, 29]]]]
 * conv2d(x, ones([2, 1, 1, 1]), null, 1, 0, 1, 1).shape; // [1, 2, 3, 3]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
export function conv2d(input: Tensor, weight: Tensor, options: Conv2dOptions): Tensor;
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  stride: IntPair,
  padding?: Conv2dOptions['padding'] | Conv2dOptions,
  dilation?: IntPair | Conv2dOptions,
  groups?: number | Conv2dOptions,
  options?: Conv2dOptions,
): Tensor;
export function conv2d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const { bias: biasArg, ...options } = parseArgs(CONV2D, args);
  if (biasArg !== undefined && biasArg !== null && !(biasArg instanceof Tensor)) {
    throw new TypeError(`conv2d: expected bias (argument 3) to be a Tensor or null, got ${JSON.stringify(biasArg)}; pass null to skip it, e.g. conv2d(x, w, null, 2)`);
  }
  const bias = biasArg ?? null;
  assertTensor('conv2d', input, 'input');
  assertTensor('conv2d', weight, 'weight');
  if (bias) assertTensor('conv2d', bias, 'bias');
  sameBackend('conv2d', [input, weight, bias], ['input', 'weight', 'bias']);
  checkFloat('conv2d', [input, weight, bias], ['input', 'weight', 'bias']);
  const unbatched = spatialInput('conv2d', input);
  return withBatch(input, unbatched, (x) => conv2d4(x, weight, bias, options as Conv2dOptions));
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link conv2d}. */
    conv2d(weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
    conv2d(weight: Tensor, options: Conv2dOptions): Tensor;
    conv2d(weight: Tensor, bias: Tensor | null | undefined, stride: IntPair, padding?: Conv2dOptions['padding'], dilation?: IntPair, groups?: number): Tensor;
  }
}
Tensor.prototype.conv2d = function (this: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  return (conv2d as (x: Tensor, w: Tensor, ...a: unknown[]) => Tensor)(this, weight, ...args);
};
