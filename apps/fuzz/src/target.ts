/**
 * What every fuzzer in this app is: a named family of cases, each case fully determined by an
 * integer seed, so that a failure printed as `<target>:<seed>` replays exactly
 * (`pnpm fuzz -- --replay <target>:<seed>`). The CI tests run a fixed list of seeds per target;
 * `pnpm fuzz -- --seconds N` runs fresh seeds round-robin over the targets until the time is up.
 */

/** The outcome of one case that did not fail: what was tried, in a few words (shown with `--verbose`). */
export type CaseSummary = string;

/**
 * A family of seeded cases.
 *
 * @example
 * ```ts
 * import type { FuzzTarget } from '@tensorgrad/fuzz';
 * const even: FuzzTarget = {
 *   name: 'demo/even',
 *   async run(seed) {
 *     if ((seed * 2) % 2 !== 0) throw new Error(`expected an even number, got ${seed * 2}`);
 *     return `seed ${seed}: ${seed * 2} is even`;
 *   },
 * };
 * await even.run(3); // 'seed 3: 6 is even'
 * ```
 */
export interface FuzzTarget {
  /** `<group>/<name>`, e.g. `ops/cpu`, `ops/webgpu`, `files/safetensors`: what `--targets` selects by prefix. */
  readonly name: string;
  /**
   * Why this target cannot run on this machine (no WebGPU adapter, no PyTorch), or `null` when it
   * can. The CLI and the tests print the reason and skip the target instead of failing.
   */
  unavailable?(): Promise<string | null>;
  /**
   * Runs the case for `seed` (a non-negative integer below 2^31). Resolves with a short summary of
   * what was tried; rejects with an `Error` whose message says what was tried (op or file
   * mutation, shapes, values), what was expected and what happened — enough to act on without a
   * debugger. A case must finish in bounded time: the runner reports one that takes longer than
   * its time limit as a hang.
   */
  run(seed: number): Promise<CaseSummary>;
}
