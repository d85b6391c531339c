import {
  Tensor,
  add,
  div,
  eq,
  formatShape,
  gather,
  indexSelect,
  isFloating,
  logSoftmax,
  maskedFill,
  mul,
  neg,
  onesLike,
  reshape,
  squeeze,
  sum,
  tidy,
  unsqueeze,
} from '@tensorgrad/tensor';
import { signature } from './args.js';
import { applyReduction, assertFloatTensor, bindLoss, checkReduction, checkWeight, type LegacyReductionOptions, type Reduction } from './common.js';

const NLL_LOSS = signature('nllLoss', ['input', 'target', 'weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'], { required: 2 });
const CROSS_ENTROPY = signature('crossEntropy', ['input', 'target', 'weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'], {
  required: 2,
});

/** Options of {@link nllLoss}. */
export interface NLLLossOptions extends LegacyReductionOptions {
  /** A manual rescaling weight per class (1-d, size C). */
  weight?: Tensor | null;
  /** Targets equal to this value contribute nothing, not even to the mean's divisor (default -100). */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyLossOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: `(1 - ε)·target + ε/C` (default 0). */
  labelSmoothing?: number;
}

interface Prepared {
  input: Tensor; // [N, C, d1, …]
  target: Tensor; // [N, d1, …] (index) or [N, C, d1, …] (probabilities)
  unbatched: boolean;
  classes: number;
}

// Validates the shapes and makes an unbatched [C] input a batch of one.
function prepare(op: string, input: unknown, target: unknown, allowProbabilities: boolean): Prepared {
  assertFloatTensor(op, input, 'input');
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: expected target to be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (input.ndim === 0) throw new RangeError(`${op}: expected input of shape [N, C, d1, …] or [C], got a 0-d tensor`);
  const unbatched = input.ndim === 1;
  const classes = input.shape[unbatched ? 0 : 1]!;
  const probabilities = isFloating(target.dtype);
  if (probabilities) {
    if (!allowProbabilities) {
      throw new TypeError(`${op}: expected target to hold class indices (an int32 tensor), got ${target.dtype}; convert it with .int()`);
    }
    if (target.ndim !== input.ndim || target.shape.some((d, i) => d !== input.shape[i])) {
      throw new RangeError(
        `${op}: expected class-probability target to have the input's shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}; class-index targets must be int32`,
      );
    }
  } else {
    if (target.dtype !== 'int32') {
      throw new TypeError(`${op}: expected target to be an int32 tensor of class indices${allowProbabilities ? ' or a float tensor of class probabilities' : ''}, got ${target.dtype}`);
    }
    const expected = unbatched ? [] : [input.shape[0]!, ...input.shape.slice(2)];
    if (target.ndim !== expected.length || target.shape.some((d, i) => d !== expected[i])) {
      throw new RangeError(
        `${op}: expected class-index target of shape ${formatShape(expected)} for input of shape ${formatShape(input.shape)} (the input without its class dim 1), got ${formatShape(target.shape)}`,
      );
    }
  }
  return unbatched
    ? { input: unsqueeze(input, 0), target: probabilities ? unsqueeze(target, 0) : reshape(target, [1]), unbatched, classes }
    : { input, target, unbatched, classes };
}

function checkIgnoreIndex(op: string, v: unknown): number {
  if (v === undefined) return -100;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: expected ignoreIndex to be an integer, got ${String(v)}`);
  return v;
}

function checkTargetValues(op: string, target: Tensor, classes: number, ignoreIndex: number): void {
  if (!target.backendInstance.readSync || target.numel() === 0) return;
  const v = target.dataSync();
  for (let i = 0; i < v.length; i++) {
    const t = v[i]!;
    if (t !== ignoreIndex && (t < 0 || t >= classes)) {
      throw new RangeError(
        `${op}: target ${t} (at flat index ${i}) is out of bounds; expected class indices in [0, ${classes - 1}] or ignoreIndex ${ignoreIndex}`,
      );
    }
  }
}

// weight [C] viewed as [1, C, 1, …] to broadcast against an [N, C, d1, …] input
function classWeightView(weight: Tensor, ndim: number): Tensor {
  const shape = Array.from({ length: ndim }, () => 1);
  shape[1] = weight.shape[0]!;
  return reshape(weight, shape);
}

// Per-target negative log-likelihood and the weights of the targets (0 where ignored).
function nllParts(logp: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number): { loss: Tensor; w: Tensor; ignored: Tensor } {
  const ignored = eq(target, ignoreIndex);
  const safe = maskedFill(target, ignored, 0);
  const picked = squeeze(gather(logp, 1, unsqueeze(safe, 1)), 1);
  const w0 = weight ? reshape(indexSelect(weight, 0, reshape(safe, [-1])), target.shape) : onesLike(picked);
  const w = maskedFill(w0, ignored, 0);
  return { loss: neg(mul(picked, w)), w, ignored };
}

function reduceNll(loss: Tensor, w: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return div(sum(loss), sum(w));
  return applyReduction(loss, reduction);
}

function finish(loss: Tensor, reduction: Reduction, unbatched: boolean): Tensor {
  return unbatched && reduction === 'none' ? reshape(loss, []) : loss;
}

/**
 * Negative log-likelihood loss on log-probabilities `input` ([N, C], [N, C, d1, …] or [C]) and
 * int32 class indices `target` ([N], [N, d1, …] or []): `-weight[t]·input[n, t]`. The `'mean'`
 * reduction divides by the summed weights of the non-ignored targets, as PyTorch does.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { nllLoss } from '@tensorgrad/losses';
 * const logp = tensor([[-1, -2, -3], [-0.5, -1.5, -2.5]]);
 * const target = tensor([2, 0], { dtype: 'int32' });
 * await nllLoss(logp, target).item(); // 1.75
 * await nllLoss(logp, target, { weight: tensor([1, 1, 3]) }).item(); // 2.375
 * await nllLoss(logp, target, { ignoreIndex: 0, reduction: 'none' }).array(); // [3, 0]
 * // PyTorch's positional form: F.nll_loss(logp, target, None, None, 0, None, 'none')
 * await nllLoss(logp, target, null, null, 0, null, 'none').array(); // [3, 0]
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options?: NLLLossOptions): Tensor;
export function nllLoss(
  input: Tensor,
  target: Tensor,
  weight?: Tensor | null,
  sizeAverage?: null,
  ignoreIndex?: number,
  reduce?: null,
  reduction?: Reduction,
  options?: NLLLossOptions,
): Tensor;
export function nllLoss(...args: unknown[]): Tensor {
  const op = 'nllLoss';
  const a = bindLoss(NLL_LOSS, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  const reduction = checkReduction(op, a.reduction);
  const ignoreIndex = checkIgnoreIndex(op, a.ignoreIndex);
  return tidy(() => {
    const p = prepare(op, input, target, false);
    const weight = checkWeight(op, 'weight', a.weight, p.classes, 'one weight per class');
    checkTargetValues(op, p.target, p.classes, ignoreIndex);
    const { loss, w } = nllParts(p.input, p.target, weight, ignoreIndex);
    return finish(reduceNll(loss, w, reduction), reduction, p.unbatched);
  });
}

/**
 * Cross entropy between raw scores (logits) `input` ([N, C], [N, C, d1, …] or [C]) and either
 * int32 class indices (`[N]`, `[N, d1, …]` or `[]`) or class probabilities (float, the input's
 * shape). Computed as `nllLoss(logSoftmax(input, 1), …)`, so huge logits are stable. With class
 * indices, `'mean'` divides by the summed weights of the non-ignored targets; label smoothing
 * follows PyTorch 1.13 (`(1 - ε)·nll + ε/C·Σ_c -weight[c]·logp[c]`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { crossEntropy } from '@tensorgrad/losses';
 * const logits = tensor([[0, 0], [1000, 0]]);
 * await crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { reduction: 'none' }).array(); // [0.6931472, 1000]
 * await crossEntropy(logits, tensor([[0.5, 0.5], [1, 0]])).item(); // 0.3465736
 * const t = tensor([0, 1], { dtype: 'int32' });
 * await crossEntropy(tensor([[2, 0], [0, 2]]), t, { labelSmoothing: 0.2 }).item(); // 0.326928
 * // PyTorch's positional form: F.cross_entropy(x, t, None, None, -100, None, 'mean', 0.2)
 * await crossEntropy(tensor([[2, 0], [0, 2]]), t, null, null, -100, null, 'mean', 0.2).item(); // 0.326928
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyLossOptions): Tensor;
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  weight?: Tensor | null,
  sizeAverage?: null,
  ignoreIndex?: number,
  reduce?: null,
  reduction?: Reduction,
  labelSmoothing?: number,
  options?: CrossEntropyLossOptions,
): Tensor;
export function crossEntropy(...args: unknown[]): Tensor {
  const op = 'crossEntropy';
  const a = bindLoss(CROSS_ENTROPY, args);
  const input = a.input as Tensor;
  const target = a.target as Tensor;
  const reduction = checkReduction(op, a.reduction);
  const ignoreIndex = checkIgnoreIndex(op, a.ignoreIndex);
  const eps = a.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) {
    throw new RangeError(`${op}: expected labelSmoothing to be a number in [0, 1], got ${String(eps)}`);
  }
  return tidy(() => {
    const p = prepare(op, input, target, true);
    const C = p.classes;
    const weight = checkWeight(op, 'weight', a.weight, C, 'one weight per class');
    const logp = logSoftmax(p.input, 1);
    const wView = weight ? classWeightView(weight, logp.ndim) : null;
    if (isFloating(p.target.dtype)) {
      let t = p.target;
      if (eps > 0) t = add(mul(t, 1 - eps), eps / C);
      const prod = wView ? mul(mul(logp, t), wView) : mul(logp, t);
      const loss = neg(sum(prod, 1));
      const red = reduction === 'mean' ? div(sum(loss), logp.numel() / C) : applyReduction(loss, reduction);
      return finish(red, reduction, p.unbatched);
    }
    checkTargetValues(op, p.target, C, ignoreIndex);
    const { loss, w, ignored } = nllParts(logp, p.target, weight, ignoreIndex);
    const nll = reduceNll(loss, w, reduction);
    if (eps === 0) return finish(nll, reduction, p.unbatched);
    const smooth = maskedFill(neg(sum(wView ? mul(logp, wView) : logp, 1)), ignored, 0);
    let smoothRed: Tensor;
    if (reduction === 'mean') {
      smoothRed = weight ? div(sum(smooth), sum(w)) : div(sum(smooth), sum(maskedFill(onesLike(smooth), ignored, 0)));
    } else {
      smoothRed = applyReduction(smooth, reduction);
    }
    return finish(add(mul(nll, 1 - eps), mul(smoothRed, eps / C)), reduction, p.unbatched);
  });
}
