// The tests that read the real Fashion-MNIST files run only where they are installed (Debian's
// dataset-fashion-mnist, which scripts/ensure-dataset.sh installs, or $TENSORGRAD_DATA); elsewhere
// they are skipped, and the reason is printed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

function complete(dir: string): boolean {
  return FILES.every((f) => existsSync(join(dir, f)) || existsSync(join(dir, `${f}.gz`)));
}

function missingReason(): string | null {
  const env = process.env.TENSORGRAD_DATA;
  const dirs = [...(env ? [join(env, 'FashionMNIST', 'raw'), join(env, 'FashionMNIST'), join(env, 'fashion-mnist'), env] : []), '/usr/share/datasets/fashion-mnist'];
  if (dirs.some(complete)) return null;
  return `the Fashion-MNIST files are not in ${dirs.join(', ')}: install Debian's dataset-fashion-mnist (bash scripts/ensure-dataset.sh) or set TENSORGRAD_DATA`;
}

/** Why the real data set is unavailable, or `null` when it is there. */
export const DATA_MISSING = missingReason();

/** For `describe.skipIf(NO_DATA)`: true where the real data set is not installed. */
export const NO_DATA = DATA_MISSING !== null;

if (DATA_MISSING) console.warn(`skipping the tests that read the real data set: ${DATA_MISSING}`);
