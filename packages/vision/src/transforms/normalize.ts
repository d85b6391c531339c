import { div, isFloating, sub, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';

const NORMALIZE = signature('normalize', ['tensor', 'mean', 'std', 'inplace'], { required: 3 });

/** Options of {@link normalize} (torchvision's keywords). */
export interface NormalizeOptions {
  /** Per-channel means (one number per channel, or one number for all channels). */
  mean?: number | readonly number[];
  /** Per-channel standard deviations; none may be 0. */
  std?: number | readonly number[];
  /** torchvision's `inplace`: only `false` is accepted (tensorgrad never rewrites an input here). */
  inplace?: boolean;
}

function perChannel(name: string, v: unknown, channels: number): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as unknown[]) : null;
  if (list === null || list.length === 0 || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new TypeError(`normalize: expected ${name} to be a finite number or a list of finite numbers (one per channel), got ${JSON.stringify(v)}`);
  }
  if (list.length !== 1 && list.length !== channels) {
    throw new RangeError(`normalize: ${name} has ${list.length} values but the image has ${channels} channels; give one value per channel or a single value`);
  }
  return list.length === 1 ? new Array<number>(channels).fill(list[0] as number) : (list as number[]);
}

/**
 * torchvision's `transforms.functional.normalize`: `(image - mean[c]) / std[c]` for each channel
 * `c` of a float image `[..., C, H, W]` (`[C,H,W]` or a batch `[B,C,H,W]`). The result is a new
 * tensor; gradients flow through it.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { normalize } from '@tensorgrad/vision';
 * const img = tensor([[[0, 1]], [[0.5, 1]]]); // [C=2, H=1, W=2]
 * await normalize(img, { mean: [0.5, 0.5], std: [0.5, 0.25] }).array(); // [[[-1, 1]], [[0, 2]]]
 * // torchvision's positional form: F.normalize(img, mean, std)
 * await normalize(img, [0.5, 0.5], [0.5, 0.25]).array(); // [[[-1, 1]], [[0, 2]]]
 * ```
 */
export function normalize(image: Tensor, options: NormalizeOptions): Tensor;
export function normalize(image: Tensor, mean: number | readonly number[], std: number | readonly number[], inplace?: boolean): Tensor;
export function normalize(...args: unknown[]): Tensor {
  const a = parseArgs(NORMALIZE, args);
  const x = a.tensor as Tensor;
  if (x === undefined || typeof (x as { shape?: unknown }).shape !== 'object') {
    throw new TypeError(`normalize: expected an image tensor [..., C, H, W] as the first argument, got ${String(x)}`);
  }
  if (a.inplace === true) throw new TypeError('normalize: inplace: true is not supported (it would rewrite the input); use the returned tensor');
  if (x.ndim < 3) throw new RangeError(`normalize: expected an image [..., C, H, W] with at least 3 dims, got shape [${x.shape.join(', ')}]`);
  if (!isFloating(x.dtype)) throw new TypeError(`normalize: expected a floating point image, got ${x.dtype}; convert with .float() (and scale to [0, 1] first, as toTensor does)`);
  if (a.mean === undefined || a.std === undefined) throw new TypeError('normalize: mean and std are required, e.g. normalize(x, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] })');
  const c = x.shape[x.ndim - 3]!;
  const mean = perChannel('mean', a.mean, c);
  const std = perChannel('std', a.std, c);
  const zero = std.findIndex((s) => s === 0);
  if (zero >= 0) throw new RangeError(`normalize: std is 0 for channel ${zero}, which would divide by zero; every std must be non-zero`);
  return tidy(() => {
    const opts = { dtype: x.dtype, backend: x.backend };
    const m = tensor(mean, opts).reshape(c, 1, 1);
    const s = tensor(std, opts).reshape(c, 1, 1);
    return div(sub(x, m), s);
  });
}
