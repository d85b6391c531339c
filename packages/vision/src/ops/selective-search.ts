import { fromTypedArray, Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';

/** Options of {@link selectiveSearch} and {@link selectiveSearchRegions} (the `selectivesearch` package's keywords in camelCase). */
export interface SelectiveSearchOptions {
  /**
   * Felzenszwalb–Huttenlocher's `k` (skimage's `scale`, default 1): the larger, the larger the
   * initial segments. As in skimage, `k` is in units of 0–255 colour distance (it compares
   * `scale / 255` with distances of the image in [0, 1]); the book uses `scale: 200, minSize: 100`.
   */
  scale?: number;
  /** The standard deviation of the Gaussian smoothing before segmentation (default 0.8). */
  sigma?: number;
  /** Initial segments smaller than this many pixels are merged into a neighbour (default 50). */
  minSize?: number;
  /**
   * `'single'` (default): one segmentation and one similarity (colour + texture + size + fill), as
   * the `selectivesearch` package does. `'fast'`: Uijlings et al.'s "fast" diversification — the
   * hierarchies of two segmentations (`scale` and `2·scale`) and two similarities (colour +
   * texture + size + fill, and texture + size + fill), their boxes united.
   */
  mode?: 'single' | 'fast';
}

/** One region of the hierarchy (what {@link selectiveSearchRegions} returns; the package's `regions`). */
export interface SelectiveSearchRegion {
  /** The region's box `[x1, y1, x2, y2]` in pixel-edge coordinates (a region over columns 3–7 has x1 = 3, x2 = 8). */
  box: [number, number, number, number];
  /** The number of pixels in the region. */
  size: number;
  /** The initial segments the region is made of. */
  labels: number[];
}

const SEARCH = signature('selectiveSearch', ['image', 'scale', 'sigma', 'minSize', 'mode'], { required: 1 });
const REGIONS = signature('selectiveSearchRegions', ['image', 'scale', 'sigma', 'minSize', 'mode'], { required: 1 });

interface Img {
  /** Channels in [0, 1], planar `[C, H, W]`. */
  data: Float32Array;
  c: number;
  h: number;
  w: number;
}

async function readImage(op: string, image: unknown): Promise<Img> {
  if (!(image instanceof Tensor)) throw new TypeError(`${op}: expected an image tensor [C, H, W] (C = 1 or 3), got ${image === null ? 'null' : typeof image}`);
  const shape = image.ndim === 2 ? [1, image.shape[0]!, image.shape[1]!] : image.shape;
  if (shape.length !== 3 || (shape[0] !== 1 && shape[0] !== 3)) {
    throw new RangeError(`${op}: expected one image [C, H, W] with C = 1 or 3 (or [H, W]), got shape [${image.shape.join(', ')}]`);
  }
  const [c, h, w] = shape as [number, number, number];
  if (h === 0 || w === 0) throw new RangeError(`${op}: the image is empty (shape [${image.shape.join(', ')}]); expected at least one pixel`);
  if (image.dtype === 'bool') throw new TypeError(`${op}: expected an int32 image with values 0–255 or a float image in [0, 1], got bool`);
  const raw = await image.data();
  const data = new Float32Array(raw.length);
  const isInt = image.dtype === 'int32';
  for (let i = 0; i < raw.length; i++) {
    const v = Number(raw[i]);
    if (isInt ? !(v >= 0 && v <= 255) : !(v >= 0 && v <= 1)) {
      throw new RangeError(`${op}: expected ${isInt ? 'int32 pixel values 0–255' : 'float pixel values in [0, 1]'}, got ${v} at flat index ${i}; ${isInt ? 'clamp the image' : 'scale the image to [0, 1] (x.div(255)) or clamp it'}`);
    }
    data[i] = isInt ? v / 255 : v;
  }
  return { data, c, h, w };
}

/** The largest Gaussian radius (4·sigma) {@link gaussianFilter} accepts. */
const MAX_RADIUS = 1e7;

/** scipy's `gaussian_filter` along H and W (truncate 4, mode 'reflect': d c b a | a b c d). */
function gaussianFilter(img: Img, sigma: number): Float32Array {
  const { c, h, w } = img;
  if (sigma <= 0) return img.data.slice();
  const r = Math.floor(4 * sigma + 0.5);
  if (r > MAX_RADIUS) {
    throw new RangeError(`selectiveSearch: sigma ${sigma} needs a Gaussian kernel of ${2 * r + 1} taps; expected sigma ≤ ${MAX_RADIUS / 4} (a sigma far above the image's size blurs it to its mean: use a smaller one)`);
  }
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const reflect = (i: number, n: number): number => {
    const period = 2 * n;
    i = ((i % period) + period) % period;
    return i < n ? i : period - 1 - i;
  };
  // the reflected signal repeats every 2n samples: a kernel longer than that folds onto one period
  // (the same sum, O(n) instead of O(r) per pixel, so a large sigma cannot stall the search)
  const folded = (n: number): { taps: Float64Array; lo: number } => {
    if (2 * r + 1 <= 2 * n) return { taps: k, lo: -r };
    const taps = new Float64Array(2 * n);
    for (let i = -r; i <= r; i++) taps[(((i % (2 * n)) + 2 * n) % (2 * n))]! += k[i + r]!;
    return { taps, lo: 0 };
  };
  const ky = folded(h);
  const kx = folded(w);
  const tmp = new Float32Array(c * h * w);
  const out = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    const o = ch * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = 0; i < ky.taps.length; i++) s += ky.taps[i]! * img.data[o + reflect(y + ky.lo + i, h) * w + x]!;
        tmp[o + y * w + x] = s;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let i = 0; i < kx.taps.length; i++) s += kx.taps[i]! * tmp[o + y * w + reflect(x + kx.lo + i, w)]!;
        out[o + y * w + x] = s;
      }
    }
  }
  return out;
}

/**
 * The indices that sort non-negative `values` ascending, ties by index: a stable LSD radix sort
 * on the float64 bit patterns (monotonic for values ≥ 0), 4 passes of 16 bits.
 */
function sortedOrder(values: Float64Array): Int32Array {
  const n = values.length;
  const words = new Uint16Array(values.buffer, values.byteOffset, n * 4); // little-endian: word 0 lowest
  let order = Int32Array.from({ length: n }, (_, i) => i);
  let next = new Int32Array(n);
  const count = new Int32Array(65537);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let pass = 0; pass < 4; pass++) {
    const word = le ? pass : 3 - pass;
    count.fill(0);
    for (let i = 0; i < n; i++) count[words[i * 4 + word]! + 1]!++;
    for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
    for (let i = 0; i < n; i++) {
      const idx = order[i]!;
      next[count[words[idx * 4 + word]!]!++] = idx;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * Felzenszwalb & Huttenlocher's graph segmentation as skimage's `segmentation.felzenszwalb`:
 * 8-connected grid graph weighted by the Euclidean colour distance of the smoothed image, edges
 * merged in increasing weight while weight < min(Int(C1) + k/|C1|, Int(C2) + k/|C2|), then
 * segments smaller than `minSize` merged along the sorted edges. Returns labels 0… in order of
 * first appearance (row-major), as skimage's relabelling.
 */
function felzenszwalb(img: Img, scale: number, sigma: number, minSize: number): Int32Array {
  const { c, h, w } = img;
  const s = gaussianFilter(img, sigma);
  const n = h * w;
  const plane = h * w;
  const k = scale / 255; // skimage: "rescale scale to behave like in reference implementation" (colours in [0, 1])
  const m = Math.max(0, (h - 1) * w) + Math.max(0, h * (w - 1)) + 2 * Math.max(0, (h - 1) * (w - 1));
  const edgesA = new Int32Array(m);
  const edgesB = new Int32Array(m);
  const cost = new Float64Array(m);
  let e0 = 0;
  // skimage's edge order: down, right, down-right, up-right
  const add = (p: number, q: number): void => {
    let d = 0;
    for (let ch = 0; ch < c; ch++) {
      const t = s[ch * plane + p]! - s[ch * plane + q]!;
      d += t * t;
    }
    edgesA[e0] = p;
    edgesB[e0] = q;
    cost[e0++] = Math.sqrt(d);
  };
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x < w; x++) add(y * w + x, (y + 1) * w + x);
  for (let y = 0; y < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x, y * w + x + 1);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x, (y + 1) * w + x + 1);
  for (let y = 1; y < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x, (y - 1) * w + x + 1);
  const order = sortedOrder(cost);
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const cint = new Float64Array(n);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const nx = parent[x]!;
      parent[x] = r;
      x = nx;
    }
    return r;
  };
  const join = (a: number, b: number): number => {
    // skimage's join_trees: the larger root index becomes the child
    if (a < b) {
      parent[b] = a;
      return a;
    }
    parent[a] = b;
    return b;
  };
  for (const e of order) {
    const a = find(edgesA[e]!);
    const b = find(edgesB[e]!);
    if (a === b) continue;
    if (cost[e]! < Math.min(cint[a]! + k / size[a]!, cint[b]! + k / size[b]!)) {
      const r = join(a, b);
      size[r] = size[a]! + size[b]!;
      cint[r] = cost[e]!;
    }
  }
  for (const e of order) {
    const a = find(edgesA[e]!);
    const b = find(edgesB[e]!);
    if (a === b) continue;
    if (size[a]! < minSize || size[b]! < minSize) {
      const r = join(a, b);
      size[r] = size[a]! + size[b]!;
    }
  }
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const r = find(p);
    let id = ids.get(r);
    if (id === undefined) ids.set(r, (id = ids.size));
    labels[p] = id;
  }
  return labels;
}

/** skimage's `local_binary_pattern(channel, P=8, R=1)` (method 'default', bilinear samples, 0 outside) on 0–255 values. */
function lbp(img: Img): Float32Array {
  const { c, h, w } = img;
  const out = new Float32Array(c * h * w);
  const offsets: [number, number][] = [];
  for (let p = 0; p < 8; p++) {
    const a = (2 * Math.PI * p) / 8;
    offsets.push([Math.round(-Math.sin(a) * 1e5) / 1e5, Math.round(Math.cos(a) * 1e5) / 1e5]);
  }
  for (let ch = 0; ch < c; ch++) {
    const o = ch * h * w;
    const at = (y: number, x: number): number => (y < 0 || y >= h || x < 0 || x >= w ? 0 : img.data[o + y * w + x]! * 255);
    const sample = (fy: number, fx: number): number => {
      const y0 = Math.floor(fy);
      const x0 = Math.floor(fx);
      const dy = fy - y0;
      const dx = fx - x0;
      return (1 - dy) * (1 - dx) * at(y0, x0) + (1 - dy) * dx * at(y0, x0 + 1) + dy * (1 - dx) * at(y0 + 1, x0) + dy * dx * at(y0 + 1, x0 + 1);
    };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const centre = at(y, x);
        let v = 0;
        for (let p = 0; p < 8; p++) if (sample(y + offsets[p]![0], x + offsets[p]![1]) - centre >= 0) v |= 1 << p;
        out[o + y * w + x] = v;
      }
    }
  }
  return out;
}

/** RGB planes in [0, 1] → HSV planes in [0, 1] (skimage's `rgb2hsv`). */
function rgbToHsv(img: Img): Float32Array {
  const { h, w } = img;
  const n = h * w;
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) {
    const r = img.data[p]!;
    const g = img.data[n + p]!;
    const b = img.data[2 * n + p]!;
    const max = Math.max(r, g, b);
    const delta = max - Math.min(r, g, b);
    let hue = 0;
    if (delta > 0) {
      if (max === r) hue = ((g - b) / delta) % 6;
      else if (max === g) hue = 2 + (b - r) / delta;
      else hue = 4 + (r - g) / delta;
      hue = (hue / 6 + 1) % 1;
    }
    out[p] = hue;
    out[n + p] = max === 0 ? 0 : delta / max;
    out[2 * n + p] = max;
  }
  return out;
}

interface Region {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  size: number;
  histC: Float64Array;
  histT: Float64Array;
  labels: number[];
}

const COLOUR_BINS = 25;
const TEXTURE_BINS = 10;

function regionsOf(img: Img, labels: Int32Array, count: number): Region[] {
  const { c, h, w } = img;
  const n = h * w;
  const colour = c === 3 ? rgbToHsv(img) : img.data;
  const texture = lbp(img);
  const regions: Region[] = Array.from({ length: count }, (_, i) => ({
    x1: w,
    y1: h,
    x2: 0,
    y2: 0,
    size: 0,
    histC: new Float64Array(COLOUR_BINS * c),
    histT: new Float64Array(TEXTURE_BINS * c),
    labels: [i],
  }));
  for (let p = 0; p < n; p++) {
    const r = regions[labels[p]!]!;
    const x = p % w;
    const y = (p - x) / w;
    if (x < r.x1) r.x1 = x;
    if (y < r.y1) r.y1 = y;
    if (x + 1 > r.x2) r.x2 = x + 1;
    if (y + 1 > r.y2) r.y2 = y + 1;
    r.size++;
    for (let ch = 0; ch < c; ch++) {
      r.histC[ch * COLOUR_BINS + Math.min(COLOUR_BINS - 1, Math.floor(colour[ch * n + p]! * COLOUR_BINS))]!++;
      r.histT[ch * TEXTURE_BINS + Math.min(TEXTURE_BINS - 1, Math.floor((texture[ch * n + p]! / 256) * TEXTURE_BINS))]!++;
    }
  }
  for (const r of regions) {
    // L1-normalised over all channels, as the package
    for (let i = 0; i < r.histC.length; i++) r.histC[i]! /= r.size;
    for (let i = 0; i < r.histT.length; i++) r.histT[i]! /= r.size;
  }
  return regions;
}

function histIntersection(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.min(a[i]!, b[i]!);
  return s;
}

/** The hierarchical grouping: all initial regions, then each merge, in order. */
function group(initial: Region[], neighbours: Set<number>[], imsize: number, useColour: boolean): Region[] {
  const R: Region[] = [...initial];
  const sim = (a: Region, b: Region): number => {
    const bb = (Math.max(a.x2, b.x2) - Math.min(a.x1, b.x1)) * (Math.max(a.y2, b.y2) - Math.min(a.y1, b.y1));
    return (useColour ? histIntersection(a.histC, b.histC) : 0) + histIntersection(a.histT, b.histT) + (1 - (a.size + b.size) / imsize) + (1 - (bb - a.size - b.size) / imsize);
  };
  // S: similarity of each neighbouring pair i < j, keyed i * M + j
  const M = 2 * initial.length + 1;
  const S = new Map<number, number>();
  const adj: Set<number>[] = neighbours.map((s) => new Set(s));
  for (let i = 0; i < adj.length; i++) for (const j of adj[i]!) if (i < j) S.set(i * M + j, sim(R[i]!, R[j]!));
  while (S.size > 0) {
    let best = -Infinity;
    let key = -1;
    for (const [k, v] of S) {
      if (v > best || (v === best && k < key)) {
        best = v;
        key = k;
      }
    }
    const i = Math.floor(key / M);
    const j = key % M;
    const a = R[i]!;
    const b = R[j]!;
    const size = a.size + b.size;
    const t = R.length;
    const histC = new Float64Array(a.histC.length);
    const histT = new Float64Array(a.histT.length);
    for (let q = 0; q < histC.length; q++) histC[q] = (a.histC[q]! * a.size + b.histC[q]! * b.size) / size;
    for (let q = 0; q < histT.length; q++) histT[q] = (a.histT[q]! * a.size + b.histT[q]! * b.size) / size;
    R.push({ x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2), size, histC, histT, labels: [...a.labels, ...b.labels] });
    const merged = new Set<number>();
    for (const v of [i, j]) {
      for (const u of adj[v]!) {
        S.delete(Math.min(u, v) * M + Math.max(u, v));
        adj[u]!.delete(v);
        if (u !== i && u !== j) merged.add(u);
      }
      adj[v]!.clear();
    }
    adj.push(merged);
    for (const u of merged) {
      adj[u]!.add(t);
      S.set(u * M + t, sim(R[u]!, R[t]!));
    }
  }
  return R;
}

async function search(op: string, sig: typeof SEARCH, args: unknown[]): Promise<SelectiveSearchRegion[]> {
  const a = parseArgs(sig, args);
  const scale = a.scale ?? 1;
  const sigma = a.sigma ?? 0.8;
  const minSize = a.minSize ?? 50;
  const mode = a.mode ?? 'single';
  if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`${op}: expected scale to be a positive number, got ${String(scale)}`);
  if (typeof sigma !== 'number' || !(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`${op}: expected sigma to be a number ≥ 0, got ${String(sigma)}`);
  if (typeof minSize !== 'number' || !Number.isInteger(minSize) || minSize < 0) throw new RangeError(`${op}: expected minSize to be an integer ≥ 0 (pixels), got ${String(minSize)}`);
  if (mode !== 'single' && mode !== 'fast') throw new RangeError(`${op}: expected mode to be 'single' or 'fast', got ${JSON.stringify(mode)}`);
  const img = await readImage(op, a.image);
  const out: SelectiveSearchRegion[] = [];
  const scales = mode === 'fast' ? [scale, 2 * scale] : [scale];
  const strategies = mode === 'fast' ? [true, false] : [true];
  for (const k of scales) {
    const labels = felzenszwalb(img, k, sigma, minSize);
    let count = 0;
    for (const l of labels) if (l + 1 > count) count = l + 1;
    const initial = regionsOf(img, labels, count);
    // 4-connected adjacency of the initial segments
    const neighbours: Set<number>[] = Array.from({ length: count }, () => new Set());
    const { h, w } = img;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const l = labels[y * w + x]!;
        if (x + 1 < w && labels[y * w + x + 1] !== l) {
          neighbours[l]!.add(labels[y * w + x + 1]!);
          neighbours[labels[y * w + x + 1]!]!.add(l);
        }
        if (y + 1 < h && labels[(y + 1) * w + x] !== l) {
          neighbours[l]!.add(labels[(y + 1) * w + x]!);
          neighbours[labels[(y + 1) * w + x]!]!.add(l);
        }
      }
    }
    for (const useColour of strategies) {
      for (const r of group(initial, neighbours, h * w, useColour)) out.push({ box: [r.x1, r.y1, r.x2, r.y2], size: r.size, labels: r.labels });
    }
  }
  return out;
}

/**
 * Selective search's region hierarchy (the `selectivesearch` package's `regions`): every initial
 * segment and every merge of the grouping, each with its box, pixel count and initial segments.
 * See {@link selectiveSearch} for the algorithm; the book filters these by size (`r.size`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { fromTypedArray } from '@tensorgrad/tensor';
 * import { selectiveSearchRegions } from '@tensorgrad/vision';
 * const px = new Float32Array(16 * 16);
 * for (let y = 4; y < 12; y++) for (let x = 2; x < 8; x++) px[y * 16 + x] = 1; // a bright 6×8 patch
 * const image = fromTypedArray(px, [1, 16, 16]);
 * const regions = await selectiveSearchRegions(image, { sigma: 0, minSize: 4 }); // no smoothing
 * regions.map((r) => r.box); // [[0, 0, 16, 16], [2, 4, 8, 12], [0, 0, 16, 16]]
 * regions.map((r) => r.size); // [208, 48, 256]
 * ```
 */
export async function selectiveSearchRegions(image: Tensor, options?: SelectiveSearchOptions): Promise<SelectiveSearchRegion[]>;
export async function selectiveSearchRegions(image: Tensor, scale?: number, sigma?: number, minSize?: number, mode?: 'single' | 'fast'): Promise<SelectiveSearchRegion[]>;
export async function selectiveSearchRegions(...args: unknown[]): Promise<SelectiveSearchRegion[]> {
  return search('selectiveSearchRegions', REGIONS, args);
}

/**
 * Region proposals by selective search (Uijlings et al., "Selective Search for Object
 * Recognition", IJCV 2013), the proposals of the book's R-CNN, following the `selectivesearch`
 * Python package the book calls (`selective_search(img, scale, sigma, min_size)`). Host code over
 * typed arrays; returns the distinct boxes, float32 `[N, 4]` `xyxy` in pixel-edge coordinates
 * (a region over columns 3–7 has x1 = 3, x2 = 8; the package returns `xywh` with w = 4 there), in
 * the order the hierarchy makes them (initial segments first, then each merge).
 *
 * 1. **Initial segments**: Felzenszwalb & Huttenlocher's graph segmentation, as skimage's
 *    `felzenszwalb(image, scale, sigma, min_size)` (Gaussian smoothing `sigma`; 8-connected
 *    pixel graph weighted by colour distance in [0, 1]; components merged while the edge is
 *    lighter than both components' internal difference + `scale / size`; segments under `minSize`
 *    pixels merged into a neighbour) — the same segments as skimage 0.26 gives (tested).
 * 2. **Hierarchical grouping**: the most similar pair of neighbouring regions is merged until one
 *    region is left; similarity = colour + texture + size + fill, with colour the intersection of
 *    25-bin histograms per channel (HSV for RGB images, as the package; the grey value for a grey
 *    image), texture the intersection of 10-bin histograms of the local binary pattern (8
 *    neighbours, radius 1) per channel, size `1 − (|a| + |b|) / |image|` and fill
 *    `1 − (|box(a ∪ b)| − |a| − |b|) / |image|`.
 *
 * Deliberate differences from the package, where it does not do what Uijlings et al. and its own
 * code intend: regions are neighbours when they touch (4-connectivity, the paper's), not when
 * their boxes overlap; the colour histograms bin HSV values over [0, 1] and the texture
 * histograms bin LBP codes over 0–255 (the package bins both over other ranges, which puts nearly
 * every pixel in one bin and makes both similarities constant). `mode: 'fast'` adds the paper's
 * diversification (two scales, two similarity sets). Ties are broken by the lower region pair, so
 * the result is deterministic.
 *
 * The image is `[C, H, W]` (C = 1 or 3) or `[H, W]`: int32 with values 0–255 (as `decodeImage`
 * gives) or float in [0, 1]. A 128×128 image takes a few tens of milliseconds.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { fromTypedArray } from '@tensorgrad/tensor';
 * import { selectiveSearch } from '@tensorgrad/vision';
 * const px = new Int32Array(3 * 32 * 32);
 * for (let c = 0; c < 3; c++) {
 *   for (let y = 4; y < 12; y++) for (let x = 2; x < 10; x++) px[c * 1024 + y * 32 + x] = 200; // one object
 *   for (let y = 20; y < 30; y++) for (let x = 16; x < 28; x++) px[c * 1024 + y * 32 + x] = 90; // another
 * }
 * const image = fromTypedArray(px, [3, 32, 32]);
 * const boxes = await selectiveSearch(image, { sigma: 0, minSize: 10 }); // sharp edges: no smoothing
 * const list = await boxes.array();
 * [list.some((b) => b.join() === '2,4,10,12'), list.some((b) => b.join() === '16,20,28,30')]; // [true, true]
 * ```
 */
export async function selectiveSearch(image: Tensor, options?: SelectiveSearchOptions): Promise<Tensor>;
export async function selectiveSearch(image: Tensor, scale?: number, sigma?: number, minSize?: number, mode?: 'single' | 'fast'): Promise<Tensor>;
export async function selectiveSearch(...args: unknown[]): Promise<Tensor> {
  const regions = await search('selectiveSearch', SEARCH, args);
  const seen = new Set<string>();
  const boxes: number[] = [];
  for (const r of regions) {
    const key = r.box.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    boxes.push(...r.box);
  }
  return fromTypedArray(Float32Array.from(boxes), [boxes.length / 4, 4]);
}
