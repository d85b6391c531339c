/**
 * The command line shared by the chapter 12 programs (`main.ts`, the GAN; `cgan.ts`, the
 * conditional GAN), parsed with `node:util`'s `parseArgs`.
 */
import { parseArgs } from 'node:util';

/** What the chapter 12 programs take from their command line. */
export interface GanCliOptions {
  /** `--epochs N`. */
  epochs?: number;
  /** `--limit N`: the first N Fashion-MNIST training images. */
  limit?: number;
  /** `--batch-size N`. */
  batchSize?: number;
  /** `--lr X`. */
  lr?: number;
  /** `--seed N`. */
  seed?: number;
  /** `--max-steps N`: steps per epoch at most. */
  maxSteps?: number;
  /** `--out DIR`: the folder of the per-epoch grids. */
  out?: string;
}

/**
 * The usage text of a chapter 12 program (`program` is its file, e.g. `chapter12/main.js`).
 *
 * @example
 * ```ts
 * import { ganUsage } from './cli.js';
 * ganUsage('chapter12/main.js', { epochs: 10, out: 'out/' }).split('\n')[0]; // 'usage: node examples/dist/chapter12/main.js [--epochs N] [--limit N] [--batch-size N] [--lr X] [--seed N] [--max-steps N] [--out DIR]'
 * ```
 */
export function ganUsage(program: string, defaults: { epochs: number; out: string }): string {
  return `usage: node examples/dist/${program} [--epochs N] [--limit N] [--batch-size N] [--lr X] [--seed N] [--max-steps N] [--out DIR]

--epochs N       training epochs (default ${defaults.epochs})
--limit N        use the first N Fashion-MNIST training images (default all 60000)
--batch-size N   images per step (default 128, the book's)
--lr X           Adam's learning rate of both networks (default 0.0002, the book's)
--seed N         seed of the initialisation, the noise and the batch order (default 0)
--max-steps N    at most N steps per epoch
--out DIR        where the per-epoch grids epoch-NNN.png go (default ${defaults.out})`;
}

/**
 * Parses a chapter 12 program's arguments (`null` for `--help`); throws a `RangeError` naming a
 * bad argument, followed by `usage`.
 *
 * @example
 * ```ts
 * import { parseGanArgs } from './cli.js';
 * parseGanArgs(['--epochs', '3', '--limit', '6000', '--batch-size', '64', '--out', 'grids'], 'usage'); // { epochs: 3, limit: 6000, batchSize: 64, out: 'grids' }
 * parseGanArgs(['-h'], 'usage'); // null
 * ```
 */
export function parseGanArgs(argv: readonly string[], usage: string): GanCliOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        epochs: { type: 'string' },
        limit: { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        'max-steps': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new RangeError(`${(e as Error).message}\n${usage}`);
  }
  if (values.help) return null;
  const o: GanCliOptions = {};
  const int = (flag: string, key: keyof GanCliOptions, min: number): void => {
    const v = values[flag];
    if (v === undefined) return;
    const n = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < min) throw new RangeError(`--${flag}: expected an integer ≥ ${min}, got ${String(v)}\n${usage}`);
    (o as Record<string, unknown>)[key] = n;
  };
  int('epochs', 'epochs', 1);
  int('limit', 'limit', 1);
  int('batch-size', 'batchSize', 1);
  if (values.lr !== undefined) {
    const n = Number(values.lr);
    if (typeof values.lr !== 'string' || !(n > 0) || !Number.isFinite(n)) throw new RangeError(`--lr: expected a positive number, got ${String(values.lr)}\n${usage}`);
    o.lr = n;
  }
  int('seed', 'seed', 0);
  int('max-steps', 'maxSteps', 1);
  if (typeof values.out === 'string') o.out = values.out;
  return o;
}
