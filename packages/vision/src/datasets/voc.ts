import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Dataset, checkIndex } from '@tensorgrad/data';
import { fromTypedArray, Tensor } from '@tensorgrad/tensor';
import { isOptionsObject, parseArgs, signature } from '../args.js';
import { readImage } from '../io/decode-image.js';
import { readFileBytes } from '../io/node-fs.js';
import { syncNodeModules } from './sync-fs.js';

/**
 * The Pascal VOC classes indexed by detection label: `0` is `'__background__'`, then VOC's 20
 * classes in their usual (alphabetical) order, as {@link vocDetectionTarget} numbers them.
 */
export const VOC_CLASSES: readonly string[] = Object.freeze([
  '__background__',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
]);

/** A node of torchvision's parsed VOC XML: the text of a leaf, a dict of children, or a list of repeated children. */
export type VOCNode = string | VOCDict | VOCNode[];
/** The children of an XML element by tag (a repeated tag gives a list). */
export interface VOCDict {
  [tag: string]: VOCNode;
}
/** The target of {@link VOCDetection}: torchvision's parsed annotation (every `object` in a list). */
export interface VOCTarget {
  annotation: VOCDict & { object: VOCDict[] };
}

/** Options of {@link VOCDetection} (torchvision's keywords in camelCase). */
export interface VOCDetectionOptions<S = Tensor, T = VOCTarget> {
  /** The challenge year (default `'2012'`): the data are in `root/VOCdevkit/VOC<year>` (2011: `root/TrainVal/VOCdevkit/VOC2011`). */
  year?: string;
  /** The image set (default `'train'`): the ids listed in `ImageSets/Main/<imageSet>.txt` (`'train'`, `'trainval'`, `'val'`, `'test'` — or any file there). */
  imageSet?: string;
  /** torchvision's `download`: only `false` is accepted (nothing can be downloaded here). */
  download?: boolean;
  /** Applied to each image. */
  transform?: ((image: Tensor) => S | Promise<S>) | null;
  /** Applied to each target. */
  targetTransform?: ((target: VOCTarget) => T | Promise<T>) | null;
  /** Applied to each `(image, target)` pair instead (not together with `transform`/`targetTransform`). */
  transforms?: ((image: Tensor, target: VOCTarget) => [S, T] | Promise<[S, T]>) | null;
}

const VOC = signature('new VOCDetection', ['root', 'year', 'imageSet', 'download', 'transform', 'targetTransform', 'transforms'], { required: 1 });
const NAME = 'VOCDetection';

const PARSER = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, commentPropName: false, processEntities: true, htmlEntities: false });

type Ordered = Record<string, unknown>[];

/** torchvision's `VOCDetection.parse_voc_xml` over fast-xml-parser's ordered tree. */
function parseVocNode(tag: string, children: Ordered): VOCDict {
  const elements = children.filter((c) => !('#text' in c) && !('#comment' in c) && !Object.keys(c)[0]!.startsWith('?'));
  if (elements.length > 0) {
    const grouped = new Map<string, VOCNode[]>();
    for (const el of elements) {
      const [childTag] = Object.keys(el).filter((k) => k !== ':@') as [string];
      const dc = parseVocNode(childTag, el[childTag] as Ordered);
      for (const [k, v] of Object.entries(dc)) {
        if (!grouped.has(k)) grouped.set(k, []);
        grouped.get(k)!.push(v);
      }
    }
    const dict: VOCDict = {};
    for (const [k, v] of grouped) dict[k] = v.length === 1 ? v[0]! : v;
    if (tag === 'annotation') dict.object = grouped.get('object') ?? [];
    return { [tag]: dict };
  }
  const texts = children.filter((c) => '#text' in c).map((c) => String(c['#text']));
  if (texts.length > 0) return { [tag]: texts.join('').trim() };
  return {};
}

/** @internal Parses VOC annotation XML into torchvision's dict; errors name `file`. */
export function parseVocXml(xml: string, file: string): VOCTarget {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new Error(`${NAME}: '${file}' is not well-formed XML (line ${line}, column ${col}: ${msg}); expected a Pascal VOC annotation <annotation>…</annotation>`);
  }
  let tree: Ordered;
  try {
    tree = PARSER.parse(xml) as Ordered;
  } catch (e) {
    // the parser's own limits (nesting depth, entity expansion) on a file the validator let through
    throw new Error(`${NAME}: cannot parse '${file}' (${(e as Error).message}); expected a Pascal VOC annotation <annotation>…</annotation>, a few elements deep`);
  }
  const roots = tree.filter((c) => !('#text' in c) && !Object.keys(c)[0]!.startsWith('?'));
  const rootTag = roots.length === 1 ? Object.keys(roots[0]!).find((k) => k !== ':@') : undefined;
  if (rootTag !== 'annotation') {
    throw new Error(`${NAME}: '${file}' has the root element <${rootTag ?? '(none)'}>; expected a Pascal VOC annotation with the root <annotation>`);
  }
  const parsed = parseVocNode('annotation', roots[0]!.annotation as Ordered) as { annotation?: VOCDict };
  const annotation = parsed.annotation ?? { object: [] };
  if (!Array.isArray(annotation.object)) annotation.object = [];
  return { annotation } as VOCTarget;
}

/**
 * torchvision's `datasets.VOCDetection` (Node): Pascal VOC's detection data in its own layout,
 * `root/VOCdevkit/VOC<year>/` with `ImageSets/Main/<imageSet>.txt` (one image id a line),
 * `Annotations/<id>.xml` and `JPEGImages/<id>.jpg`. The constructor reads the id list (an error
 * names the file and lists the image sets there when it is missing); `get(i)` returns a promise of
 * `[image, target]`: the image read with `readImage(path, { mode: 'rgb' })` (int32 `[3, H, W]`,
 * 0–255) and the annotation parsed **as torchvision does** — the XML as nested dicts of strings,
 * a repeated tag as a list, `annotation.object` always a list, attributes ignored (e.g.
 * `target.annotation.object[0].bndbox.xmin === '48'`). {@link vocDetectionTarget} turns it into
 * the `{ boxes, labels }` tensors a detector trains on. XML that is not well formed fails in `get`
 * with the file, line and column.
 *
 * `transform`/`targetTransform` (or `transforms` on the pair) are applied as in torchvision.
 * XML is parsed with fast-xml-parser (validated first; entities of a DOCTYPE are not fetched);
 * `download` is not supported.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { zeros } from '@tensorgrad/tensor';
 * import { VOCDetection, vocDetectionTarget, writeJpeg } from '@tensorgrad/vision';
 * import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const root = await mkdtemp(join(tmpdir(), 'voc-'));
 * const base = join(root, 'VOCdevkit', 'VOC2012');
 * for (const d of ['Annotations', 'JPEGImages', 'ImageSets/Main']) await mkdir(join(base, d), { recursive: true });
 * await writeFile(join(base, 'ImageSets/Main/train.txt'), '2012_000001\n');
 * await writeJpeg(zeros([3, 20, 30], { dtype: 'int32' }), join(base, 'JPEGImages/2012_000001.jpg'));
 * await writeFile(join(base, 'Annotations/2012_000001.xml'),
 *   '<annotation><filename>2012_000001.jpg</filename><size><width>30</width><height>20</height><depth>3</depth></size>' +
 *   '<object><name>dog</name><difficult>0</difficult><bndbox><xmin>2</xmin><ymin>3</ymin><xmax>12</xmax><ymax>15</ymax></bndbox></object></annotation>');
 * const voc = new VOCDetection(root, { year: '2012', imageSet: 'train' });
 * voc.length; // 1
 * const [image, target] = await voc.get(0);
 * image.shape; // [3, 20, 30]
 * target.annotation.object[0].bndbox; // { xmin: '2', ymin: '3', xmax: '12', ymax: '15' }
 * const t = vocDetectionTarget(target);
 * [await t.boxes.array(), await t.labels.array()]; // [[[2, 3, 12, 15]], [12]]
 * await rm(root, { recursive: true });
 * ```
 */
export class VOCDetection<S = Tensor, T = VOCTarget> extends Dataset<Promise<[S, T]>> {
  /** The folder given. */
  readonly root: string;
  /** The challenge year. */
  readonly year: string;
  /** The image set. */
  readonly imageSet: string;
  /** `root/VOCdevkit/VOC<year>`. */
  readonly vocRoot: string;
  /** The image ids of the set, in file order. */
  readonly ids: string[];
  /** The image file of each sample. */
  readonly images: string[];
  /** The annotation file of each sample. */
  readonly annotations: string[];
  /** The `transform` option. */
  readonly transform: ((image: Tensor) => S | Promise<S>) | null;
  /** The `targetTransform` option. */
  readonly targetTransform: ((target: VOCTarget) => T | Promise<T>) | null;
  /** The `transforms` option. */
  readonly transforms: ((image: Tensor, target: VOCTarget) => [S, T] | Promise<[S, T]>) | null;

  constructor(root: string, options?: VOCDetectionOptions<S, T>);
  constructor(
    root: string,
    year?: string,
    imageSet?: string,
    download?: boolean,
    transform?: ((image: Tensor) => S | Promise<S>) | null,
    targetTransform?: ((target: VOCTarget) => T | Promise<T>) | null,
    transforms?: ((image: Tensor, target: VOCTarget) => [S, T] | Promise<[S, T]>) | null,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(VOC, args);
    const root = a.root;
    if (typeof root !== 'string' || root === '') throw new TypeError(`new ${NAME}: expected root to be a folder path (a non-empty string), got ${typeof root === 'string' ? "''" : typeof root}`);
    const year = a.year ?? '2012';
    if (typeof year !== 'string' || !/^\d{4}$/.test(year)) throw new TypeError(`new ${NAME}: expected year to be a string such as '2012', got ${JSON.stringify(year)}`);
    const imageSet = a.imageSet ?? 'train';
    if (typeof imageSet !== 'string' || imageSet === '' || /[/\\]/.test(imageSet)) throw new TypeError(`new ${NAME}: expected imageSet to be the name of a set such as 'train', 'trainval' or 'val', got ${JSON.stringify(imageSet)}`);
    if (a.download !== undefined && a.download !== null && a.download !== false) {
      throw new TypeError(`new ${NAME}: download is not supported by tensorgrad; download and extract the VOC tar file yourself so that ${root}/VOCdevkit/VOC${year} exists`);
    }
    for (const k of ['transform', 'targetTransform', 'transforms'] as const) {
      if (a[k] !== undefined && a[k] !== null && typeof a[k] !== 'function') throw new TypeError(`new ${NAME}: expected ${k} to be a function, got ${typeof a[k]}`);
    }
    if ((a.transforms ?? null) !== null && ((a.transform ?? null) !== null || (a.targetTransform ?? null) !== null)) {
      throw new TypeError(`new ${NAME}: give either transforms or transform/targetTransform, not both (torchvision: "Only transforms or transform/target_transform can be passed as argument")`);
    }
    const { fs, path } = syncNodeModules(`new ${NAME}`);
    const vocRoot = year === '2011' ? path.join(root, 'TrainVal', 'VOCdevkit', 'VOC2011') : path.join(root, 'VOCdevkit', `VOC${year}`);
    if (!fs.statSync(vocRoot, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`new ${NAME}: cannot find '${vocRoot}'; expected Pascal VOC's layout root/VOCdevkit/VOC${year}/{Annotations,JPEGImages,ImageSets/Main} (torchvision: "Dataset not found or corrupted")`);
    }
    const splitDir = path.join(vocRoot, 'ImageSets', 'Main');
    const splitFile = path.join(splitDir, `${imageSet}.txt`);
    let text: string;
    try {
      text = fs.readFileSync(splitFile, 'utf8');
    } catch (e) {
      let sets: string[] = [];
      try {
        sets = fs
          .readdirSync(splitDir)
          .filter((f) => f.endsWith('.txt') && !f.includes('_'))
          .map((f) => f.slice(0, -4))
          .sort();
      } catch {
        // no ImageSets/Main at all
      }
      throw new Error(
        `new ${NAME}: cannot read the image set '${splitFile}' (${(e as Error).message.split('\n')[0]}); ` +
          (sets.length ? `the image sets there are: ${sets.join(', ')}` : `expected ImageSets/Main/${imageSet}.txt with one image id a line`),
      );
    }
    const ids = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    this.root = root;
    this.year = year;
    this.imageSet = imageSet;
    this.vocRoot = vocRoot;
    this.ids = ids;
    this.images = ids.map((id) => path.join(vocRoot, 'JPEGImages', `${id}.jpg`));
    this.annotations = ids.map((id) => path.join(vocRoot, 'Annotations', `${id}.xml`));
    this.transform = (a.transform ?? null) as ((image: Tensor) => S | Promise<S>) | null;
    this.targetTransform = (a.targetTransform ?? null) as ((target: VOCTarget) => T | Promise<T>) | null;
    this.transforms = (a.transforms ?? null) as ((image: Tensor, target: VOCTarget) => [S, T] | Promise<[S, T]>) | null;
  }

  /** The number of images in the set. */
  get length(): number {
    return this.ids.length;
  }

  /** `[image, target]` of sample `index` (negative counts from the end), through the transforms. */
  async get(index: number): Promise<[S, T]> {
    const i = checkIndex(NAME, index, this.ids.length);
    const bytes = await readFileBytes(`${NAME}.get(${index})`, this.annotations[i]!);
    const target = parseVocXml(new TextDecoder().decode(bytes), this.annotations[i]!);
    const image = await readImage(this.images[i]!, { mode: 'rgb' });
    if (this.transforms) return this.transforms(image, target);
    const x = this.transform ? await this.transform(image) : (image as unknown as S);
    if (this.transform && x !== (image as unknown) && x instanceof Tensor) image.dispose();
    const y = this.targetTransform ? await this.targetTransform(target) : (target as unknown as T);
    return [x, y];
  }
}

/** Options of {@link vocDetectionTarget}. */
export interface VOCDetectionTargetOptions {
  /** The class names by label (default {@link VOC_CLASSES}, 0 = background). */
  classes?: readonly string[];
  /** Keep the objects marked `difficult` (default true; their flags are in `difficult`). */
  keepDifficult?: boolean;
}

/** What {@link vocDetectionTarget} returns: a torchvision detection target. */
export interface VOCDetectionTarget {
  /** float32 `[K, 4]`: `xmin, ymin, xmax, ymax` as written in the file (VOC's 1-based pixel coordinates). */
  boxes: Tensor;
  /** int32 `[K]`: the index of each object's `name` in `classes`. */
  labels: Tensor;
  /** bool `[K]`: each object's `difficult` flag. */
  difficult: Tensor;
}

// the target is a plain object itself, so only the arguments after it are parsed
const VOC_TARGET = signature('vocDetectionTarget', ['classes', 'keepDifficult']);

/**
 * Turns a {@link VOCDetection} target (torchvision's parsed annotation) into detection tensors
 * `{ boxes, labels, difficult }`: boxes as written (`xmin, ymin, xmax, ymax`, VOC's 1-based pixel
 * coordinates), labels the index of each object's class in `classes` (default
 * {@link VOC_CLASSES}, where 0 is the background). Use it as (part of) the data set's
 * `targetTransform`. An unknown class, a missing or non-numeric coordinate, a box with
 * `xmax < xmin` or `ymax < ymin`, or a box outside the image `size` (by more than a pixel) is an
 * error naming the object and the file.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { vocDetectionTarget } from '@tensorgrad/vision';
 * const target = { annotation: { filename: 'a.jpg', size: { width: '40', height: '30' }, object: [{ name: 'cat', bndbox: { xmin: '1', ymin: '2', xmax: '20', ymax: '30' } }] } };
 * const t = vocDetectionTarget(target);
 * [await t.boxes.array(), await t.labels.array(), await t.difficult.array()]; // [[[1, 2, 20, 30]], [8], [false]]
 * ```
 */
export function vocDetectionTarget(target: VOCTarget, options?: VOCDetectionTargetOptions): VOCDetectionTarget;
export function vocDetectionTarget(target: VOCTarget, classes?: readonly string[], keepDifficult?: boolean): VOCDetectionTarget;
export function vocDetectionTarget(target: VOCTarget, ...args: unknown[]): VOCDetectionTarget {
  const a = parseArgs(VOC_TARGET, args);
  const op = 'vocDetectionTarget';
  if (!isOptionsObject(target) || !isOptionsObject(target.annotation)) throw new TypeError(`${op}: expected a VOCDetection target { annotation: { object: [...] } }, got ${target === null ? 'null' : typeof target}`);
  const classes = (a.classes ?? VOC_CLASSES) as readonly string[];
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string')) throw new TypeError(`${op}: expected classes to be a list of class names`);
  const keepDifficult = a.keepDifficult ?? true;
  if (typeof keepDifficult !== 'boolean') throw new TypeError(`${op}: expected keepDifficult to be a boolean, got ${String(keepDifficult)}`);
  const ann = target.annotation;
  const file = typeof ann.filename === 'string' ? `'${ann.filename}'` : 'the annotation';
  const size = isOptionsObject(ann.size) ? (ann.size as VOCDict) : null;
  const width = size && typeof size.width === 'string' ? Number(size.width) : NaN;
  const height = size && typeof size.height === 'string' ? Number(size.height) : NaN;
  const objects = Array.isArray(ann.object) ? ann.object : [];
  const boxes: number[] = [];
  const labels: number[] = [];
  const difficult: number[] = [];
  objects.forEach((obj, k) => {
    const o = obj as VOCDict;
    const name = o.name;
    const label = typeof name === 'string' ? classes.indexOf(name) : -1;
    if (label < 0) throw new RangeError(`${op}: object ${k} of ${file} has the class ${JSON.stringify(name)}, which is not one of the classes (${classes.join(', ')}); pass { classes } with your class names`);
    const isDifficult = o.difficult === '1';
    if (isDifficult && !keepDifficult) return;
    const bb = o.bndbox;
    if (!isOptionsObject(bb)) throw new RangeError(`${op}: object ${k} (${name}) of ${file} has no <bndbox>; expected <bndbox><xmin>…</xmin><ymin>…</ymin><xmax>…</xmax><ymax>…</ymax></bndbox>`);
    const c = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((key) => {
      const v = (bb as VOCDict)[key];
      const n = typeof v === 'string' && v !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new RangeError(`${op}: object ${k} (${name}) of ${file} has <${key}>${typeof v === 'string' ? v : JSON.stringify(v ?? null)}</${key}>; expected a number`);
      return n;
    }) as [number, number, number, number];
    if (c[2] < c[0] || c[3] < c[1]) throw new RangeError(`${op}: object ${k} (${name}) of ${file} has the box [${c.join(', ')}] with xmax < xmin or ymax < ymin; expected xmin ≤ xmax and ymin ≤ ymax`);
    if (Number.isFinite(width) && Number.isFinite(height) && (c[0] < -1 || c[1] < -1 || c[2] > width + 1 || c[3] > height + 1)) {
      throw new RangeError(`${op}: object ${k} (${name}) of ${file} has the box [${c.join(', ')}], outside the ${width}×${height} image; fix the annotation (or clamp the coordinates to the image)`);
    }
    boxes.push(...c);
    labels.push(label);
    difficult.push(isDifficult ? 1 : 0);
  });
  const n = labels.length;
  return { boxes: fromTypedArray(Float32Array.from(boxes), [n, 4]), labels: fromTypedArray(Int32Array.from(labels), [n]), difficult: fromTypedArray(Uint8Array.from(difficult), [n], { dtype: 'bool' }) };
}
