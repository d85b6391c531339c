import { Tensor, isFloating, noGrad, tidy, type TypedArray } from '@tensorgrad/tensor';
import { assertTensor, fromArray } from '@tensorgrad/tensor/backend';
import { grad } from './grad.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-6. */
  eps?: number;
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance. Default 1e-3. */
  rtol?: number;
  /** Throw on mismatch (default) or return `false`. */
  raiseException?: boolean;
}

function replace(t: Tensor, values: TypedArray): Tensor {
  return fromArray(t.backendInstance, values, t.shape, t.dtype);
}

/**
 * Checks the analytical gradients of `fn` (from `backward`) against central finite differences
 * `(f(x + eps) - f(x - eps)) / 2eps`, element by element, like `torch.autograd.gradcheck` and the
 * book's chapter 1. Use float64 inputs. Returns `true`, or throws (or returns `false` with
 * `raiseException: false`) naming the input, element and both values.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { gradcheck } from '@tensorgrad/autodiff';
 * const x = tensor([0.5, -1.5, 2], { dtype: 'float64' });
 * gradcheck((x) => x.mul(x).sum(), [x]); // true
 * ```
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const raise = options.raiseException ?? true;
  inputs.forEach((t, i) => {
    assertTensor('gradcheck', t, `inputs[${i}]`);
    if (!isFloating(t.dtype)) throw new TypeError(`gradcheck: inputs[${i}] must be floating point, got ${t.dtype}`);
  });
  const hostInputs = inputs.map((t) => t.dataSync());
  const outSize = noGrad(() => tidy(() => fn(...inputs).numel()));
  for (let o = 0; o < outSize; o++) {
    // analytical row o of the Jacobian: gradient of out[o]
    const analytical = grad((...xs) => fn(...xs).reshape(-1).select(0, o), inputs).map((g) => {
      const values = g.dataSync();
      g.dispose();
      return values;
    });
    for (let i = 0; i < inputs.length; i++) {
      const base = hostInputs[i]!;
      for (let k = 0; k < base.length; k++) {
        const evalAt = (delta: number): number =>
          noGrad(() =>
            tidy(() => {
              const v = base.slice();
              v[k] = v[k]! + delta;
              const xs = inputs.map((t, j) => (j === i ? replace(t, v) : t));
              return Number(fn(...xs).reshape(-1).select(0, o).itemSync());
            }),
          );
        const numeric = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
        const a = analytical[i]![k]!;
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
          const msg =
            `gradcheck: Jacobian mismatch for output ${o} with respect to inputs[${i}] element ${k}: ` +
            `analytical ${a}, numerical ${numeric} (atol ${atol}, rtol ${rtol})`;
          if (raise) throw new Error(msg);
          return false;
        }
      }
    }
  }
  return true;
}
