/**
 * A scatter plot of a 2-D embedding coloured by class, drawn into an image tensor (the book's
 * `plt.scatter(*zip(*clustered), c=classes, cmap=plt.get_cmap('Spectral', 10))` with a legend of
 * the class names instead of the colour bar): the points as small discs in matplotlib's
 * `Spectral` colours, a frame, and a legend written with a built-in 5×7 pixel font (tensorgrad's
 * `drawBoundingBoxes` draws no text, and the examples take no font or plotting dependency).
 */
import { fromTypedArray, type Tensor } from 'tensorgrad';

/** ColorBrewer's 11-class Spectral, the nodes of matplotlib's `Spectral` colormap (0–1 scale × 255). */
const SPECTRAL_NODES: readonly (readonly [number, number, number])[] = [
  [158, 1, 66], [213, 62, 79], [244, 109, 67], [253, 174, 97], [254, 224, 139], [255, 255, 191],
  [230, 245, 152], [171, 221, 164], [102, 194, 165], [50, 136, 189], [94, 79, 162],
];

/**
 * The colours matplotlib gives `n` integer classes 0…n−1 under `plt.get_cmap('Spectral', n)`
 * (what the book's scatter plot uses): class k gets the colormap at k/(n−1), linearly
 * interpolated between the 11 nodes of ColorBrewer's Spectral, as `[r, g, b]` 0–255.
 *
 * @example
 * ```ts
 * import { spectralColors } from './scatter-plot.js';
 * const c = spectralColors(10);
 * [c[0], c[9]]; // [[158, 1, 66], [94, 79, 162]]
 * spectralColors(11)[5]; // [255, 255, 191]
 * ```
 */
export function spectralColors(n: number): [number, number, number][] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`spectralColors: expected a positive integer number of classes, got ${String(n)}`);
  return Array.from({ length: n }, (_, k) => {
    const x = n === 1 ? 0 : (k / (n - 1)) * (SPECTRAL_NODES.length - 1);
    const i = Math.min(Math.floor(x), SPECTRAL_NODES.length - 2);
    const t = x - i;
    const [a, b] = [SPECTRAL_NODES[i]!, SPECTRAL_NODES[i + 1]!];
    return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * t)) as [number, number, number];
  });
}

// 5×7 glyphs, one base-32 digit per row (bit 4 = leftmost pixel)
const FONT: Readonly<Record<string, string>> = {
  A: 'ehhvhhh',
  B: 'uhhuhhu',
  C: 'ehggghe',
  D: 'uhhhhhu',
  E: 'vgguggv',
  F: 'vgguggg',
  G: 'ehgnhhf',
  H: 'hhhvhhh',
  I: 'e44444e',
  J: '72222ic',
  K: 'hikokih',
  L: 'ggggggv',
  M: 'hrllhhh',
  N: 'hhpljhh',
  O: 'ehhhhhe',
  P: 'uhhuggg',
  Q: 'ehhhlid',
  R: 'uhhukih',
  S: 'fgge11u',
  T: 'v444444',
  U: 'hhhhhhe',
  V: 'hhhhha4',
  W: 'hhhllla',
  X: 'hha4ahh',
  Y: 'hha4444',
  Z: 'v1248gv',
  a: '00e1fhf',
  b: 'ggmphhu',
  c: '00egghe',
  d: '11djhhf',
  e: '00ehvge',
  f: '698s888',
  g: '0fhhf1e',
  h: 'ggmphhh',
  i: '40c444e',
  j: '20622ic',
  k: 'ggikoki',
  l: 'c44444e',
  m: '00qllhh',
  n: '00mphhh',
  o: '00ehhhe',
  p: '00uhugg',
  q: '00djf11',
  r: '00mpggg',
  s: '00ege1u',
  t: '88s8896',
  u: '00hhhjd',
  v: '00hhha4',
  w: '00hhlla',
  x: '00ha4ah',
  y: '00hhf1e',
  z: '00v248v',
  0: 'ehjlphe',
  1: '4c4444e',
  2: 'eh1248v',
  3: 'v2421he',
  4: '26aiv22',
  5: 'vgu11he',
  6: '68guhhe',
  7: 'v124888',
  8: 'ehhehhe',
  9: 'ehhf12c',
  '-': '000v000',
  '/': '01248g0',
  '.': '00000cc',
  ',': '0000c48',
  ':': '0cc0cc0',
  '(': '2488842',
  ')': '8422248',
  "'": 'c480000',
  '=': '00v0v00',
  '_': '000000v',
};

/** Width in pixels of `text` in the built-in font at `scale` (6 columns per character, the last one blank). */
function textWidth(text: string, scale: number): number {
  return text.length * 6 * scale;
}

/** An RGB canvas, row-major planes `[3, H, W]`. */
class Canvas {
  readonly pixels: Int32Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: readonly [number, number, number],
  ) {
    this.pixels = new Int32Array(3 * width * height);
    for (let c = 0; c < 3; c++) this.pixels.fill(background[c]!, c * width * height, (c + 1) * width * height);
  }

  set(x: number, y: number, color: readonly [number, number, number]): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const plane = this.width * this.height;
    for (let c = 0; c < 3; c++) this.pixels[c * plane + y * this.width + x] = color[c]!;
  }

  disc(cx: number, cy: number, r: number, fill: readonly [number, number, number], edge: readonly [number, number, number]): void {
    for (let dy = -r - 1; dy <= r + 1; dy++)
      for (let dx = -r - 1; dx <= r + 1; dx++) {
        const d2 = dx * dx + dy * dy;
        if (d2 <= r * r) this.set(cx + dx, cy + dy, fill);
        else if (d2 <= (r + 1) * (r + 1)) this.set(cx + dx, cy + dy, edge);
      }
  }

  rect(x0: number, y0: number, x1: number, y1: number, color: readonly [number, number, number]): void {
    for (let x = x0; x <= x1; x++) [y0, y1].forEach((y) => this.set(x, y, color));
    for (let y = y0; y <= y1; y++) [x0, x1].forEach((x) => this.set(x, y, color));
  }

  text(x: number, y: number, s: string, scale: number, color: readonly [number, number, number]): void {
    for (const [k, ch] of [...s].entries()) {
      const glyph = FONT[ch];
      if (ch === ' ') continue;
      if (glyph === undefined) throw new RangeError(`scatterPlot: the built-in font has no glyph for ${JSON.stringify(ch)}; use letters, digits and - / . , : ( ) ' = _`);
      for (let row = 0; row < 7; row++) {
        const bits = parseInt(glyph[row]!, 32);
        for (let col = 0; col < 5; col++)
          if (bits & (16 >> col))
            for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) this.set(x + (k * 6 + col) * scale + sx, y + row * scale + sy, color);
      }
    }
  }
}

/** Options of {@link scatterPlot}. */
export interface ScatterPlotOptions {
  /** Legend names of the classes 0…K−1 (default: the class numbers). */
  classes?: readonly string[];
  /** Image width in pixels (default 760). */
  width?: number;
  /** Image height in pixels (default 600). */
  height?: number;
  /** Radius of a point in pixels (default 2; each disc also gets a 1-pixel darker edge). */
  markerSize?: number;
  /** One `[r, g, b]` per class (default {@link spectralColors}, the book's `Spectral` colormap). */
  colors?: readonly (readonly [number, number, number])[];
  /** A title above the plot (default none). */
  title?: string;
}

/**
 * Draws `points` `[N, 2]` (x, y; y upwards as in matplotlib) as discs coloured by their integer
 * `labels` (0…K−1) into an int32 RGB image `[3, H, W]` (values 0–255, for `writePng`), with the
 * data's bounding box padded by 5 % mapped onto the plot area, a frame, and a legend (one swatch
 * and name per class) on the right.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { scatterPlot, spectralColors } from './scatter-plot.js';
 * const image = await scatterPlot(tensor([[0, 0], [1, 1]]), [0, 1], { classes: ['Coat', 'Bag'], width: 200, height: 120 });
 * image.shape; // [3, 120, 200]
 * const px = await image.array() as number[][][];
 * // the point of class 1 is the top-right one: the plot spans x 10–140, y 10–110 (the legend takes the right)
 * [0, 1, 2].map((c) => px[c]![15]![134]); // [94, 79, 162]
 * ```
 */
export async function scatterPlot(points: Tensor, labels: Tensor | ArrayLike<number>, options: ScatterPlotOptions = {}): Promise<Tensor> {
  if (points.ndim !== 2 || points.shape[1] !== 2) throw new RangeError(`scatterPlot: expected points [N, 2], got [${points.shape.join(', ')}]`);
  const n = points.shape[0]!;
  const xy = Float64Array.from(await points.data());
  const lab = labels instanceof Object && 'shape' in labels ? Array.from(await (labels as Tensor).data(), Number) : Array.from(labels as ArrayLike<number>);
  if (lab.length !== n) throw new RangeError(`scatterPlot: expected ${n} labels for ${n} points, got ${lab.length}`);
  for (const l of lab) if (!Number.isInteger(l) || l < 0) throw new RangeError(`scatterPlot: expected labels to be integers ≥ 0, got ${l}`);
  const k = Math.max(options.classes?.length ?? 0, ...lab.map((l) => l + 1), 1);
  const classes = options.classes ?? Array.from({ length: k }, (_, i) => String(i));
  if (classes.length < k) throw new RangeError(`scatterPlot: labels go up to ${k - 1} but only ${classes.length} class names were given`);
  const colors = options.colors ?? spectralColors(k);
  if (colors.length < k) throw new RangeError(`scatterPlot: expected a colour for each of the ${k} classes, got ${colors.length}`);
  const width = options.width ?? 760;
  const height = options.height ?? 600;
  const r = options.markerSize ?? 2;
  const scale = height >= 300 ? 2 : 1;
  const legendWidth = Math.max(...classes.map((c) => textWidth(c, scale))) + 16 * scale;
  const top = options.title ? 12 + 9 * scale : 10;
  const [x0, y0, x1, y1] = [10, top, width - legendWidth - 20, height - 10];
  if (x1 - x0 < 20 || y1 - y0 < 20) throw new RangeError(`scatterPlot: ${width}×${height} leaves no room for the plot beside a legend ${legendWidth} pixels wide; make the image larger`);
  const canvas = new Canvas(width, height, [255, 255, 255]);
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    [minX, maxX] = [Math.min(minX, xy[2 * i]!), Math.max(maxX, xy[2 * i]!)];
    [minY, maxY] = [Math.min(minY, xy[2 * i + 1]!), Math.max(maxY, xy[2 * i + 1]!)];
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  [minX, maxX, minY, maxY] = [minX - 0.05 * spanX, maxX + 0.05 * spanX, minY - 0.05 * spanY, maxY + 0.05 * spanY];
  const darker = (c: readonly [number, number, number]) => c.map((v) => Math.round(v * 0.6)) as [number, number, number];
  for (let i = 0; i < n; i++) {
    const px = Math.round(x0 + ((xy[2 * i]! - minX) / (maxX - minX)) * (x1 - x0));
    const py = Math.round(y1 - ((xy[2 * i + 1]! - minY) / (maxY - minY)) * (y1 - y0));
    canvas.disc(px, py, r, colors[lab[i]!]!, darker(colors[lab[i]!]!));
  }
  canvas.rect(x0, y0, x1, y1, [0, 0, 0]);
  if (options.title) canvas.text(x0, 6, options.title, scale, [0, 0, 0]);
  const row = 11 * scale;
  const legendTop = Math.max(y0, Math.round((y0 + y1) / 2 - (k * row) / 2));
  for (let c = 0; c < k; c++) {
    const y = legendTop + c * row;
    const sw = 7 * scale;
    for (let dy = 0; dy < sw; dy++) for (let dx = 0; dx < sw; dx++) canvas.set(x1 + 12 + dx, y + dy, colors[c]!);
    canvas.rect(x1 + 12, y, x1 + 12 + sw - 1, y + sw - 1, darker(colors[c]!));
    canvas.text(x1 + 12 + sw + 4 * scale, y, classes[c]!, scale, [0, 0, 0]);
  }
  return fromTypedArray(canvas.pixels, [3, height, width]);
}

