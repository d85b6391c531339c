import { parseArgs, signature } from '../signature.js';
import { allocArray, isFloating, type TypedArray } from '../dtype.js';
import { fromArray } from '../engine.js';
import { resolveGenerator, type Generator, type RandomFillOptions } from '../random.js';
import { Tensor } from '../tensor.js';
import { fillUniform } from '../creation/rand.js';
import { checkInplace, writeInto } from './copy_.js';

/**
 * Draws `self.numel()` samples on the host with `draw` and writes them into `self`.
 * @internal
 */
export function fillRandomInPlace(op: string, self: Tensor, generator: unknown, draw: (data: TypedArray, g: Generator) => void): Tensor {
  checkInplace(op, self);
  if (!isFloating(self.dtype)) {
    throw new TypeError(`${op}: expected a floating-point tensor, got dtype ${self.dtype}; convert it with .float() first`);
  }
  const g = resolveGenerator(op, generator);
  const arr = allocArray(self.dtype, self.numel());
  const order = self.isContiguous() ? null : memoryOrder(self.shape, self._strides);
  if (order) {
    // PyTorch fills a strided tensor in the order of its elements in memory
    const drawn = allocArray(self.dtype, arr.length);
    draw(drawn, g);
    for (let k = 0; k < order.length; k++) arr[order[k]!] = drawn[k]!;
  } else {
    draw(arr, g);
  }
  const src = fromArray(self.backendInstance, arr, self.shape, self.dtype, true);
  try {
    writeInto(op, self, src);
  } finally {
    src.dispose();
  }
  return self;
}

/**
 * For a strided layout, the row-major index of each element taken in memory order (dimensions by
 * decreasing stride, as PyTorch's TensorIterator visits them); `null` when that is row-major order.
 */
function memoryOrder(shape: readonly number[], strides: readonly number[]): Int32Array | null {
  const dims = shape.map((_, i) => i).filter((i) => shape[i]! > 1);
  const sorted = [...dims].sort((a, b) => Math.abs(strides[b]!) - Math.abs(strides[a]!) || a - b);
  if (sorted.every((d, i) => d === dims[i])) return null;
  const rowStride = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) rowStride[i] = rowStride[i + 1]! * shape[i + 1]!;
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Int32Array(n);
  const idx = new Array<number>(sorted.length).fill(0);
  let flat = 0;
  for (let k = 0; k < n; k++) {
    out[k] = flat;
    for (let j = sorted.length - 1; j >= 0; j--) {
      const d = sorted[j]!;
      flat += rowStride[d]!;
      if (++idx[j]! < shape[d]!) break;
      flat -= rowStride[d]! * shape[d]!;
      idx[j] = 0;
    }
  }
  return out;
}

function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${op}: expected ${name} to be a finite number, got ${String(v)}`);
  return v;
}

/** `Tensor.uniform_(from=0, to=1, *, generator=None)`. */
const UNIFORM = signature('uniform_', ['from', 'to', 'generator'], { keywordOnly: ['generator'] });

declare module '../tensor.js' {
  interface Tensor {
    /**
     * Fills this floating-point tensor in place with uniform samples from `[from, to)` (default
     * `[0, 1)`), drawn from `options.generator` or the global generator; returns `this`. The values
     * are PyTorch's `uniform_` for the same generator state. Used by weight initialisers inside
     * `noGrad()`.
     *
     * @example
     * ```ts
     * import { zeros, Generator } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const w = zeros([3, 2]).uniform_(-0.5, 0.5, { generator: new Generator(0) });
     * ```
     */
    uniform_(from?: number, to?: number, options?: RandomFillOptions): this;
  }
}
Tensor.prototype.uniform_ = function <T extends Tensor>(this: T, ...args: unknown[]): T {
  const { from = 0, to = 1, generator } = parseArgs(UNIFORM, args) as { from?: number; to?: number } & RandomFillOptions;
  const options = { generator };
  checkNumber('uniform_', 'from', from);
  checkNumber('uniform_', 'to', to);
  if (from > to) throw new RangeError(`uniform_: expects from <= to, got from=${from}, to=${to}`);
  return fillRandomInPlace('uniform_', this, options.generator, (d, g) => fillUniform(d, g, from, to)) as T;
};
