// torchvision.models.detection.anchor_utils: AnchorGenerator
import { fromTypedArray, type Tensor } from '@tensorgrad/tensor';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';
import type { ImageList } from './transform.js';

const AG = signature('new AnchorGenerator', ['sizes', 'aspectRatios']);

/** Round half to even, as `torch.round`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Options of {@link AnchorGenerator}. */
export interface AnchorGeneratorOptions {
  /** Anchor sizes per feature map (default `[[128, 256, 512]]`); a flat list gives one size per map. */
  sizes?: readonly (readonly number[])[] | readonly number[];
  /** Aspect ratios (height / width) per feature map (default `[[0.5, 1, 2]]`); a flat list is used for every map. */
  aspectRatios?: readonly (readonly number[])[] | readonly number[];
}

/**
 * Anchors for a set of feature maps (torchvision's `AnchorGenerator`): for feature map `i`, every
 * size in `sizes[i]` at every ratio in `aspectRatios[i]` (height / width) gives a cell anchor
 * centred at 0 (`round([−w, −h, w, h] / 2)`, float32 as torchvision's), shifted to every grid
 * position times the stride (`imageSize // gridSize`). Returns one `[ΣHWA, 4]` tensor per image,
 * position-major then anchor within position, the feature maps one after the other.
 *
 * @example
 * ```ts
 * import { AnchorGenerator, ImageList } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const gen = new AnchorGenerator({ sizes: [[16]], aspectRatios: [[0.5, 1, 2]] });
 * gen.numAnchorsPerLocation(); // [3]
 * const images = new ImageList(zeros([1, 3, 32, 32]), [[32, 32]]);
 * const [anchors] = gen(images, [zeros([1, 8, 2, 2])]);
 * anchors!.shape; // [12, 4]
 * await anchors!.slice(0, 0, 3).array(); // [[-11, -6, 11, 6], [-8, -8, 8, 8], [-6, -11, 6, 11]]
 * ```
 */
export class AnchorGenerator extends Module<[ImageList, Tensor[]], Tensor[]> {
  /** Sizes per feature map. */
  readonly sizes: readonly (readonly number[])[];
  /** Aspect ratios per feature map. */
  readonly aspectRatios: readonly (readonly number[])[];
  /** The centred cell anchors per feature map, `[sizes × ratios][4]` float32 values. */
  readonly cellAnchors: readonly Float32Array[];

  /** torchvision's `AnchorGenerator(sizes=((128, 256, 512),), aspect_ratios=((0.5, 1.0, 2.0),))`, options by name… */
  constructor(options?: AnchorGeneratorOptions);
  /** …or positionally. */
  constructor(sizes?: AnchorGeneratorOptions['sizes'], aspectRatios?: AnchorGeneratorOptions['aspectRatios']);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(AG, args);
    const owner = 'new AnchorGenerator';
    let sizes = (a.sizes ?? [[128, 256, 512]]) as (number | number[])[];
    let ratios = (a.aspectRatios ?? [[0.5, 1.0, 2.0]]) as (number | number[])[];
    if (!Array.isArray(sizes) || sizes.length === 0) throw new TypeError(`${owner}: expected sizes to be a list of per-feature-map size lists, got ${JSON.stringify(sizes)}`);
    if (!Array.isArray(sizes[0])) sizes = (sizes as number[]).map((s) => [s]);
    if (!Array.isArray(ratios) || ratios.length === 0) throw new TypeError(`${owner}: expected aspectRatios to be a list of per-feature-map ratio lists, got ${JSON.stringify(ratios)}`);
    if (!Array.isArray(ratios[0])) ratios = sizes.map(() => ratios as number[]);
    const s = sizes as number[][];
    const r = ratios as number[][];
    if (s.length !== r.length) throw new RangeError(`${owner}: sizes and aspectRatios should have one entry per feature map, got ${s.length} and ${r.length}`);
    for (const [name, lists] of [['sizes', s], ['aspectRatios', r]] as const) {
      if (lists.some((l) => !Array.isArray(l) || l.length === 0 || l.some((v) => typeof v !== 'number' || !(v > 0)))) {
        throw new TypeError(`${owner}: expected every entry of ${name} to be a non-empty list of positive numbers, got ${JSON.stringify(lists)}`);
      }
    }
    this.sizes = s;
    this.aspectRatios = r;
    this.cellAnchors = s.map((sz, i) => AnchorGenerator.generateAnchors(sz, r[i]!));
  }

  /** torchvision's `generate_anchors(scales, aspect_ratios)`: the centred cell anchors, ratio-major, float32. */
  static generateAnchors(scales: readonly number[], aspectRatios: readonly number[]): Float32Array {
    const out = new Float32Array(scales.length * aspectRatios.length * 4);
    let k = 0;
    for (const ar of aspectRatios) {
      const hRatio = Math.fround(Math.sqrt(Math.fround(ar)));
      const wRatio = Math.fround(1 / hRatio);
      for (const sc of scales) {
        const ws = Math.fround(wRatio * Math.fround(sc));
        const hs = Math.fround(hRatio * Math.fround(sc));
        out[k++] = roundHalfEven(Math.fround(-ws / 2));
        out[k++] = roundHalfEven(Math.fround(-hs / 2));
        out[k++] = roundHalfEven(Math.fround(ws / 2));
        out[k++] = roundHalfEven(Math.fround(hs / 2));
      }
    }
    return out;
  }

  /** Anchors per position of each feature map: `sizes[i].length × aspectRatios[i].length`. */
  numAnchorsPerLocation(): number[] {
    return this.sizes.map((s, i) => s.length * this.aspectRatios[i]!.length);
  }

  override forward(imageList: ImageList, featureMaps: Tensor[]): Tensor[] {
    if (featureMaps.length !== this.cellAnchors.length) {
      throw new RangeError(
        `AnchorGenerator: got ${featureMaps.length} feature maps but sizes/aspectRatios for ${this.cellAnchors.length}; give one sizes and one aspectRatios entry per feature map`,
      );
    }
    const [imgH, imgW] = imageList.tensors.shape.slice(-2) as [number, number];
    const perMap = featureMaps.map((f, i) => {
      const [gh, gw] = f.shape.slice(-2) as [number, number];
      const sh = Math.floor(imgH / gh);
      const sw = Math.floor(imgW / gw);
      const base = this.cellAnchors[i]!;
      const a = base.length / 4;
      const out = new Float32Array(gh * gw * a * 4);
      let k = 0;
      for (let y = 0; y < gh; y++) {
        for (let x = 0; x < gw; x++) {
          for (let j = 0; j < a; j++) {
            out[k++] = x * sw + base[4 * j]!;
            out[k++] = y * sh + base[4 * j + 1]!;
            out[k++] = x * sw + base[4 * j + 2]!;
            out[k++] = y * sh + base[4 * j + 3]!;
          }
        }
      }
      return out;
    });
    const total = perMap.reduce((n, p) => n + p.length, 0);
    const all = new Float32Array(total);
    let off = 0;
    for (const p of perMap) {
      all.set(p, off);
      off += p.length;
    }
    const dtype = featureMaps[0]!.dtype;
    return imageList.imageSizes.map(() => fromTypedArray(dtype === 'float64' ? Float64Array.from(all) : all.slice(), [total / 4, 4], { backend: featureMaps[0]!.backend }));
  }
}
