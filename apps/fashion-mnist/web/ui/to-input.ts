// A drawing is 280×280 pixels of arbitrary placement and size; the model was trained on 28×28
// images where the object is cropped, scaled and centred. Shrinking the whole canvas would give a
// small, off-centre blob the model never saw, so the drawing is normalised the way the training
// images were: crop to the bounding box, scale (area averaging, which keeps thin strokes as grey
// instead of dropping them as nearest-neighbour would) so that the longer side fits `fit` pixels,
// then place it in the 28×28 frame by its bounding box's centre or by its centre of mass.
// The default is Fashion-MNIST's own recipe (longer side 28, centred box): its test images are
// nearly fixed points of it (mean |Δ| 0.008 per pixel over the first 1,000), whereas MNIST's
// (20×20 box centred by mass, the other option) changes them by 0.185 — it would show the model
// garments smaller than any it was trained on. Pure, DOM-free, so Node tests cover it.

/** Options of {@link toModelInput}. */
export interface ToModelInputOptions {
  /** Side of the output (default 28). */
  readonly size?: number;
  /** The longer side of the scaled bounding box (default 28, Fashion-MNIST's; MNIST's is 20). */
  readonly fit?: number;
  /** Centre by the bounding box (default, Fashion-MNIST) or by the centre of mass (MNIST). */
  readonly centre?: 'mass' | 'box';
  /** Pixels above this value count as ink for the bounding box (default 0.05). */
  readonly threshold?: number;
}

/** A grey image: `pixels[y * width + x]` in [0, 1], light ink on black. */
export interface GreyImage {
  readonly pixels: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

/** The part of `image` above `threshold`: its bounding box, or `null` when there is no ink. */
export function inkBox(image: GreyImage, threshold = 0.05): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = image.width;
  let y0 = image.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.pixels[y * image.width + x]! > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

// The weights of area averaging along one axis: output pixel i covers source [i·s, (i+1)·s) with
// s = from / to, and each source pixel counts by how much of it lies inside.
function areaWeights(from: number, to: number): { start: number; weights: number[] }[] {
  const scale = from / to;
  const out: { start: number; weights: number[] }[] = [];
  for (let i = 0; i < to; i++) {
    const a = i * scale;
    const b = (i + 1) * scale;
    const start = Math.floor(a);
    const weights: number[] = [];
    for (let j = start; j < Math.min(from, Math.ceil(b)); j++) weights.push((Math.min(b, j + 1) - Math.max(a, j)) / scale);
    out.push({ start, weights });
  }
  return out;
}

/**
 * Resizes `image` to `width`×`height` by area averaging (each output pixel is the mean of the
 * source area it covers; exact for shrinking, a box filter for growing).
 */
export function resizeArea(image: GreyImage, width: number, height: number): Float32Array {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`resizeArea: expected a positive integer width and height, got ${width}×${height}`);
  }
  if (image.pixels.length !== image.width * image.height) {
    throw new RangeError(`resizeArea: expected ${image.width}×${image.height} = ${image.width * image.height} pixels, got ${image.pixels.length}`);
  }
  const cols = areaWeights(image.width, width);
  const rows = areaWeights(image.height, height);
  const horizontal = new Float32Array(width * image.height);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = cols[x]!;
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k]! * image.pixels[y * image.width + start + k]!;
      horizontal[y * width + x] = sum;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const { start, weights } = rows[y]!;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k]! * horizontal[(start + k) * width + x]!;
      out[y * width + x] = sum;
    }
  }
  return out;
}

/**
 * Turns a drawing (light strokes on black, any size) into the model's input: float32
 * `[size × size]`, row-major, in [0, 1]. A drawing without ink gives all zeros.
 */
export function toModelInput(image: GreyImage, options: ToModelInputOptions = {}): Float32Array {
  const size = options.size ?? 28;
  const fit = options.fit ?? 28;
  if (!(Number.isInteger(fit) && fit >= 1 && fit <= size)) throw new RangeError(`toModelInput: expected fit to be an integer from 1 to ${size}, got ${fit}`);
  const out = new Float32Array(size * size);
  const box = inkBox(image, options.threshold ?? 0.05);
  if (box === null) return out;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) crop[y * bw + x] = Math.min(1, Math.max(0, image.pixels[(box.y0 + y) * image.width + box.x0 + x]!));
  }
  const scale = fit / Math.max(bw, bh);
  const w = Math.max(1, Math.min(fit, Math.round(bw * scale)));
  const h = Math.max(1, Math.min(fit, Math.round(bh * scale)));
  const small = resizeArea({ pixels: crop, width: bw, height: bh }, w, h);
  // where the small image's centre (of mass or of its box) is, relative to its top-left corner
  let cx = w / 2;
  let cy = h / 2;
  if (options.centre === 'mass') {
    let mass = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = small[y * w + x]!;
        mass += v;
        mx += v * (x + 0.5);
        my += v * (y + 0.5);
      }
    }
    if (mass > 0) {
      cx = mx / mass;
      cy = my / mass;
    }
  }
  // an integer shift (no resampling blur), kept inside the frame
  const left = Math.min(size - w, Math.max(0, Math.round(size / 2 - cx)));
  const top = Math.min(size - h, Math.max(0, Math.round(size / 2 - cy)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(top + y) * size + left + x] = small[y * w + x]!;
  }
  return out;
}
