import { parseArgs, signature } from '../signature.js';
import { isFloating } from '../dtype.js';
import { assertTensor, kernelTensor } from '../engine.js';
import { noGrad } from '../autograd-core.js';
import { formatShape, shapesEqual } from '../shape.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';
import './add_.js';
import './mul_.js';
import './copy_.js';

/** Hyper-parameters of one {@link adamUpdate_} call (PyTorch's Adam/AdamW options, resolved). */
export interface AdamUpdateOptions {
  /** Learning rate. */
  lr: number;
  /** Coefficient of the running average of the gradient. */
  beta1: number;
  /** Coefficient of the running average of the squared gradient. */
  beta2: number;
  /** Term added to the denominator. */
  eps: number;
  /** Weight decay (an L2 term added to the gradient, or decoupled when `decoupled`). */
  weightDecay: number;
  /** AdamW's decoupled weight decay: `param *= 1 - lr·weightDecay` before the update. */
  decoupled: boolean;
  /** The step number after this update (1 on the first step), for the bias corrections. */
  step: number;
  /** Ascend instead of descend (the gradient is negated). */
  maximize: boolean;
}

function check(name: string, t: Tensor, param: Tensor): void {
  assertTensor('adamUpdate_', t, name);
  if (!shapesEqual(t.shape, param.shape) || t.dtype !== param.dtype) {
    throw new TypeError(
      `adamUpdate_: ${name} must have the parameter's shape ${formatShape(param.shape)} and dtype ${param.dtype}, ` +
        `got ${formatShape(t.shape)} ${t.dtype}; create optimizer state with zerosLike(param)`,
    );
  }
  if (t.backend !== param.backend) {
    throw new Error(`adamUpdate_: ${name} is on backend '${t.backend}' but the parameter is on '${param.backend}'; move the state with toAsync first`);
  }
}

/** The keyword options of {@link adamUpdate_}, all required. */
const ADAM = signature('adamUpdate_', ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'decoupled', 'step', 'maximize'], { required: 8 });

/**
 * One Adam / AdamW update of a parameter, in place: updates `expAvg`, `expAvgSq` (and
 * `maxExpAvgSq` for AMSGrad) and `param` exactly as PyTorch's `torch.optim.Adam`/`AdamW` do for one
 * tensor. Backends with an `adamUpdate_` kernel (the CPU backend) do it in one pass over memory;
 * elsewhere, and for non-contiguous tensors, it runs as a sequence of in-place tensor ops. Not
 * recorded for autodiff (optimizers call it under `noGrad`).
 *
 * @example
 * ```ts
 * import { adamUpdate_, tensor, zerosLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const p = tensor([1, 2], { dtype: 'float64' });
 * const g = tensor([0.5, -1], { dtype: 'float64' });
 * const m = zerosLike(p);
 * const v = zerosLike(p);
 * adamUpdate_(p, g, m, v, null, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1, maximize: false });
 * // the first Adam step moves every coordinate by lr against the sign of its gradient
 * (await p.array()).map((x) => Math.round(x * 1e6) / 1e6); // [0.9, 2.1]
 * ```
 */
export function adamUpdate_(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  maxExpAvgSq: Tensor | null,
  options: AdamUpdateOptions,
): void;
export function adamUpdate_(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  maxExpAvgSq: Tensor | null,
  ...args: unknown[]
): void {
  const options = parseArgs(ADAM, args) as unknown as AdamUpdateOptions;
  assertTensor('adamUpdate_', param, 'param');
  if (!isFloating(param.dtype)) {
    throw new TypeError(`adamUpdate_: the parameter must be a floating-point tensor, got ${param.dtype}; Adam only updates float parameters`);
  }
  check('grad', grad, param);
  check('expAvg', expAvg, param);
  check('expAvgSq', expAvgSq, param);
  if (maxExpAvgSq) check('maxExpAvgSq', maxExpAvgSq, param);
  if (!Number.isInteger(options.step) || options.step < 1) {
    throw new RangeError(`adamUpdate_: step must be a positive integer (the step number after this update), got ${options.step}`);
  }
  const tensors = maxExpAvgSq ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq];
  const kernel = param.backendInstance.kernels.adamUpdate_;
  const backend = param.backendInstance;
  if (kernel && backend.dtypes.includes(param.dtype) && tensors.every((t) => t.isContiguous())) {
    const ctx = { backend, shape: param.shape, dtype: param.dtype };
    kernel(ctx, kernelTensor(param), kernelTensor(grad), kernelTensor(expAvg), kernelTensor(expAvgSq), maxExpAvgSq ? kernelTensor(maxExpAvgSq) : null, options);
    return;
  }
  noGrad(() => adamDecomposed(param, grad, expAvg, expAvgSq, maxExpAvgSq, options));
}

// The same update as a sequence of tensor ops (PyTorch's single-tensor Adam, op for op).
function adamDecomposed(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null, o: AdamUpdateOptions): void {
  const temps: Tensor[] = [];
  const t = (x: Tensor): Tensor => {
    temps.push(x);
    return x;
  };
  try {
    let g = o.maximize ? t(grad.neg()) : grad;
    if (o.decoupled) param.mul_(1 - o.lr * o.weightDecay);
    else if (o.weightDecay !== 0) g = t(g.add(param, { alpha: o.weightDecay }));
    expAvg.mul_(o.beta1).add_(g, { alpha: 1 - o.beta1 });
    expAvgSq.mul_(o.beta2).add_(t(g.mul(g)), { alpha: 1 - o.beta2 });
    const stepSize = o.lr / (1 - o.beta1 ** o.step);
    const bc2Sqrt = Math.sqrt(1 - o.beta2 ** o.step);
    let second = expAvgSq;
    if (maxExpAvgSq) {
      maxExpAvgSq.copy_(t(where(t(maxExpAvgSq.ge(expAvgSq)), maxExpAvgSq, expAvgSq)));
      second = maxExpAvgSq;
    }
    const denom = t(t(t(second.sqrt()).div(bc2Sqrt)).add(o.eps));
    param.add_(t(expAvg.div(denom)), { alpha: -stepSize });
  } finally {
    for (const x of temps) x.dispose();
  }
}
