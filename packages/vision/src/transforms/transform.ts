import type { Tensor } from '@tensorgrad/tensor';
import { CallableInstance } from '@tensorgrad/tensor/backend';

/**
 * The base of the transform classes (torchvision's `transforms.*`): an instance is callable like
 * a function — `t(img)` runs `t.call(img)`, which runs `forward(img)` — as torchvision's
 * transforms are, so they compose with `Compose`, `RandomApply` and plain functions.
 * `toString()` prints like torchvision's `repr`. The built-in transforms always return a new
 * tensor (a copy when nothing changes, e.g. a flip that did not happen), never their input, so
 * every result can be disposed.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Transform } from '@tensorgrad/vision';
 * class Invert extends Transform {
 *   forward(img: Tensor): Tensor {
 *     return img.neg().add(1);
 *   }
 *   override toString(): string {
 *     return 'Invert()';
 *   }
 * }
 * const t = new Invert();
 * await t(tensor([[[0, 0.25]]])).array(); // [[[1, 0.75]]]
 * String(t); // 'Invert()'
 * ```
 */
export abstract class Transform extends CallableInstance {
  /** Applies the transform to an image `[..., C, H, W]` (a batch gets one random draw). */
  abstract forward(img: Tensor): Tensor;

  /** Same as {@link Transform.forward} (`t(img)` calls it). */
  call(img: Tensor): Tensor {
    return this.forward(img);
  }

  /** torchvision's `repr` of the transform. */
  abstract override toString(): string;
}

export interface Transform {
  /** Calling a transform runs {@link Transform.call}: `t(img)`. */
  (img: Tensor): Tensor;
}

/** Indents a nested transform's repr for a container's repr (torchvision's four spaces). */
export function nested(items: readonly unknown[]): string {
  return items.map((t) => `\n    ${String(t)}`).join('');
}
