import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape } from '../shape.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';
import { checkFloat, pair, spatialInput, withBatch, convGeometry, type IntPair } from './conv-args.js';

/** Options of {@link convTranspose2d} (PyTorch's `torch.nn.functional.conv_transpose2d` keywords). */
export interface ConvTranspose2dOptions {
  /** Stride: an int or `[height, width]`. Default 1. */
  stride?: IntPair;
  /** `dilation·(k − 1) − padding` zeros are added to both sides of the input (int or pair). Default 0. */
  padding?: IntPair;
  /** Extra size added to one side of the output (int or pair; smaller than stride or dilation). Default 0. */
  outputPadding?: IntPair;
  /** Channel groups (must divide the input channels). Default 1. */
  groups?: number;
  /** Spacing between kernel taps (int or pair). Default 1. */
  dilation?: IntPair;
}

/** `F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`. */
const CONV_TRANSPOSE2D = signature('convTranspose2d', ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation']);

function convTranspose4(x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTranspose2dOptions): Tensor {
  const op = 'convTranspose2d';
  if (weight.ndim !== 4) {
    throw new RangeError(`${op}: expected a 4-D weight (in_channels, out_channels/groups, kH, kW), got shape ${formatShape(weight.shape)}`);
  }
  const stride = pair(op, 'stride', options.stride ?? 1, 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  const outputPadding = pair(op, 'outputPadding', options.outputPadding ?? 0, 0);
  const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}: expected groups to be a positive integer, got ${String(groups)}`);
  const [cin, cg, kh, kw] = weight.shape as [number, number, number, number];
  const [, c, h, w] = x.shape as [number, number, number, number];
  if (cin % groups !== 0) throw new RangeError(`${op}: in_channels (${cin}, weight dim 0) must be divisible by groups (${groups})`);
  if (c !== cin) {
    throw new RangeError(
      `${op}: expected input ${formatShape(x.shape)} to have ${cin} channels (weight ${formatShape(weight.shape)}: dim 0 is in_channels), but got ${c} channels instead`,
    );
  }
  for (let i = 0; i < 2; i++) {
    if (outputPadding[i]! >= stride[i]! && outputPadding[i]! >= dilation[i]!) {
      throw new RangeError(
        `${op}: output padding must be smaller than either stride or dilation, got outputPadding ${JSON.stringify(outputPadding)}, stride ${JSON.stringify(stride)}, dilation ${JSON.stringify(dilation)}`,
      );
    }
  }
  const oh = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
  const ow = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(`${op}: the output size (${oh} x ${ow}) for input ${formatShape(x.shape)} and kernel ${kh} x ${kw} is not positive; reduce the padding`);
  }
  const cout = cg * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cout)) {
    throw new RangeError(`${op}: expected bias of shape [${cout}] (one value per output channel), got ${formatShape(bias.shape)}`);
  }
  const backend = x.backendInstance;
  // the adjoint of a conv2d from [n, cout, oh, ow] to x's [n, cin, h, w] with this weight
  const conv = { stride, padding: [padding[0], padding[0], padding[1], padding[1]] as [number, number, number, number], dilation, groups };
  const kattrs = { ...conv, inputSize: [oh, ow] as [number, number] };
  const n = x.shape[0]!;
  const geometry = convGeometry([n, cout, oh, ow], weight.shape, conv, h, w);
  const ctx = { backend, shape: [n, cout, oh, ow], dtype: x.dtype, geometry };
  const r = runKernel(op, 'conv2dInputGrad', ctx, kernelTensor(x), kernelTensor(weight), bias ? kernelTensor(bias) : null, kattrs);
  const out = wrapResult(backend, r);
  record(op, [x, weight, bias], { stride, padding, outputPadding, dilation, groups }, [out]);
  return out;
}

/**
 * 2-D transposed convolution (the gradient of `conv2d` with respect to its input, sometimes
 * called "deconvolution"), like PyTorch's `torch.nn.functional.conv_transpose2d`: `input`
 * `[N, Cin, H, W]` (or `[Cin, H, W]`), `weight` `[Cin, Cout / groups, kH, kW]`, optional `bias`
 * `[Cout]`. Output size `(H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * import { tensor, convTranspose2d, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * await convTranspose2d(x, ones([1, 1, 2, 2])).array(); // [[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]]
 * convTranspose2d(x, ones([1, 3, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }).shape; // [1, 3, 4, 4]
 * ```
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTranspose2dOptions): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions): Tensor;
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  stride: IntPair,
  padding?: IntPair,
  outputPadding?: IntPair,
  groups?: number,
  dilation?: IntPair,
): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const { bias: biasArg, ...options } = parseArgs(CONV_TRANSPOSE2D, args) as ConvTranspose2dOptions & { bias?: unknown };
  if (biasArg !== undefined && biasArg !== null && !(biasArg instanceof Tensor)) {
    throw new TypeError(`convTranspose2d: expected bias (argument 3) to be a Tensor or null, got ${JSON.stringify(biasArg)}; pass null to skip it`);
  }
  const bias = biasArg ?? null;
  assertTensor('convTranspose2d', input, 'input');
  assertTensor('convTranspose2d', weight, 'weight');
  if (bias) assertTensor('convTranspose2d', bias, 'bias');
  sameBackend('convTranspose2d', [input, weight, bias], ['input', 'weight', 'bias']);
  checkFloat('convTranspose2d', [input, weight, bias], ['input', 'weight', 'bias']);
  const unbatched = spatialInput('convTranspose2d', input);
  return withBatch(input, unbatched, (x) => convTranspose4(x, weight, bias, options));
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link convTranspose2d}. */
    convTranspose2d(weight: Tensor, bias?: Tensor | null, options?: ConvTranspose2dOptions): Tensor;
    convTranspose2d(weight: Tensor, options: ConvTranspose2dOptions): Tensor;
  }
}
Tensor.prototype.convTranspose2d = function (this: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  return (convTranspose2d as (x: Tensor, w: Tensor, ...a: unknown[]) => Tensor)(this, weight, ...args);
};
