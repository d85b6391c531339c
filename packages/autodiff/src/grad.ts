import { Tensor, adopt, enableGrad, tidy, keep, zerosLike, type BackwardOptions } from '@tensorgrad/tensor';
import { assertTensor } from '@tensorgrad/tensor/backend';
import { runBackward } from './backward.js';

/**
 * Gradients of the scalar `fn(...inputs)` with respect to each input, without touching any
 * `.grad` (functional, like `torch.autograd.grad`). Inputs that do not influence the output get
 * zero gradients. The result tensors are owned by the caller.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { grad } from '@tensorgrad/autodiff';
 * const [dx] = grad((x) => x.mul(x).sum(), [tensor([1, 2, 3])]);
 * await dx.array(); // [2, 4, 6]
 * ```
 */
export function grad(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: BackwardOptions & { gradOutput?: Tensor } = {}): Tensor[] {
  inputs.forEach((t, i) => assertTensor('grad', t, `inputs[${i}]`));
  const captured = new Map<number, Tensor>();
  tidy(() => {
    const xs = inputs.map((t) => t.detach().requiresGrad_());
    const out = enableGrad(() => fn(...xs));
    assertTensor('grad', out, 'the output of fn');
    runBackward(out, options.gradOutput, options, (leaf, g) => {
      const i = xs.indexOf(leaf);
      if (i < 0) {
        g.dispose();
        return;
      }
      const prev = captured.get(i);
      if (prev) {
        captured.set(i, keep(prev.add(g)));
        prev.dispose();
        g.dispose();
      } else captured.set(i, keep(g));
    });
  });
  // the results belong to the caller (and to the caller's tidy scope, if any)
  return inputs.map((x, i) => {
    const g = captured.get(i);
    return g ? adopt(g) : zerosLike(x);
  });
}
