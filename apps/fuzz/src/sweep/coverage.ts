/**
 * Op coverage of the sweeps: every front-end op file of `packages/tensor/src/ops/` is swept by a
 * generator of `SWEEP_GENERATORS` or listed in {@link NOT_SWEPT} with the reason.
 */
import { sweptOps } from './registry.js';

/**
 * The ops of `packages/tensor/src/ops/` no generator sweeps, by op name (the camelCase of the file
 * name), with the reason. An op that a generator registers is swept whether or not it is listed.
 *
 * @example
 * ```ts
 * import { NOT_SWEPT } from '@tensorgrad/fuzz';
 * NOT_SWEPT.dropout!.includes('random'); // true
 * ```
 */
export const NOT_SWEPT: Readonly<Record<string, string>> = {
  // files that hold shared code, not an op of their own
  convArgs: "argument parsing shared by conv2d and convTranspose2d (swept through those ops)",
  roiArgs: 'argument checks shared by roiAlign and roiPool (swept through those ops)',
  shuffleFactor: 'argument check shared by pixelShuffle and pixelUnshuffle (swept through those ops)',
  binaryExtremum: 'the shared body of maximum and minimum (both swept)',
  extremum: 'the shared body of max and min (both swept)',
  logicalReduce: 'the shared body of all and any (both swept)',
  sortKernel: 'the kernel call shared by sort, argsort and topk (swept through those ops)',
  // backward ops: reached through their forward op's gradient, which the sweeps check
  conv2dInputGrad: "conv2d's input gradient: swept through conv2d's backward",
  conv2dWeightGrad: "conv2d's weight gradient: swept through conv2d's backward",
  avgPool2dBackward: "avgPool2d's gradient: swept through avgPool2d's backward",
  adaptiveAvgPool2dBackward: "adaptiveAvgPool2d's gradient: swept through adaptiveAvgPool2d's backward",
  roiAlignBackward: "roiAlign's gradient: swept through roiAlign's backward",
  roiPoolBackward: "roiPool's gradient: swept through roiPool's backward",
  // random ops: their outputs are random draws, not functions of the inputs
  dropout: 'random (a Bernoulli mask): checked statistically and for seeding in packages/tensor/test/norm-dropout-interp.test.ts, not comparable element-wise across backends',
  dropout2d: 'random (a per-channel Bernoulli mask): checked statistically in packages/tensor tests, not comparable element-wise across backends',
};

/**
 * The op name of an op file: its kebab-case name in camelCase (`leaky-relu.ts` → `leakyRelu`).
 *
 * @example
 * ```ts
 * import { opOfFile } from '@tensorgrad/fuzz';
 * opOfFile('conv-transpose2d.ts'); // 'convTranspose2d'
 * ```
 */
export function opOfFile(file: string): string {
  return file.replace(/\.ts$/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** What {@link sweepCoverage} returns. */
export interface SweepCoverage {
  /** Ops some generator sweeps. */
  swept: string[];
  /** Ops listed in {@link NOT_SWEPT} (and swept by none). */
  notSwept: string[];
  /** Ops neither swept nor listed: each one is a gap to close. */
  missing: string[];
  /** Generators' ops that are not among `ops` (a misspelt op name). */
  unknown: string[];
}

/**
 * Splits `ops` (the op names of `packages/tensor/src/ops/`) into swept, listed as not swept, and
 * missing; and lists the generators' ops that are not among them.
 *
 * @example
 * ```ts
 * import { sweepCoverage } from '@tensorgrad/fuzz';
 * const c = sweepCoverage(['add', 'dropout', 'frobnicate']);
 * [c.swept, c.notSwept, c.missing]; // [['add'], ['dropout'], ['frobnicate']]
 * ```
 */
export function sweepCoverage(ops: readonly string[]): SweepCoverage {
  const swept = sweptOps();
  const known = new Set(ops);
  return {
    swept: ops.filter((op) => swept.has(op)),
    notSwept: ops.filter((op) => !swept.has(op) && NOT_SWEPT[op] !== undefined),
    missing: ops.filter((op) => !swept.has(op) && NOT_SWEPT[op] === undefined),
    unknown: [...swept].filter((op) => !known.has(op)).sort(),
  };
}
