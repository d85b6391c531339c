/**
 * The book's chapter 11 VAE program: trains the 784-512-256-z50 VAE on Fashion-MNIST, prints its
 * summary and the book's per-epoch loss, reconstruction and KL columns, and writes a grid of 64
 * garments decoded from the prior N(0, I) and a grid of reconstructions:
 *
 *     node examples/dist/chapter11/vae.js [--epochs N] [--limit N] [--val-limit N] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch11:vae` does the same after a build.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isMain } from '../run-main.js';
import { positiveInt, withUsage } from './cli.js';
import { formatVAE, runVAE, type VAERunOptions } from './variational.js';

/** The usage text printed by `--help` and after a bad argument. */
export const VAE_USAGE = `usage: node examples/dist/chapter11/vae.js [--epochs N] [--limit N] [--val-limit N] [--seed N] [--out DIR]

--epochs N        epochs (default 5; the book trains 10)
--limit N         Fashion-MNIST training images (default 10000 of 60000)
--val-limit N     Fashion-MNIST test images used for validation (default 2000)
--seed N          seed of the initialisation, batch order and prior samples (default 0)
--out DIR         where vae-samples.png and vae-reconstructions.png go (default examples/.generated/chapter11/)`;

/**
 * Parses the command line into {@link runVAE}'s options (`null` for `--help`); throws a
 * `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseVAEArgs } from './vae.js';
 * parseVAEArgs(['--epochs', '10', '--limit', '60000']); // { epochs: 10, train: 60000 }
 * parseVAEArgs(['-h']); // null
 * ```
 */
export function parseVAEArgs(argv: readonly string[]): VAERunOptions | null {
  const { values } = withUsage(
    () =>
      parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          epochs: { type: 'string' },
          limit: { type: 'string' },
          'val-limit': { type: 'string' },
          seed: { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }),
    VAE_USAGE,
  );
  if (values.help) return null;
  const o: VAERunOptions = {};
  const epochs = positiveInt('--epochs', values.epochs, VAE_USAGE);
  if (epochs !== undefined) o.epochs = epochs;
  const limit = positiveInt('--limit', values.limit, VAE_USAGE);
  if (limit !== undefined) o.train = limit;
  const valLimit = positiveInt('--val-limit', values['val-limit'], VAE_USAGE);
  if (valLimit !== undefined) o.val = valLimit;
  if (values.seed !== undefined) {
    const s = Number(values.seed);
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`--seed: expected a non-negative integer, got ${values.seed}\n${VAE_USAGE}`);
    o.seed = s;
  }
  if (values.out !== undefined) o.out = values.out;
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseVAEArgs(process.argv.slice(2));
  if (options === null) {
    console.log(VAE_USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter11');
    const result = await runVAE({ ...options, log: (line) => console.log(line) });
    console.log(`\n${formatVAE(result)}`);
  }
}
