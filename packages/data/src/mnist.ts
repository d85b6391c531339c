import { fromTypedArray, indexSelect, keep, select, Tensor, tidy } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { checkIndex, Dataset } from './dataset.js';

const LOAD_PARAMS = ['root', 'train', 'transform', 'targetTransform', 'download', 'dtype', 'mirrors'] as const;
const INIT_PARAMS = ['data', 'targets', 'train', 'transform', 'targetTransform', 'classes'] as const;

// torchvision's MNIST(root, train=True, transform=None, target_transform=None, download=False)
function bindLoad(name: string, args: readonly unknown[]): MNISTOptions<unknown, unknown> {
  const a = parseArgs(signature(`${name}.load`, LOAD_PARAMS, { keywordOnly: ['dtype', 'mirrors'] }), args);
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null)) as MNISTOptions<unknown, unknown>;
}
import { readIdxFile, type IdxArray } from './idx.js';

/** Options of {@link MNIST.load} and {@link FashionMNIST.load} (torchvision's arguments). */
export interface MNISTOptions<X = Tensor, Y = number> {
  /** A folder to look in first (also `<root>/<Name>/raw`, torchvision's layout); downloads go there. */
  root?: string;
  /** The 60,000 training images (default) or, when false, the 10,000 test images. */
  train?: boolean;
  /** Download the files from the official mirror when no local copy is found (default false). */
  download?: boolean;
  /** Applied to each image (an int32 `[28, 28]` view with values 0–255) by `get(i)`. */
  transform?: (image: Tensor) => X;
  /** Applied to each label by `get(i)`. */
  targetTransform?: (target: number) => Y;
  /** The dtype of `.data`: `'int32'` (default) or `'float32'`; the values are 0–255 either way. */
  dtype?: 'int32' | 'float32';
  /** Base URLs to download from, tried in order (default the official mirrors). */
  mirrors?: readonly string[];
}

/** Where a dataset's files are searched and fetched. */
interface Spec {
  name: string;
  debian: string;
  mirrors: readonly string[];
  classes: readonly string[];
  install: string;
}

const FASHION: Spec = {
  name: 'FashionMNIST',
  debian: 'fashion-mnist',
  mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
  classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  install: "install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)",
};

const DIGITS: Spec = {
  name: 'MNIST',
  debian: 'mnist',
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  classes: ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'],
  install: 'put the four IDX files in a folder',
};

/** The system-wide data folder searched after `root` and `$TENSORGRAD_DATA`. */
const SYSTEM_DIR = '/usr/share/datasets';

interface Found {
  images: string;
  labels: string;
}

async function exists(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The image and label file of a split in `dir` (uncompressed preferred, else `.gz`), or why not. */
async function probe(dir: string, stems: [string, string]): Promise<Found | string> {
  const { join } = await import('node:path');
  const found: string[] = [];
  const missing: string[] = [];
  for (const stem of stems) {
    const plain = join(dir, stem);
    if (await exists(plain)) found.push(plain);
    else if (await exists(`${plain}.gz`)) found.push(`${plain}.gz`);
    else missing.push(`${stem}[.gz]`);
  }
  if (missing.length) return `missing ${missing.join(' and ')}`;
  return { images: found[0]!, labels: found[1]! };
}

async function download(spec: Spec, stems: [string, string], dir: string, mirrors: readonly string[], tried: string[]): Promise<Found | null> {
  const { mkdir, writeFile, rename, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const paths: string[] = [];
  for (const stem of stems) {
    const file = `${stem}.gz`;
    const target = join(dir, file);
    let ok = false;
    for (const mirror of mirrors) {
      const url = `${mirror.endsWith('/') ? mirror : `${mirror}/`}${file}`;
      try {
        if (typeof fetch !== 'function') throw new Error('fetch is not available in this runtime');
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        await mkdir(dir, { recursive: true });
        const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
        try {
          await writeFile(tmp, bytes);
          await rename(tmp, target); // atomic: a crash never leaves a half-written file
        } catch (e) {
          await rm(tmp, { force: true });
          throw e;
        }
        ok = true;
        break;
      } catch (e) {
        const cause = (e as Error & { cause?: Error }).cause;
        tried.push(`download ${url} -> ${target}: failed (${(e as Error).message}${cause ? `: ${cause.message}` : ''})`);
      }
    }
    if (!ok) return null;
    paths.push(target);
  }
  tried.push(`downloaded ${spec.name} into ${dir}`);
  return { images: paths[0]!, labels: paths[1]! };
}

/** Finds (or downloads) the files of a split, then parses and validates them. */
async function loadSplit(spec: Spec, options: MNISTOptions<unknown, unknown>): Promise<{ images: IdxArray; labels: IdxArray }> {
  const { join } = await import('node:path');
  const train = options.train ?? true;
  const prefix = train ? 'train' : 't10k';
  const stems: [string, string] = [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
  const split = train ? 'training' : 'test';
  const tried: string[] = [];
  const candidates: [string, string][] = [];
  const under = (base: string, label: string): void => {
    for (const d of [join(base, spec.name, 'raw'), join(base, spec.name), join(base, spec.debian), base]) candidates.push([d, label]);
  };
  if (options.root !== undefined) under(options.root, 'root');
  else tried.push('root: not given');
  const env = typeof process !== 'undefined' ? process.env.TENSORGRAD_DATA : undefined;
  if (env) under(env, '$TENSORGRAD_DATA');
  else tried.push('$TENSORGRAD_DATA: not set');
  candidates.push([join(SYSTEM_DIR, spec.debian), 'system']);
  let found: Found | null = null;
  for (const [dir, label] of candidates) {
    const r = await probe(dir, stems);
    if (typeof r !== 'string') {
      found = r;
      break;
    }
    tried.push(`${dir} (${label}): ${r}`);
  }
  const cacheDir = options.root !== undefined ? join(options.root, spec.name, 'raw') : env ? join(env, spec.name, 'raw') : await defaultCache(spec.name);
  if (!found) {
    if (options.download) found = await download(spec, stems, cacheDir, options.mirrors ?? spec.mirrors, tried);
    else tried.push(`download: not attempted (download is false); pass { download: true } to fetch the files from ${(options.mirrors ?? spec.mirrors)[0]} into ${cacheDir}`);
  }
  if (!found) {
    throw new Error(
      `${spec.name}: cannot find the ${split} set (${stems.map((s) => `${s}[.gz]`).join(' and ')}). Tried, in order:\n  - ${tried.join('\n  - ')}\n` +
        `To fix: pass { root } pointing at a folder with the files, set TENSORGRAD_DATA, ${spec.install} into ${join(SYSTEM_DIR, spec.debian)}, or pass { download: true } on a machine with network access.`,
    );
  }
  const [images, labels] = await Promise.all([readIdxFile(found.images), readIdxFile(found.labels)]);
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new Error(`${found.images}: expected uint8 images of shape [N, rows, cols], got ${images.dtype} of shape [${images.shape.join(', ')}]; is this an images file?`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new Error(`${found.labels}: expected uint8 labels of shape [N], got ${labels.dtype} of shape [${labels.shape.join(', ')}]; is this a labels file?`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(`${spec.name}: ${found.images} has ${images.shape[0]} images but ${found.labels} has ${labels.shape[0]} labels; the files do not belong together`);
  }
  const bad = (labels.data as Uint8Array).findIndex((v) => v >= spec.classes.length);
  if (bad >= 0) throw new Error(`${found.labels}: label ${labels.data[bad]} at position ${bad} is not a class index 0–${spec.classes.length - 1}; the file is corrupt`);
  return { images, labels };
}

async function defaultCache(name: string): Promise<string> {
  const { join } = await import('node:path');
  const { homedir } = await import('node:os');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tensorgrad', name, 'raw');
}

function describeArg(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object with keys { ${Object.keys(v).join(', ')} }`;
  return `${typeof v} ${String(v)}`;
}

// The options the user passed, rewritten as the argument of load(): `{ train: false }`.
function describeOptions(v: unknown, inner: boolean): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return inner ? '' : '{ root, train }';
  const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${typeof x === 'function' ? '…' : typeof x === 'string' ? JSON.stringify(x) : String(x)}`);
  if (inner) return parts.length ? `, ${parts.join(', ')}` : '';
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

/** Options of the {@link MNIST} constructor. */
export interface MNISTInit<X = Tensor, Y = number> {
  /** Whether this is the training split (informational). */
  train?: boolean;
  /** Applied to each image by `get(i)`. */
  transform?: (image: Tensor) => X;
  /** Applied to each label by `get(i)`. */
  targetTransform?: (target: number) => Y;
  /** The class names (default MNIST's). */
  classes?: readonly string[];
}

/**
 * The MNIST handwritten digits (torchvision's `datasets.MNIST`). Load it with
 * `await MNIST.load({ root, train, download })`: the IDX files (`train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-…`, plain or `.gz`) are looked for in `root` (also
 * `root/MNIST/raw`), then `$TENSORGRAD_DATA`, then `/usr/share/datasets/mnist`, then downloaded from
 * the official mirror into `root/MNIST/raw` (or the cache) when `download` is true; the error
 * lists every place tried. Loading is asynchronous, hence the static `load` instead of a
 * constructor call.
 *
 * `.data` holds the images as an int32 `[N, 28, 28]` tensor of 0–255 (torchvision has uint8,
 * which tensorgrad lacks; pass `dtype: 'float32'` for float), `.targets` the labels (int32 `[N]`),
 * `.classes` the class names. `get(i)` returns `[image, label]`: an int32 `[28, 28]` view and a
 * number (through `transform`/`targetTransform` when given). Without transforms, DataLoader
 * batches are gathered with `indexSelect`. The dataset owns `.data` and `.targets`: call
 * `dispose()` when done.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { encodeIdx, MNIST } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const root = mkdtempSync(join(tmpdir(), 'mnist-'));
 * writeFileSync(join(root, 't10k-images-idx3-ubyte'), encodeIdx(new Uint8Array(2 * 28 * 28).fill(255), [2, 28, 28]));
 * writeFileSync(join(root, 't10k-labels-idx1-ubyte'), encodeIdx(new Uint8Array([7, 2]), [2]));
 * const test = await MNIST.load({ root, train: false });
 * test.length; // 2
 * test.data.shape; // [2, 28, 28]
 * await test.targets.array(); // [7, 2]
 * test.classes[7]; // '7 - seven'
 * test.dispose();
 * ```
 */
export class MNIST<X = Tensor, Y = number> extends Dataset<[X, Y]> {
  /** torchvision's class names. */
  static readonly classes: readonly string[] = DIGITS.classes;
  /** The images, `[N, 28, 28]`, values 0–255 (int32 by default). */
  readonly data: Tensor;
  /** The labels, int32 `[N]`. */
  readonly targets: Tensor;
  /** The class names, indexed by label. */
  readonly classes: readonly string[];
  /** Whether this is the training split. */
  readonly train: boolean;
  /** The image transform, if any. */
  readonly transform: ((image: Tensor) => X) | undefined;
  /** The label transform, if any. */
  readonly targetTransform: ((target: number) => Y) | undefined;
  private readonly labels: Int32Array;

  /**
   * Wraps already loaded images (`[N, H, W]`) and int32 labels (`[N]`); the dataset takes
   * ownership of both. Most code calls the static `load` instead.
   *
   * torchvision's `FashionMNIST(root, train=False)` is `await FashionMNIST.load({ root, train:
   * false })` here, not `new FashionMNIST({ … })`: loading reads (and may download) files, which
   * a JavaScript constructor cannot await, and a synchronous read would block the event loop and
   * not work in browsers. Calling the constructor with options or a root path therefore throws an
   * error that shows the `load` call to write instead.
   */
  constructor(data: Tensor, targets: Tensor, init?: MNISTInit<X, Y>);
  constructor(data: Tensor, targets: Tensor, ...args: unknown[]) {
    super();
    args = [data, targets, ...args];
    const name = new.target.name;
    if (!(data instanceof Tensor)) {
      const given = describeArg(data);
      const options = typeof data === 'string' ? `{ root: ${JSON.stringify(data)}${describeOptions(targets, true)} }` : describeOptions(data, false);
      const hint =
        typeof data === 'string' || (data !== null && typeof data === 'object')
          ? `to load the dataset (torchvision's ${name}(root, train=…)), use \`await ${name}.load(${options})\`: loading reads or downloads files, which a constructor cannot wait for`
          : `pass the images tensor and the labels tensor, or load the files with \`await ${name}.load({ root, train })\``;
      throw new TypeError(`${name}: the constructor expects already loaded tensors (data: [N, H, W] images, targets: int32 [N] labels), got ${given} as data; ${hint}`);
    }
    const init = parseArgs(signature(`new ${name}`, INIT_PARAMS, { required: 2 }), args) as MNISTInit<X, Y>;
    if (!(targets instanceof Tensor)) {
      throw new TypeError(`${name}: expected targets to be an int32 [${data.shape[0]}] Tensor of labels, got ${describeArg(targets)}; pass new ${name}(images, labels, { train })`);
    }
    if (data.ndim !== 3) throw new RangeError(`${new.target.name}: expected images of shape [N, H, W], got [${data.shape.join(', ')}]`);
    if (targets.ndim !== 1 || targets.dtype !== 'int32' || targets.shape[0] !== data.shape[0]) {
      throw new RangeError(`${new.target.name}: expected int32 targets of shape [${data.shape[0]}], got ${targets.dtype} [${targets.shape.join(', ')}]`);
    }
    this.data = keep(data);
    this.targets = keep(targets);
    this.labels = Int32Array.from(targets.dataSync() as Int32Array);
    this.classes = init.classes ?? DIGITS.classes;
    this.train = init.train ?? true;
    this.transform = init.transform;
    this.targetTransform = init.targetTransform;
    if (!this.transform && !this.targetTransform) {
      this.getBatch = (indices: readonly number[]): unknown =>
        tidy(() => {
          const n = this.length;
          const idx = fromTypedArray(Int32Array.from(indices, (i) => checkIndex(this.constructor.name, i, n)), [indices.length], { backend: this.data.backend });
          return [indexSelect(this.data, idx, { dim: 0 }), indexSelect(this.targets, idx, { dim: 0 })];
        });
    }
  }

  /**
   * Loads the training (default) or test split; see the class docs for where the files are
   * looked for.
   *
   * @example
   * ```ts
   * import { MNIST } from '@tensorgrad/data';
   * let message = '';
   * try {
   *   await MNIST.load({ root: '/nonexistent' });
   * } catch (e) {
   *   message = (e as Error).message;
   * }
   * message.includes('/nonexistent'); // true
   * ```
   */
  static async load<X = Tensor, Y = number>(options?: MNISTOptions<X, Y>): Promise<MNIST<X, Y>>;
  /** torchvision's positional form: `MNIST.load(root, train, transform, targetTransform, download)`. */
  static async load<X = Tensor, Y = number>(
    root: string,
    train?: boolean,
    transform?: ((image: Tensor) => X) | null,
    targetTransform?: ((target: number) => Y) | null,
    download?: boolean,
    options?: MNISTOptions<X, Y>,
  ): Promise<MNIST<X, Y>>;
  static async load<X = Tensor, Y = number>(...args: unknown[]): Promise<MNIST<X, Y>> {
    const options = bindLoad('MNIST', args) as MNISTOptions<X, Y>;
    const { data, targets } = await loadTensors(DIGITS, options);
    return new MNIST<X, Y>(data, targets, { ...initOf(options), classes: DIGITS.classes });
  }

  /** The number of images. */
  get length(): number {
    return this.data.shape[0]!;
  }

  /** `[image, label]` of sample `index` (an int32 `[28, 28]` view and a number, before the transforms). */
  get(index: number): [X, Y] {
    const i = checkIndex(this.constructor.name, index, this.length);
    const image = select(this.data, 0, i);
    const label = this.labels[i]!;
    const x = this.transform ? this.transform(image) : (image as unknown as X);
    const y = this.targetTransform ? this.targetTransform(label) : (label as unknown as Y);
    return [x, y];
  }

  /** Frees `.data` and `.targets`. */
  dispose(): void {
    this.data.dispose();
    this.targets.dispose();
  }
}

/**
 * Zalando's Fashion-MNIST (torchvision's `datasets.FashionMNIST`): 28×28 grey images of 10
 * clothing classes, the same format and API as {@link MNIST}. Looked for in `root` (also
 * `root/FashionMNIST/raw`), then `$TENSORGRAD_DATA`, then `/usr/share/datasets/fashion-mnist`
 * (Debian's `dataset-fashion-mnist` package), then downloaded when `download` is true. Load it
 * with `await FashionMNIST.load({ root, train: false })` (torchvision's
 * `FashionMNIST(root, train=False)`); the constructor wraps tensors already loaded and, called
 * with options as in PyTorch, throws an error showing the `load` call to use.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { gzipSync } from 'node:zlib';
 * import { DataLoader, encodeIdx, FashionMNIST } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const root = mkdtempSync(join(tmpdir(), 'fmnist-'));
 * writeFileSync(join(root, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx(new Uint8Array(3 * 28 * 28), [3, 28, 28])));
 * writeFileSync(join(root, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx(new Uint8Array([9, 0, 3]), [3])));
 * const train = await FashionMNIST.load({ root });
 * train.classes[9]; // 'Ankle boot'
 * const [image, label] = train.get(0);
 * image.shape; // [28, 28]
 * label; // 9
 * image.dispose();
 * for await (const [x, y] of new DataLoader(train, { batchSize: 2 })) {
 *   x.dispose();
 *   y.dispose();
 * }
 * train.dispose();
 * ```
 */
export class FashionMNIST<X = Tensor, Y = number> extends MNIST<X, Y> {
  /** torchvision's class names. */
  static override readonly classes: readonly string[] = FASHION.classes;

  /**
   * Loads the training (default) or test split; see the class docs for where the files are
   * looked for.
   *
   * @example
   * ```ts
   * import { FashionMNIST } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * // with Debian's dataset-fashion-mnist installed, this reads /usr/share/datasets/fashion-mnist
   * const load = FashionMNIST.load; // await load({ train: false }) gives the 10,000 test images
   * typeof load; // 'function'
   * ```
   */
  static override async load<X = Tensor, Y = number>(options?: MNISTOptions<X, Y>): Promise<FashionMNIST<X, Y>>;
  /** torchvision's positional form: `FashionMNIST.load(root, train, transform, targetTransform, download)`. */
  static override async load<X = Tensor, Y = number>(
    root: string,
    train?: boolean,
    transform?: ((image: Tensor) => X) | null,
    targetTransform?: ((target: number) => Y) | null,
    download?: boolean,
    options?: MNISTOptions<X, Y>,
  ): Promise<FashionMNIST<X, Y>>;
  static override async load<X = Tensor, Y = number>(...args: unknown[]): Promise<FashionMNIST<X, Y>> {
    const options = bindLoad('FashionMNIST', args) as MNISTOptions<X, Y>;
    const { data, targets } = await loadTensors(FASHION, options);
    return new FashionMNIST<X, Y>(data, targets, { ...initOf(options), classes: FASHION.classes });
  }
}

function initOf<X, Y>(o: MNISTOptions<X, Y>): MNISTInit<X, Y> {
  const init: MNISTInit<X, Y> = {};
  if (o.train !== undefined) init.train = o.train;
  if (o.transform !== undefined) init.transform = o.transform;
  if (o.targetTransform !== undefined) init.targetTransform = o.targetTransform;
  return init;
}

async function loadTensors(spec: Spec, options: MNISTOptions<unknown, unknown>): Promise<{ data: Tensor; targets: Tensor }> {
  if (options === null || typeof options !== 'object') throw new TypeError(`${spec.name}.load: expected an options object { root, train, download }, got ${typeof options}`);
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') throw new TypeError(`${spec.name}.load: dtype must be 'int32' or 'float32', got ${String(dtype)}`);
  const { images, labels } = await loadSplit(spec, options);
  const pixels = dtype === 'int32' ? new Int32Array(images.data.length) : new Float32Array(images.data.length);
  pixels.set(images.data);
  const lab = new Int32Array(labels.data.length);
  lab.set(labels.data);
  const data = fromTypedArray(pixels, images.shape);
  try {
    return { data, targets: fromTypedArray(lab, [lab.length]) };
  } catch (e) {
    data.dispose();
    throw e;
  }
}
