import { cat, clamp, div, full, isFloating, max, min, pad, stack, sub, Tensor, tidy } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';

/** Options of {@link makeGrid} (torchvision's keywords in camelCase). */
export interface MakeGridOptions {
  /** Images per row of the grid (default 8). */
  nrow?: number;
  /** Pixels of `padValue` around and between the images (default 2). */
  padding?: number;
  /** Scale the values to `[0, 1]` (by `valueRange`, or by the min and max of the images; default false). */
  normalize?: boolean;
  /** `[low, high]` for `normalize`: values are clamped to it and mapped to `[0, 1]`. */
  valueRange?: readonly [number, number];
  /** With `normalize`, scale each image by its own min and max instead of the batch's (default false). */
  scaleEach?: boolean;
  /** The value of the padding (default 0). */
  padValue?: number;
}

const MAKE_GRID = signature('makeGrid', ['tensor', 'nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'], { required: 1 });

function int(name: string, v: unknown, fallback: number, least: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < least) throw new RangeError(`makeGrid: expected ${name} to be an integer ≥ ${least}, got ${String(v)}`);
  return v;
}

/** Clamps to `[low, high]` and maps to `[0, 1]` (torchvision's `norm_ip`); low/high numbers or tensors. */
function scaleTo01(x: Tensor, low: number | Tensor, high: number | Tensor): Tensor {
  if (typeof low === 'number' && typeof high === 'number') {
    return div(sub(clamp(x, { min: low, max: high }), low), Math.max(high - low, 1e-5));
  }
  // low/high are the min/max of x itself: clamping would change nothing
  return div(sub(x, low), clamp(sub(high, low), { min: 1e-5 }));
}

/**
 * torchvision's `utils.make_grid`: lays a batch of images `[B, C, H, W]` (or a list of `[C, H, W]`
 * images) out in a grid `[C, rows·(H + padding) + padding, nrow·(W + padding) + padding]`, row
 * by row, with `padding` pixels of `padValue` around and between them. One-channel images are
 * repeated to 3 channels; a single image `[C, H, W]` (or `[H, W]`) is returned as is (after that).
 * With `normalize: true` the values are mapped to `[0, 1]`: clamped to `valueRange` and scaled
 * from it, or scaled from the min and max of the batch (of each image with `scaleEach: true`).
 * Works on every backend and dtype (`normalize` needs floats); gradients flow through it.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { ones, zeros } from '@tensorgrad/tensor';
 * import { makeGrid } from '@tensorgrad/vision';
 * const batch = ones([3, 1, 2, 2]); // three white 2×2 gray images
 * const grid = makeGrid(batch, { nrow: 2, padding: 1 });
 * grid.shape; // [3, 7, 7]
 * (await grid.select(0, 0).array())[1]; // [0, 1, 1, 0, 1, 1, 0]
 * (await grid.select(0, 0).array())[4]; // [0, 1, 1, 0, 0, 0, 0]
 * // normalize: the batch's min and max map to 0 and 1
 * await makeGrid(zeros([2, 1, 1, 1]).add(5), { padding: 0, normalize: true, valueRange: [0, 10] }).array(); // [[[0.5, 0.5]], [[0.5, 0.5]], [[0.5, 0.5]]]
 * ```
 */
export function makeGrid(tensor: Tensor | readonly Tensor[], options?: MakeGridOptions): Tensor;
export function makeGrid(
  tensor: Tensor | readonly Tensor[],
  nrow?: number,
  padding?: number,
  normalize?: boolean,
  valueRange?: readonly [number, number],
  scaleEach?: boolean,
  padValue?: number,
): Tensor;
export function makeGrid(...args: unknown[]): Tensor {
  const a = parseArgs(MAKE_GRID, args);
  const input = a.tensor;
  const list = Array.isArray(input);
  if (list ? input.length === 0 || !input.every((t) => t instanceof Tensor) : !(input instanceof Tensor)) {
    throw new TypeError(`makeGrid: expected a tensor [B, C, H, W] or a non-empty list of [C, H, W] tensors, got ${list ? 'a list with a non-tensor or nothing in it' : input === null ? 'null' : typeof input}`);
  }
  const nrow = int('nrow', a.nrow, 8, 1);
  const padding = int('padding', a.padding, 2, 0);
  const normalize = a.normalize ?? false;
  const scaleEach = a.scaleEach ?? false;
  const padValue = a.padValue ?? 0;
  if (typeof normalize !== 'boolean' || typeof scaleEach !== 'boolean') throw new TypeError(`makeGrid: expected normalize and scaleEach to be booleans, got ${String(normalize)} and ${String(scaleEach)}`);
  if (typeof padValue !== 'number' || Number.isNaN(padValue)) throw new TypeError(`makeGrid: expected padValue to be a number, got ${String(padValue)}`);
  const range = a.valueRange as unknown;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new TypeError(`makeGrid: expected valueRange to be a pair [low, high] of finite numbers, got ${JSON.stringify(range)}`);
  }
  const valueRange = range as [number, number] | undefined;
  return tidy(() => {
    let x = list ? stack(input as Tensor[], 0) : (input as Tensor);
    if (x.ndim === 2) x = x.unsqueeze(0);
    if (x.ndim === 3) {
      if (x.shape[0] === 1) x = cat([x, x, x], 0);
      x = x.unsqueeze(0);
    }
    if (x.ndim !== 4) throw new RangeError(`makeGrid: expected images [B, C, H, W] (or [C, H, W], [H, W]), got shape [${x.shape.join(', ')}]`);
    if (x.shape[1] === 1) x = cat([x, x, x], 1);
    if (normalize) {
      if (!isFloating(x.dtype)) throw new TypeError(`makeGrid: normalize needs a floating point tensor, got ${x.dtype}; convert with .float()`);
      if (valueRange !== undefined) x = scaleTo01(x, valueRange[0], valueRange[1]);
      else if (scaleEach) {
        const flat = x.reshape(x.shape[0]!, -1);
        const lo = min(flat, { dim: 1, keepdim: true }).values.reshape(-1, 1, 1, 1);
        const hi = max(flat, { dim: 1, keepdim: true }).values.reshape(-1, 1, 1, 1);
        x = scaleTo01(x, lo, hi);
      } else x = scaleTo01(x, min(x), max(x));
    }
    const [b, c, h, w] = x.shape as [number, number, number, number];
    if (b === 1) return x.squeeze(0);
    const xmaps = Math.min(nrow, b);
    const ymaps = Math.ceil(b / xmaps);
    // each cell: `padding` rows/columns of padValue before the image (top, left)
    let cells = pad(x, [padding, 0, padding, 0], { value: padValue });
    if (ymaps * xmaps > b) {
      const blank = full([1, c, h + padding, w + padding], padValue, { dtype: x.dtype, backend: x.backend });
      cells = cat([cells, ...new Array<Tensor>(ymaps * xmaps - b).fill(blank)], 0);
    }
    const ch = h + padding;
    const cw = w + padding;
    const grid = cells.reshape(ymaps, xmaps, c, ch, cw).permute(2, 0, 3, 1, 4).reshape(c, ymaps * ch, xmaps * cw);
    return pad(grid, [0, padding, 0, padding], { value: padValue });
  });
}
