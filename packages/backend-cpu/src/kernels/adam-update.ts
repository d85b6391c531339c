import type { KernelMap } from '@tensorgrad/tensor';
import { numbers } from '../util.js';

/**
 * A fused Adam/AdamW step over contiguous tensors: one pass over memory instead of about a dozen
 * element-wise ops with their temporaries. It rounds every intermediate to the storage dtype
 * exactly where the op-by-op update does (float32 scalars, float32 results), so both give the same
 * bits.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, tensor, zerosLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const p = tensor([1, 2]);
 * const g = tensor([0.5, -1]);
 * const [m, v] = [zerosLike(p), zerosLike(p)];
 * getBackend().kernels.adamUpdate_!(kernelTensor(p), kernelTensor(g), kernelTensor(m), kernelTensor(v), null,
 *   { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1, maximize: false });
 * await m.array(); // [0.05000000074505806, -0.10000000149011612]
 * ```
 */
export const adamUpdate_: KernelMap['adamUpdate_'] = (param, grad, expAvg, expAvgSq, maxExpAvgSq, o) => {
  const f32 = param.dtype === 'float32';
  // rounding through a branch, not a variable holding Math.fround or an identity: a call site
  // that sees two functions is not inlined and runs ~10x slower
  const f = (x: number): number => (f32 ? Math.fround(x) : x);
  const P = numbers(param), G = numbers(grad), M = numbers(expAvg), V = numbers(expAvgSq);
  const X = maxExpAvgSq ? numbers(maxExpAvgSq) : null;
  const po = param.offset, go = grad.offset, mo = expAvg.offset, vo = expAvgSq.offset, xo = maxExpAvgSq ? maxExpAvgSq.offset : 0;
  const n = param.shape.reduce((a, b) => a * b, 1);
  const decay = o.decoupled ? f(1 - o.lr * o.weightDecay) : 1;
  const wd = !o.decoupled && o.weightDecay !== 0 ? f(o.weightDecay) : 0;
  const b1 = f(o.beta1), c1 = f(1 - o.beta1);
  const b2 = f(o.beta2), c2 = f(1 - o.beta2);
  const bc2Sqrt = f(Math.sqrt(1 - o.beta2 ** o.step));
  const eps = f(o.eps);
  const negStep = f(-(o.lr / (1 - o.beta1 ** o.step)));
  const sign = o.maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    let p = P[po + i]!;
    let g = sign * G[go + i]!;
    if (o.decoupled) p = f(p * decay);
    else if (wd !== 0) g = f(g + f(p * wd));
    const m = f(f(M[mo + i]! * b1) + f(g * c1));
    const v = f(f(V[vo + i]! * b2) + f(f(g * g) * c2));
    M[mo + i] = m;
    V[vo + i] = v;
    let second = v;
    if (X) {
      const prev = X[xo + i]!;
      second = prev >= v ? prev : v;
      X[xo + i] = second;
    }
    const denom = f(f(f(Math.sqrt(second)) / bc2Sqrt) + eps);
    P[po + i] = f(p + f(f(m / denom) * negStep));
  }
};
