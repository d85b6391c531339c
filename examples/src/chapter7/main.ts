/**
 * The book's chapter 7 (basics of object detection) as one program:
 *
 *     node examples/dist/chapter7/main.js [basics|rcnn|frcnn|all ...] [--limit N] [--test-limit N]
 *                                         [--epochs N] [--size N] [--crop N] [--seed N]
 *                                         [--out DIR] [--json FILE] [--quiet]
 *
 * `basics` works IoU, NMS and mAP by hand and with the library; `rcnn` and `fast-rcnn` train the
 * book's two detectors on generated Fashion-MNIST scenes and report mAP@0.5 on held-out ones.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMain } from '../run-main.js';
import { formatBasics, runBasics, type BasicsResult } from './basics.js';
import { formatDetector, runDetector, type DetectorRunResult } from './experiment.js';

/** Where the prediction pictures go by default: `examples/.generated/chapter7/`, wherever the program is started from. */
export const DEFAULT_OUT = fileURLToPath(new URL('../../.generated/chapter7', import.meta.url));

/** The parts of the program, in the order `all` runs them. */
export const PARTS = ['basics', 'rcnn', 'frcnn'] as const;

/** What the command line asked for. */
export interface Chapter7Args {
  /** The parts to run. */
  parts: (typeof PARTS)[number][];
  /** Training scenes (default 500). */
  limit?: number;
  /** Held-out scenes (default 100). */
  testLimit?: number;
  /** Epochs (default 5). */
  epochs?: number;
  /** Scene side (default 64). */
  size?: number;
  /** R-CNN crop side (default 32). */
  crop?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Folder for the PNGs (default `examples/.generated/chapter7`). */
  out: string;
  /** Also write the results as JSON here. */
  json?: string;
  /** No progress lines. */
  quiet: boolean;
  /** Print the usage. */
  help: boolean;
}

/** The usage text. */
export const USAGE = `usage: node examples/dist/chapter7/main.js [basics|rcnn|frcnn|all ...] [--limit N] [--test-limit N] [--epochs N] [--size N] [--crop N] [--seed N] [--out DIR] [--json FILE] [--quiet]

  basics   IoU, NMS and mAP worked by hand and with boxIou, nms, MeanAveragePrecision
  rcnn     the book's R-CNN: selective search, crops, small conv backbone, cls + bbox heads
  frcnn    the book's Fast R-CNN: one backbone pass, RoIPool over the proposals

--limit N        training scenes (default 500)
--test-limit N   held-out scenes mAP@0.5 is measured on (default 100)
--epochs N       epochs (default 5, the book's)
--size N         side of the square scenes (default 64)
--crop N         side of R-CNN's crops (default 32; the book's 224)
--seed N         seed of the weights and batch order (default 0)
--out DIR        folder for the prediction PNGs (default examples/.generated/chapter7)
--json FILE      also write the results to FILE
--quiet          no per-epoch progress`;

function whole(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new RangeError(`${flag}: expected a whole number >= ${min}, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  }
  return n;
}

/**
 * Parses the program's arguments; a bad one throws a `RangeError` naming it and the choices.
 *
 * @example
 * ```ts
 * import { parseChapter7Args } from './main.js';
 * parseChapter7Args([]).parts; // ['basics', 'rcnn', 'frcnn']
 * const a = parseChapter7Args(['rcnn', '--epochs', '2', '--limit=50']);
 * [a.parts, a.epochs, a.limit]; // [['rcnn'], 2, 50]
 * ```
 */
export function parseChapter7Args(argv: readonly string[]): Chapter7Args {
  const args: Chapter7Args = { parts: [], out: DEFAULT_OUT, quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--limit':
        args.limit = whole(flag, value(), 1);
        break;
      case '--test-limit':
        args.testLimit = whole(flag, value(), 1);
        break;
      case '--epochs':
        args.epochs = whole(flag, value(), 1);
        break;
      case '--size':
        args.size = whole(flag, value(), 16);
        break;
      case '--crop':
        args.crop = whole(flag, value(), 8);
        break;
      case '--seed':
        args.seed = whole(flag, value(), 0);
        break;
      case '--out': {
        const v = value();
        if (!v) throw new RangeError('--out: expected a folder name');
        args.out = v;
        break;
      }
      case '--json': {
        const v = value();
        if (!v) throw new RangeError('--json: expected a file name');
        args.json = v;
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
        if (arg.startsWith('-')) throw new RangeError(`unknown option '${arg}'; the options are --limit, --test-limit, --epochs, --size, --crop, --seed, --out, --json, --quiet, --help`);
        if (arg === 'all') args.parts.push(...PARTS);
        else if ((PARTS as readonly string[]).includes(arg)) args.parts.push(arg as (typeof PARTS)[number]);
        else throw new RangeError(`unknown part '${arg}'; choose from ${PARTS.join(', ')} or all`);
    }
  }
  if (args.parts.length === 0) args.parts = [...PARTS];
  args.parts = [...new Set(args.parts)];
  return args;
}

/**
 * Runs the parts the arguments name and prints each report with `print`; returns the results.
 *
 * @example
 * ```ts
 * import { parseChapter7Args, runChapter7 } from './main.js';
 * const lines: string[] = [];
 * const [basics] = await runChapter7(parseChapter7Args(['basics', '--quiet']), (l) => lines.push(l));
 * basics!.name; // 'basics'
 * ```
 */
export async function runChapter7(args: Chapter7Args, print: (line: string) => void = console.log): Promise<(BasicsResult | DetectorRunResult)[]> {
  const results: (BasicsResult | DetectorRunResult)[] = [];
  for (const part of args.parts) {
    if (part === 'basics') {
      const r = await runBasics();
      results.push(r);
      print(formatBasics(r));
    } else {
      const r = await runDetector(part, {
        limit: args.limit,
        testLimit: args.testLimit,
        epochs: args.epochs,
        size: args.size,
        cropSize: args.crop,
        seed: args.seed,
        out: args.out,
        ...(args.quiet ? {} : { log: print }),
      });
      results.push(r);
      print(formatDetector(r));
    }
    print('');
  }
  return results;
}

async function main(argv: readonly string[]): Promise<void> {
  let args: Chapter7Args;
  try {
    args = parseChapter7Args(argv);
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
  console.log(`tensorgrad: Modern Computer Vision with PyTorch, chapter 7 (${args.parts.join(', ')})\n`);
  const results = await runChapter7(args);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify({ args, results }, null, 2)}\n`);
    console.log(`results written to ${args.json}`);
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
