// Shared by the transforms: image checks, Python's rounding, host-built tensors and the random
// draws torchvision makes (with the same sampling rules as PyTorch's CPU generator).
import { defaultGenerator, fromTypedArray, Generator, isFloating, Tensor } from '@tensorgrad/tensor';

/** The interpolation modes of torchvision's tensor transforms (`InterpolationMode` values). */
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';

/**
 * torchvision's `InterpolationMode` for tensors: the strings the `interpolation` options take
 * (`InterpolationMode.BILINEAR` is `'bilinear'`).
 *
 * @example
 * ```ts
 * import { InterpolationMode } from '@tensorgrad/vision';
 * InterpolationMode.BILINEAR; // 'bilinear'
 * ```
 */
export const InterpolationMode = { NEAREST: 'nearest', BILINEAR: 'bilinear', BICUBIC: 'bicubic' } as const;

/** Throws unless `x` is a tensor with at least `minDims` dims (an image `[..., C, H, W]`). */
export function checkImage(op: string, x: unknown, minDims = 2): Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: expected an image tensor [..., C, H, W] as the first argument, got ${x === null ? 'null' : typeof x}; convert images with toTensor first`);
  }
  if (x.ndim < minDims) {
    throw new RangeError(`${op}: expected an image with at least ${minDims} dims ([C, H, W] or [B, C, H, W]), got shape [${x.shape.join(', ')}]`);
  }
  return x;
}

/** Throws unless `x` is a floating point image (interpolating and colour transforms). */
export function checkFloat(op: string, x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new TypeError(`${op}: expected a floating point image (float32 or float64, values in [0, 1]), got ${x.dtype}; convert a decoded 0-255 image with toTensor(image) first`);
  }
}

/** torchvision's `get_dimensions`: `[channels, height, width]` (channels 1 for a 2-D image). */
export function dims(x: Tensor): [number, number, number] {
  const n = x.ndim;
  return [n >= 3 ? x.shape[n - 3]! : 1, x.shape[n - 2]!, x.shape[n - 1]!];
}

/** Python 3's `round` (half to even), as torchvision uses for crop positions and translations. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // + 0 turns -0 into 0, as Python's int(round(-0.3)) is 0
  return (Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) + 0;
}

/** A host-built tensor of `x`'s floating dtype and backend. */
export function hostTensor(values: ArrayLike<number>, shape: readonly number[], like: Tensor): Tensor {
  const data = like.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return fromTypedArray(data, shape, { backend: like.backend });
}

/** An int32 index tensor on `like`'s backend. */
export function indexTensor(values: ArrayLike<number>, like: Tensor): Tensor {
  return fromTypedArray(Int32Array.from(values), [values.length], { backend: like.backend });
}

/** The `generator` option: a {@link Generator}, or the global one when absent. */
export function generatorOf(op: string, g: unknown): Generator {
  if (g === undefined || g === null) return defaultGenerator;
  if (!(g instanceof Generator)) throw new TypeError(`${op}: expected generator to be a Generator (new Generator().manualSeed(seed)), got ${typeof g}`);
  return g;
}

/** `torch.rand(1).item()` (one 24-bit float32 draw). */
export function rand1(g: Generator): number {
  return g.random24();
}

/** `torch.empty(1).uniform_(from, to).item()` (float32, as torchvision draws its parameters). */
export function uniform1(g: Generator, from: number, to: number): number {
  const a = new Float32Array(1);
  g.fillUniform(a, from, to);
  return a[0]!;
}

/** `torch.randint(low, high, size=(1,)).item()`. */
export function randint1(g: Generator, low: number, high: number): number {
  return g.integer(low, high);
}

/** Checks an interpolation option (torchvision's `InterpolationMode` values) against `allowed`. */
export function checkInterpolation(op: string, v: unknown, allowed: readonly Interpolation[]): Interpolation {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new TypeError(`${op}: expected interpolation to be one of ${allowed.map((a) => `'${a}'`).join(', ')} (InterpolationMode values), got ${JSON.stringify(v)}`);
  }
  return v as Interpolation;
}

/** A finite number check with torchvision's parameter name in the message. */
export function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${op}: expected ${name} to be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

/** A non-negative integer check. */
export function checkInt(op: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new TypeError(`${op}: expected ${name} to be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

/** torchvision's `_setup_size`: an int or a 1/2-list → `[h, w]`. */
export function setupSize(op: string, size: unknown): [number, number] {
  const list = typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 1 ? [size[0], size[0]] : Array.isArray(size) && size.length === 2 ? size : null;
  if (!list || list.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v <= 0)) {
    throw new TypeError(`${op}: expected size to be a positive integer or a list [height, width] of them, got ${JSON.stringify(size)}`);
  }
  return [list[0] as number, list[1] as number];
}

/** Formats a value the way Python's `repr` would in torchvision's `__repr__` strings. */
export function py(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return String(v);
}

/** A float for Python's repr: `0` → `0.0`. */
export function pyFloat(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}
