import { parseArgs, signature } from '../signature.js';
import { isFloating } from '../dtype.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { tidy } from '../scope.js';
import { formatShape } from '../shape.js';
import { optionalTensors } from '../args.js';
import { Tensor } from '../tensor.js';
import '../inplace/copy_.js';
import './add.js';
import './div.js';
import './mean.js';
import './mul.js';
import './reshape.js';
import './sqrt.js';
import './square.js';
import './sub.js';

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Normalise with the batch statistics and update the running ones (default `false`). */
  training?: boolean;
  /**
   * Weight of the new batch statistics in the running-statistics update (default 0.1). `null`
   * means a cumulative moving average, whose factor is `1 / numBatchesTracked` (PyTorch's
   * `num_batches_tracked` after its increment for this batch): pass `numBatchesTracked` then.
   */
  momentum?: number | null;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /**
   * With `momentum: null`: the number of batches seen so far, this one included (≥ 1). The
   * caller owns the counter (the `BatchNorm` layers keep it as `num_batches_tracked`).
   */
  numBatchesTracked?: number;
}

function checkParam(op: string, name: string, t: Tensor | null, shape: readonly number[], input: Tensor): void {
  if (!t) return;
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: expected ${name} of shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
  }
  if (t.dtype !== input.dtype) {
    throw new TypeError(`${op}: expected ${name} to have the input's dtype ${input.dtype}, got ${t.dtype}; convert it with .to('${input.dtype}')`);
  }
}

function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new TypeError(`${op}: expected eps to be a finite number >= 0, got ${String(eps)}`);
  return eps;
}

/**
 * `F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05)`,
 * plus tensorgrad's keyword-only `numBatchesTracked` (for `momentum: null`).
 */
const SIG = signature('batchNorm', ['runningMean', 'runningVar', 'weight', 'bias', 'training', 'momentum', 'eps', 'numBatchesTracked'], {
  keywordOnly: ['numBatchesTracked'],
});

/**
 * Batch normalisation over the channel dim 1 of an `[N, C]`, `[N, C, L]` or `[N, C, H, W]` (or
 * 5-D) input: `(x - mean) / sqrt(var + eps) * weight + bias`, per channel. In training mode the
 * batch statistics are used (biased variance) and `runningMean`/`runningVar` (when given) are
 * updated IN PLACE, under `noGrad`, with the unbiased variance:
 * `running = (1 - momentum) * running + momentum * batchStat`. In evaluation mode (the default)
 * the running statistics are used and must be given. Differentiable w.r.t. input, weight and bias.
 *
 * @example
 * ```ts
 * import { batchNorm, tensor, zeros, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 10], [3, 30]]);
 * const rm = zeros([2]);
 * const rv = ones([2]);
 * const y = batchNorm(x, rm, rv, { training: true, momentum: 0.5, eps: 0 });
 * await y.array(); // [[-1, -1], [1, 1]]
 * await rm.array(); // [1, 10]
 * await rv.array(); // [1.5, 100.5]
 * await batchNorm(x, rm, rv).array(); // eval mode: (x - rm) / sqrt(rv + 1e-5)
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean?: Tensor | null | BatchNormOptions,
  runningVar?: Tensor | null | BatchNormOptions,
  weight?: Tensor | null | BatchNormOptions,
  bias?: Tensor | null | BatchNormOptions,
  options?: BatchNormOptions,
): Tensor;
export function batchNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'batchNorm';
  assertTensor(op, input);
  const { runningMean: rm, runningVar: rv, weight: w, bias: b, ...options } = parseArgs(SIG, args) as BatchNormOptions & Record<'runningMean' | 'runningVar' | 'weight' | 'bias', unknown>;
  const [runningMean, runningVar, weight, bias] = optionalTensors(op, [rm, rv, w, b], ['runningMean', 'runningVar', 'weight', 'bias']);
  sameBackend(op, [input, runningMean, runningVar, weight, bias], ['input', 'runningMean', 'runningVar', 'weight', 'bias']);
  const training = options.training ?? false;
  if (typeof training !== 'boolean') throw new TypeError(`${op}: expected training to be a boolean, got ${String(training)}`);
  const eps = checkEps(op, options.eps ?? 1e-5);
  const momentum = options.momentum === undefined ? 0.1 : options.momentum;
  if (momentum !== null && (typeof momentum !== 'number' || !Number.isFinite(momentum))) {
    throw new TypeError(`${op}: expected momentum to be a finite number or null (cumulative moving average), got ${String(momentum)}`);
  }
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (input.ndim < 2 || input.ndim > 5) {
    throw new RangeError(`${op}: expected a 2-D to 5-D input [N, C, ...], got shape ${formatShape(input.shape)}`);
  }
  const c = input.shape[1]!;
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    checkParam(op, name, t, [c], input);
  }
  if ((runningMean === null) !== (runningVar === null)) {
    throw new TypeError(`${op}: pass both runningMean and runningVar or neither (got only ${runningMean ? 'runningMean' : 'runningVar'})`);
  }
  if (!training && !runningMean) {
    throw new TypeError(`${op}: runningMean and runningVar must be given in evaluation mode (training: false); pass them, or set training: true to use the batch statistics`);
  }
  const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2)];
  const pshape = input.shape.map((d, i) => (i === 1 ? d : 1));
  // values per channel (PyTorch's size_prods: N · spatial — not numel / C, which is 0 / 0 for C = 0)
  const count = dims.reduce((n, d) => n * input.shape[d]!, 1);
  if (training && count === 1) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input shape ${formatShape(input.shape)}; use a larger batch or training: false`);
  }
  let factor = 0;
  if (training && runningMean) {
    if (momentum === null) {
      const n = options.numBatchesTracked;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 1) {
        throw new TypeError(`${op}: momentum: null (cumulative moving average) needs numBatchesTracked (batches seen, this one included, >= 1), got ${String(n)}`);
      }
      factor = 1 / n;
    } else {
      factor = momentum;
    }
  }
  const [out, mean, std] = decompose(() => {
    let mean: Tensor;
    let std: Tensor;
    if (training) {
      mean = input.mean({ dim: dims, keepdim: true });
      const varB = input.sub(mean).square().mean({ dim: dims, keepdim: true });
      std = varB.add(eps).sqrt();
      // an empty batch leaves the running statistics as they are (PyTorch returns before updating them)
      if (runningMean && runningVar && count > 0) {
        const m = mean;
        const v = varB;
        tidy(() => {
          runningMean.copy_(runningMean.mul(1 - factor).add(m.reshape([c]).mul(factor)));
          runningVar.copy_(runningVar.mul(1 - factor).add(v.reshape([c]).mul((factor * count) / (count - 1))));
        });
      }
    } else {
      mean = runningMean!.reshape(pshape).mul(1); // a fresh copy: the running stats may change later
      std = runningVar!.reshape(pshape).add(eps).sqrt();
    }
    let y = input.sub(mean).div(std);
    if (weight) y = y.mul(weight.reshape(pshape));
    if (bias) y = y.add(bias.reshape(pshape));
    return [y, mean, std] as const;
  });
  record(op, [input, runningMean, runningVar, weight, bias], { training, eps }, [out, mean, std]);
  mean.dispose();
  std.dispose();
  return out;
}
