import { parseArgs, signature } from '../signature.js';
import {
  assertTensor,
  castUntracked,
  kernelTensor,
  record,
  resultTypeOf,
  runKernel,
  sameBackend,
  scalarTensor,
  wrapResult,
  type TensorOrScalar,
} from '../engine.js';
import type { DType } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';

function operandType(x: TensorOrScalar, y: TensorOrScalar): DType {
  if (x instanceof Tensor || y instanceof Tensor) return resultTypeOf(x, y);
  // two numbers: PyTorch gives an integer tensor for integers, else the default float dtype
  if (typeof x === 'boolean' && typeof y === 'boolean') return 'bool';
  return Number.isInteger(x) && Number.isInteger(y) ? 'int32' : 'float32';
}

/** `torch.where`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('where', []);

/**
 * Element-wise selection `condition ? input : other`, broadcasting all three like PyTorch.
 * `condition` must be a bool tensor; `input` and `other` may be tensors or numbers, and the
 * result has their promoted dtype. Differentiable in `input` and `other`.
 *
 * @example
 * ```ts
 * import { tensor, where } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([-1, 2, -3]);
 * await where(x.gt(0), x, 0).array(); // [0, 2, 0]
 * await where(tensor([[true], [false]]), tensor([1, 2]), -1).array(); // [[1, 2], [-1, -1]]
 * ```
 */
export function where(condition: Tensor, input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function where(condition: Tensor, input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('where', condition, 'condition');
  if (condition.dtype !== 'bool') {
    throw new TypeError(`where: expected condition to be a bool tensor, got ${condition.dtype}; build it with a comparison (x.gt(0)) or convert it with .bool()`);
  }
  for (const [v, name] of [[input, 'input'], [other, 'other']] as const) {
    if (!(v instanceof Tensor) && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`where: expected ${name} to be a Tensor or a number, got ${v === null ? 'null' : typeof v}`);
    }
  }
  const xT = input instanceof Tensor;
  const yT = other instanceof Tensor;
  const backend = sameBackend('where', [condition, xT ? input : null, yT ? other : null], ['condition', 'input', 'other']);
  const dtype = operandType(input, other);
  const tx = xT ? input : scalarTensor(input, dtype, backend);
  const ty = yT ? other : scalarTensor(other, dtype, backend);
  const cx = castUntracked('where', tx, dtype);
  const cy = castUntracked('where', ty, dtype);
  try {
    const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, tx.shape), ty.shape);
    const ctx = { backend, shape, dtype };
    const out = wrapResult(backend, runKernel('where', 'where', ctx, kernelTensor(condition, shape), kernelTensor(cx, shape), kernelTensor(cy, shape), {}));
    record('where', [condition, tx, ty], {}, [out]);
    return out;
  } finally {
    if (cx !== tx) cx.dispose();
    if (cy !== ty) cy.dispose();
    if (!xT) tx.dispose();
    if (!yT) ty.dispose();
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link where}: `x.where(condition, other)` is `where(condition, x, other)` (PyTorch's `Tensor.where`). */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.where = function (this: Tensor, condition: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (where as (...a: unknown[]) => Tensor)(condition, this, other, ...rest);
};
