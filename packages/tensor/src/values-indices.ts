/**
 * PyTorch's `(values, indices)` named tuples (`torch.return_types.max`, `min`, `sort`, `topk`, …)
 * as one TypeScript value that both destructures and has named fields.
 */
import type { Tensor } from './tensor.js';

/**
 * A pair of tensors that destructures like PyTorch's named tuple, `const [values, indices] =
 * x.max(1)`, and also has `.values` and `.indices`. It is a frozen two-element array: `length`
 * is 2, it iterates over `values` then `indices`, and the named fields are not enumerable (so
 * spreading or `Object.values` gives each tensor once).
 */
export type ValuesIndices = readonly [values: Tensor, indices: Tensor] & {
  /** The selected values (`max`/`min` along a dim, the sorted values, …). */
  readonly values: Tensor;
  /** Where each value came from (int32 indices). */
  readonly indices: Tensor;
};

/**
 * Makes a {@link ValuesIndices} pair; ops that return PyTorch's `(values, indices)` named tuples
 * build their result with it.
 *
 * @example
 * ```ts
 * import { tensor, valuesIndices } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const r = valuesIndices(tensor([5, 7]), tensor([1, 0], { dtype: 'int32' }));
 * const [values, indices] = r;
 * await values.array(); // [5, 7]
 * await r.indices.array(); // [1, 0]
 * r.length; // 2
 * Object.isFrozen(r); // true
 * ```
 */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  const pair = [values, indices];
  Object.defineProperties(pair, {
    values: { value: values, enumerable: false },
    indices: { value: indices, enumerable: false },
  });
  return Object.freeze(pair) as unknown as ValuesIndices;
}
