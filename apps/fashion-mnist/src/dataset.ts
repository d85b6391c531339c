import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FashionMNIST, tidy, type MNISTOptions, type Tensor } from 'tensorgrad';

/** Debian's package with the Fashion-MNIST files (installs them into /usr/share/datasets/fashion-mnist). */
export const DEBIAN_PACKAGE = 'dataset-fashion-mnist';

/** One split of Fashion-MNIST, scaled once for training. */
export interface FashionData {
  /** float32 `[N, 1, 28, 28]`, the pixels divided by 255 (so in [0, 1]). */
  readonly images: Tensor;
  /** int32 `[N]`, class indices 0–9. */
  readonly labels: Tensor;
  /** The class names, indexed by label (`'T-shirt/top'`, `'Trouser'`, …). */
  readonly classes: readonly string[];
  /** The number of images. */
  readonly length: number;
  /** Frees `images` and `labels`. */
  dispose(): void;
}

/** Options of {@link loadFashionData}. */
export interface LoadFashionDataOptions {
  /** The 60,000 training images (default) or, when false, the 10,000 test images. */
  train?: boolean;
  /** Keep only the first `limit` images (default all); more than the split has is an error. */
  limit?: number | null;
  /** A folder to look in first (`FashionMNIST.load`'s `root`). */
  root?: string | null;
  /** Install the Debian package when the files are missing and the machine allows it (default true). */
  install?: boolean;
  /** Where progress messages go (default `console.error`). */
  log?: (line: string) => void;
  /** @internal How the dataset is loaded and installed (tests replace these). */
  deps?: EnsureDeps;
}

/** The system operations {@link ensureFashionMNIST} uses; tests pass fakes. */
export interface EnsureDeps {
  /** Loads a split (default `FashionMNIST.load`). */
  load?: (options: MNISTOptions<Tensor, number>) => Promise<FashionMNIST>;
  /** Whether this process may run apt-get (default: root, Debian, apt-get on PATH); a string says why not. */
  canInstall?: () => true | string;
  /** Runs `apt-get <args>`; returns its exit status (default spawnSync with the output shown). */
  aptGet?: (args: string[]) => number;
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * Whether this process can install the Debian package itself: it runs as root, on Debian (or a
 * derivative), with apt-get on the PATH. Returns `true`, or the reason it cannot.
 *
 * @example
 * ```ts
 * import { canAptInstall } from '@tensorgrad/fashion-mnist';
 * const can = canAptInstall();
 * can === true || typeof can === 'string'; // true
 * ```
 */
export function canAptInstall(): true | string {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root';
  if (!existsSync('/etc/debian_version')) return 'not a Debian system (no /etc/debian_version)';
  if (!onPath('apt-get')) return 'apt-get is not on the PATH';
  return true;
}

function runAptGet(args: string[]): number {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) throw new Error(`could not run apt-get ${args.join(' ')}: ${r.error.message}`);
  return r.status ?? 1;
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && /cannot find the/.test(e.message);
}

/**
 * Loads a Fashion-MNIST split with `FashionMNIST.load`, and when its files are nowhere to be found
 * and this process may (root on Debian with apt-get), installs Debian's `dataset-fashion-mnist`
 * package — first `apt-get install -y dataset-fashion-mnist` alone, then after `apt-get update`
 * if that fails — saying what it runs, and loads again. Otherwise it throws the lookup error,
 * which lists the places tried and how to provide the files.
 *
 * @example
 * ```ts
 * import { ensureFashionMNIST } from '@tensorgrad/fashion-mnist';
 * let message = '';
 * try {
 *   await ensureFashionMNIST({ root: '/nonexistent', train: false }, { canInstall: () => 'a doc example', load: async () => { throw new Error('FashionMNIST: cannot find the test set'); } });
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes('not installing dataset-fashion-mnist automatically: a doc example'); // true
 * ```
 */
export async function ensureFashionMNIST(
  options: MNISTOptions<Tensor, number>,
  deps: EnsureDeps = {},
  log: (line: string) => void = (line) => console.error(line),
): Promise<FashionMNIST> {
  const load = deps.load ?? ((o: MNISTOptions<Tensor, number>) => FashionMNIST.load(o));
  try {
    return await load(options);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const can = (deps.canInstall ?? canAptInstall)();
    if (can !== true) {
      (e as Error).message += `\n(not installing ${DEBIAN_PACKAGE} automatically: ${can})`;
      throw e;
    }
    const aptGet = deps.aptGet ?? runAptGet;
    log(`Fashion-MNIST is not installed; installing Debian's ${DEBIAN_PACKAGE}: apt-get install -y ${DEBIAN_PACKAGE}`);
    let status = aptGet(['install', '-y', DEBIAN_PACKAGE]);
    if (status !== 0) {
      log(`apt-get install failed (exit status ${status}); refreshing the package lists: apt-get update`);
      const update = aptGet(['update']);
      if (update !== 0) log(`apt-get update failed (exit status ${update}); trying the install anyway`);
      log(`apt-get install -y ${DEBIAN_PACKAGE}`);
      status = aptGet(['install', '-y', DEBIAN_PACKAGE]);
    }
    if (status !== 0) {
      (e as Error).message += `\n(apt-get install -y ${DEBIAN_PACKAGE} failed with exit status ${status}, also after apt-get update; see its output above)`;
      throw e;
    }
    log(`installed ${DEBIAN_PACKAGE}`);
    return await load(options);
  }
}

/**
 * Loads one split of Fashion-MNIST (installing it first where {@link ensureFashionMNIST} can) and
 * scales it once for training: float32 `[N, 1, 28, 28]` images in [0, 1] (pixel / 255, like
 * torchvision's `ToTensor`) and int32 labels, optionally only the first `limit` images.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { encodeIdx } from 'tensorgrad';
 * import { loadFashionData } from '@tensorgrad/fashion-mnist';
 * // a tiny stand-in for the real files (Debian's dataset-fashion-mnist puts them in /usr/share/datasets)
 * const root = mkdtempSync(join(tmpdir(), 'fmnist-'));
 * writeFileSync(join(root, 't10k-images-idx3-ubyte'), encodeIdx(new Uint8Array(3 * 784).fill(51), [3, 28, 28]));
 * writeFileSync(join(root, 't10k-labels-idx1-ubyte'), encodeIdx(new Uint8Array([9, 2, 1]), [3]));
 * const test = await loadFashionData({ root, train: false, limit: 2 });
 * test.images.shape; // [2, 1, 28, 28]
 * await test.images.max().item(); // 0.2
 * await test.labels.array(); // [9, 2]
 * test.dispose();
 * ```
 */
export async function loadFashionData(options: LoadFashionDataOptions = {}): Promise<FashionData> {
  const train = options.train ?? true;
  const loadOptions: MNISTOptions<Tensor, number> = { train, dtype: 'float32', ...(options.root != null ? { root: options.root } : {}) };
  const deps: EnsureDeps = options.install === false ? { ...options.deps, canInstall: () => 'installing was turned off' } : (options.deps ?? {});
  const ds = await ensureFashionMNIST(loadOptions, deps, options.log);
  try {
    const total = ds.length;
    const limit = options.limit ?? total;
    if (!Number.isInteger(limit) || limit < 1 || limit > total) {
      throw new RangeError(
        `Fashion-MNIST: expected a limit from 1 to ${total.toLocaleString('en-US')} (the ${train ? 'training' : 'test'} set has ${total.toLocaleString('en-US')} images), got ${limit}`,
      );
    }
    const [h, w] = [ds.data.shape[1]!, ds.data.shape[2]!];
    const [images, labels] = tidy(() => [ds.data.narrow(0, 0, limit).div(255).reshape([limit, 1, h, w]), ds.targets.narrow(0, 0, limit).contiguous().clone()]);
    return {
      images: images!,
      labels: labels!,
      classes: ds.classes,
      length: limit,
      dispose(): void {
        images!.dispose();
        labels!.dispose();
      },
    };
  } finally {
    ds.dispose();
  }
}
