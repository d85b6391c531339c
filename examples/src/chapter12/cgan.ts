/**
 * The chapter 12 conditional GAN program: prints the summaries of the conditional discriminator
 * and generator, trains them on Fashion-MNIST with its 10 class labels, prints the mean D and G
 * losses of every epoch and saves a grid after every epoch (row k: 8 samples of class k):
 *
 *     node examples/dist/chapter12/cgan.js [--epochs N] [--limit N] [--batch-size N] [--lr X]
 *                                          [--seed N] [--max-steps N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch12:cgan` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isMain } from '../run-main.js';
import { ganUsage, parseGanArgs } from './cli.js';
import { runConditionalGan } from './conditional-gan.js';
import { BOOK_DISCRIMINATOR_PARAMETERS, BOOK_GENERATOR_PARAMETERS, formatGan } from './gan.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = ganUsage('chapter12/cgan.js', { epochs: 10, out: 'examples/.generated/chapter12/cgan/' });

if (isMain(import.meta.url)) {
  const options = parseGanArgs(process.argv.slice(2), USAGE);
  if (options === null) {
    console.log(USAGE);
  } else {
    const { limit, ...rest } = options;
    const out = options.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter12', 'cgan');
    const result = await runConditionalGan({ ...rest, ...(limit !== undefined ? { data: limit } : {}), out, log: (line) => console.log(line) });
    const reference = { discriminator: BOOK_DISCRIMINATOR_PARAMETERS + 10 * 1024 + 100, generator: BOOK_GENERATOR_PARAMETERS + 10 * 256 + 100, label: "the book's GAN + Embedding(10, 10) + 10 label inputs" };
    console.log(formatGan(result, { names: ['ConditionalDiscriminator', 'ConditionalGenerator'], reference }));
  }
}
