import { assertTensor, decompose, fromArray, record, sameBackend } from '../engine.js';
import { allocArray } from '../dtype.js';
import { parseArgs, signature } from '../signature.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkFloat, pair, spatialInput, type IntPair } from './conv-args.js';
import { indexPut } from './index-put.js';

/** Options of {@link maxUnpool2d} (PyTorch's `torch.nn.functional.max_unpool2d` keywords). */
export interface MaxUnpool2dOptions {
  /** The pooling window the indices came from (int or pair). Required (or pass it positionally). */
  kernelSize?: IntPair;
  /** The pooling stride (int or pair). Default: `kernelSize`. */
  stride?: IntPair | null;
  /** The pooling padding (int or pair). Default 0. */
  padding?: IntPair;
  /**
   * The output's spatial size `[H, W]` (or a full shape whose last two entries are used), to undo
   * the rounding of the pooling; default `(in − 1)·stride − 2·padding + kernelSize`.
   */
  outputSize?: readonly number[] | null;
}

/** `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`. */
const MAX_UNPOOL2D = signature('maxUnpool2d', ['kernelSize', 'stride', 'padding', 'outputSize'], { required: 1 });

/** The spatial output size, PyTorch's `_unpool_output_size` rule. */
function unpoolSize(x: Tensor, k: [number, number], s: [number, number], p: [number, number], outputSize: unknown): [number, number] {
  const h = x.shape[x.ndim - 2]!;
  const w = x.shape[x.ndim - 1]!;
  const def: [number, number] = [(h - 1) * s[0] - 2 * p[0] + k[0], (w - 1) * s[1] - 2 * p[1] + k[1]];
  if (outputSize === undefined || outputSize === null) {
    if (def[0] < 1 || def[1] < 1) throw new RangeError(`maxUnpool2d: the output size ${JSON.stringify(def)} is empty for input ${formatShape(x.shape)}; check kernelSize, stride and padding`);
    return def;
  }
  if (!Array.isArray(outputSize) || !outputSize.every((v) => Number.isInteger(v) && v >= 0) || (outputSize.length !== 2 && outputSize.length !== x.ndim)) {
    throw new TypeError(`maxUnpool2d: expected outputSize to be [H, W] or a shape of ${x.ndim} integers, got ${JSON.stringify(outputSize)}`);
  }
  const size: [number, number] = [outputSize[outputSize.length - 2] as number, outputSize[outputSize.length - 1] as number];
  for (let d = 0; d < 2; d++) {
    const lo = def[d]! - s[d]!;
    const hi = def[d]! + s[d]!;
    if (!(lo < size[d]! && size[d]! < hi)) {
      throw new RangeError(
        `maxUnpool2d: invalid outputSize ${JSON.stringify(outputSize)}: dimension ${d} must be between ${lo + 1} and ${hi - 1} for input ${formatShape(x.shape)} ` +
          `(kernelSize ${JSON.stringify(k)}, stride ${JSON.stringify(s)}, padding ${JSON.stringify(p)})`,
      );
    }
  }
  return size;
}

/**
 * The partial inverse of {@link maxPool2d} (PyTorch's `torch.nn.functional.max_unpool2d`): each
 * value of `input` `[N, C, H, W]` (or `[C, H, W]`) is written at its position `indices` (int32,
 * the same shape, into each channel's flattened output plane — what `maxPool2d(x, { returnIndices:
 * true })` returns) of a zero output `[N, C, oh, ow]`. The arguments after the tensors follow
 * PyTorch's order — `maxUnpool2d(x, indices, kernelSize, stride, padding, outputSize)` — or go in
 * the options object. Where several values target one position, one of them wins (unspecified
 * which, as in PyTorch). Differentiable in `input` (its gradient gathers the output gradient at
 * `indices`). Indices outside the output plane throw on backends that read synchronously (cpu,
 * tfjs); other backends do not check them.
 *
 * @example
 * ```ts
 * import { tensor, maxPool2d, maxUnpool2d } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
 * const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
 * await maxUnpool2d(values, indices, 2).array(); // [[[[0, 0, 0, 0], [0, 6, 0, 8], [0, 0, 0, 0], [0, 14, 0, 16]]]]
 * maxUnpool2d(values, indices, { kernelSize: 2, outputSize: [5, 5] }).shape; // [1, 1, 5, 5]
 * ```
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, options: MaxUnpool2dOptions & { kernelSize: IntPair }): Tensor;
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: IntPair, options?: MaxUnpool2dOptions): Tensor;
export function maxUnpool2d(
  input: Tensor,
  indices: Tensor,
  kernelSize: IntPair,
  stride?: IntPair | null,
  padding?: IntPair,
  outputSize?: readonly number[] | null,
): Tensor;
export function maxUnpool2d(input: Tensor, indices: Tensor, ...args: unknown[]): Tensor {
  const op = 'maxUnpool2d';
  const o = parseArgs(MAX_UNPOOL2D, args) as MaxUnpool2dOptions;
  assertTensor(op, input);
  assertTensor(op, indices, 'indices');
  sameBackend(op, [input, indices], ['input', 'indices']);
  checkFloat(op, [input], ['input']);
  if (indices.dtype !== 'int32') throw new TypeError(`${op}: expected indices to be an int32 tensor, got ${indices.dtype}; convert it with .int()`);
  const unbatched = spatialInput(op, input);
  if (!shapesEqual(indices.shape, input.shape)) {
    throw new RangeError(`${op}: expected indices to have the input's shape ${formatShape(input.shape)}, got ${formatShape(indices.shape)}`);
  }
  if (o.kernelSize === undefined) throw new TypeError(`${op}: kernelSize is required, e.g. ${op}(x, indices, 2) or ${op}(x, indices, { kernelSize: 2 })`);
  const k = pair(op, 'kernelSize', o.kernelSize, 1);
  const s = o.stride === undefined || o.stride === null ? k : pair(op, 'stride', o.stride, 1);
  const p = pair(op, 'padding', o.padding ?? 0, 0);
  const [oh, ow] = unpoolSize(input, k, s, p, o.outputSize);
  const plane = oh * ow;
  if (indices.backendInstance.readSync && indices.numel() > 0) {
    const v = indices.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < 0 || v[i]! >= plane) {
        throw new RangeError(`${op}: found an invalid max index ${v[i]} (output plane ${oh} x ${ow} has ${plane} positions); expected indices in [0, ${plane - 1}], as maxPool2d returns them for an input of this size`);
      }
    }
  }
  const x4 = unbatched ? input.unsqueeze(0) : input;
  const i4 = unbatched ? indices.unsqueeze(0) : indices;
  const [n, c, h, w] = x4.shape as [number, number, number, number];
  const backend = x4.backendInstance;
  const out4 = decompose(() => {
    // rows: one per (n, c) plane; columns: the indices within each plane
    const rows = new Int32Array(n * c);
    for (let r = 0; r < rows.length; r++) rows[r] = r;
    const rowIdx = fromArray(backend, rows, [n * c, 1], 'int32');
    const base = fromArray(backend, allocArray(x4.dtype, n * c * plane), [n * c, plane], x4.dtype);
    return indexPut(base, [rowIdx, i4.reshape([n * c, h * w])], x4.reshape([n * c, h * w])).reshape([n, c, oh, ow]);
  });
  record(op, [x4, i4], { outputSize: [oh, ow] }, [out4]);
  if (!unbatched) return out4;
  const out = out4.squeeze(0);
  out4.dispose();
  x4.dispose();
  i4.dispose();
  return out;
}
