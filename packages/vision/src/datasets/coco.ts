import { Dataset, checkIndex } from '@tensorgrad/data';
import { fromTypedArray, Tensor } from '@tensorgrad/tensor';
import { isOptionsObject, parseArgs, signature } from '../args.js';
import { readImage } from '../io/decode-image.js';
import { syncNodeModules } from './sync-fs.js';

/** COCO's run-length encoding: `counts` as numbers (uncompressed) or pycocotools' compressed string; `size` is `[height, width]`. */
export interface CocoRle {
  counts: number[] | string;
  size: [number, number];
}

/** A COCO segmentation: polygons (`[x1, y1, x2, y2, …]` each) or a run-length encoding. */
export type CocoSegmentation = number[][] | CocoRle;

/** One COCO annotation, as in the JSON file (torchvision's `CocoDetection` target is a list of them). */
export interface CocoAnnotation {
  id?: number;
  image_id: number;
  category_id: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: [number, number, number, number];
  segmentation?: CocoSegmentation;
  area?: number;
  iscrowd?: 0 | 1;
  [key: string]: unknown;
}

/** One COCO image entry. */
export interface CocoImage {
  id: number;
  file_name: string;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

/** One COCO category. */
export interface CocoCategory {
  id: number;
  name: string;
  supercategory?: string;
  [key: string]: unknown;
}

/** Options of {@link CocoDetection} (torchvision's keywords in camelCase). */
export interface CocoDetectionOptions<S = Tensor, T = CocoAnnotation[]> {
  /** Applied to each image. */
  transform?: ((image: Tensor) => S | Promise<S>) | null;
  /** Applied to each target (the image's annotations). */
  targetTransform?: ((target: CocoAnnotation[]) => T | Promise<T>) | null;
  /** Applied to each `(image, target)` pair instead (not together with `transform`/`targetTransform`). */
  transforms?: ((image: Tensor, target: CocoAnnotation[]) => [S, T] | Promise<[S, T]>) | null;
}

const COCO = signature('new CocoDetection', ['root', 'annFile', 'transform', 'targetTransform', 'transforms'], { required: 2 });
const NAME = 'CocoDetection';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * torchvision's `datasets.CocoDetection` (Node): images in `root` and a COCO annotation file
 * `annFile` (the JSON of `instances_*.json`: `images`, `annotations`, `categories`). The
 * constructor reads and checks the file (every error names the file and the entry: JSON that does
 * not parse, a missing `images` list, an image without `id`/`file_name`, an annotation of an
 * unknown image, a `bbox` that is not four finite numbers with non-negative width and height; a
 * box that sticks out of its image is kept, as pycocotools keeps it, and {@link cocoDetectionTarget}
 * clamps it to the image as torchvision's detection reference does); `ids` are the image ids sorted, as
 * torchvision (`sorted(coco.imgs.keys())`). `get(i)` returns a promise of `[image, target]`: the
 * image `root/<file_name>` read with `readImage(path, { mode: 'rgb' })` (int32 `[3, H, W]`,
 * 0–255) and, as torchvision, the image's annotations as they are in the file (a list of
 * objects, in file order). {@link cocoDetectionTarget} turns them into `{ boxes, labels, masks,
 * … }` tensors (torchvision's detection references' `ConvertCocoPolysToMask`), and
 * {@link cocoSegmentationToMask} decodes one segmentation (polygons or RLE, as pycocotools).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { zeros } from '@tensorgrad/tensor';
 * import { CocoDetection, cocoDetectionTarget, writePng } from '@tensorgrad/vision';
 * import { mkdtemp, rm, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const root = await mkdtemp(join(tmpdir(), 'coco-'));
 * await writePng(zeros([3, 6, 8], { dtype: 'int32' }), join(root, 'a.png'));
 * await writeFile(join(root, 'ann.json'), JSON.stringify({
 *   images: [{ id: 7, file_name: 'a.png', width: 8, height: 6 }],
 *   annotations: [{ id: 1, image_id: 7, category_id: 3, bbox: [1, 1, 4, 3], area: 12, iscrowd: 0, segmentation: [[1, 1, 5, 1, 5, 4, 1, 4]] }],
 *   categories: [{ id: 3, name: 'car' }],
 * }));
 * const coco = new CocoDetection(root, join(root, 'ann.json'));
 * const [image, anns] = await coco.get(0);
 * [image.shape, anns[0].bbox, coco.cats[3].name]; // [[3, 6, 8], [1, 1, 4, 3], 'car']
 * const t = cocoDetectionTarget(anns, { height: 6, width: 8 });
 * [await t.boxes.array(), await t.labels.array(), t.masks.shape]; // [[[1, 1, 5, 4]], [3], [1, 6, 8]]
 * await t.masks.sum().item(); // 12
 * await rm(root, { recursive: true });
 * ```
 */
export class CocoDetection<S = Tensor, T = CocoAnnotation[]> extends Dataset<Promise<[S, T]>> {
  /** The image folder. */
  readonly root: string;
  /** The annotation file. */
  readonly annFile: string;
  /** The image ids, sorted. */
  readonly ids: number[];
  /** Image id → image entry (pycocotools' `coco.imgs`). */
  readonly imgs: Map<number, CocoImage>;
  /** Category id → category (pycocotools' `coco.cats`). */
  readonly cats: Record<number, CocoCategory>;
  /** The categories in file order. */
  readonly categories: CocoCategory[];
  /** Image id → its annotations, in file order (pycocotools' `coco.imgToAnns`). */
  readonly imgToAnns: Map<number, CocoAnnotation[]>;
  /** The `transform` option. */
  readonly transform: ((image: Tensor) => S | Promise<S>) | null;
  /** The `targetTransform` option. */
  readonly targetTransform: ((target: CocoAnnotation[]) => T | Promise<T>) | null;
  /** The `transforms` option. */
  readonly transforms: ((image: Tensor, target: CocoAnnotation[]) => [S, T] | Promise<[S, T]>) | null;
  readonly #join: (a: string, b: string) => string;

  constructor(root: string, annFile: string, options?: CocoDetectionOptions<S, T>);
  constructor(
    root: string,
    annFile: string,
    transform?: ((image: Tensor) => S | Promise<S>) | null,
    targetTransform?: ((target: CocoAnnotation[]) => T | Promise<T>) | null,
    transforms?: ((image: Tensor, target: CocoAnnotation[]) => [S, T] | Promise<[S, T]>) | null,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(COCO, args);
    const { root, annFile } = a;
    if (typeof root !== 'string' || root === '') throw new TypeError(`new ${NAME}: expected root to be the image folder (a non-empty string), got ${typeof root === 'string' ? "''" : typeof root}`);
    if (typeof annFile !== 'string' || annFile === '') throw new TypeError(`new ${NAME}: expected annFile to be the path of a COCO annotation JSON file, got ${typeof annFile === 'string' ? "''" : typeof annFile}`);
    for (const k of ['transform', 'targetTransform', 'transforms'] as const) {
      if (a[k] !== undefined && a[k] !== null && typeof a[k] !== 'function') throw new TypeError(`new ${NAME}: expected ${k} to be a function, got ${typeof a[k]}`);
    }
    if ((a.transforms ?? null) !== null && ((a.transform ?? null) !== null || (a.targetTransform ?? null) !== null)) {
      throw new TypeError(`new ${NAME}: give either transforms or transform/targetTransform, not both (torchvision: "Only transforms or transform/target_transform can be passed as argument")`);
    }
    const { fs, path } = syncNodeModules(`new ${NAME}`);
    let text: string;
    try {
      text = fs.readFileSync(annFile, 'utf8');
    } catch (e) {
      throw new Error(`new ${NAME}: cannot read the annotation file '${annFile}' (${(e as Error).message.split('\n')[0]}); check the path`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`new ${NAME}: '${annFile}' is not valid JSON (${(e as Error).message}); expected a COCO annotation file { images, annotations, categories }`);
    }
    const where = `'${annFile}'`;
    if (!isOptionsObject(json) || !Array.isArray(json.images)) {
      throw new Error(`new ${NAME}: ${where} has no "images" list; expected a COCO annotation file { images: [{ id, file_name, … }], annotations: […], categories: […] }`);
    }
    const imgs = new Map<number, CocoImage>();
    json.images.forEach((im: unknown, k: number) => {
      if (!isOptionsObject(im) || !isNum(im.id) || typeof im.file_name !== 'string' || im.file_name === '') {
        throw new Error(`new ${NAME}: images[${k}] of ${where} is ${JSON.stringify(im)?.slice(0, 120)}; expected { id: number, file_name: string, width, height }`);
      }
      if (imgs.has(im.id)) throw new Error(`new ${NAME}: images[${k}] of ${where} repeats the image id ${im.id}; image ids must be unique`);
      imgs.set(im.id, im as unknown as CocoImage);
    });
    const annotations = json.annotations ?? [];
    if (!Array.isArray(annotations)) throw new Error(`new ${NAME}: "annotations" of ${where} is not a list`);
    const imgToAnns = new Map<number, CocoAnnotation[]>();
    annotations.forEach((ann: unknown, k: number) => {
      const name = `annotations[${k}]${isOptionsObject(ann) && ann.id !== undefined ? ` (id ${String(ann.id)})` : ''} of ${where}`;
      if (!isOptionsObject(ann)) throw new Error(`new ${NAME}: ${name} is not an object`);
      const im = isNum(ann.image_id) ? imgs.get(ann.image_id) : undefined;
      if (im === undefined) throw new Error(`new ${NAME}: ${name} has the image_id ${JSON.stringify(ann.image_id)}, which is not the id of any image in "images"`);
      if (!Number.isInteger(ann.category_id)) throw new Error(`new ${NAME}: ${name} has the category_id ${JSON.stringify(ann.category_id)}; expected an integer`);
      const bb = ann.bbox;
      if (!Array.isArray(bb) || bb.length !== 4 || !bb.every(isNum) || bb[2] < 0 || bb[3] < 0) {
        throw new Error(`new ${NAME}: ${name} has the bbox ${JSON.stringify(bb)}; expected [x, y, width, height] with finite numbers and width, height ≥ 0`);
      }
      if (!imgToAnns.has(im.id)) imgToAnns.set(im.id, []);
      imgToAnns.get(im.id)!.push(ann as unknown as CocoAnnotation);
    });
    const categories = json.categories ?? [];
    if (!Array.isArray(categories)) throw new Error(`new ${NAME}: "categories" of ${where} is not a list`);
    const cats: Record<number, CocoCategory> = {};
    categories.forEach((c: unknown, k: number) => {
      if (!isOptionsObject(c) || !Number.isInteger(c.id)) throw new Error(`new ${NAME}: categories[${k}] of ${where} is ${JSON.stringify(c)?.slice(0, 120)}; expected { id: integer, name: string }`);
      cats[c.id as number] = c as unknown as CocoCategory;
    });
    this.root = root;
    this.annFile = annFile;
    this.imgs = imgs;
    this.ids = [...imgs.keys()].sort((x, y) => x - y);
    this.imgToAnns = imgToAnns;
    this.cats = cats;
    this.categories = categories as CocoCategory[];
    this.#join = path.join;
    this.transform = (a.transform ?? null) as ((image: Tensor) => S | Promise<S>) | null;
    this.targetTransform = (a.targetTransform ?? null) as ((target: CocoAnnotation[]) => T | Promise<T>) | null;
    this.transforms = (a.transforms ?? null) as ((image: Tensor, target: CocoAnnotation[]) => [S, T] | Promise<[S, T]>) | null;
  }

  /** The number of images. */
  get length(): number {
    return this.ids.length;
  }

  /** `[image, annotations]` of sample `index` (negative counts from the end), through the transforms. */
  async get(index: number): Promise<[S, T]> {
    const id = this.ids[checkIndex(NAME, index, this.ids.length)]!;
    const im = this.imgs.get(id)!;
    const image = await readImage(this.#join(this.root, im.file_name), { mode: 'rgb' });
    const target = (this.imgToAnns.get(id) ?? []).slice();
    if (this.transforms) return this.transforms(image, target);
    const x = this.transform ? await this.transform(image) : (image as unknown as S);
    if (this.transform && x !== (image as unknown) && x instanceof Tensor) image.dispose();
    const y = this.targetTransform ? await this.targetTransform(target) : (target as unknown as T);
    return [x, y];
  }
}

/** pycocotools' `rleFrString`: the compressed counts string → counts. */
function rleFromString(s: string, what: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new RangeError(`${what}: the compressed RLE counts string ends in the middle of a number; is it truncated?`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new RangeError(`${what}: the compressed RLE counts string has the character ${JSON.stringify(s[p])} at ${p}; expected pycocotools' encoding (characters '0' to 'o')`);
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && (c & 0x10) !== 0) x -= 2 ** (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  return counts;
}

/** pycocotools' `rleFrPoly`: a polygon's counts (column-major RLE of an h×w mask). */
/** The most upsampled boundary points {@link rleFromPolygon} accepts (a 4000×4000 image's outline is about 80 000). */
const MAX_POLYGON_POINTS = 1 << 24;

function rleFromPolygon(xy: readonly number[], h: number, w: number, what: string): number[] {
  const k = xy.length >> 1;
  const scale = 5;
  const x = new Array<number>(k + 1);
  const y = new Array<number>(k + 1);
  for (let j = 0; j < k; j++) x[j] = Math.trunc(scale * xy[2 * j]! + 0.5);
  for (let j = 0; j < k; j++) y[j] = Math.trunc(scale * xy[2 * j + 1]! + 0.5);
  x[k] = x[0]!;
  y[k] = y[0]!;
  // pycocotools allocates one point per upsampled boundary pixel; coordinates far outside the image
  // (or not numbers a pixel grid can hold) would need billions of them: refuse before allocating
  let m = 0;
  for (let j = 0; j < k; j++) m += Math.max(Math.abs(x[j]! - x[j + 1]!), Math.abs(y[j]! - y[j + 1]!)) + 1;
  if (!(m <= MAX_POLYGON_POINTS)) {
    let far = 0;
    for (let j = 1; j < k; j++) if (Math.abs(xy[2 * j]!) + Math.abs(xy[2 * j + 1]!) > Math.abs(xy[2 * far]!) + Math.abs(xy[2 * far + 1]!)) far = j;
    throw new RangeError(
      `${what}: the polygon's boundary spans ${m} points at 1/5 pixel, more than ${MAX_POLYGON_POINTS}; its vertex (${xy[2 * far]}, ${xy[2 * far + 1]}) lies far outside the ${w}×${h} image. Clip the polygon to the image (or check that it is [x1, y1, x2, y2, …] in pixels)`,
    );
  }
  const u: number[] = [];
  const v: number[] = [];
  for (let j = 0; j < k; j++) {
    let xs = x[j]!;
    let xe = x[j + 1]!;
    let ys = y[j]!;
    let ye = y[j + 1]!;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      [xs, xe] = [xe, xs];
      [ys, ye] = [ye, ys];
    }
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u.push(t + xs);
        v.push(Math.trunc(ys + s * t + 0.5));
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v.push(t + ys);
        u.push(Math.trunc(xs + s * t + 0.5));
      }
    }
  }
  // the points along the y-boundary, downsampled
  const bx: number[] = [];
  const by: number[] = [];
  for (let j = 1; j < u.length; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j]! < u[j - 1]! ? u[j]! : u[j]! - 1;
    xd = (xd + 0.5) / scale - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j]! < v[j - 1]! ? v[j]! : v[j - 1]!;
    yd = (yd + 0.5) / scale - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    bx.push(xd);
    by.push(yd);
  }
  const a = bx.map((xx, j) => xx * h + by[j]!);
  a.push(h * w);
  a.sort((p, q) => p - q);
  let prev = 0;
  for (let j = 0; j < a.length; j++) {
    const t = a[j]!;
    a[j] = t - prev;
    prev = t;
  }
  const b: number[] = [a[0]!];
  let j = 1;
  while (j < a.length) {
    if (a[j]! > 0) b.push(a[j++]!);
    else {
      j++;
      if (j < a.length) b[b.length - 1]! += a[j++]!;
    }
  }
  return b;
}

/** Column-major RLE counts → a row-major 0/1 mask, or'ed into `out`. */
function decodeRleInto(counts: readonly number[], h: number, w: number, out: Uint8Array, what: string): void {
  let total = 0;
  for (const c of counts) {
    if (!(Number.isInteger(c) && c >= 0)) throw new RangeError(`${what}: RLE counts must be integers ≥ 0, got ${c}`);
    total += c;
  }
  if (total !== h * w) throw new RangeError(`${what}: the RLE counts add up to ${total} pixels, but the mask is ${h}×${w} = ${h * w}; the segmentation does not belong to an image of this size`);
  let p = 0;
  let value = 0;
  for (const c of counts) {
    if (value) {
      for (let q = p; q < p + c; q++) {
        const row = q % h;
        out[row * w + (q - row) / h] = 1;
      }
    }
    p += c;
    value ^= 1;
  }
}

function segmentationInto(seg: unknown, h: number, w: number, out: Uint8Array, what: string): void {
  if (Array.isArray(seg)) {
    // polygons (pycocotools' frPyObjects, then merge): a list of [x1, y1, x2, y2, …]
    for (const [k, poly] of seg.entries()) {
      if (!Array.isArray(poly) || !poly.every(isNum) || poly.length % 2 !== 0 || poly.length < 4) {
        throw new RangeError(`${what}: polygon ${k} is ${JSON.stringify(poly)?.slice(0, 80)}; expected [x1, y1, x2, y2, …] with an even number (≥ 6) of finite numbers`);
      }
      // pycocotools reads a list of four numbers as a box [x, y, width, height]
      const xy = poly.length === 4 ? [poly[0], poly[1], poly[0], poly[1] + poly[3], poly[0] + poly[2], poly[1] + poly[3], poly[0] + poly[2], poly[1]] : poly;
      decodeRleInto(rleFromPolygon(xy as number[], h, w, `${what}: polygon ${k}`), h, w, out, what);
    }
    return;
  }
  if (isOptionsObject(seg) && Array.isArray(seg.size) && seg.size.length === 2) {
    const [rh, rw] = seg.size as [number, number];
    if (rh !== h || rw !== w) throw new RangeError(`${what}: the RLE size is [${rh}, ${rw}] but the image is ${h}×${w} ([height, width] = [${h}, ${w}])`);
    if (typeof seg.counts === 'string') return decodeRleInto(rleFromString(seg.counts, what), h, w, out, what);
    if (Array.isArray(seg.counts)) return decodeRleInto(seg.counts as number[], h, w, out, what);
  }
  throw new TypeError(`${what}: expected a segmentation as polygons [[x1, y1, …], …] or an RLE { counts: string | number[], size: [height, width] }, got ${JSON.stringify(seg)?.slice(0, 80)}`);
}

const SEG_TO_MASK = signature('cocoSegmentationToMask', ['height', 'width'], { required: 2 });

/**
 * Decodes a COCO segmentation into a bool mask `[height, width]`, as pycocotools'
 * `annToMask`: polygons (a list of `[x1, y1, x2, y2, …]`, united; rasterised with pycocotools'
 * algorithm, which samples the outline at 5× and fills between its crossings of pixel centres:
 * pixel-exact against pycocotools 2.0.11; a list of four numbers is read as a box `[x, y, width,
 * height]`, as pycocotools' `frPyObjects` intends — 2.0.11 fails on it with a TypeError), an
 * uncompressed RLE (`{ counts: number[], size: [h, w] }`, column-major runs starting with zeros)
 * or a compressed RLE (`counts` as pycocotools' string). The RLE's `size` must be the image's.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { cocoSegmentationToMask } from '@tensorgrad/vision';
 * // column-major runs: 1 zero, 2 ones, 3 zeros in a 3×2 image
 * await cocoSegmentationToMask({ counts: [1, 2, 3], size: [3, 2] }, 3, 2).array(); // [[false, false], [true, false], [true, false]]
 * await cocoSegmentationToMask([[0, 0, 2, 0, 2, 1, 0, 1]], { height: 2, width: 3 }).sum().item(); // 2
 * ```
 */
export function cocoSegmentationToMask(segmentation: CocoSegmentation, options: { height: number; width: number }): Tensor;
export function cocoSegmentationToMask(segmentation: CocoSegmentation, height: number, width: number): Tensor;
export function cocoSegmentationToMask(segmentation: CocoSegmentation, ...args: unknown[]): Tensor {
  const a = parseArgs(SEG_TO_MASK, args);
  const { h, w } = checkSize('cocoSegmentationToMask', a.height, a.width);
  const out = new Uint8Array(h * w);
  segmentationInto(segmentation, h, w, out, 'cocoSegmentationToMask');
  return fromTypedArray(out, [h, w], { dtype: 'bool' });
}

function checkSize(op: string, height: unknown, width: unknown): { h: number; w: number } {
  if (!Number.isInteger(height) || !Number.isInteger(width) || (height as number) < 1 || (width as number) < 1) {
    throw new RangeError(`${op}: expected height and width to be positive integers (the image's size), got ${JSON.stringify(height)} and ${JSON.stringify(width)}`);
  }
  const pixels = (height as number) * (width as number);
  if (pixels > MAX_MASK_PIXELS) {
    throw new RangeError(
      `${op}: a ${height as number}×${width as number} mask has ${pixels} pixels, more than the ${MAX_MASK_PIXELS} one mask may hold; expected the image's real height and width (check the annotation's size or the image entry)`,
    );
  }
  return { h: height as number, w: width as number };
}

/** The most pixels of one decoded mask (2³⁰, a 32768×32768 image): larger sizes are a corrupt annotation, not an image. */
const MAX_MASK_PIXELS = 2 ** 30;

/** What {@link cocoDetectionTarget} returns: torchvision's detection target of a COCO image. */
export interface CocoDetectionTarget {
  /** float32 `[K, 4]`: `xyxy`, clamped to the image. */
  boxes: Tensor;
  /** int32 `[K]`: the `category_id`s. */
  labels: Tensor;
  /** bool `[K, H, W]`: the decoded segmentations (all false for an annotation without one). */
  masks: Tensor;
  /** float32 `[K]`: the annotations' `area` (0 where missing). */
  area: Tensor;
  /** int32 `[K]`: the `iscrowd` flags (all 0: crowd annotations are dropped). */
  iscrowd: Tensor;
  /** The image id of the annotations (of the first one; -1 without any). */
  imageId: number;
}

const COCO_TARGET = signature('cocoDetectionTarget', ['height', 'width']);

/**
 * torchvision's detection references' `ConvertCocoPolysToMask` over a {@link CocoDetection}
 * target: drops crowd annotations (`iscrowd: 1`), turns `bbox` `[x, y, w, h]` into `xyxy` clamped
 * to the `width`×`height` image, decodes each segmentation into a mask (as
 * {@link cocoSegmentationToMask}), and drops the annotations whose clamped box is empty. Returns
 * `{ boxes, labels, masks, area, iscrowd, imageId }`; `labels` are the `category_id`s as in the
 * file (COCO's ids, 1–90 with gaps: map them if your model numbers classes 1…N).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { cocoDetectionTarget } from '@tensorgrad/vision';
 * const anns = [
 *   { image_id: 1, category_id: 5, bbox: [2, 1, 10, 2], area: 20, iscrowd: 0 },
 *   { image_id: 1, category_id: 2, bbox: [0, 0, 3, 3], area: 9, iscrowd: 1 }, // a crowd: dropped
 * ];
 * const t = cocoDetectionTarget(anns, { height: 4, width: 8 });
 * [await t.boxes.array(), await t.labels.array(), t.masks.shape, t.imageId]; // [[[2, 1, 8, 3]], [5], [1, 4, 8], 1]
 * ```
 */
export function cocoDetectionTarget(annotations: readonly CocoAnnotation[], options: { height: number; width: number }): CocoDetectionTarget;
export function cocoDetectionTarget(annotations: readonly CocoAnnotation[], height: number, width: number): CocoDetectionTarget;
export function cocoDetectionTarget(annotations: readonly CocoAnnotation[], ...args: unknown[]): CocoDetectionTarget {
  const op = 'cocoDetectionTarget';
  const a = parseArgs(COCO_TARGET, args);
  const { h, w } = checkSize(op, a.height, a.width);
  if (!Array.isArray(annotations)) throw new TypeError(`${op}: expected the annotations of one image (a list, as CocoDetection.get gives), got ${annotations === null ? 'null' : typeof annotations}`);
  const boxes: number[] = [];
  const labels: number[] = [];
  const areas: number[] = [];
  const masks: Uint8Array[] = [];
  let imageId = -1;
  annotations.forEach((ann, k) => {
    const what = `${op}: annotation ${k}${ann && ann.id !== undefined ? ` (id ${String(ann.id)})` : ''}`;
    if (!isOptionsObject(ann)) throw new TypeError(`${what} is not an object`);
    if (k === 0 && isNum(ann.image_id)) imageId = ann.image_id;
    if (ann.iscrowd === 1) return;
    const bb = ann.bbox;
    if (!Array.isArray(bb) || bb.length !== 4 || !bb.every(isNum)) throw new RangeError(`${what} has the bbox ${JSON.stringify(bb)}; expected [x, y, width, height]`);
    const x1 = Math.min(Math.max(bb[0], 0), w);
    const y1 = Math.min(Math.max(bb[1], 0), h);
    const x2 = Math.min(Math.max(bb[0] + bb[2], 0), w);
    const y2 = Math.min(Math.max(bb[1] + bb[3], 0), h);
    if (!(x2 > x1 && y2 > y1)) return;
    if (!Number.isInteger(ann.category_id)) throw new RangeError(`${what} has the category_id ${JSON.stringify(ann.category_id)}; expected an integer`);
    const mask = new Uint8Array(h * w);
    if (ann.segmentation !== undefined && ann.segmentation !== null) segmentationInto(ann.segmentation, h, w, mask, what);
    boxes.push(x1, y1, x2, y2);
    labels.push(ann.category_id as number);
    areas.push(isNum(ann.area) ? ann.area : 0);
    masks.push(mask);
  });
  const n = labels.length;
  if (n * h * w > 2 ** 31) {
    throw new RangeError(`${op}: ${n} masks of ${h}×${w} pixels need ${n * h * w} bytes, more than one bool tensor may hold (2³¹); give the image's real size or fewer annotations at a time`);
  }
  const m = new Uint8Array(n * h * w);
  masks.forEach((mk, i) => m.set(mk, i * h * w));
  return {
    boxes: fromTypedArray(Float32Array.from(boxes), [n, 4]),
    labels: fromTypedArray(Int32Array.from(labels), [n]),
    masks: fromTypedArray(m, [n, h, w], { dtype: 'bool' }),
    area: fromTypedArray(Float32Array.from(areas), [n]),
    iscrowd: fromTypedArray(new Int32Array(n), [n]),
    imageId,
  };
}
