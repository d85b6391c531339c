import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { broadcastShapes, shapeSize, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { countNonzeroAsync, countNonzeroSync, nonzeroStatic } from './nonzero.js';
import './expand.js';
import './reshape.js';
import './index-select.js';

function checkArgs(op: string, input: unknown, mask: unknown): Shape {
  assertTensor(op, input);
  assertTensor(op, mask, 'mask');
  if (mask.dtype !== 'bool') {
    throw new TypeError(`${op}: expected mask to be a bool tensor, got ${mask.dtype}; build it with a comparison (x.gt(0)) or convert it with .bool()`);
  }
  sameBackend(op, [input, mask], ['input', 'mask']);
  return broadcastShapes(op, input.shape, mask.shape);
}

/**
 * The flat positions of the first `count` true elements of `mask` broadcast to `shape`, as an
 * int32 `[count]` tensor (no read back).
 * @internal
 */
export function maskPositions(mask: Tensor, shape: Shape, count: number): Tensor {
  return decompose(() => nonzeroStatic(mask.expand([...shape]).reshape([shapeSize(shape)]), { size: count }).reshape([count]));
}

function select(input: Tensor, mask: Tensor, shape: Shape, count: number): Tensor {
  const out = decompose(() => {
    const idx = maskPositions(mask, shape, count);
    return input.expand([...shape]).reshape([shapeSize(shape)]).indexSelect(0, idx);
  });
  record('maskedSelect', [input, mask], {}, [out]);
  return out;
}

/**
 * PyTorch's `torch.masked_select(x, mask)`: the elements of `input` where the bool `mask` is true,
 * as a 1-D tensor in row-major order; `input` and `mask` broadcast together. Differentiable in
 * `input` (the gradient goes back to the selected positions; broadcast positions add up). The
 * length depends on the data and is read back synchronously: on a backend that can only read
 * asynchronously (WebGPU) this throws a `NotSupportedError` of kind `'sync-read'`; use
 * `await maskedSelectAsync(x, mask)` there.
 *
 * @example
 * ```ts
 * import { tensor, maskedSelect } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await maskedSelect(x, x.gt(1)).array(); // [2, 3, 4]
 * await x.maskedSelect(tensor([false, true])).array(); // [2, 4]
 * ```
 */
export function maskedSelect(input: Tensor, mask: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(signature('maskedSelect', []), rest);
  const shape = checkArgs('maskedSelect', input, mask);
  const expanded = mask.expand([...shape]);
  let k: number;
  try {
    k = countNonzeroSync('maskedSelect', expanded, 'await maskedSelectAsync(x, mask)');
  } finally {
    expanded.dispose();
  }
  return select(input, mask, shape, k);
}

/**
 * {@link maskedSelect} on every backend: reads the number of selected elements asynchronously,
 * then selects them on the backend. Differentiable in `input`.
 *
 * @example
 * ```ts
 * import { tensor, maskedSelectAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([5, 6, 7]);
 * await (await maskedSelectAsync(x, x.ne(6))).array(); // [5, 7]
 * await (await x.maskedSelectAsync(x.gt(5))).array(); // [6, 7]
 * ```
 */
export async function maskedSelectAsync(input: Tensor, mask: Tensor, ...rest: unknown[]): Promise<Tensor> {
  parseArgs(signature('maskedSelectAsync', []), rest);
  const shape = checkArgs('maskedSelectAsync', input, mask);
  const expanded = mask.expand([...shape]);
  let k: number;
  try {
    k = await countNonzeroAsync(expanded);
  } finally {
    expanded.dispose();
  }
  return select(input, mask, shape, k);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link maskedSelect}. */
    maskedSelect(mask: Tensor): Tensor;
    /** Method form of {@link maskedSelectAsync}. */
    maskedSelectAsync(mask: Tensor): Promise<Tensor>;
  }
}
Tensor.prototype.maskedSelect = function (this: Tensor, mask: Tensor): Tensor {
  return maskedSelect(this, mask);
};
Tensor.prototype.maskedSelectAsync = function (this: Tensor, mask: Tensor): Promise<Tensor> {
  return maskedSelectAsync(this, mask);
};
