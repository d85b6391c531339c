// torchvision's `models/detection/anchor_utils.py` `DefaultBoxGenerator` (SSD's default boxes). It
// has a file of its own so that it merges beside `AnchorGenerator` (anchor-utils.ts) untouched.
import { tensor, type Tensor } from '@tensorgrad/tensor';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';

const SIG = signature('new DefaultBoxGenerator', ['aspectRatios', 'minRatio', 'maxRatio', 'scales', 'steps', 'clip'], { required: 1 });
const FORWARD = signature('DefaultBoxGenerator.forward', ['imageList', 'featureMaps'], { required: 2 });

/** Options of {@link DefaultBoxGenerator} (torchvision's keywords, camelCase). */
export interface DefaultBoxGeneratorOptions {
  /** Smallest scale of the default boxes, as a fraction of the image (default 0.15); used when `scales` is not given. */
  minRatio?: number;
  /** Largest scale of the default boxes (default 0.9); used when `scales` is not given. */
  maxRatio?: number;
  /**
   * The scales `s_k` of every feature map plus one more (`s_{k+1}` for the last map's extra box):
   * `aspectRatios.length + 1` numbers. By default evenly spaced from `minRatio` to `maxRatio`, then 1.
   */
  scales?: readonly number[] | null;
  /** The stride (in input pixels) of every feature map; by default the feature map's own size divides the image. */
  steps?: readonly number[] | null;
  /** Clip the default boxes' widths and heights to [0, 1] of the image (default true). */
  clip?: boolean;
}

/**
 * What {@link DefaultBoxGenerator.forward} needs of torchvision's `ImageList`: the batched images
 * `[N, C, H, W]` and each image's size before padding.
 */
export interface ImageListLike {
  /** The batched images `[N, C, H, W]`. */
  tensors: Tensor;
  /** `[height, width]` of every image. */
  imageSizes: readonly (readonly [number, number])[];
}

/**
 * SSD's default boxes (torchvision's `models.detection.anchor_utils.DefaultBoxGenerator`, after
 * "SSD: Single Shot MultiBox Detector", page 6). Feature map `k` gets, at the centre of every
 * cell, the boxes `s_k × s_k`, `s'_k × s'_k` with `s'_k = √(s_k s_{k+1})`, and for each aspect
 * ratio `r` of `aspectRatios[k]` the boxes `s_k√r × s_k/√r` and `s_k/√r × s_k√r` — all as
 * fractions of the image, so `2 + 2·aspectRatios[k].length` boxes per cell
 * ({@link DefaultBoxGenerator.numAnchorsPerLocation}). `forward` returns them in pixels, `xyxy`,
 * one `[A, 4]` tensor per image, ordered map by map, then row-major over the cells, then box by box.
 *
 * @example
 * ```ts
 * import { DefaultBoxGenerator } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const g = new DefaultBoxGenerator([[2], [2, 3]]);
 * g.scales; // [0.15, 0.9, 1]
 * g.numAnchorsPerLocation(); // [4, 6]
 * const images = { tensors: zeros([1, 3, 64, 64]), imageSizes: [[64, 64]] as [number, number][] };
 * const [boxes] = g.forward(images, [zeros([1, 8, 2, 2]), zeros([1, 8, 1, 1])]);
 * boxes!.shape; // [22, 4]
 * // the first box: s_0 = 0.15 of 64 pixels, centred on the first of the 2×2 cells (16, 16)
 * Array.from(boxes!.dataSync().slice(0, 4)).map((v) => +v.toFixed(2)); // [11.2, 11.2, 20.8, 20.8]
 * ```
 */
export class DefaultBoxGenerator extends Module<[ImageListLike, Tensor[]], Tensor[]> {
  /** The aspect ratios of every feature map. */
  readonly aspectRatios: readonly (readonly number[])[];
  /** The scales `s_k`, one per feature map and one more. */
  readonly scales: readonly number[];
  /** The strides of the feature maps, or null. */
  readonly steps: readonly number[] | null;
  /** Whether widths and heights are clipped to [0, 1]. */
  readonly clip: boolean;
  /** The `[w, h]` pairs (fractions of the image) of every feature map, clipped when `clip`. */
  readonly whPairs: readonly (readonly (readonly [number, number])[])[];

  /** torchvision's `DefaultBoxGenerator(aspect_ratios, min_ratio=0.15, max_ratio=0.9, scales=None, steps=None, clip=True)`, the options by name… */
  constructor(aspectRatios: readonly (readonly number[])[], options?: DefaultBoxGeneratorOptions);
  /** …or positionally. */
  constructor(
    aspectRatios: readonly (readonly number[])[],
    minRatio?: number,
    maxRatio?: number,
    scales?: readonly number[] | null,
    steps?: readonly number[] | null,
    clip?: boolean,
    options?: DefaultBoxGeneratorOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(SIG, args);
    const name = 'new DefaultBoxGenerator';
    const ar = a.aspectRatios;
    if (!Array.isArray(ar) || ar.length === 0 || !ar.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number' && v > 0))) {
      throw new TypeError(`${name}: expected aspectRatios to be a non-empty array of arrays of positive numbers, one per feature map (e.g. [[2], [2, 3]]), got ${JSON.stringify(ar)}`);
    }
    const aspectRatios = (ar as number[][]).map((r) => [...r]);
    const num = (key: 'minRatio' | 'maxRatio', d: number): number => {
      const v = a[key] ?? d;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${name}: expected ${key} to be a finite number, got ${String(v)}`);
      return v;
    };
    const minRatio = num('minRatio', 0.15);
    const maxRatio = num('maxRatio', 0.9);
    const steps = a.steps ?? null;
    if (steps !== null) {
      if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'number' && s > 0)) {
        throw new TypeError(`${name}: expected steps to be an array of positive numbers (the stride of every feature map), got ${JSON.stringify(steps)}`);
      }
      if (steps.length !== aspectRatios.length) {
        throw new RangeError(`${name}: aspectRatios and steps should have the same length, got ${aspectRatios.length} and ${steps.length}`);
      }
    }
    const clip = a.clip ?? true;
    if (typeof clip !== 'boolean') throw new TypeError(`${name}: expected clip to be a boolean, got ${typeof clip}`);
    const n = aspectRatios.length;
    let scales: number[];
    if (a.scales === undefined || a.scales === null) {
      scales = n > 1 ? [...Array.from({ length: n }, (_, k) => minRatio + ((maxRatio - minRatio) * k) / (n - 1)), 1] : [minRatio, maxRatio];
    } else {
      const s = a.scales;
      if (!Array.isArray(s) || !s.every((v) => typeof v === 'number' && v > 0)) {
        throw new TypeError(`${name}: expected scales to be an array of positive numbers, got ${JSON.stringify(s)}`);
      }
      if (s.length !== n + 1) {
        throw new RangeError(`${name}: expected scales to hold one scale per feature map and one more (${n + 1} numbers for ${n} aspect-ratio lists), got ${s.length}`);
      }
      scales = [...(s as number[])];
    }
    this.aspectRatios = aspectRatios;
    this.scales = scales;
    this.steps = steps === null ? null : [...(steps as number[])];
    this.clip = clip;
    const c = (v: number): number => (clip ? Math.min(1, Math.max(0, v)) : v);
    this.whPairs = aspectRatios.map((ratios, k) => {
      const sk = scales[k]!;
      const sPrime = Math.sqrt(sk * scales[k + 1]!);
      const pairs: [number, number][] = [
        [sk, sk],
        [sPrime, sPrime],
      ];
      for (const r of ratios) {
        const sq = Math.sqrt(r);
        pairs.push([sk * sq, sk / sq], [sk / sq, sk * sq]);
      }
      return pairs.map(([w, h]) => [c(w), c(h)] as [number, number]);
    });
  }

  /**
   * The number of default boxes per cell of every feature map: `2 + 2·aspectRatios[k].length`.
   *
   * @example
   * ```ts
   * import { DefaultBoxGenerator } from '@tensorgrad/vision';
   * new DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]]).numAnchorsPerLocation(); // [4, 6, 6, 6, 4, 4]
   * ```
   */
  numAnchorsPerLocation(): number[] {
    return this.aspectRatios.map((r) => 2 + 2 * r.length);
  }

  /**
   * The default boxes in `cxcywh`, as fractions of an image of `imageSize` (`[height, width]`),
   * for feature maps of `gridSizes` (`[height, width]` each): torchvision's `_grid_default_boxes`.
   * @internal
   */
  gridDefaultBoxes(gridSizes: readonly (readonly number[])[], imageSize: readonly [number, number]): Float64Array {
    const total = gridSizes.reduce((n, [h, w], k) => n + h! * w! * this.whPairs[k]!.length, 0);
    const out = new Float64Array(total * 4);
    let o = 0;
    gridSizes.forEach(([fh, fw], k) => {
      const xf = this.steps ? imageSize[1] / this.steps[k]! : fw!;
      const yf = this.steps ? imageSize[0] / this.steps[k]! : fh!;
      const pairs = this.whPairs[k]!;
      for (let i = 0; i < fh!; i++) {
        const cy = Math.fround(Math.fround(i + 0.5) / yf);
        for (let j = 0; j < fw!; j++) {
          const cx = Math.fround(Math.fround(j + 0.5) / xf);
          for (const [w, h] of pairs) {
            out[o++] = cx;
            out[o++] = cy;
            out[o++] = Math.fround(w);
            out[o++] = Math.fround(h);
          }
        }
      }
    });
    return out;
  }

  /**
   * The default boxes of every image of `imageList`, in pixels of the batched images and `xyxy`:
   * one `[A, 4]` tensor per image (all equal), `A = Σ_k H_k·W_k·numAnchorsPerLocation()[k]`, in
   * the dtype of the feature maps.
   */
  override forward(imageList: ImageListLike, featureMaps: Tensor[]): Tensor[];
  override forward(...args: unknown[]): Tensor[] {
    const a = parseArgs(FORWARD, args);
    const imageList = a.imageList as ImageListLike;
    const featureMaps = a.featureMaps as Tensor[];
    if (!Array.isArray(featureMaps) || featureMaps.length !== this.aspectRatios.length) {
      throw new RangeError(
        `DefaultBoxGenerator.forward: expected one feature map per aspect-ratio list (${this.aspectRatios.length}), got ${Array.isArray(featureMaps) ? featureMaps.length : typeof featureMaps}`,
      );
    }
    const shape = imageList?.tensors?.shape;
    if (!shape || shape.length !== 4) throw new TypeError('DefaultBoxGenerator.forward: expected imageList.tensors to be a batch of images [N, C, H, W]');
    const imageSize: [number, number] = [shape[2]!, shape[3]!];
    const grids = featureMaps.map((f) => f.shape.slice(-2));
    const d = this.gridDefaultBoxes(grids, imageSize);
    const n = d.length / 4;
    const xyxy = new Float64Array(d.length);
    const [H, W] = imageSize;
    const f = Math.fround;
    for (let i = 0; i < n; i++) {
      const cx = d[4 * i]!;
      const cy = d[4 * i + 1]!;
      const hw = f(0.5 * d[4 * i + 2]!);
      const hh = f(0.5 * d[4 * i + 3]!);
      xyxy[4 * i] = f(f(cx - hw) * W);
      xyxy[4 * i + 1] = f(f(cy - hh) * H);
      xyxy[4 * i + 2] = f(f(cx + hw) * W);
      xyxy[4 * i + 3] = f(f(cy + hh) * H);
    }
    const dtype = featureMaps[0]!.dtype === 'float64' ? 'float64' : 'float32';
    return imageList.imageSizes.map(() => tensor(Array.from(xyxy), { dtype }).reshape([n, 4]));
  }
}
