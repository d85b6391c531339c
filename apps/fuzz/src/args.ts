import { parseArgs } from 'node:util';
import { UsageError } from '@tensorgrad/crosscheck';

/** One case named on the command line: `--replay <target>:<seed>`. */
export interface ReplaySpec {
  /** The target's full name (`ops/cpu`, `files/safetensors`). */
  target: string;
  /** The seed of the case. */
  seed: number;
}

/** The options of `pnpm fuzz` (what the CLI's flags set). */
export interface FuzzOptions {
  /** How long to run fresh seeds, in seconds (default 30). */
  seconds: number;
  /** Prefixes of the target names to run (`ops/webgpu`, `files`); `null` = every target (default). */
  targets: string[] | null;
  /** The first seed of every target; `null` = taken from the clock and printed (default). */
  seed: number | null;
  /** Run exactly this one case instead of the timed loop (default none). */
  replay: ReplaySpec | null;
  /** A case running longer than this many milliseconds is reported as a hang (default 30000). */
  caseTimeoutMs: number;
  /** Print a line for every case that passes too. */
  verbose: boolean;
  /** Also write the report as JSON to this file (default none). */
  json: string | null;
}

/** The defaults of {@link FuzzOptions}. */
export const DEFAULT_FUZZ_OPTIONS: Readonly<FuzzOptions> = Object.freeze({
  seconds: 30,
  targets: null,
  seed: null,
  replay: null,
  caseTimeoutMs: 30_000,
  verbose: false,
  json: null,
});

/** Seeds are non-negative integers below this bound (the {@link FuzzTarget} contract). */
export const SEED_LIMIT = 2 ** 31;

/**
 * The text `--help` prints.
 *
 * @example
 * ```ts
 * import { fuzzUsage } from '@tensorgrad/fuzz';
 * fuzzUsage().includes('--replay'); // true
 * ```
 */
export function fuzzUsage(): string {
  return `Usage: pnpm fuzz -- [options]

Runs the fuzz targets (property sweeps of every op on every backend, hostile-file fuzzers of every
reader) on fresh seeds for a given time: each target runs seed base, base+1, ... in turn with the
others (round-robin) until the time is up. A case that throws is printed as
  FAIL <target>:<seed>  <message>
with the command that replays it; a case that runs past --case-timeout-ms is reported as a hang
and the loop goes on. Exits 0 when every case passed, 1 on any failure or hang, 2 on a usage error.

  --seconds N          run fresh seeds for N seconds (default ${DEFAULT_FUZZ_OPTIONS.seconds})
  --targets P,Q        only the targets whose names start with one of these prefixes
                       (e.g. ops/webgpu,files); default every target
  --seed S             the first seed (default: from the clock, printed first)
  --replay T:S         run exactly the case of target T with seed S (what a FAIL line prints)
  --case-timeout-ms M  a case running longer is reported as a hang (default ${DEFAULT_FUZZ_OPTIONS.caseTimeoutMs})
  --verbose            print a line for every case that passed too
  --json FILE          also write the report as JSON to FILE
  -h, --help           this text

The time limit of a case interrupts asynchronous work only: a case stuck in a synchronous loop
blocks the process (stop it with Ctrl-C; with --verbose it is the case after the last one printed).
`;
}

function integer(flag: string, v: string, min: number, max: number, what: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected ${what}, got ${JSON.stringify(v)}; for example ${flag} ${min === 0 ? 1234 : Math.min(max, 60)}`);
  }
  return n;
}

/**
 * Parses `--replay`'s value, `<target>:<seed>` (the seed after the last colon).
 *
 * @example
 * ```ts
 * import { parseReplay } from '@tensorgrad/fuzz';
 * const r = parseReplay('ops/cpu:42');
 * [r.target, r.seed]; // ['ops/cpu', 42]
 * ```
 */
export function parseReplay(v: string): ReplaySpec {
  const colon = v.lastIndexOf(':');
  if (colon <= 0) throw new UsageError(`--replay: expected <target>:<seed> as a FAIL line prints it (e.g. ops/cpu:1234), got ${JSON.stringify(v)}`);
  const seed = integer('--replay', v.slice(colon + 1), 0, SEED_LIMIT - 1, `a seed from 0 to ${SEED_LIMIT - 1} after the last ':' (e.g. ops/cpu:1234)`);
  return { target: v.slice(0, colon), seed };
}

const FLAGS = {
  seconds: { type: 'string' },
  targets: { type: 'string' },
  seed: { type: 'string' },
  replay: { type: 'string' },
  'case-timeout-ms': { type: 'string' },
  verbose: { type: 'boolean' },
  json: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the command line (the arguments after the script) into options, or `'help'` for
 * `--help`. Flags take their value as the next argument or after `=` (`--seconds=60`); leading
 * `--` arguments (what `pnpm fuzz -- …` may pass through) are ignored. Throws a `UsageError`
 * (exit code 2) for an unknown flag, a missing value, an invalid number or a stray argument.
 *
 * @example
 * ```ts
 * import { parseFuzzArgs } from '@tensorgrad/fuzz';
 * const o = parseFuzzArgs(['--', '--seconds', '5', '--targets=ops/cpu,files', '--seed', '7']);
 * o === 'help' ? null : [o.seconds, o.targets, o.seed, o.verbose]; // [5, ['ops/cpu', 'files'], 7, false]
 * ```
 */
export function parseFuzzArgs(argv: readonly string[]): FuzzOptions | 'help' {
  let start = 0;
  while (argv[start] === '--') start++;
  const { tokens } = parseArgs({ args: argv.slice(start), options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  const o: FuzzOptions = { ...DEFAULT_FUZZ_OPTIONS };
  const known = Object.keys(FLAGS).map((f) => `--${f}`);
  let secondsGiven = false;
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      throw new UsageError(`unexpected argument ${JSON.stringify(t.value)}; expected only options (${known.join(', ')}), e.g. pnpm fuzz -- --seconds 60`);
    }
    if (t.name === 'help') return 'help';
    const spec = (FLAGS as Record<string, { type: 'string' | 'boolean' }>)[t.name];
    if (!spec) throw new UsageError(`unknown option ${JSON.stringify(t.rawName)}; expected one of ${known.join(', ')}`);
    const flag = `--${t.name}`;
    if (spec.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(`${t.rawName}=${t.value}`)}; write ${flag} alone`);
      o.verbose = true;
      continue;
    }
    const value = t.value;
    if (value === undefined || (!t.inlineValue && value.startsWith('--'))) throw new UsageError(`${flag}: expected a value after it (e.g. ${flag}=…)`);
    switch (t.name) {
      case 'seconds':
        o.seconds = integer(flag, value, 1, 7 * 24 * 3600, 'a whole number of seconds from 1 to 604800');
        secondsGiven = true;
        break;
      case 'targets': {
        const prefixes = value.split(',').map((p) => p.trim());
        if (prefixes.some((p) => p === '')) throw new UsageError(`--targets: expected comma-separated name prefixes such as ops/webgpu,files, got ${JSON.stringify(value)}`);
        o.targets = prefixes;
        break;
      }
      case 'seed':
        o.seed = integer(flag, value, 0, SEED_LIMIT - 1, `a seed from 0 to ${SEED_LIMIT - 1}`);
        break;
      case 'replay':
        o.replay = parseReplay(value);
        break;
      case 'case-timeout-ms':
        o.caseTimeoutMs = integer(flag, value, 1, 2 ** 31 - 1, 'a positive number of milliseconds');
        break;
      case 'json':
        if (!value) throw new UsageError('--json: expected a file name, e.g. --json fuzz-report.json');
        o.json = value;
        break;
    }
  }
  if (o.replay && (secondsGiven || o.targets || o.seed !== null)) {
    throw new UsageError('--replay runs exactly one case: expected it without --seconds, --targets or --seed; drop those or drop --replay');
  }
  return o;
}
