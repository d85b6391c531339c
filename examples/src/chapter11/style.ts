/**
 * The book's chapter 11 neural style transfer as a program: VGG19 features (torchvision's ImageNet
 * weights from `--weights`, else random), `LBFGS` on the image, the loss per iteration, the result
 * as PNG:
 *
 *     node examples/dist/chapter11/style.js [--weights vgg19-dcbb9e9d.pth] [--content FILE] [--style FILE]
 *                                           [--garment N] [--size N] [--iters N] [--out FILE]
 *
 * `pnpm --filter @tensorgrad/examples ch11:style` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMain } from '../run-main.js';
import { runStyleTransfer, type StyleTransferOptions } from './style-transfer.js';

/** The usage text printed by `--help` and after a bad argument. */
export const STYLE_USAGE = `usage: node examples/dist/chapter11/style.js [options]

--weights FILE   torchvision's VGG19 state dict (vgg19-dcbb9e9d.pth); without it VGG19 has random
                 weights: the loss falls but the picture needs the ImageNet weights
--content FILE   content image (PNG or JPEG; default a Fashion-MNIST test garment)
--style FILE     style image (default a generated pattern of stripes and circles)
--garment N      which Fashion-MNIST test image is the default content (default 0)
--size N         both images resized to N×N (default 512, the book's; use 64 or 128 on a CPU)
--iters N        closure evaluations in all, the book's max_iters (default 500)
--out FILE       the result (default examples/.generated/chapter11/style-transfer.png)`;

function whole(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected a whole number ≥ ${min}, got ${v}\n${STYLE_USAGE}`);
  return n;
}

/**
 * Parses the command line into {@link runStyleTransfer}'s options (`null` for `--help`); throws a
 * `RangeError` naming the bad argument, with the usage.
 *
 * @example
 * ```ts
 * import { parseStyleArgs } from './style.js';
 * parseStyleArgs(['--size', '64', '--iters', '40', '--weights', 'vgg19.pth']); // { weights: 'vgg19.pth', size: 64, maxIters: 40 }
 * parseStyleArgs(['-h']); // null
 * ```
 */
export function parseStyleArgs(argv: readonly string[]): StyleTransferOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        weights: { type: 'string' },
        content: { type: 'string' },
        style: { type: 'string' },
        garment: { type: 'string' },
        size: { type: 'string' },
        iters: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (e) {
    // node's message names the bad option; add what the program accepts
    throw new RangeError(`${(e as Error).message}\n${STYLE_USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return null;
  const o: StyleTransferOptions = {};
  for (const key of ['weights', 'content', 'style', 'out'] as const) {
    const value = v[key];
    if (value === undefined) continue;
    if (value === '') throw new RangeError(`--${key}: expected a file\n${STYLE_USAGE}`);
    o[key] = value;
  }
  const garment = whole('garment', v.garment, 0);
  if (garment !== undefined) o.garment = garment;
  const size = whole('size', v.size, 16);
  if (size !== undefined) o.size = size;
  const iters = whole('iters', v.iters, 1);
  if (iters !== undefined) o.maxIters = iters;
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseStyleArgs(process.argv.slice(2));
  if (options === null) {
    console.log(STYLE_USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter11', 'style-transfer.png');
    const r = await runStyleTransfer({ ...options, log: (line) => console.log(line) });
    console.log(`\nVGG19 features: ${r.parameters.toLocaleString('en-US')} parameters, ${r.pretrained ? 'ImageNet weights' : 'RANDOM weights (no --weights given)'}`);
    console.log(`loss: ${r.losses[0]!.toExponential(4)} at the first evaluation, ${r.losses.at(-1)!.toExponential(4)} after ${r.losses.length} (${r.seconds.toFixed(1)} s, ${r.size}×${r.size})`);
    console.log(`picture: ${r.picture}`);
  }
}
