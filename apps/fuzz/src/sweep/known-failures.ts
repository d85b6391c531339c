/**
 * The sweep failures known and not fixed yet, keyed `<backend>:<op>:<what>` (`SweepFailure.key`;
 * `what` is `forward`, `grad`, `reference`, `gradcheck`, `error` or `leak`, with `-special` when
 * the inputs held ±Inf, NaN, denormals or huge values, and `@<tag>` for a tagged sub-case), each
 * with the reason. A case that fails with a listed
 * key is counted and printed as a known failure instead of failing; every other failure fails.
 *
 * @example
 * ```ts
 * import { KNOWN_FAILURES } from '@tensorgrad/fuzz';
 * Object.values(KNOWN_FAILURES).every((reason) => reason.length > 20); // true
 * ```
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['cpu', 'tfjs', 'webgpu'].flatMap((b) =>
      ['var', 'std'].map((op) => [
        `${b}:${op}:forward-special@zero-divisor`,
        'N - correction <= 0 with subnormal deviations: the float32 squares underflow to 0 and 0/0 gives NaN, where PyTorch accumulates in double and gets Inf ' +
          '(torch.tensor([1e-40, 0.]).var(0, correction=2) is inf); every backend squares in float32 (WebGPU and tfjs have no float64)',
      ]),
    ),
  ),
  'tfjs:convTranspose2d:grad-special':
    "an Inf or NaN input whose contributions land on output positions cropped by padding: PyTorch's (and the CPU backend's) weight gradient multiplies it by the zero gradient there and gets NaN (torch: conv_transpose2d of [1, inf, 2] by a 1×3 kernel, padding (0, 1), dilation 2 gives weight.grad [nan, inf, nan]); tfjs's conv2dDerFilter skips those positions and returns finite values. Finite inputs agree",
};
