/** Pooling geometry (PyTorch's rules), computed on the host: windows and divisors. */

/**
 * The divisor of every average-pooling output `(y, x)` (row-major `[oh, ow]`): PyTorch's CPU
 * rules (windows clipped to the padded input; `countIncludePad`; `divisorOverride`); 0 for a
 * window that lies entirely in the padding (its output is 0).
 */
export function avgDivisors(
  [h, w]: readonly [number, number],
  [oh, ow]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [ph, pw]: readonly [number, number],
  countIncludePad: boolean,
  divisorOverride: number | null,
): Float32Array {
  const out = new Float32Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let h0 = y * sh - ph;
      let w0 = x * sw - pw;
      let h1 = Math.min(h0 + kh, h + ph);
      let w1 = Math.min(w0 + kw, w + pw);
      const poolSize = (h1 - h0) * (w1 - w0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, h);
      w1 = Math.min(w1, w);
      out[y * ow + x] = h0 >= h1 || w0 >= w1 ? 0 : (divisorOverride ?? (countIncludePad ? poolSize : (h1 - h0) * (w1 - w0)));
    }
  }
  return out;
}

/**
 * For max pooling: `position`, each window element's position in the input's `H·W` plane
 * (`[kh·kw, oh, ow]`, int32; meaningless in the padding), and `first`, the position of each
 * window's first element inside the input (`[oh, ow]`), the reference's starting index.
 */
export function maxPoolTables(
  [, w]: readonly [number, number],
  [oh, ow]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [ph, pw]: readonly [number, number],
  [dh, dw]: readonly [number, number],
): { position: Int32Array; first: Int32Array } {
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
