import { parseArgs, signature } from '../signature.js';
import { allocArray, isFloating } from '../dtype.js';
import { assertTensor, decompose, fromArray, record } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import './add.js';
import './index-select.js';
import './mul.js';
import './reshape.js';

/** Interpolation modes of {@link interpolate}. */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

/** Options of {@link interpolate}. */
export interface InterpolateOptions {
  /** Output spatial size (one number for every spatial dim, or one per dim). Give this or `scaleFactor`. */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (output = floor(input * scaleFactor)). Give this or `size`. */
  scaleFactor?: number | readonly number[];
  /**
   * `'nearest'` (default; PyTorch's legacy nearest: `src = floor(dst * scale)`), `'linear'`
   * (3-D input) or `'bilinear'` (4-D input).
   */
  mode?: InterpolateMode | string;
  /** Linear modes: align the corner pixels' centres of input and output (default `false`). */
  alignCorners?: boolean;
}

const SUPPORTED: Readonly<Record<string, number>> = { nearest: 0, linear: 3, bilinear: 4 };

function perDim(op: string, name: string, v: unknown, k: number, integer: boolean): number[] {
  const list = typeof v === 'number' ? Array.from({ length: k }, () => v) : Array.isArray(v) ? [...(v as number[])] : null;
  if (!list || list.length !== k || list.some((d) => typeof d !== 'number' || !Number.isFinite(d) || d <= 0 || (integer && !Number.isInteger(d)))) {
    throw new TypeError(
      `${op}: expected ${name} to be a positive ${integer ? 'integer' : 'number'} or a list of ${k} of them (one per spatial dim), got ${JSON.stringify(v)}`,
    );
  }
  return list;
}

/**
 * Per output position along one dim: source indices `i0`, `i1` and weights `l0`, `l1`
 * (nearest: `i0` only), PyTorch's `area_pixel_compute_source_index` / legacy nearest.
 */
function sourceIndex(mode: InterpolateMode, inSize: number, outSize: number, scaleFactor: number | null, alignCorners: boolean) {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const l0 = new Float64Array(outSize);
  const l1 = new Float64Array(outSize);
  if (mode === 'nearest') {
    const scale = scaleFactor !== null ? 1 / scaleFactor : inSize / outSize;
    for (let j = 0; j < outSize; j++) i0[j] = Math.min(Math.floor(j * scale), inSize - 1);
    return { i0, i1, l0, l1 };
  }
  let scale: number;
  if (alignCorners) scale = outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
  else scale = scaleFactor !== null ? 1 / scaleFactor : inSize / outSize;
  for (let j = 0; j < outSize; j++) {
    const src = alignCorners ? j * scale : Math.max((j + 0.5) * scale - 0.5, 0);
    const h = Math.min(Math.floor(src), inSize - 1);
    const lambda = Math.min(src - h, 1);
    i0[j] = h;
    i1[j] = h < inSize - 1 ? h + 1 : h;
    l1[j] = lambda;
    l0[j] = 1 - lambda;
  }
  return { i0, i1, l0, l1 };
}

/** `F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False)`. */
const SIG = signature('interpolate', ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor', 'antialias'], {
  unsupported: {
    recomputeScaleFactor: 'the output size is always computed from scaleFactor as PyTorch does by default; pass size instead',
    antialias: 'only nearest and bilinear without anti-aliasing are implemented',
  },
});

/**
 * Resizes the spatial dims of an `[N, C, H, W]` input (`'nearest'`, `'bilinear'`) or an
 * `[N, C, L]` input (`'nearest'`, `'linear'`) to `size`, or by `scaleFactor` (PyTorch's
 * `F.interpolate`; with `scaleFactor` the source coordinates use `1 / scaleFactor` like PyTorch's
 * default `recomputeScaleFactor: false`). Differentiable w.r.t. the input. Other modes
 * (`'bicubic'`, `'trilinear'`, `'area'`, `'nearest-exact'`) are not supported yet.
 *
 * @example
 * ```ts
 * import { interpolate, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * await interpolate(x, { scaleFactor: 2 }).array(); // [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]
 * await interpolate(x, { size: [1, 3], mode: 'bilinear', alignCorners: true }).array(); // [[[[1, 1.5, 2]]]]
 * ```
 */
export function interpolate(input: Tensor, options?: InterpolateOptions): Tensor;
export function interpolate(input: Tensor, ...args: unknown[]): Tensor {
  const options = parseArgs(SIG, args) as InterpolateOptions;
  const op = 'interpolate';
  assertTensor(op, input);
  const mode = options.mode ?? 'nearest';
  if (typeof mode !== 'string' || !(mode in SUPPORTED)) {
    // a wrong type or a wrong value of the argument, not a backend's limit (NotSupportedError)
    const Class = typeof mode === 'string' ? RangeError : TypeError;
    throw new Class(
      `${op}: mode '${String(mode)}' is not supported yet; supported modes are 'nearest' (3-D and 4-D input), 'linear' (3-D) and 'bilinear' (4-D)`,
    );
  }
  const m = mode as InterpolateMode;
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(
      `${op}: expected a 3-D [N, C, L] or 4-D [N, C, H, W] input, got shape ${formatShape(input.shape)}; ${input.ndim === 5 ? '5-D (trilinear / 3-D nearest) is not supported yet' : 'add the batch and channel dims with unsqueeze'}`,
    );
  }
  if (SUPPORTED[m]! !== 0 && SUPPORTED[m] !== input.ndim) {
    throw new RangeError(`${op}: got a ${input.ndim}-D input, but mode '${m}' needs a ${SUPPORTED[m]}-D input; use ${input.ndim === 3 ? "'linear'" : "'bilinear'"}`);
  }
  if (options.alignCorners !== undefined && m === 'nearest') {
    throw new TypeError(`${op}: the alignCorners option can only be set with the interpolating modes 'linear' and 'bilinear', got mode 'nearest'; leave it out`);
  }
  const alignCorners = options.alignCorners ?? false;
  if (typeof alignCorners !== 'boolean') throw new TypeError(`${op}: expected alignCorners to be a boolean, got ${String(alignCorners)}`);
  const k = input.ndim - 2;
  const inSizes = input.shape.slice(2);
  if ((options.size === undefined) === (options.scaleFactor === undefined)) {
    throw new TypeError(`${op}: give exactly one of size and scaleFactor, got ${options.size === undefined ? 'neither' : 'both'}`);
  }
  let size: number[];
  let scales: (number | null)[];
  if (options.size !== undefined) {
    size = perDim(op, 'size', options.size, k, true);
    scales = size.map(() => null);
  } else {
    scales = perDim(op, 'scaleFactor', options.scaleFactor, k, false);
    size = inSizes.map((d, i) => Math.floor(d * scales[i]!));
    if (size.some((d) => d < 1)) {
      throw new RangeError(`${op}: scaleFactor ${JSON.stringify(options.scaleFactor)} gives an empty output ${formatShape(size)} for input ${formatShape(input.shape)}`);
    }
  }
  const backend = input.backendInstance;
  const saved: Tensor[] = [];
  for (let i = 0; i < k; i++) {
    const dim = i + 2;
    const s = sourceIndex(m, inSizes[i]!, size[i]!, scales[i]!, alignCorners);
    const wshape = input.shape.map((_, j) => (j === dim ? size[i]! : 1));
    saved.push(fromArray(backend, s.i0, [size[i]!], 'int32', true));
    if (m !== 'nearest') {
      const w0 = allocArray(input.dtype, size[i]!);
      const w1 = allocArray(input.dtype, size[i]!);
      w0.set(s.l0);
      w1.set(s.l1);
      saved.push(fromArray(backend, s.i1, [size[i]!], 'int32', true));
      saved.push(fromArray(backend, w0, wshape, input.dtype, true));
      saved.push(fromArray(backend, w1, wshape, input.dtype, true));
    }
  }
  const per = m === 'nearest' ? 1 : 4;
  const out = decompose(() => {
    let y = input;
    for (let i = 0; i < k; i++) {
      const dim = i + 2;
      const [i0, i1, w0, w1] = saved.slice(i * per, i * per + per);
      y = m === 'nearest' ? y.indexSelect(dim, i0!) : y.indexSelect(dim, i0!).mul(w0!).add(y.indexSelect(dim, i1!).mul(w1!));
    }
    return y === input ? input.mul(1) : y;
  });
  record(op, [input], { size, mode: m, alignCorners }, [out, ...saved]);
  for (const t of saved) t.dispose();
  return out;
}
