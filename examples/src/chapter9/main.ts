/**
 * The book's chapter 9 program: trains a U-Net on generated Fashion-MNIST scenes and prints the
 * training loss, the held-out per-class IoU, mean IoU and pixel accuracy, and writes pictures of
 * the predicted masks:
 *
 *     node examples/dist/chapter9/main.js [--epochs N] [--limit N] [--test-limit N] [--size N]
 *                                         [--base N] [--depth N] [--batch-size N] [--lr X]
 *                                         [--max-steps N] [--model unet|vgg] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch9` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isMain } from '../run-main.js';
import { formatSegmentation, runSegmentation, type SegmentationOptions } from './segmentation.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter9/main.js [--epochs N] [--limit N] [--test-limit N] [--size N] [--base N] [--depth N] [--batch-size N] [--lr X] [--max-steps N] [--model unet|vgg] [--seed N] [--out DIR]

--epochs N       training epochs (default 5)
--limit N        training scenes generated from the Fashion-MNIST training garments (default 2000)
--test-limit N   held-out scenes generated from the Fashion-MNIST test garments (default 500)
--size N         canvas size in pixels (default 64; a multiple of 32 with --model vgg)
--base N         channels of the U-Net's first stage (default 16)
--depth N        down-samplings of the U-Net (default 3)
--batch-size N   scenes per step (default 16)
--lr X           Adam's learning rate (default 0.001)
--max-steps N    stop after N training steps in all
--model NAME     unet (default; the classic U-Net) or vgg (the book's UNetVgg16Bn: 29 M parameters, slow on a CPU)
--seed N         seed of the scenes, the initialisation and the batch order (default 0)
--out DIR        where the pictures go (default examples/.generated/chapter9/)`;

/**
 * Parses the command line into {@link runSegmentation}'s options (`null` for `--help`); throws a
 * `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseChapter9Args } from './main.js';
 * parseChapter9Args(['--epochs', '2', '--limit', '100', '--model', 'vgg']); // { epochs: 2, train: 100, model: 'vgg' }
 * parseChapter9Args(['--help']); // null
 * ```
 */
export function parseChapter9Args(argv: readonly string[]): SegmentationOptions | null {
  const o: SegmentationOptions = {};
  const ints: Record<string, keyof SegmentationOptions> = {
    '--epochs': 'epochs',
    '--limit': 'train',
    '--test-limit': 'test',
    '--size': 'size',
    '--base': 'baseChannels',
    '--depth': 'depth',
    '--batch-size': 'batchSize',
    '--max-steps': 'maxSteps',
    '--seed': 'seed',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return null;
    const v = argv[i + 1];
    if (a in ints) {
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 0) throw new RangeError(`${a}: expected a non-negative integer, got ${v ?? 'nothing'}\n${USAGE}`);
      (o as Record<string, unknown>)[ints[a]!] = n;
    } else if (a === '--lr') {
      const n = Number(v);
      if (v === undefined || !(n > 0)) throw new RangeError(`--lr: expected a positive number, got ${v ?? 'nothing'}\n${USAGE}`);
      o.lr = n;
    } else if (a === '--model') {
      if (v !== 'unet' && v !== 'vgg') throw new RangeError(`--model: expected unet or vgg, got ${v ?? 'nothing'}\n${USAGE}`);
      o.model = v;
    } else if (a === '--out') {
      if (v === undefined) throw new RangeError(`--out: expected a folder\n${USAGE}`);
      o.out = v;
    } else {
      throw new RangeError(`unknown argument ${a}\n${USAGE}`);
    }
    i++;
  }
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseChapter9Args(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter9');
    const result = await runSegmentation({ ...options, log: (line) => console.log(line) });
    console.log(formatSegmentation(result));
  }
}
