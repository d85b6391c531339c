import { Tensor, assertTensor, enableGrad, tidy, keep, zerosLike, type BackwardOptions } from '@tensorgrad/tensor';
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
  const captured = new Map<Tensor, Tensor>();
  const result = tidy(() => {
    const xs = inputs.map((t) => t.detach().requiresGrad_());
    const out = enableGrad(() => fn(...xs));
    assertTensor('grad', out, 'the output of fn');
    runBackward(out, options.gradOutput, options, (leaf, g) => {
      if (!xs.includes(leaf)) {
        g.dispose();
        return;
      }
      const prev = captured.get(leaf);
      if (prev) {
        captured.set(leaf, keep(prev.add(g)));
        prev.dispose();
        g.dispose();
      } else captured.set(leaf, keep(g));
    });
    return xs.map((x) => captured.get(x) ?? keep(zerosLike(x)));
  });
  return result;
}
