import { parseArgs, signature } from '../signature.js';
import { isFloating } from '../dtype.js';
import { assertTensor, sameBackend } from '../engine.js';
import { formatShape } from '../shape.js';
import { optionalTensors } from '../args.js';
import type { Tensor } from '../tensor.js';
import { layerNorm } from './layer-norm.js';
import './add.js';
import './mul.js';
import './reshape.js';

/** Options of {@link groupNorm}. */
export interface GroupNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/** `F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05)`. */
const SIG = signature('groupNorm', ['numGroups', 'weight', 'bias', 'eps'], { required: 1 });

/**
 * Group normalisation (PyTorch's `F.group_norm`): the `C` channels of an `[N, C, *]` input are
 * split into `numGroups` groups, each group of each sample is normalised with its own mean and
 * biased variance, then each channel is scaled by `weight` and shifted by `bias` (`[C]`,
 * optional). {@link layerNorm} over the input viewed as `[N, numGroups, C/numGroups·*]`, so
 * differentiable on every backend.
 *
 * @example
 * ```ts
 * import { groupNorm, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[1], [3], [10], [30]]]); // [N=1, C=4, L=1]
 * await groupNorm(x, 2, { eps: 0 }).reshape([4]).array(); // [-1, 1, -1, 1]
 * await groupNorm(x, { numGroups: 1, eps: 0 }).shape; // [1, 4, 1]
 * ```
 */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  weight?: Tensor | null | GroupNormOptions,
  bias?: Tensor | null | GroupNormOptions,
  options?: GroupNormOptions,
): Tensor;
export function groupNorm(input: Tensor, options: GroupNormOptions & { numGroups: number; weight?: Tensor | null; bias?: Tensor | null }): Tensor;
export function groupNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'groupNorm';
  assertTensor(op, input);
  const { numGroups: g, weight: w, bias: b, eps: e } = parseArgs(SIG, args);
  const [weight, bias] = optionalTensors(op, [w, b], ['weight', 'bias']);
  sameBackend(op, [input, weight, bias], ['input', 'weight', 'bias']);
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 1) throw new TypeError(`${op}: expected numGroups to be a positive integer, got ${String(g)}`);
  const eps = e ?? 1e-5;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new TypeError(`${op}: expected eps to be a finite number >= 0, got ${String(eps)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of shape [N, C, *], got shape ${formatShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  if (c % g !== 0) {
    throw new RangeError(`${op}: expected the number of channels to be divisible by numGroups, got input of shape ${formatShape(input.shape)} and numGroups ${g}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (!t) continue;
    if (t.ndim !== 1 || t.shape[0] !== c) {
      throw new RangeError(`${op}: expected ${name} to be a vector of size ${c} (the input's channels), got ${name} of shape ${formatShape(t.shape)} and input of shape ${formatShape(input.shape)}`);
    }
    if (t.dtype !== input.dtype) throw new TypeError(`${op}: expected ${name} to have the input's dtype ${input.dtype}, got ${t.dtype}; convert it with .to('${input.dtype}')`);
  }
  const perGroup = (c / g) * input.shape.slice(2).reduce((a, d) => a * d, 1); // not numel / (N·G): 0 / 0 for an empty batch
  const grouped = input.reshape([n, g, perGroup]);
  const normed = perGroup === 0 ? grouped : layerNorm(grouped, [perGroup], { eps });
  let out = normed.reshape(input.shape);
  const pshape = [c, ...input.shape.slice(2).map(() => 1)];
  const temps = [grouped, normed];
  for (const [t, apply] of [[weight, 'mul'], [bias, 'add']] as const) {
    if (!t) continue;
    const p = t.reshape(pshape);
    temps.push(p, out);
    out = apply === 'mul' ? out.mul(p) : out.add(p);
  }
  for (const t of new Set(temps)) t.dispose(); // the tape keeps what it needs
  return out;
}
