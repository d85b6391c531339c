import { Dataset, checkIndex } from '@tensorgrad/data';
import { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { readImage } from '../io/decode-image.js';

/** torchvision's `IMG_EXTENSIONS`: the files {@link ImageFolder} lists by default. */
export const IMG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/** Options of {@link ImageFolder} (torchvision's keywords in camelCase). */
export interface ImageFolderOptions<S = Tensor, T = number> {
  /** Applied to each loaded image (it may return a promise); default none. */
  transform?: ((image: Tensor) => S | Promise<S>) | null;
  /** Applied to each class index; default none. */
  targetTransform?: ((target: number) => T | Promise<T>) | null;
  /** Loads the file at a path; default `readImage(path, { mode: 'rgb' })` (PNG and JPEG). */
  loader?: ((path: string) => Tensor | Promise<Tensor>) | null;
  /** Whether a file is a sample (instead of `extensions`); given a path. */
  isValidFile?: ((path: string) => boolean) | null;
  /** The extensions of the sample files (case-insensitive); default {@link IMG_EXTENSIONS} unless `isValidFile` is given. */
  extensions?: readonly string[] | string | null;
}

type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

/** `node:fs` and `node:path`, synchronously (torchvision scans the folder in the constructor). */
function nodeModules(): { fs: NodeFs; path: NodePath } {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; version?: string } }).process;
  const fs = p?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  const path = p?.getBuiltinModule?.('node:path') as NodePath | undefined;
  if (fs === undefined || path === undefined) {
    throw new Error(
      `new ImageFolder: listing a folder needs Node's 'node:fs' through process.getBuiltinModule (Node ≥ 20.16), ` +
        `which is not available here (${p?.version ? `Node ${p.version}` : 'not Node'}); ` +
        'in a browser build a Dataset over fetched images with decodeImage instead',
    );
  }
  return { fs, path };
}

const IMAGE_FOLDER = signature('new ImageFolder', ['root', 'transform', 'targetTransform', 'loader', 'isValidFile', 'extensions'], { required: 1 });

const optionalFunction = (name: string, v: unknown): void => {
  if (v !== undefined && v !== null && typeof v !== 'function') throw new TypeError(`new ImageFolder: expected ${name} to be a function, got ${typeof v}`);
};

/**
 * torchvision's `datasets.ImageFolder` (Node): a dataset of the images in `root/<class>/…`, one
 * class per sub-folder. `classes` are the sub-folder names, sorted; `classToIdx` maps them to
 * 0, 1, …; `samples` are `[path, classIndex]` pairs of every valid file under each class folder
 * (recursively, following links), in torchvision's order (classes sorted, then the folders of
 * each class sorted by path, then the files of each folder sorted by name); `targets` are their
 * class indices. A file is valid if its name ends (case-insensitively) with one of `extensions`
 * (default {@link IMG_EXTENSIONS}), or if `isValidFile(path)` says so. A class folder without
 * any valid file is an error, as in torchvision.
 *
 * `get(i)` returns a promise of `[image, target]`: `loader(path)` (default `readImage(path, {
 * mode: 'rgb' })`, an `int32` `[3, H, W]` tensor with values 0–255) passed through `transform`,
 * and the class index through `targetTransform`. When `transform` returns a new tensor the
 * loaded image is disposed; other tensors the transform creates are its own to free (write it
 * with `tidy`, as below). Only PNG and JPEG files decode with the default loader; other
 * formats in `IMG_EXTENSIONS` are listed (as torchvision does) but fail in `get` with an error
 * naming the format.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { tidy, zeros } from '@tensorgrad/tensor';
 * import { ImageFolder, writePng } from '@tensorgrad/vision';
 * import { mkdir, mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const root = await mkdtemp(join(tmpdir(), 'tg-'));
 * for (const [cls, file] of [['dog', 'a.png'], ['cat', 'b.png'], ['cat', 'a.png']]) {
 *   await mkdir(join(root, cls), { recursive: true });
 *   await writePng(zeros([1, 2, 2], { dtype: 'int32' }), join(root, cls, file));
 * }
 * const ds = new ImageFolder(root, { transform: (img) => tidy(() => img.float().div(255)) });
 * ds.classes; // ['cat', 'dog']
 * ds.samples.map(([p, c]) => [p.slice(root.length + 1), c]); // [['cat/a.png', 0], ['cat/b.png', 0], ['dog/a.png', 1]]
 * const [image, target] = await ds.get(2);
 * [image.shape, image.dtype, target]; // [[3, 2, 2], 'float32', 1]
 * await rm(root, { recursive: true });
 * ```
 */
export class ImageFolder<S = Tensor, T = number> extends Dataset<Promise<[S, T]>> {
  /** The folder the dataset was read from. */
  readonly root: string;
  /** The class names (the sub-folders of `root`), sorted. */
  readonly classes: string[];
  /** Class name → index into `classes`. */
  readonly classToIdx: Record<string, number>;
  /** `[path, classIndex]` of each sample, in torchvision's order. */
  readonly samples: [string, number][];
  /** torchvision's alias of `samples`. */
  readonly imgs: [string, number][];
  /** The class index of each sample. */
  readonly targets: number[];
  /** The `transform` option. */
  readonly transform: ((image: Tensor) => S | Promise<S>) | null;
  /** The `targetTransform` option. */
  readonly targetTransform: ((target: number) => T | Promise<T>) | null;
  /** The `loader` option (default `readImage(path, { mode: 'rgb' })`). */
  readonly loader: (path: string) => Tensor | Promise<Tensor>;

  constructor(root: string, options?: ImageFolderOptions<S, T>);
  constructor(
    root: string,
    transform?: ((image: Tensor) => S | Promise<S>) | null,
    targetTransform?: ((target: number) => T | Promise<T>) | null,
    loader?: ((path: string) => Tensor | Promise<Tensor>) | null,
    isValidFile?: ((path: string) => boolean) | null,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(IMAGE_FOLDER, args);
    const root = a.root;
    if (typeof root !== 'string' || root === '') throw new TypeError(`new ImageFolder: expected root to be a folder path (a non-empty string), got ${typeof root === 'string' ? "''" : typeof root}`);
    for (const k of ['transform', 'targetTransform', 'loader', 'isValidFile'] as const) optionalFunction(k, a[k]);
    const isValidFileOption = (a.isValidFile ?? null) as ((path: string) => boolean) | null;
    let extensions = (a.extensions ?? null) as readonly string[] | string | null;
    if (extensions !== null && isValidFileOption !== null) {
      throw new TypeError('new ImageFolder: give either extensions or isValidFile, not both (torchvision: "Both extensions and is_valid_file cannot be None or not None at the same time")');
    }
    if (extensions === null && isValidFileOption === null) extensions = IMG_EXTENSIONS;
    const exts = extensions === null ? null : (typeof extensions === 'string' ? [extensions] : [...extensions]).map((e) => String(e).toLowerCase());
    const isValid = isValidFileOption ?? ((p: string) => exts!.some((e) => p.toLowerCase().endsWith(e)));

    const { fs, path } = nodeModules();
    let entries: import('node:fs').Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch (e) {
      throw new Error(`new ImageFolder: cannot list '${root}' (${(e as Error).message}); expected a folder with one sub-folder per class`);
    }
    const isDir = (full: string, d: import('node:fs').Dirent): boolean => d.isDirectory() || (d.isSymbolicLink() && fs.statSync(full, { throwIfNoEntry: false })?.isDirectory() === true);
    const classes = entries.filter((d) => isDir(path.join(root, d.name), d)).map((d) => d.name).sort(byCodePoint);
    if (classes.length === 0) throw new Error(`new ImageFolder: couldn't find any class folder in '${root}'; expected one sub-folder per class (root/<class>/<image>)`);
    const classToIdx: Record<string, number> = {};
    classes.forEach((c, i) => (classToIdx[c] = i));

    const samples: [string, number][] = [];
    const empty: string[] = [];
    for (const cls of classes) {
      // os.walk(followlinks=True), sorted by folder path, then the files of each folder sorted
      const folders: [string, string[]][] = [];
      const seen = new Set<string>();
      const walk = (dir: string): void => {
        const real = fs.realpathSync(dir);
        if (seen.has(real)) return; // a link cycle
        seen.add(real);
        const list = fs.readdirSync(dir, { withFileTypes: true });
        const files: string[] = [];
        const subdirs: string[] = [];
        for (const d of list) {
          const full = path.join(dir, d.name);
          if (isDir(full, d)) subdirs.push(full);
          else files.push(d.name);
        }
        folders.push([dir, files]);
        for (const s of subdirs) walk(s);
      };
      walk(path.join(root, cls));
      folders.sort((x, y) => byCodePoint(x[0], y[0]));
      let found = false;
      for (const [dir, files] of folders) {
        for (const f of files.sort(byCodePoint)) {
          const p = path.join(dir, f);
          if (isValid(p)) {
            samples.push([p, classToIdx[cls]!]);
            found = true;
          }
        }
      }
      if (!found) empty.push(cls);
    }
    if (empty.length) {
      throw new Error(
        `new ImageFolder: found no valid file for the classes ${empty.join(', ')} in '${root}'` + (extensions !== null ? `; supported extensions are: ${typeof extensions === 'string' ? extensions : extensions.join(', ')}` : '; isValidFile accepted none of their files'),
      );
    }
    this.root = root;
    this.classes = classes;
    this.classToIdx = classToIdx;
    this.samples = samples;
    this.imgs = samples;
    this.targets = samples.map(([, t]) => t);
    this.transform = (a.transform ?? null) as ((image: Tensor) => S | Promise<S>) | null;
    this.targetTransform = (a.targetTransform ?? null) as ((target: number) => T | Promise<T>) | null;
    this.loader = (a.loader ?? ((p: string) => readImage(p, { mode: 'rgb' }))) as (path: string) => Tensor | Promise<Tensor>;
  }

  /** The number of samples. */
  get length(): number {
    return this.samples.length;
  }

  /** `[transform(loader(path)), targetTransform(classIndex)]` of sample `index` (negative counts from the end, as in Python). */
  async get(index: number): Promise<[S, T]> {
    const [p, target] = this.samples[checkIndex('ImageFolder', index, this.samples.length)]!;
    const image = await this.loader(p);
    let sample: S;
    if (this.transform) {
      try {
        sample = await this.transform(image);
      } catch (e) {
        if (image instanceof Tensor) image.dispose();
        throw e;
      }
      if (image instanceof Tensor && sample instanceof Tensor && sample !== image) image.dispose();
    } else sample = image as unknown as S;
    const t = this.targetTransform ? await this.targetTransform(target) : (target as unknown as T);
    return [sample, t];
  }
}

/** Python's string order (code points; JavaScript's default sort compares UTF-16 code units). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
