/**
 * The book's chapter 11 autoencoder program: trains the dense autoencoder for each latent size
 * and the convolutional autoencoder on Fashion-MNIST, prints each model's summary, the losses per
 * epoch and the validation loss per latent size, and draws the reconstructions:
 *
 *     node examples/dist/chapter11/main.js [--epochs N] [--limit N] [--val-limit N]
 *                                          [--latents 2,3,5,10,50] [--no-conv] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch11` does the same after a build.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isMain } from '../run-main.js';
import { formatAutoEncoders, runAutoEncoders, type AutoEncodersOptions } from './autoencoders.js';
import { positiveInt, positiveIntList, withUsage } from './cli.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter11/main.js [--epochs N] [--limit N] [--val-limit N] [--latents 2,3,5,10,50] [--no-conv] [--seed N] [--out DIR]

--epochs N        epochs of each model (default 5, the book's)
--limit N         Fashion-MNIST training images (default 12000 of 60000)
--val-limit N     Fashion-MNIST test images used for validation (default 10000, all)
--latents LIST    latent sizes of the dense autoencoder (default 2,3,5,10,50)
--no-conv         skip the convolutional autoencoder
--seed N          seed of the initialisations and batch orders (default 0)
--out DIR         where reconstructions.png goes (default examples/.generated/chapter11/)`;

/**
 * Parses the command line into {@link runAutoEncoders}' options (`null` for `--help`); throws a
 * `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseChapter11Args } from './main.js';
 * parseChapter11Args(['--epochs', '2', '--latents', '2,50', '--no-conv']); // { epochs: 2, latents: [2, 50], conv: false }
 * parseChapter11Args(['--help']); // null
 * ```
 */
export function parseChapter11Args(argv: readonly string[]): AutoEncodersOptions | null {
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
          latents: { type: 'string' },
          'no-conv': { type: 'boolean' },
          seed: { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }),
    USAGE,
  );
  if (values.help) return null;
  const o: AutoEncodersOptions = {};
  const epochs = positiveInt('--epochs', values.epochs, USAGE);
  if (epochs !== undefined) o.epochs = epochs;
  const limit = positiveInt('--limit', values.limit, USAGE);
  if (limit !== undefined) o.train = limit;
  const valLimit = positiveInt('--val-limit', values['val-limit'], USAGE);
  if (valLimit !== undefined) o.val = valLimit;
  const latents = positiveIntList('--latents', values.latents, USAGE);
  if (latents !== undefined) o.latents = latents;
  if (values['no-conv']) o.conv = false;
  if (values.seed !== undefined) {
    const s = Number(values.seed);
    if (!Number.isInteger(s) || s < 0) throw new RangeError(`--seed: expected a non-negative integer, got ${values.seed}\n${USAGE}`);
    o.seed = s;
  }
  if (values.out !== undefined) o.out = values.out;
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseChapter11Args(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter11');
    const result = await runAutoEncoders({ ...options, log: (line) => console.log(line) });
    console.log(`\n${formatAutoEncoders(result)}`);
  }
}
