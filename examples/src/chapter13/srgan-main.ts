/**
 * The book's chapter 13 super-resolution program: trains the reference's SRResNet on the pixel MSE,
 * then the SRGAN (VGG19 content loss + 1e-3 × adversarial loss) on Fashion-MNIST low/high
 * resolution pairs, prints the models' summaries, the losses and the held-out PSNR of bicubic
 * up-sampling, the SRResNet and the SRGAN, and writes a grid (bicubic | SRResNet | SRGAN | high resolution):
 *
 *     node examples/dist/chapter13/srgan-main.js [--epochs N] [--gan-steps N] [--limit N]
 *          [--test-limit N] [--scale 2|4|8] [--channels N] [--blocks N] [--disc-channels N]
 *          [--fc-size N] [--batch-size N] [--lr X] [--gan-lr X] [--vgg I,J] [--vgg-weights FILE]
 *          [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch13:srgan` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTorch } from 'tensorgrad';
import { isMain } from '../run-main.js';
import { runSrgan, type SrganOptions } from './srgan.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter13/srgan-main.js [options]

--epochs N         SRResNet epochs on the pixel MSE (default 3)
--gan-steps N      SRGAN steps after them (default 100)
--limit N          training garments: the first N of Fashion-MNIST's training set (default 4000)
--test-limit N     held-out garments: the first N of the test set (default 500)
--scale S          up-scaling 2 (14→28), 4 (7→28, the book's; default) or 8
--channels N       generator channels (default 32; the book's 64)
--blocks N         generator residual blocks (default 4; the book's 16)
--disc-channels N  discriminator channels of the first block (default 16; the book's 64)
--fc-size N        discriminator fully connected width (default 256; the book's 1024)
--batch-size N     images per step (default 16)
--lr X             Adam's learning rate of the SRResNet stage (default 0.001)
--gan-lr X         Adam's learning rate of the SRGAN stage (default 0.0001)
--vgg I,J          VGG19 truncation of the content loss (default 5,4, the book's)
--vgg-weights FILE torchvision's vgg19-dcbb9e9d.pth for the content loss (random VGG19 weights without it)
--seed N           seed of the initialisation and the batch order (default 0)
--out DIR          where srgan-grid.png goes (default examples/.generated/chapter13/)`;

/** `SrganOptions` plus the path of the VGG19 weights. */
export type SrganCliOptions = SrganOptions & { vggWeightsPath?: string };

function int(name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected a ${min > 0 ? 'positive' : 'non-negative'} integer, got '${v}'\n${USAGE}`);
  return n;
}

function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new RangeError(`--${name}: expected a positive number, got '${v}'\n${USAGE}`);
  return n;
}

/**
 * Parses the command line (node:util's `parseArgs`) into {@link runSrgan}'s options (`null` for
 * `--help`); throws naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseSrganArgs } from './srgan-main.js';
 * parseSrganArgs(['--epochs', '2', '--scale', '2']); // { srresnetEpochs: 2, scalingFactor: 2 }
 * parseSrganArgs(['--help']); // null
 * ```
 */
export function parseSrganArgs(argv: readonly string[]): SrganCliOptions | null {
  const str = { type: 'string' } as const;
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      epochs: str,
      'gan-steps': str,
      limit: str,
      'test-limit': str,
      scale: str,
      channels: str,
      blocks: str,
      'disc-channels': str,
      'fc-size': str,
      'batch-size': str,
      lr: str,
      'gan-lr': str,
      vgg: str,
      'vgg-weights': str,
      seed: str,
      out: str,
    },
  });
  if (values.help) return null;
  const scale = int('scale', values.scale, 1);
  if (scale !== undefined && scale !== 2 && scale !== 4 && scale !== 8) throw new RangeError(`--scale: expected 2, 4 or 8, got ${scale}\n${USAGE}`);
  let vgg: [number, number] | undefined;
  if (values.vgg !== undefined) {
    const m = /^(\d+),(\d+)$/.exec(values.vgg);
    if (!m) throw new RangeError(`--vgg: expected I,J (e.g. 5,4), got '${values.vgg}'\n${USAGE}`);
    vgg = [Number(m[1]), Number(m[2])];
  }
  const o: SrganCliOptions = {
    vgg,
    srresnetEpochs: int('epochs', values.epochs),
    ganSteps: int('gan-steps', values['gan-steps']),
    train: int('limit', values.limit, 1),
    test: int('test-limit', values['test-limit'], 1),
    scalingFactor: scale,
    nChannels: int('channels', values.channels, 1),
    nBlocks: int('blocks', values.blocks),
    discChannels: int('disc-channels', values['disc-channels'], 1),
    fcSize: int('fc-size', values['fc-size'], 1),
    batchSize: int('batch-size', values['batch-size'], 1),
    lr: positiveNumber('lr', values.lr),
    ganLr: positiveNumber('gan-lr', values['gan-lr']),
    vggWeightsPath: values['vgg-weights'],
    seed: int('seed', values.seed),
    out: values.out,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as SrganCliOptions;
}

if (isMain(import.meta.url)) {
  let options: SrganCliOptions | null;
  try {
    options = parseSrganArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  if (options === null) {
    console.log(USAGE);
  } else {
    const { vggWeightsPath, ...rest } = options;
    rest.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter13');
    const vggWeights = vggWeightsPath ? await loadTorch(vggWeightsPath) : undefined;
    const started = Date.now();
    const r = await runSrgan({ ...rest, vggWeights, log: (line) => console.log(line) });
    console.log(
      `done in ${((Date.now() - started) / 1000).toFixed(0)} s (SRResNet ${r.seconds.srresnet.toFixed(0)} s, SRGAN ${r.seconds.srgan.toFixed(0)} s); ` +
        `held-out PSNR: bicubic ${r.psnr.bicubic.toFixed(2)} dB, SRResNet ${r.psnr.srresnet.toFixed(2)} dB, SRGAN ${r.psnr.srgan.toFixed(2)} dB`,
    );
  }
}
