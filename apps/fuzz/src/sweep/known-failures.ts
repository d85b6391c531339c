/**
 * The sweep failures known and not fixed yet, keyed `<backend>:<op>:<what>` (`SweepFailure.key`;
 * `what` is `forward`, `grad`, `reference`, `gradcheck`, `error` or `leak`, with `-special` when
 * the inputs held ±Inf, NaN or denormals), each with the reason. A case that fails with a listed
 * key is counted and printed as a known failure instead of failing; every other failure fails.
 *
 * @example
 * ```ts
 * import { KNOWN_FAILURES } from '@tensorgrad/fuzz';
 * Object.values(KNOWN_FAILURES).every((reason) => reason.length > 20); // true
 * ```
 */
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  'tfjs:convTranspose2d:grad-special':
    "an Inf or NaN input whose contributions land on output positions cropped by padding: PyTorch's (and the CPU backend's) weight gradient multiplies it by the zero gradient there and gets NaN (torch: conv_transpose2d of [1, inf, 2] by a 1×3 kernel, padding (0, 1), dilation 2 gives weight.grad [nan, inf, nan]); tfjs's conv2dDerFilter skips those positions and returns finite values. Finite inputs agree",
};
