/**
 * Runs the book's chapter 3 experiments and the chapter 4–6 ones (transfer learning, translation
 * augmentation, batch normalisation in the CNN, Grad-CAM heatmaps as PNGs) on Fashion-MNIST and prints, per experiment, a
 * table of its results (for chapter 3: each variant's final training and validation accuracy and
 * loss):
 *
 *     node examples/dist/experiments.js [name ...|all] [--epochs N] [--limit N] [--test-limit N]
 *                                       [--seed N] [--json FILE] [--out DIR] [--quiet]
 *
 * `pnpm --filter @tensorgrad/examples experiments -- scaling --epochs 1` does the same after a
 * build.
 */
import { writeFileSync } from 'node:fs';
import { memory } from 'tensorgrad';
import { EXPERIMENTS, formatResult, ImageSplits, type ExperimentResult } from './chapter3/index.js';
import { CHAPTER5_6_EXPERIMENTS, type BookExperiment, type BookResult } from './chapter5-6/index.js';
import { isMain } from './run-main.js';

/** Every experiment the runner knows: chapter 3's, then chapters 4–6's. */
export const RUNNABLE: readonly BookExperiment[] = [
  ...EXPERIMENTS.map((e) => ({ ...e, format: (result: BookResult) => formatResult(result as ExperimentResult) })),
  ...CHAPTER5_6_EXPERIMENTS,
];

/** What the command line asked for. */
export interface ExperimentArgs {
  /** The experiments to run, in order (every one for `all` or no name). */
  names: string[];
  /** Epochs per variant (default: the book's). */
  epochs?: number;
  /** Training images (default: all 60,000). */
  limit?: number;
  /** Validation images (default: all 10,000). */
  testLimit?: number;
  /** Seed of the initialisation and batch order (default 0). */
  seed?: number;
  /** Also write the results, per-epoch history included, as JSON to this file. */
  json?: string;
  /** Folder for the files experiments write (`cam`'s PNGs; default `examples/.generated/cam/`). */
  out?: string;
  /** Print the tables only, no per-epoch progress. */
  quiet: boolean;
  /** Print the usage and exit. */
  help: boolean;
}

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/experiments.js [name ...|all] [--epochs N] [--limit N] [--test-limit N] [--seed N] [--json FILE] [--out DIR] [--quiet]

experiments (epochs per variant by default in brackets; for chapter 3 the book's):
${RUNNABLE.map((e) => `  ${e.name.padEnd(15)} [${e.bookEpochs}] ${e.notebook}`).join('\n')}

--epochs N       epochs per variant instead of the book's (transfer: the fine-tuning epochs; its pretraining takes 3)
--limit N        train on the first N of the 60,000 training images
--test-limit N   validate on the first N of the 10,000 test images
--seed N         seed of the weight initialisation and the batch order (default 0)
--json FILE      also write every result (with per-epoch history) to FILE
--out DIR        where cam writes its PNGs (default examples/.generated/cam/)
--quiet          no per-epoch progress lines`;

function whole(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new RangeError(`${flag}: expected a whole number >= ${min}, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  }
  return n;
}

/**
 * Parses the runner's arguments (without `node` and the script); throws a `RangeError` that names
 * the bad argument and the valid choices.
 *
 * @example
 * ```ts
 * import { parseExperimentArgs } from './experiments.js';
 * const args = parseExperimentArgs(['scaling', '--epochs', '1', '--limit=2000']);
 * args.names; // ['scaling']
 * args.epochs; // 1
 * args.limit; // 2000
 * parseExperimentArgs([]).names.length; // 13
 * parseExperimentArgs(['cam', '--out', 'pngs']).out; // 'pngs'
 * ```
 */
export function parseExperimentArgs(argv: readonly string[]): ExperimentArgs {
  const args: ExperimentArgs = { names: [], quiet: false, help: false };
  const known = new Map(RUNNABLE.map((e) => [e.name, e]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--epochs':
        args.epochs = whole(flag, value(), 1);
        break;
      case '--limit':
        args.limit = whole(flag, value(), 1);
        break;
      case '--test-limit':
        args.testLimit = whole(flag, value(), 1);
        break;
      case '--seed':
        args.seed = whole(flag, value(), 0);
        break;
      case '--json': {
        const file = value();
        if (!file) throw new RangeError('--json: expected a file name');
        args.json = file;
        break;
      }
      case '--out': {
        const dir = value();
        if (!dir) throw new RangeError('--out: expected a folder name');
        args.out = dir;
        break;
      }
      case '--quiet':
        args.quiet = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new RangeError(`unknown option '${arg}'; the options are --epochs, --limit, --test-limit, --seed, --json, --out, --quiet, --help`);
        if (arg === 'all') args.names.push(...RUNNABLE.map((e) => e.name));
        else if (known.has(arg)) args.names.push(arg);
        else throw new RangeError(`unknown experiment '${arg}'; choose from ${RUNNABLE.map((e) => e.name).join(', ')} or all`);
    }
  }
  if (args.names.length === 0) args.names = RUNNABLE.map((e) => e.name);
  args.names = [...new Set(args.names)];
  return args;
}

/**
 * Runs the experiments named in `args`, loading Fashion-MNIST once for all of them, and prints
 * each table with `print` as soon as it is done; returns the results.
 *
 * @example
 * ```ts
 * import { ImageSplits, type ExperimentResult } from './chapter3/index.js';
 * import { runExperiments } from './experiments.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const lines: string[] = [];
 * const [result] = await runExperiments({ names: ['scaling'], epochs: 1, quiet: true, help: false }, (l) => lines.push(l), data);
 * (result as ExperimentResult).variants.length; // 2
 * lines[0]!.startsWith('scaling:'); // true
 * data.dispose();
 * ```
 */
export async function runExperiments(args: ExperimentArgs, print: (line: string) => void = console.log, data?: ImageSplits): Promise<BookResult[]> {
  const shared = data ?? (await ImageSplits.loadFashionMnist({ limit: args.limit, testLimit: args.testLimit }));
  const results: BookResult[] = [];
  try {
    for (const name of args.names) {
      const entry = RUNNABLE.find((e) => e.name === name);
      if (!entry) throw new RangeError(`unknown experiment '${name}'; choose from ${RUNNABLE.map((e) => e.name).join(', ')}`);
      const result = await entry.run({
        data: shared,
        limit: args.limit,
        testLimit: args.testLimit,
        epochs: args.epochs,
        seed: args.seed,
        ...(args.out === undefined ? {} : { out: args.out }),
        ...(args.quiet ? {} : { log: print }),
      });
      results.push(result);
      print(entry.format(result));
      print('');
    }
  } finally {
    if (!data) shared.dispose();
  }
  return results;
}

async function main(argv: readonly string[]): Promise<void> {
  let args: ExperimentArgs;
  try {
    args = parseExperimentArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  console.log(
    `tensorgrad: Modern Computer Vision with PyTorch, chapter 3-6 experiments on Fashion-MNIST (${args.names.join(', ')})` +
      `; epochs: ${args.epochs ?? "the book's"}, training images: ${args.limit ?? 60000}, validation images: ${args.testLimit ?? 10000}, seed ${args.seed ?? 0}\n`,
  );
  const results = await runExperiments(args);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ args, results }, null, 2)}\n`);
    console.log(`results written to ${args.json}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; live tensors left: ${memory().numTensors}`);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
