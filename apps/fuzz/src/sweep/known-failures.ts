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
export const KNOWN_FAILURES: Readonly<Record<string, string>> = {};
