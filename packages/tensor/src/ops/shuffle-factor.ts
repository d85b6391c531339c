/** The factor check shared by pixelShuffle and pixelUnshuffle (internal: not re-exported from the package index). */

/** Checks a pixel (un)shuffle factor: a positive integer. */
export function checkShuffleFactor(op: string, name: string, factor: unknown): number {
  if (typeof factor !== 'number' || !Number.isInteger(factor)) throw new TypeError(`${op}: expected ${name} to be an integer, got ${String(factor)}`);
  if (factor < 1) throw new RangeError(`${op}: expected a positive ${name}, got ${factor}`);
  return factor;
}
