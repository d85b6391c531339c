import { Tensor, div, noGrad, stack, tensor, tidy } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from './args.js';

const CLIP_GRAD_NORM = signature('clipGradNorm_', ['parameters', 'maxNorm', 'normType', 'errorIfNonfinite', 'foreach'], { required: 2 });
const CLIP_GRAD_VALUE = signature('clipGradValue_', ['parameters', 'clipValue', 'foreach'], { required: 2 });

function refuseForeach(op: string, v: unknown): void {
  refuseUnsupported(op, 'foreach', v, [null, false], 'gradients are clipped one by one; drop foreach, the result is the same');
}

/** Options of {@link clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (`Infinity` for the max norm). Default 2. */
  normType?: number;
  /**
   * Throw when the total norm is NaN or infinite. Default false. Reads the norm synchronously, so
   * on a backend that can only read asynchronously (webgpu) it throws; check the returned norm
   * with `await norm.item()` there instead.
   */
  errorIfNonfinite?: boolean;
  /** PyTorch's `foreach`: accepted as `null`/`false` only. */
  foreach?: boolean | null;
}

function gradsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameters[${i}] is not a Tensor; pass a tensor or an iterable of tensors, e.g. model.parameters()`);
  });
  return list.map((p) => p.grad).filter((g): g is Tensor => g !== null);
}

/**
 * Scales the gradients of `params` in place so that their total `normType`-norm (computed over
 * all gradients together, as if concatenated) is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`). Returns the total norm before clipping as a 0-d tensor (owned by the
 * caller).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { clipGradNorm_ } from '@tensorgrad/optimizers';
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.grad = tensor([3, 4]);
 * const norm = clipGradNorm_([w], 1);
 * norm.itemSync(); // 5
 * Array.from(w.grad!.dataSync(), (v) => Math.round(v * 1e4) / 1e4); // [0.6, 0.8]
 * norm.dispose();
 * // PyTorch's positional form: clip_grad_norm_(params, 1, float('inf'))
 * clipGradNorm_([w], 0.4, Infinity).itemSync(); // 0.8
 * ```
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, options?: ClipGradNormOptions): Tensor;
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType?: number,
  errorIfNonfinite?: boolean,
  foreach?: boolean | null,
  options?: ClipGradNormOptions,
): Tensor;
export function clipGradNorm_(...args: unknown[]): Tensor {
  const a = parseArgs(CLIP_GRAD_NORM, args);
  refuseForeach('clipGradNorm_', a.foreach);
  const params = a.parameters as Tensor | Iterable<Tensor>;
  const maxNorm = a.maxNorm as number;
  const options: ClipGradNormOptions = { errorIfNonfinite: a.errorIfNonfinite as boolean | undefined };
  const normType = (a.normType as number | undefined) ?? 2;
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new TypeError(`clipGradNorm_: maxNorm must be a number, got ${String(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0)) throw new RangeError(`clipGradNorm_: normType must be a positive number or Infinity, got ${String(normType)}`);
  const grads = gradsOf('clipGradNorm_', params);
  if (grads.length === 0) return tensor(0);
  return noGrad(() =>
    tidy(() => {
      const dtype = grads[0]!.dtype;
      const norms = grads.map((g) => {
        const a = g.abs();
        const n = normType === Infinity ? a.max() : normType === 2 ? a.mul(a).sum().sqrt() : a.pow(normType).sum().pow(1 / normType);
        return n.dtype === dtype ? n : n.to(dtype);
      });
      let total: Tensor;
      if (norms.length === 1) total = norms[0]!;
      else {
        const s = stack(norms);
        total = normType === Infinity ? s.max() : normType === 2 ? s.mul(s).sum().sqrt() : s.pow(normType).sum().pow(1 / normType);
      }
      // Only errorIfNonfinite needs the norm's value on the host; the clipping itself stays on the
      // device, so asynchronous backends (webgpu) clip without a synchronous read.
      if (options.errorIfNonfinite && !total.backendInstance.readSync) {
        throw new TypeError(
          `clipGradNorm_: errorIfNonfinite needs the total norm synchronously, but backend '${total.backend}' can only read asynchronously; ` +
            'call clipGradNorm_ without it and check the returned norm with `Number.isFinite(await norm.item())`',
        );
      }
      if (options.errorIfNonfinite && !Number.isFinite(total.itemSync() as number)) {
        throw new Error(
          `clipGradNorm_: the total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped; pass { errorIfNonfinite: false } to clip anyway`,
        );
      }
      const coef = div(maxNorm, total.add(1e-6)).clamp({ max: 1 });
      for (const g of grads) g.mul_(coef.dtype === g.dtype ? coef : coef.to(g.dtype));
      return total;
    }),
  );
}

/**
 * Clamps every gradient of `params` in place into `[-clipValue, clipValue]` (PyTorch's
 * `clip_grad_value_`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { clipGradValue_ } from '@tensorgrad/optimizers';
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.grad = tensor([-3, 0.5]);
 * clipGradValue_([w], 1);
 * w.grad!.arraySync(); // [-1, 0.5]
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number, options?: { foreach?: boolean | null }): void;
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number, foreach?: boolean | null): void;
export function clipGradValue_(...args: unknown[]): void {
  const a = parseArgs(CLIP_GRAD_VALUE, args);
  refuseForeach('clipGradValue_', a.foreach);
  const params = a.parameters as Tensor | Iterable<Tensor>;
  const clipValue = a.clipValue as number;
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new TypeError(`clipGradValue_: clipValue must be a number, got ${String(clipValue)}`);
  const v = Math.abs(clipValue);
  noGrad(() => {
    for (const g of gradsOf('clipGradValue_', params)) g.clamp_(-v, v);
  });
}
