import { parseArgs, signature } from '../signature.js';
import { isFloating } from '../dtype.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { formatShape } from '../shape.js';
import { optionalTensors } from '../args.js';
import { Tensor } from '../tensor.js';
import './add.js';
import './div.js';
import './mean.js';
import './mul.js';
import './sqrt.js';
import './square.js';
import './sub.js';

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new TypeError(`${op}: expected eps to be a finite number >= 0, got ${String(eps)}`);
  return eps;
}

/** `F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)`. */
const SIG = signature('layerNorm', ['weight', 'bias', 'eps']);

/**
 * Layer normalisation over the last `normalizedShape.length` dims:
 * `(x - mean) / sqrt(var + eps) * weight + bias`, with the biased variance of each sample;
 * `weight` and `bias` (optional) have shape `normalizedShape`. Differentiable w.r.t. input,
 * weight and bias.
 *
 * @example
 * ```ts
 * import { layerNorm, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 3], [10, 30]]);
 * await layerNorm(x, [2], { eps: 0 }).array(); // [[-1, 1], [-1, 1]]
 * await layerNorm(x, 2, tensor([2, 2]), tensor([1, 1]), { eps: 0 }).array(); // [[-1, 3], [-1, 3]]
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  weight?: Tensor | null | LayerNormOptions,
  bias?: Tensor | null | LayerNormOptions,
  options?: LayerNormOptions,
): Tensor;
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], ...args: unknown[]): Tensor {
  const op = 'layerNorm';
  assertTensor(op, input);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : Array.isArray(normalizedShape) ? [...(normalizedShape as number[])] : null;
  // zero-size dims are valid, as in PyTorch (the input is then empty)
  if (!shape || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${op}: expected normalizedShape to be a non-negative integer or a non-empty list of them, got ${JSON.stringify(normalizedShape)}`);
  }
  const { weight: w, bias: b, ...options } = parseArgs(SIG, args) as LayerNormOptions & Record<'weight' | 'bias', unknown>;
  const [weight, bias] = optionalTensors(op, [w, b], ['weight', 'bias']);
  sameBackend(op, [input, weight, bias], ['input', 'weight', 'bias']);
  const eps = checkEps(op, options.eps ?? 1e-5);
  if (!isFloating(input.dtype)) throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}; convert it with .float() first`);
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (input.ndim < k || tail.some((d, i) => d !== shape[i])) {
    throw new RangeError(
      `${op}: expected an input whose last ${k} dims are normalizedShape ${formatShape(shape)}, got input of shape ${formatShape(input.shape)}`,
    );
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (!t) continue;
    if (t.shape.length !== k || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`${op}: expected ${name} of shape normalizedShape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
    }
    if (t.dtype !== input.dtype) throw new TypeError(`${op}: expected ${name} to have the input's dtype ${input.dtype}, got ${t.dtype}; convert it with .to('${input.dtype}')`);
  }
  const dims = Array.from({ length: k }, (_, i) => input.ndim - k + i);
  const [out, mean, std] = decompose(() => {
    const mean = input.mean({ dim: dims, keepdim: true });
    const std = input.sub(mean).square().mean({ dim: dims, keepdim: true }).add(eps).sqrt();
    let y = input.sub(mean).div(std);
    if (weight) y = y.mul(weight);
    if (bias) y = y.add(bias);
    return [y, mean, std] as const;
  });
  record(op, [input, weight, bias], { normalizedShape: shape, eps }, [out, mean, std]);
  mean.dispose();
  std.dispose();
  return out;
}
