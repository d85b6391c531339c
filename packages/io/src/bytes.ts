// Byte-level helpers shared by the safetensors and PyTorch-checkpoint readers (internal: not
// re-exported by the package).

/** Whether this machine stores multi-byte numbers little-endian (both file formats are). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The value of an IEEE half-precision number given as its 16 bits. */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
