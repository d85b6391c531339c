import { ge, minimum, nonzero, nonzeroAsync, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes } from './box-checks.js';

const REMOVE_SMALL = signature('removeSmallBoxes', ['minSize'], { required: 1 });
const REMOVE_SMALL_ASYNC = signature('removeSmallBoxesAsync', ['minSize'], { required: 1 });

/** Options of {@link removeSmallBoxes} (torchvision's keyword). */
export interface RemoveSmallBoxesOptions {
  /** The smallest width and height a box may have to be kept. */
  minSize: number;
}

function keepMask(op: string, boxes: unknown, minSize: unknown): Tensor {
  checkBoxes(op, 'boxes', boxes);
  if (typeof minSize !== 'number' || Number.isNaN(minSize)) {
    throw new TypeError(`${op}: expected minSize to be a number, got ${String(minSize)}; e.g. { minSize: 1e-3 }`);
  }
  return tidy(() => {
    const ws = sub(boxes.select(1, 2), boxes.select(1, 0));
    const hs = sub(boxes.select(1, 3), boxes.select(1, 1));
    // (ws >= minSize) & (hs >= minSize); a NaN side is never kept
    return ge(minimum(ws, hs), minSize);
  });
}

/**
 * torchvision's `ops.remove_small_boxes`: the int32 indices (increasing) of the boxes of `boxes`
 * (`[N, 4]`, `xyxy`) whose width and height are both at least `minSize` → `[K]`. Boxes with
 * `x2 < x1` have a negative width and are removed for any `minSize > 0` (kept for a negative
 * `minSize` small enough, as in torchvision); a box with a NaN coordinate is removed.
 *
 * The number of kept boxes depends on the data, so it is read back synchronously (like
 * `nonzero`): on a backend that can only read asynchronously (WebGPU) this throws a
 * `NotSupportedError`; use {@link removeSmallBoxesAsync} there.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { removeSmallBoxes } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [0, 0, 0.5, 10], [5, 5, 7, 6], [3, 0, 1, 5]]);
 * await removeSmallBoxes(boxes, { minSize: 1 }).array(); // [0, 2]
 * await removeSmallBoxes(boxes, 0.1).array(); // [0, 1, 2]
 * ```
 */
export function removeSmallBoxes(boxes: Tensor, options: RemoveSmallBoxesOptions): Tensor;
export function removeSmallBoxes(boxes: Tensor, minSize: number): Tensor;
export function removeSmallBoxes(boxes: Tensor, ...rest: unknown[]): Tensor {
  const a = parseArgs(REMOVE_SMALL, rest);
  const keep = keepMask('removeSmallBoxes', boxes, a.minSize);
  try {
    return tidy(() => nonzero(keep).reshape(-1));
  } finally {
    keep.dispose();
  }
}

/**
 * The asynchronous form of {@link removeSmallBoxes}, for backends that can only read back
 * asynchronously (WebGPU); same arguments and result.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { removeSmallBoxesAsync } from '@tensorgrad/vision';
 * const boxes = tensor([[0, 0, 10, 10], [0, 0, 0.5, 10]]);
 * await (await removeSmallBoxesAsync(boxes, { minSize: 1 })).array(); // [0]
 * ```
 */
export async function removeSmallBoxesAsync(boxes: Tensor, options: RemoveSmallBoxesOptions): Promise<Tensor>;
export async function removeSmallBoxesAsync(boxes: Tensor, minSize: number): Promise<Tensor>;
export async function removeSmallBoxesAsync(boxes: Tensor, ...rest: unknown[]): Promise<Tensor> {
  const a = parseArgs(REMOVE_SMALL_ASYNC, rest);
  const keep = keepMask('removeSmallBoxesAsync', boxes, a.minSize);
  try {
    const idx = await nonzeroAsync(keep);
    try {
      return idx.reshape(-1);
    } finally {
      idx.dispose();
    }
  } finally {
    keep.dispose();
  }
}
