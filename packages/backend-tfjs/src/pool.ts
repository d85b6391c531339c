/** Pooling tables computed on the host from the front-end's geometry: divisors, window positions. */
import { avgPoolWindow, type OpAttrs, type PoolGeometry } from '@tensorgrad/tensor/backend';

/**
 * The divisor of every average-pooling output `(y, x)` (row-major `[oh, ow]`): PyTorch's rule,
 * {@link avgPoolWindow} (shared by every backend); 0 for a window that lies entirely in the
 * padding (its output is 0).
 */
export function avgDivisors(g: PoolGeometry, attrs: Pick<OpAttrs['avgPool2d'], 'countIncludePad' | 'divisorOverride'>): Float32Array {
  const out = new Float32Array(g.oh * g.ow);
  for (let y = 0; y < g.oh; y++) {
    for (let x = 0; x < g.ow; x++) out[y * g.ow + x] = avgPoolWindow(g, attrs, y, x).divisor;
  }
  return out;
}

/**
 * For max pooling: `position`, each window element's position in the input's `H·W` plane
 * (`[kh·kw, oh, ow]`, int32; meaningless in the padding), and `first`, the position of each
 * window's first element inside the input (`[oh, ow]`), the reference's starting index.
 */
export function maxPoolTables({ w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw }: PoolGeometry): { position: Int32Array; first: Int32Array } {
  const plane = oh * ow;
  const position = new Int32Array(kh * kw * plane);
  const first = new Int32Array(plane);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let r0 = y * sh - ph;
      let c0 = x * sw - pw;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) position[(i * kw + j) * plane + y * ow + x] = (r0 + i * dh) * w + c0 + j * dw;
      }
      while (r0 < 0) r0 += dh;
      while (c0 < 0) c0 += dw;
      first[y * ow + x] = r0 * w + c0;
    }
  }
  return { position, first };
}

/** The input range `[start, end)` of adaptive window `i` of `out` over `size` (PyTorch's floor/ceil rule). */
export function adaptiveRange(i: number, size: number, out: number): [number, number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
}

/**
 * The `[out, size]` averaging matrix of adaptive pooling along one dim: row `i` holds
 * `1 / len` over window `i`. Adaptive average pooling is separable: `A_h · X · A_wᵀ`.
 */
export function adaptiveMatrix(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const [a, b] = adaptiveRange(i, size, out);
    for (let r = a; r < b; r++) m[i * size + r] = 1 / (b - a);
  }
  return m;
}
