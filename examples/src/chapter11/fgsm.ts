/**
 * The book's chapter 11 adversarial attack as a program: trains the chapter 4 CNN on Fashion-MNIST
 * for a short while (or loads its weights), prints its summary, the test accuracy before the
 * attack and after untargeted FGSM for each ε, the book's targeted attack on one image, and writes
 * the pictures:
 *
 *     node examples/dist/chapter11/fgsm.js [--epochs N] [--limit N] [--test-limit N] [--epsilons LIST]
 *                                          [--weights FILE] [--target-image N] [--target-epsilon X]
 *                                          [--target-steps N] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch11:fgsm` does the same after a build.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMain } from '../run-main.js';
import { formatFgsm, runFgsm, type FgsmRunOptions } from './adversarial.js';

/** The usage text printed by `--help` and after a bad argument. */
export const FGSM_USAGE = `usage: node examples/dist/chapter11/fgsm.js [options]

--epochs N           training epochs of the chapter 4 CNN (default 1)
--limit N            Fashion-MNIST training images used (default 10000)
--test-limit N       test images attacked (default 2000)
--batch-size N       images per training step (default 32)
--lr X               Adam's learning rate (default 0.001)
--epsilons LIST      comma-separated ε of the untargeted attack (default 0,0.01,0.02,0.05,0.1,0.2)
--weights FILE       the CNN's state dict (.safetensors or PyTorch .pth, keys 0.weight … 9.bias): no training
--target-image N     test image of the targeted attack (default 0)
--target-epsilon X   ε of each targeted step (default 0.01)
--target-steps N     targeted steps (default 10, the book's)
--seed N             seed of the initialisation and the batch order (default 0)
--out DIR            where the pictures go (default examples/.generated/chapter11/)`;

function wholeNumber(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected a whole number ≥ ${min}, got ${v}\n${FGSM_USAGE}`);
  return n;
}

function positive(name: string, v: string | undefined, allowZero = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new RangeError(`--${name}: expected a ${allowZero ? 'number ≥ 0' : 'positive number'}, got ${v}\n${FGSM_USAGE}`);
  }
  return n;
}

/**
 * Parses the command line into {@link runFgsm}'s options (`null` for `--help`); throws a
 * `RangeError` naming the bad argument, with the usage.
 *
 * @example
 * ```ts
 * import { parseFgsmArgs } from './fgsm.js';
 * parseFgsmArgs(['--epochs', '2', '--epsilons', '0,0.1']); // { epochs: 2, epsilons: [0, 0.1] }
 * parseFgsmArgs(['--help']); // null
 * ```
 */
export function parseFgsmArgs(argv: readonly string[]): FgsmRunOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        epochs: { type: 'string' },
        limit: { type: 'string' },
        'test-limit': { type: 'string' },
        'batch-size': { type: 'string' },
        lr: { type: 'string' },
        epsilons: { type: 'string' },
        weights: { type: 'string' },
        'target-image': { type: 'string' },
        'target-epsilon': { type: 'string' },
        'target-steps': { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (e) {
    // node's message names the bad option; add what the program accepts
    throw new RangeError(`${(e as Error).message}\n${FGSM_USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return null;
  const o: FgsmRunOptions = {};
  const set = <K extends keyof FgsmRunOptions>(key: K, value: FgsmRunOptions[K] | undefined): void => {
    if (value !== undefined) o[key] = value;
  };
  set('epochs', wholeNumber('epochs', v.epochs, 1));
  set('limit', wholeNumber('limit', v.limit, 1));
  set('testLimit', wholeNumber('test-limit', v['test-limit'], 1));
  set('batchSize', wholeNumber('batch-size', v['batch-size'], 1));
  set('lr', positive('lr', v.lr));
  if (v.epsilons !== undefined) {
    o.epsilons = v.epsilons.split(',').map((e) => positive('epsilons', e, true)!);
  }
  if (v.weights !== undefined) {
    if (v.weights === '') throw new RangeError(`--weights: expected a file\n${FGSM_USAGE}`);
    o.weights = v.weights;
  }
  set('targetImage', wholeNumber('target-image', v['target-image'], 0));
  set('targetEpsilon', positive('target-epsilon', v['target-epsilon']));
  set('targetSteps', wholeNumber('target-steps', v['target-steps'], 1));
  set('seed', wholeNumber('seed', v.seed, 0));
  if (v.out !== undefined) o.out = v.out;
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseFgsmArgs(process.argv.slice(2));
  if (options === null) {
    console.log(FGSM_USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter11');
    const started = performance.now();
    const result = await runFgsm({ ...options, log: (line) => console.log(line) });
    console.log(`\n${formatFgsm(result)}`);
    console.log(`\npictures: ${result.pictures.join(', ')}`);
    console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s (training ${result.trainSeconds.toFixed(1)} s)`);
  }
}
