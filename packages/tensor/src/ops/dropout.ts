import { parseArgs, signature } from '../signature.js';
import { allocArray, isFloating } from '../dtype.js';
import { assertTensor, decompose, fromArray, record } from '../engine.js';
import { resolveGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import './expand.js';
import './mul.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing each element, in `[0, 1]` (default 0.5). */
  p?: number;
  /** Apply dropout (default `true`); `false` returns the input unchanged (an alias). */
  training?: boolean;
  /** Random source of the mask (default: the global generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/** `F.dropout(input, p=0.5, training=True, inplace=False)`, plus tensorgrad's keyword-only `generator`. */
const SIG = signature('dropout', ['p', 'training', 'generator'], {
  keywordOnly: ['generator'],
  unsupported: { inplace: 'in-place dropout is not supported; use the returned tensor' },
});

/**
 * Zeroes each element independently with probability `p` and scales the kept ones by
 * `1 / (1 - p)`, so the expected value is unchanged (PyTorch's `F.dropout`). With `p = 0` or
 * `training: false` the result is an alias of the input (a view, still differentiable); with
 * `p = 1` every element is zeroed. The gradient is the upstream gradient times the same mask.
 * The mask is the one PyTorch's CPU dropout draws from the same generator state.
 *
 * @example
 * ```ts
 * import { dropout, ones, Generator } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const y = dropout(ones([1000]), { p: 0.2, generator: new Generator(0) });
 * const kept = (await y.array()).filter((v) => v !== 0);
 * kept[0]; // 1.25
 * kept.length > 700 && kept.length < 900; // true
 * await dropout(ones([2]), { training: false }).array(); // [1, 1]
 * ```
 */
export function dropout(input: Tensor, options?: DropoutOptions): Tensor;
export function dropout(input: Tensor, p: number, training?: boolean, options?: Pick<DropoutOptions, 'generator'>): Tensor;
export function dropout(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'dropout';
  const options = parseArgs(SIG, args) as DropoutOptions;
  assertTensor(op, input);
  const p = options.p ?? 0.5;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: expected probability p to be between 0 and 1, got ${String(p)}`);
  }
  const training = options.training ?? true;
  if (typeof training !== 'boolean') throw new TypeError(`${op}: expected training to be a boolean, got ${String(training)}`);
  const generator = resolveGenerator(op, options.generator);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (!training || p === 0) return input.expand([...input.shape]);
  const n = input.numel();
  const data = allocArray(input.dtype, n);
  if (p < 1) {
    // PyTorch's CPU dropout: noise.bernoulli_(1 - p) (a 53-bit uniform below 1 - p keeps the
    // element), then noise.div_(1 - p) in the tensor's dtype
    const q = 1 - p;
    const scale = input.dtype === 'float32' ? Math.fround(1 / Math.fround(q)) : 1 / q;
    for (let i = 0; i < n; i++) data[i] = generator.random() < q ? scale : 0;
  }
  const mask = fromArray(input.backendInstance, data, input.shape, input.dtype, true);
  const out = decompose(() => input.mul(mask));
  record(op, [input], { p }, [out, mask]);
  mask.dispose();
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link dropout}. */
    dropout(options?: DropoutOptions): Tensor;
  }
}
Tensor.prototype.dropout = function (this: Tensor, ...args: unknown[]): Tensor {
  return (dropout as (...a: unknown[]) => Tensor)(this, ...args);
};
