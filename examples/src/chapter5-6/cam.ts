/**
 * Chapter 6's class activation maps (`Class_activation_maps.ipynb`), on the data that is here: the
 * book explains a malaria-cell classifier with Grad-CAM; no such images are on this machine, so
 * the chapter 4 CNN is trained briefly on Fashion-MNIST and its predictions on test images are
 * explained instead. The heatmaps come from `gradCam` of `@tensorgrad/vision` on the network's
 * last convolution, coloured with {@link jetColormap}, laid over the images and written as PNGs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  cat,
  Conv2d,
  FashionMNIST,
  gradCam,
  interpolate,
  makeGrid,
  manualSeed,
  noGrad,
  saveImage,
  stack,
  tensor,
  tidy,
  writePng,
  type Sequential,
  type Tensor,
} from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';
import type { ExperimentOptions } from '../chapter3/experiment.js';
import { evaluate, trainEpoch } from '../chapter3/train.js';
import { bookCnn } from './models.js';

/** Where the PNGs go by default: `examples/.generated/cam/` (ignored by git). */
export const DEFAULT_CAM_OUT = resolve(fileURLToPath(new URL('../../.generated/cam/', import.meta.url)));

/** Options of {@link runCam}. */
export interface CamExperimentOptions extends ExperimentOptions {
  /** Training epochs of the CNN (default 2). */
  epochs?: number;
  /** Folder for the PNGs (created if missing; default {@link DEFAULT_CAM_OUT}). */
  out?: string;
  /** Test images shown in the PNGs: half classified right, half wrong where there are enough of each (default 8). */
  count?: number;
  /** Each 28×28 image is enlarged this many times (nearest neighbour) in the PNGs (default 8). */
  scale?: number;
}

/** One test image shown in the PNGs. */
export interface CamExample {
  /** Its position among the test images used. */
  index: number;
  /** Its class's Fashion-MNIST name. */
  label: string;
  /** The name of the class the network predicted, whose heatmap is drawn. */
  predicted: string;
  /** Mean heatmap value over the object's pixels (image > 0.1). */
  inside: number;
  /** Mean heatmap value over the background pixels (image ≤ 0.1). */
  outside: number;
  /** Mean heatmap value over the background pixels within 2 pixels of the object: its outline. */
  outline: number;
  /** Mean heatmap value over the background pixels further than 2 pixels from the object. */
  far: number;
}

/** Inside/outside means of the heatmaps over many test images. */
export interface CamStats {
  /** Images measured. */
  images: number;
  /** Mean over the images of the mean heatmap value on the object's pixels (image > 0.1). */
  inside: number;
  /** Mean over the images of the mean heatmap value on the background (image ≤ 0.1). */
  outside: number;
  /** The same on the background within 2 pixels of the object (its outline). */
  outline: number;
  /** The same on the background further than 2 pixels from the object. */
  far: number;
  /** Fraction of the images whose object gets a higher mean than their background. */
  insideHigher: number;
}

/** The outcome of {@link runCam}. */
export interface CamResult {
  /** `'cam'`. */
  name: string;
  /** A one-line description. */
  title: string;
  /** Training images used. */
  trainSize: number;
  /** Test images used. */
  valSize: number;
  /** Epochs trained. */
  epochs: number;
  /** Test accuracy of the trained CNN. */
  accuracy: number;
  /** The heatmaps of the untrained CNN (same seed) over the test images: the control. */
  untrained: CamStats;
  /** The heatmaps of the trained CNN over the test images. */
  trained: CamStats;
  /** The images in the PNGs, in order. */
  examples: CamExample[];
  /** The PNG files written (absolute paths). */
  files: string[];
}

/**
 * The colour map of the PNGs, a 'jet'-like ramp: a value `v` in `[0, 1]` becomes `(r, g, b)` with
 * `r = clamp(1.5 − |4v − 3|)`, `g = clamp(1.5 − |4v − 2|)`, `b = clamp(1.5 − |4v − 1|)`
 * (clamped to `[0, 1]`): dark blue `(0, 0, 0.5)` at 0, through blue, cyan, green `(0.5, 1, 0.5)` at
 * 0.5, yellow and red, to dark red `(0.5, 0, 0)` at 1 — matplotlib's `jet` to within a few
 * percent. Heatmaps `[N, H, W]` become RGB images `[N, 3, H, W]`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { jetColormap } from './cam.js';
 * jetColormap(tensor([[[0, 0.5, 1]]])).arraySync(); // [[[[0, 0.5, 0.5]], [[0, 1, 0]], [[0.5, 0.5, 0]]]]
 * ```
 */
export function jetColormap(heatmap: Tensor): Tensor {
  if (heatmap.ndim !== 3) throw new RangeError(`jetColormap: expected heatmaps [N, H, W], got [${heatmap.shape.join(', ')}]; add the batch dim with .unsqueeze(0)`);
  return tidy(() => {
    const v = heatmap.clamp(0, 1).mul(4);
    const ramp = (centre: number): Tensor => v.sub(centre).abs().neg().add(1.5).clamp(0, 1);
    return stack([ramp(3), ramp(2), ramp(1)], 1);
  });
}

/**
 * Lays the colour of heatmaps `[N, H, W]` over grey images `[N, 1, H, W]` (values in `[0, 1]`):
 * `alpha · image + (1 − alpha) · jetColormap(heatmap)` per RGB channel, `[N, 3, H, W]`
 * (default `alpha` 0.5).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { overlayHeatmap } from './cam.js';
 * overlayHeatmap(tensor([[[[1]]]]), tensor([[[0.5]]])).arraySync(); // [[[[0.75]], [[1]], [[0.75]]]]
 * ```
 */
export function overlayHeatmap(images: Tensor, heatmap: Tensor, alpha = 0.5): Tensor {
  if (images.ndim !== 4 || images.shape[1] !== 1 || heatmap.ndim !== 3 || images.shape[0] !== heatmap.shape[0] || images.shape[2] !== heatmap.shape[1] || images.shape[3] !== heatmap.shape[2]) {
    throw new RangeError(
      `overlayHeatmap: expected grey images [N, 1, H, W] and heatmaps [N, H, W] of the same N, H, W, got [${images.shape.join(', ')}] and [${heatmap.shape.join(', ')}]`,
    );
  }
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`overlayHeatmap: expected alpha in [0, 1], got ${String(alpha)}`);
  return tidy(() => images.mul(alpha).add(jetColormap(heatmap).mul(1 - alpha)));
}

/** Mean heat per region of one image: see {@link insideOutside}. */
export interface HeatByRegion {
  /** On the object's pixels (image > threshold). */
  inside: number;
  /** On the rest, the background. */
  outside: number;
  /** On the background pixels within `margin` pixels of the object (its outline). */
  outline: number;
  /** On the background pixels further than `margin` pixels from the object. */
  far: number;
}

/**
 * Per image, the mean of `heatmap` over the object's pixels (`image > threshold`), over the rest
 * (the background), and over the background split into the object's outline (pixels within
 * `margin` pixels of an object pixel, horizontally and vertically: a (2·margin + 1)² square) and
 * the far background, on plain arrays. Images `[N, H·W]` or `[N, 1, H, W]`, heatmaps `[N, H, W]`.
 * A region without pixels gets `NaN`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { insideOutside } from './cam.js';
 * const image = tensor([[0, 1, 0, 0]]); // one row of 4 pixels, the object at column 1
 * insideOutside(image, tensor([[[0.2, 0.8, 0.6, 0]]]), 0.1, 1); // [{ inside: 0.8, outside: 0.26666666666666666, outline: 0.4, far: 0 }]
 * ```
 */
export function insideOutside(images: Tensor, heatmap: Tensor, threshold = 0.1, margin = 2): HeatByRegion[] {
  if (heatmap.ndim !== 3 || images.numel() !== heatmap.numel() || images.shape[0] !== heatmap.shape[0]) {
    throw new RangeError(`insideOutside: expected heatmaps [N, H, W] and one heatmap pixel per image pixel, got images [${images.shape.join(', ')}] and heatmaps [${heatmap.shape.join(', ')}]`);
  }
  const [n, h, w] = heatmap.shape as [number, number, number];
  const x = images.dataSync() as Float32Array;
  const heat = heatmap.dataSync() as Float32Array;
  const out: HeatByRegion[] = [];
  for (let b = 0; b < n; b++) {
    const base = b * h * w;
    const object = (i: number, j: number): boolean => x[base + i * w + j]! > threshold;
    const sums = { inside: [0, 0], outside: [0, 0], outline: [0, 0], far: [0, 0] };
    const add = (k: keyof typeof sums, v: number): void => {
      sums[k][0]! += v;
      sums[k][1]! += 1;
    };
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const v = heat[base + i * w + j]!;
        if (object(i, j)) {
          add('inside', v);
          continue;
        }
        add('outside', v);
        let near = false;
        for (let di = -margin; di <= margin && !near; di++)
          for (let dj = -margin; dj <= margin && !near; dj++) {
            const [ii, jj] = [i + di, j + dj];
            near = ii >= 0 && ii < h && jj >= 0 && jj < w && object(ii, jj);
          }
        add(near ? 'outline' : 'far', v);
      }
    const mean = (k: keyof typeof sums): number => (sums[k][1] === 0 ? NaN : sums[k][0]! / sums[k][1]!);
    out.push({ inside: mean('inside'), outside: mean('outside'), outline: mean('outline'), far: mean('far') });
  }
  return out;
}

/** Means over the images that have both object and background pixels (outline/far over those that have them). */
function summarise(regions: HeatByRegion[]): CamStats {
  const valid = regions.filter((p) => !Number.isNaN(p.inside) && !Number.isNaN(p.outside));
  const mean = (f: (p: HeatByRegion) => number): number => {
    const values = valid.map(f).filter((v) => !Number.isNaN(v));
    return values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
  };
  return {
    images: valid.length,
    inside: mean((p) => p.inside),
    outside: mean((p) => p.outside),
    outline: mean((p) => p.outline),
    far: mean((p) => p.far),
    insideHigher: mean((p) => (p.inside > p.outside ? 1 : 0)),
  };
}

/** The last `Conv2d` of the CNN: the layer whose feature map Grad-CAM weights. */
function lastConv(model: Sequential): Conv2d {
  const convs = model.modules().filter((m): m is Conv2d => m instanceof Conv2d);
  return convs[convs.length - 1]!;
}

/** Grad-CAM of `model`'s last convolution for each image's predicted class, `[N, 28, 28]`, in chunks. */
function heatmaps(model: Sequential, rows: Tensor, chunk = 250): Tensor {
  model.eval();
  const layer = lastConv(model);
  const asImages = (x: Tensor): Tensor => model.call(x.reshape([-1, 784])) as Tensor;
  const n = rows.shape[0]!;
  const parts: Tensor[] = [];
  try {
    for (let start = 0; start < n; start += chunk) {
      parts.push(tidy(() => gradCam(asImages, layer, rows.slice(0, start, Math.min(n, start + chunk)).reshape([-1, 1, 28, 28]))));
    }
    if (parts.length === 1) return parts.pop()!;
    return tidy(() => cat(parts, 0));
  } finally {
    for (const p of parts) p.dispose();
  }
}

/**
 * Picks up to `count` test images: those classified right, then those classified wrong, in test
 * order; `⌈count/2⌉` wrong ones where there are enough, topped up from the other kind otherwise.
 */
function pickExamples(predicted: Int32Array, labels: Int32Array, count: number): number[] {
  const wrong: number[] = [];
  const right: number[] = [];
  predicted.forEach((p, i) => (p === labels[i] ? right : wrong).push(i));
  const nWrong = Math.min(wrong.length, Math.max(Math.ceil(count / 2), count - right.length));
  const nRight = Math.min(right.length, count - nWrong);
  return [...right.slice(0, nRight), ...wrong.slice(0, nWrong)];
}

/**
 * Trains the chapter 4 CNN on Fashion-MNIST (Adam, learning rate 0.001, batch 32, `epochs`
 * epochs, after `manualSeed(seed)`), computes Grad-CAM on its last convolution for each test
 * image's predicted class, and measures the mean heat on the object (pixels > 0.1), on its
 * outline (background within 2 pixels) and on the far background ({@link insideOutside}), against
 * the same measure for the untrained network. For `count` test images,
 * half classified right and half wrong, it writes to `out`: `images.png`, `heatmaps.png` (the
 * {@link jetColormap} colours), `overlays.png` ({@link overlayHeatmap}) with `saveImage`, and
 * `cam.png` (one row per image: image, heatmap, overlay) with `makeGrid` and `writePng`, each
 * image enlarged `scale` times.
 *
 * @example
 * ```ts
 * import { mkdtempSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { ImageSplits } from '../chapter3/data.js';
 * import { runCam } from './cam.js';
 * const out = mkdtempSync(join(tmpdir(), 'cam-'));
 * const data = ImageSplits.synthetic({ train: 16, val: 8 });
 * const result = await runCam({ data, epochs: 1, count: 2, scale: 2, out });
 * result.files.length; // 4
 * result.examples.length; // 2
 * data.dispose();
 * rmSync(out, { recursive: true });
 * ```
 */
export async function runCam(options: CamExperimentOptions = {}): Promise<CamResult> {
  const { epochs = 2, count = 8, scale = 8, seed = 0, log } = options;
  const out = resolve(options.out ?? DEFAULT_CAM_OUT);
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`cam: expected a positive whole number of epochs, got ${String(epochs)}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cam: expected count to be a positive whole number of images to show, got ${String(count)}`);
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) throw new RangeError(`cam: expected scale to be a whole number in [1, 32], got ${String(scale)}`);
  const owned =
    options.data ??
    (await ImageSplits.loadFashionMnist({ limit: options.limit, testLimit: options.testLimit, ...(options.root === undefined ? {} : { root: options.root }) }));
  const raw = options.data ? options.data.limited(options.limit, options.testLimit) : owned;
  const data = raw.scaled(255);
  manualSeed(seed);
  const model = bookCnn();
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  try {
    const measure = (): CamStats => {
      const heat = heatmaps(model, data.valX);
      try {
        return summarise(insideOutside(data.valX, heat));
      } finally {
        heat.dispose();
      }
    };
    const untrained = measure();
    log?.(`cam: untrained CNN, mean heatmap on the object ${untrained.inside.toFixed(3)}, on its outline ${untrained.outline.toFixed(3)}, on the far background ${untrained.far.toFixed(3)}`);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const { loss } = trainEpoch(model, optimizer, data.trainX, data.trainY, { seed, epoch });
      log?.(`cam: epoch ${epoch}/${epochs} train loss ${loss.toFixed(4)} | ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const accuracy = evaluate(model, data.valX, data.valY).accuracy;
    const trained = measure();
    log?.(`cam: trained CNN (test accuracy ${(accuracy * 100).toFixed(2)}%), mean heatmap on the object ${trained.inside.toFixed(3)}, on its outline ${trained.outline.toFixed(3)}, on the far background ${trained.far.toFixed(3)}`);

    // the shown images: predictions, then Grad-CAM of the predicted class, coloured and overlaid
    model.eval();
    // in chunks, like evaluate(): one forward pass over 10,000 images would hold gigabytes of activations
    const predicted = new Int32Array(data.valX.shape[0]!);
    for (let start = 0; start < predicted.length; start += 1000) {
      const end = Math.min(predicted.length, start + 1000);
      predicted.set(tidy(() => noGrad(() => (model.call(data.valX.slice(0, start, end)) as Tensor).argmax(1).dataSync() as Int32Array)), start);
    }
    const labels = data.valY.dataSync() as Int32Array;
    const picked = pickExamples(predicted, labels, count);
    const classes = FashionMNIST.classes;
    mkdirSync(out, { recursive: true });
    const files = ['images.png', 'heatmaps.png', 'overlays.png', 'cam.png'].map((f) => join(out, f));
    const [imagesFile, heatmapsFile, overlaysFile, gridFile] = files as [string, string, string, string];
    const rows = tidy(() => data.valX.indexSelect(0, tensor(picked, { dtype: 'int32' })));
    const heat = heatmaps(model, rows);
    let examples: CamExample[];
    try {
      examples = insideOutside(rows, heat).map((s, i) => ({
        index: picked[i]!,
        label: classes[labels[picked[i]!]!]!,
        predicted: classes[predicted[picked[i]!]!]!,
        ...s,
      }));
      const [images, colours, overlays] = tidy(() => {
        const grey = rows.reshape([-1, 1, 28, 28]);
        const big = (x: Tensor): Tensor => interpolate(x, { scaleFactor: scale, mode: 'nearest' });
        return [big(grey.expand([-1, 3, 28, 28])), big(jetColormap(heat)), big(overlayHeatmap(grey, heat))];
      });
      try {
        await saveImage(images, imagesFile, { nrow: count, padding: 2 });
        await saveImage(colours, heatmapsFile, { nrow: count, padding: 2 });
        await saveImage(overlays, overlaysFile, { nrow: count, padding: 2 });
        // one row per image: image | heatmap | overlay, as 8-bit integers for writePng (x·255 + 0.5, truncated, as saveImage)
        const grid = tidy(() => {
          const triples = stack([images, colours, overlays], 1).reshape([-1, 3, 28 * scale, 28 * scale]);
          return makeGrid(triples, { nrow: 3, padding: 2, padValue: 1 }).mul(255).add(0.5).clamp(0, 255).to('int32');
        });
        try {
          await writePng(grid, gridFile);
        } finally {
          grid.dispose();
        }
      } finally {
        for (const t of [images, colours, overlays]) t.dispose();
      }
    } finally {
      heat.dispose();
      rows.dispose();
    }
    for (const f of files) log?.(`cam: wrote ${f}`);
    return {
      name: 'cam',
      title: `Grad-CAM of the chapter 4 CNN's last convolution, ${epochs} epochs on Fashion-MNIST`,
      trainSize: data.trainSize,
      valSize: data.valSize,
      epochs,
      accuracy,
      untrained,
      trained,
      examples,
      files,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    data.dispose();
    if (raw !== owned) raw.dispose();
    if (!options.data) owned.dispose();
  }
}

/**
 * The cam results as text: the inside/outside table (untrained vs trained), then one line per
 * image shown, and the files written.
 *
 * @example
 * ```ts
 * import { formatCam } from './cam.js';
 * const stats = { images: 10, inside: 0.5, outside: 0.25, outline: 0.4, far: 0.1, insideHigher: 0.9 };
 * const text = formatCam({ name: 'cam', title: 'demo', trainSize: 10, valSize: 10, epochs: 1, accuracy: 0.8, untrained: stats, trained: stats,
 *   examples: [{ index: 3, label: 'Bag', predicted: 'Sandal', inside: 0.6, outside: 0.2, outline: 0.3, far: 0.1 }], files: ['/tmp/cam.png'] });
 * text.includes('#3: Bag, predicted Sandal (wrong)'); // true
 * ```
 */
export function formatCam(result: CamResult): string {
  const row = (name: string, s: CamStats): string =>
    `| ${name.padEnd(14)} | ${s.inside.toFixed(3).padStart(6)} | ${s.outside.toFixed(3).padStart(10)} | ${s.outline.toFixed(3).padStart(16)} | ${s.far.toFixed(3).padStart(14)} | ${`${(s.insideHigher * 100).toFixed(1)}%`.padStart(13)} |`;
  return [
    `${result.name}: ${result.title}`,
    `(${result.trainSize} training images, ${result.valSize} test images; test accuracy ${(result.accuracy * 100).toFixed(2)}%; mean Grad-CAM heat of the predicted class per image on the object's pixels (> 0.1), the background, its part within 2 px of the object and the rest; then the share of images whose object is hotter than their background)`,
    '| CNN            | object | background | outline (≤ 2 px) | far background | object hotter |',
    '|----------------|-------:|-----------:|-----------------:|---------------:|--------------:|',
    row('untrained', result.untrained),
    row(`trained (${result.epochs} ep)`, result.trained),
    ...result.examples.map(
      (e) =>
        `#${e.index}: ${e.label}, predicted ${e.predicted} (${e.label === e.predicted ? 'right' : 'wrong'}); heat on the object ${e.inside.toFixed(3)}, outline ${e.outline.toFixed(3)}, far background ${e.far.toFixed(3)}`,
    ),
    ...result.files.map((f) => `wrote ${f}`),
  ].join('\n');
}
