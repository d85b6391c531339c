/**
 * The book's chapter 12 DCGAN program: prints the torchsummary tables and parameter counts of
 * the discriminator and the generator, trains them on Fashion-MNIST with the book's recipe and
 * prints the losses per epoch, writing a grid of generated garments after every epoch:
 *
 *     node examples/dist/chapter12/dcgan-main.js [--epochs N] [--limit N] [--batch-size N]
 *                                                [--size 28|64] [--seed N] [--out DIR]
 *                                                [--grid-mode eval|train|both]
 *
 * `pnpm --filter @tensorgrad/examples ch12:dcgan` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMain } from '../run-main.js';
import { formatDcgan, trainDcgan, type TrainDcganOptions } from './dcgan.js';

/** The usage text printed by `--help` and after a bad argument. */
export const DCGAN_USAGE = `usage: node examples/dist/chapter12/dcgan-main.js [--epochs N] [--limit N] [--batch-size N] [--size 28|64] [--seed N] [--out DIR] [--grid-mode eval|train|both]

--epochs N       epochs (default 5; the book trains 25)
--limit N        Fashion-MNIST training images to use (default all 60,000)
--batch-size N   images per step (default 64, the book's)
--size 28|64     28: the small one-channel DCGAN on the garments as they are (default);
                 64: the book's networks, the garments resized to 64×64 and repeated to 3 channels
--seed N         seed of the initialisation, the noise and the batch order (default 0)
--out DIR        where the per-epoch grids go (default examples/.generated/chapter12/dcgan/)
--grid-mode M    the generator's mode for the grids: eval (default, the book's generator.eval()),
                 train (batch statistics of the 64 samples) or both (epoch-NN.png and epoch-NN-train.png)`;

function integer(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected an integer ≥ ${min}, got ${v}\n${DCGAN_USAGE}`);
  return n;
}

/**
 * Parses the command line into {@link trainDcgan}'s options (`null` for `--help`); throws a
 * `RangeError`/`TypeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseDcganArgs } from './dcgan-main.js';
 * Object.entries(parseDcganArgs(['--epochs', '2', '--limit', '1000', '--size', '64'])!); // [['epochs', 2], ['images', 1000], ['size', 64]]
 * parseDcganArgs(['--help']); // null
 * ```
 */
export function parseDcganArgs(argv: readonly string[]): TrainDcganOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        epochs: { type: 'string' },
        limit: { type: 'string' },
        'batch-size': { type: 'string' },
        size: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'grid-mode': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new TypeError(`${(e as Error).message}\n${DCGAN_USAGE}`);
  }
  if (values.help) return null;
  const o: TrainDcganOptions = {};
  const epochs = integer('epochs', values.epochs as string | undefined, 1);
  if (epochs !== undefined) o.epochs = epochs;
  const limit = integer('limit', values.limit as string | undefined, 2);
  if (limit !== undefined) o.images = limit;
  const batchSize = integer('batch-size', values['batch-size'] as string | undefined, 2);
  if (batchSize !== undefined) o.batchSize = batchSize;
  if (values.size !== undefined) {
    if (values.size !== '28' && values.size !== '64') throw new RangeError(`--size: expected 28 or 64, got ${String(values.size)}\n${DCGAN_USAGE}`);
    o.size = Number(values.size) as 28 | 64;
  }
  const seed = integer('seed', values.seed as string | undefined, 0);
  if (seed !== undefined) o.seed = seed;
  if (values.out !== undefined) o.out = values.out as string;
  const gridMode = values['grid-mode'];
  if (gridMode !== undefined) {
    if (gridMode !== 'eval' && gridMode !== 'train' && gridMode !== 'both') throw new RangeError(`--grid-mode: expected eval, train or both, got ${String(gridMode)}\n${DCGAN_USAGE}`);
    o.gridMode = gridMode;
  }
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseDcganArgs(process.argv.slice(2));
  if (options === null) {
    console.log(DCGAN_USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter12', 'dcgan');
    const result = await trainDcgan({ ...options, log: (line) => console.log(line) });
    console.log(formatDcgan(result));
  }
}
