import { parseArgs, signature } from '../signature.js';
import { allocArray, isFloating } from '../dtype.js';
import { assertTensor, fromArray } from '../engine.js';
import { resolveGenerator, type Generator } from '../random.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import './expand.js';
import './mul.js';

/** Options of {@link dropout2d}. */
export interface Dropout2dOptions {
  /** Probability of zeroing each channel, in `[0, 1]` (default 0.5). */
  p?: number;
  /** Apply dropout (default `true`); `false` returns the input unchanged (an alias). */
  training?: boolean;
  /** Random source of the mask (default: the global generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/** `F.dropout2d(input, p=0.5, training=True, inplace=False)`, plus tensorgrad's keyword-only `generator`. */
const SIG = signature('dropout2d', ['p', 'training', 'generator'], {
  keywordOnly: ['generator'],
  unsupported: { inplace: 'in-place dropout is not supported; use the returned tensor' },
});

/**
 * Channel dropout (PyTorch's `F.dropout2d`): zeroes whole channels `input[n, c]` of an
 * `[N, C, H, W]` input independently with probability `p` and scales the kept ones by
 * `1 / (1 - p)`. As in PyTorch 1.13 the first two dims are always the batch and the channels
 * (a 3-D input is `[N, C, L]`). With `p = 0` or `training: false` the result is an alias of the
 * input. The mask is the one PyTorch's CPU `dropout2d` draws from the same generator state
 * (`N·C` Bernoulli draws), and the gradient is the upstream gradient times that mask.
 *
 * @example
 * ```ts
 * import { dropout2d, ones, Generator } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const y = await dropout2d(ones([1, 100, 2, 2]), { p: 0.5, generator: new Generator(0) }).array();
 * const channels = y[0].map((ch: number[][]) => ch.flat());
 * channels.every((v: number[]) => v.every((e) => e === v[0])); // true
 * channels.some((v: number[]) => v[0] === 0) && channels.some((v: number[]) => v[0] === 2); // true
 * await dropout2d(ones([1, 2, 1, 1]), { training: false }).array(); // [[[[1]], [[1]]]]
 * ```
 */
export function dropout2d(input: Tensor, options?: Dropout2dOptions): Tensor;
export function dropout2d(input: Tensor, p: number, training?: boolean, options?: Pick<Dropout2dOptions, 'generator'>): Tensor;
export function dropout2d(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'dropout2d';
  const options = parseArgs(SIG, args) as Dropout2dOptions;
  assertTensor(op, input);
  const p = options.p ?? 0.5;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: expected probability p to be between 0 and 1, got ${String(p)}`);
  }
  const training = options.training ?? true;
  if (typeof training !== 'boolean') throw new TypeError(`${op}: expected training to be a boolean, got ${String(training)}`);
  const generator = resolveGenerator(op, options.generator);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input with a batch and a channel dim [N, C, *], got shape ${formatShape(input.shape)}`);
  if (!training || p === 0 || input.numel() === 0) return input.expand([...input.shape]);
  const [n, c] = input.shape as [number, number];
  const data = allocArray(input.dtype, n * c);
  if (p < 1) {
    // PyTorch's feature dropout: noise[N, C, 1, …].bernoulli_(1 - p).div_(1 - p), as in dropout
    const q = 1 - p;
    const scale = input.dtype === 'float32' ? Math.fround(1 / Math.fround(q)) : 1 / q;
    for (let i = 0; i < n * c; i++) data[i] = generator.random() < q ? scale : 0;
  }
  const mask = fromArray(input.backendInstance, data, [n, c, ...input.shape.slice(2).map(() => 1)], input.dtype, true);
  const out = input.mul(mask);
  mask.dispose(); // the tape keeps what it needs
  return out;
}
