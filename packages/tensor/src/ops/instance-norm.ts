import { parseArgs, signature } from '../signature.js';
import { isFloating } from '../dtype.js';
import { assertTensor, sameBackend } from '../engine.js';
import { noGrad } from '../autograd-core.js';
import { tidy } from '../scope.js';
import { batchNorm } from './batch-norm.js';
import { formatShape } from '../shape.js';
import { optionalTensors } from '../args.js';
import type { Tensor } from '../tensor.js';
import '../inplace/copy_.js';
import './clone.js';
import './expand.js';
import './mean.js';
import './reshape.js';

/** Options of {@link instanceNorm}. */
export interface InstanceNormOptions {
  /** Normalise each instance with its own statistics (default `true`); `false` uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running-statistics update (default 0.1). */
  momentum?: number;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/**
 * `F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
 * use_input_stats=True, momentum=0.1, eps=1e-05)`.
 */
const SIG = signature('instanceNorm', ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);

function repeatChannels(t: Tensor, n: number): Tensor {
  const c = t.shape[0]!;
  const v = t.reshape([1, c]);
  const e = v.expand([n, c]);
  const r = e.reshape([n * c]);
  v.dispose(); // the tape keeps what it needs
  e.dispose();
  return r;
}

/**
 * Instance normalisation (PyTorch's `F.instance_norm`): each channel of each sample of an
 * `[N, C, *]` input is normalised with its own mean and biased variance over the spatial dims,
 * then scaled by `weight` and shifted by `bias` (`[C]`, optional). With `runningMean` and
 * `runningVar` (`[C]`) and `useInputStats` (the default) they are updated in place with the
 * average over the batch of the instance statistics (unbiased variance, factor `momentum`);
 * with `useInputStats: false` the running statistics normalise instead. As in PyTorch it is
 * {@link batchNorm} over the input viewed as `[1, N·C, *]`, so it is differentiable on every
 * backend.
 *
 * @example
 * ```ts
 * import { instanceNorm, tensor, zeros, ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[1, 3], [10, 30]]]); // [N=1, C=2, L=2]
 * await instanceNorm(x, { eps: 0 }).array(); // [[[-1, 1], [-1, 1]]]
 * const rm = zeros([2]);
 * instanceNorm(x, rm, ones([2]), { momentum: 0.5 });
 * await rm.array(); // [1, 10]
 * ```
 */
export function instanceNorm(
  input: Tensor,
  runningMean?: Tensor | null | InstanceNormOptions,
  runningVar?: Tensor | null | InstanceNormOptions,
  weight?: Tensor | null | InstanceNormOptions,
  bias?: Tensor | null | InstanceNormOptions,
  useInputStats?: boolean | InstanceNormOptions,
  momentum?: number | InstanceNormOptions,
  eps?: number | InstanceNormOptions,
): Tensor;
export function instanceNorm(input: Tensor, ...args: unknown[]): Tensor {
  const op = 'instanceNorm';
  assertTensor(op, input);
  const { runningMean: rm, runningVar: rv, weight: w, bias: b, ...o } = parseArgs(SIG, args) as InstanceNormOptions &
    Record<'runningMean' | 'runningVar' | 'weight' | 'bias', unknown>;
  const [runningMean, runningVar, weight, bias] = optionalTensors(op, [rm, rv, w, b], ['runningMean', 'runningVar', 'weight', 'bias']);
  sameBackend(op, [input, runningMean, runningVar, weight, bias], ['input', 'runningMean', 'runningVar', 'weight', 'bias']);
  const useInputStats = o.useInputStats ?? true;
  if (typeof useInputStats !== 'boolean') throw new TypeError(`${op}: expected useInputStats to be a boolean, got ${String(useInputStats)}`);
  const momentum = o.momentum ?? 0.1;
  if (typeof momentum !== 'number' || !Number.isFinite(momentum)) throw new TypeError(`${op}: expected momentum to be a finite number, got ${String(momentum)}`);
  const eps = o.eps ?? 1e-5;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new TypeError(`${op}: expected eps to be a finite number >= 0, got ${String(eps)}`);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of shape [N, C, *], got shape ${formatShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) {
      throw new RangeError(`${op}: expected ${name} of shape [${c}] (the input's channels), got ${formatShape(t.shape)} for input of shape ${formatShape(input.shape)}`);
    }
  }
  if ((runningMean === null) !== (runningVar === null)) {
    throw new TypeError(`${op}: pass both runningMean and runningVar or neither (got only ${runningMean ? 'runningMean' : 'runningVar'})`);
  }
  if (!useInputStats && !runningMean) {
    throw new TypeError(`${op}: runningMean and runningVar must be given with useInputStats: false; pass them, or use the input statistics`);
  }
  if (useInputStats && input.shape.slice(2).reduce((a, d) => a * d, 1) === 1) {
    throw new RangeError(`${op}: expected more than 1 spatial element when using the input statistics, got input of shape ${formatShape(input.shape)}`);
  }
  const rest = input.shape.slice(2);
  const flat = input.reshape([1, n * c, ...rest]);
  const rmRep = runningMean ? noGrad(() => tidy(() => repeatChannels(runningMean, n).clone())) : null;
  const rvRep = runningVar ? noGrad(() => tidy(() => repeatChannels(runningVar, n).clone())) : null;
  const wRep = weight ? repeatChannels(weight, n) : null;
  const bRep = bias ? repeatChannels(bias, n) : null;
  const normed = batchNorm(flat, rmRep, rvRep, wRep, bRep, { training: useInputStats, momentum, eps });
  const out = normed.reshape(input.shape);
  if (useInputStats && runningMean && runningVar) {
    noGrad(() =>
      tidy(() => {
        runningMean.copy_(rmRep!.reshape([n, c]).mean({ dim: 0 }));
        runningVar.copy_(rvRep!.reshape([n, c]).mean({ dim: 0 }));
      }),
    );
  }
  for (const t of [flat, rmRep, rvRep, wRep, bRep, normed]) t?.dispose(); // the tape keeps what it needs
  return out;
}
