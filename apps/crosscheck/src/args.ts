/** The options of the cross-check (what the CLI's flags set). */
export interface CrossCheckOptions {
  /** The reference backend (default `'cpu'`). */
  a: string;
  /** The backend checked against it (default `'tfjs'`). */
  b: string;
  /** Golden cases per op (the first ones of `ops.json` in file order); `null` = all (default). */
  sample: number | null;
  /** Random-input variants per case, besides the case's own sample inputs (default 2). */
  random: number;
  /** Seed of the random inputs, the upstream gradients, the initial weights and the batch order (default 0). */
  seed: number;
  /** Training steps of the CNN on each backend (default 20). */
  steps: number;
  /** Write the full report as JSON to this file (default none). */
  json: string | null;
  /** Skip the training comparison. */
  train: boolean;
  /** A folder with the Fashion-MNIST IDX files, looked in first (default `$TENSORGRAD_DATA`, then /usr/share/datasets/fashion-mnist). */
  dataRoot: string | null;
}

/** The defaults of {@link CrossCheckOptions}. */
export const DEFAULT_OPTIONS: Readonly<CrossCheckOptions> = Object.freeze({
  a: 'cpu',
  b: 'tfjs',
  sample: null,
  random: 2,
  seed: 0,
  steps: 20,
  json: null,
  train: true,
  dataRoot: null,
});

/**
 * A command-line mistake: the message names the flag, the value given and what was expected; the
 * CLI prints it and exits with code 2.
 *
 * @example
 * ```ts
 * import { UsageError } from '@tensorgrad/crosscheck';
 * new UsageError('--steps: expected a positive integer, got "x"').exitCode; // 2
 * ```
 */
export class UsageError extends Error {
  /** The process exit code for usage errors. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The text `--help` prints.
 *
 * @example
 * ```ts
 * import { usage } from '@tensorgrad/crosscheck';
 * usage().includes('--no-train'); // true
 * ```
 */
export function usage(): string {
  return `Usage: crosscheck [options]

Runs every op of the conformance suite (the inputs of the PyTorch golden cases of ops.json plus
random inputs of the same shapes) forward and backward on two backends and compares the outputs
and input gradients with each other; then trains chapter 4's Fashion-MNIST CNN for a few steps on
backend a and checks b in lock step (b gets a's weights before every step; the losses, gradients
and Adam updates are compared). Exits 0 when they agree, 1 when they disagree beyond the
tolerances, 2 on a usage error.

  --a NAME        the reference backend (default cpu)
  --b NAME        the backend checked against it (default tfjs)
  --sample N      golden cases per op, the first N of each op (default all)
  --random K      random-input variants per case besides its sample inputs (default 2)
  --seed S        seed of the random inputs, upstream gradients, initial weights (default 0)
  --steps N       training steps (batches of 32) (default 20)
  --no-train      skip the training comparison
  --data-root DIR a folder with the Fashion-MNIST IDX files (else $TENSORGRAD_DATA, then
                  /usr/share/datasets/fashion-mnist)
  --json FILE     also write the full report as JSON to FILE
  -h, --help      this text

Backends available here: cpu, cpu-nosimd (the CPU backend with its WebAssembly SIMD GEMM off),
tfjs and tfjs-wasm (@tensorgrad/backend-tfjs), webgpu (@tensorgrad/backend-webgpu; without a GPU
run \`eval "$(bash scripts/ensure-webgpu.sh)"\` first), when their packages load.
`;
}

function nonNegInt(flag: string, v: string, min: number): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag}: expected ${min === 0 ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(v)}`);
  return n;
}

const WITH_VALUE = new Set(['--a', '--b', '--sample', '--random', '--seed', '--steps', '--json', '--data-root']);

/**
 * Parses the command line (the arguments after the script) into options, or `'help'` for
 * `--help`. Flags take their value as the next argument or after `=` (`--b=tfjs`). Throws a
 * {@link UsageError} for an unknown flag, a missing value or an invalid number.
 *
 * @example
 * ```ts
 * import { parseCrossCheckArgs } from '@tensorgrad/crosscheck';
 * const o = parseCrossCheckArgs(['--b', 'tfjs-wasm', '--sample=1', '--no-train']);
 * o === 'help' ? null : [o.a, o.b, o.sample, o.random, o.train]; // ['cpu', 'tfjs-wasm', 1, 2, false]
 * ```
 */
export function parseCrossCheckArgs(argv: readonly string[]): CrossCheckOptions | 'help' {
  const o: CrossCheckOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--') continue; // `pnpm crosscheck -- --b tfjs` may pass it through
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--no-train') {
      if (eq > 0) throw new UsageError(`--no-train takes no value, got ${JSON.stringify(arg)}`);
      o.train = false;
      continue;
    }
    if (!WITH_VALUE.has(flag)) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}; expected one of ${[...WITH_VALUE, '--no-train', '--help'].join(', ')}`);
    }
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag}: expected a value after it`);
      value = next;
      i++;
    }
    switch (flag) {
      case '--a':
      case '--b':
        if (!/^[A-Za-z0-9][\w.-]*$/.test(value)) throw new UsageError(`${flag}: expected a backend name such as cpu or tfjs, got ${JSON.stringify(value)}`);
        o[flag === '--a' ? 'a' : 'b'] = value;
        break;
      case '--sample':
        o.sample = nonNegInt(flag, value, 1);
        break;
      case '--random':
        o.random = nonNegInt(flag, value, 0);
        break;
      case '--seed':
        o.seed = nonNegInt(flag, value, 0);
        break;
      case '--steps':
        o.steps = nonNegInt(flag, value, 1);
        break;
      case '--json':
        if (!value) throw new UsageError('--json: expected a file name');
        o.json = value;
        break;
      case '--data-root':
        if (!value) throw new UsageError('--data-root: expected a folder');
        o.dataRoot = value;
        break;
    }
  }
  if (o.a === o.b) throw new UsageError(`--a and --b name the same backend (${JSON.stringify(o.a)}); expected two different backends`);
  return o;
}
