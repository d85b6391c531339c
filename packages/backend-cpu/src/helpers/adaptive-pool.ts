/** Shared by the adaptive average-pooling kernels. */

/** The input range `[start, end)` of adaptive window `i` of `out` over `size` (PyTorch's floor/ceil rule). */
export function adaptiveRange(i: number, size: number, out: number): [number, number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
}
