/**
 * The book's chapter 12 GAN program: prints the summaries of the book's discriminator and
 * generator, trains them on Fashion-MNIST, prints the mean D and G losses of every epoch and
 * saves the generator's 8×8 grid of samples (fixed noise) after every epoch:
 *
 *     node examples/dist/chapter12/main.js [--epochs N] [--limit N] [--batch-size N] [--lr X]
 *                                          [--seed N] [--max-steps N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch12` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isMain } from '../run-main.js';
import { ganUsage, parseGanArgs } from './cli.js';
import { formatGan, runGan } from './gan.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = ganUsage('chapter12/main.js', { epochs: 10, out: 'examples/.generated/chapter12/gan/' });

if (isMain(import.meta.url)) {
  const options = parseGanArgs(process.argv.slice(2), USAGE);
  if (options === null) {
    console.log(USAGE);
  } else {
    const { limit, ...rest } = options;
    const out = options.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter12', 'gan');
    const result = await runGan({ ...rest, ...(limit !== undefined ? { data: limit } : {}), out, log: (line) => console.log(line) });
    console.log(formatGan(result));
  }
}
