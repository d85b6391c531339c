import { cat, noGrad, tensor, tidy, Tensor, where, zeros } from '@tensorgrad/tensor';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import { boxArea } from './box-area.js';
import { roiAlign } from './roi-align.js';
import { outputPair, roisOf } from './roi-boxes.js';

/** Options of {@link MultiScaleRoIAlign} (torchvision's keywords in camelCase). */
export interface MultiScaleRoIAlignOptions {
  /** The names of the feature maps to pool from (others are ignored). */
  featmapNames: readonly string[];
  /** The output size `[height, width]` of each RoI (or one int for both). */
  outputSize: number | readonly [number, number] | readonly number[];
  /** RoIAlign's sampling ratio (`<= 0`: adaptive). */
  samplingRatio: number;
  /** The box size that maps to `canonicalLevel` (FPN paper, eq. 1: 224). Default 224. */
  canonicalScale?: number;
  /** The pyramid level of a `canonicalScale²` box (`k0`). Default 4. */
  canonicalLevel?: number;
}

/** The feature maps {@link MultiScaleRoIAlign} reads: by name, in pyramid order (finest first). */
export type FeatureMaps = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

const SIG = signature('new MultiScaleRoIAlign', ['featmapNames', 'outputSize', 'samplingRatio', 'canonicalScale', 'canonicalLevel'], {
  required: 3,
  keywordOnly: ['canonicalScale', 'canonicalLevel'],
});

/** torch.round: halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision's `_infer_scale`: the power of two nearest (in log2, computed in float32) to the
 * ratio of the feature map's height to the largest image height.
 */
function inferScale(feature: Tensor, original: readonly [number, number]): number {
  const approx = feature.shape[feature.ndim - 2]! / original[0];
  return 2 ** roundHalfEven(Math.fround(Math.log2(Math.fround(approx))));
}

/**
 * torchvision's FPN level heuristic (`LevelMapper`, FPN paper eq. 1): a box of area `a` goes to
 * level `floor(canonicalLevel + log2(sqrt(a) / canonicalScale) + 1e-6)`, clamped to the
 * available levels, as an index from the finest one. Computed on the host in the boxes' dtype.
 */
function mapLevels(boxes: readonly Tensor[], kMin: number, kMax: number, s0: number, lvl0: number): Int32Array {
  const dtype = boxes[0]!.dtype;
  const f = dtype === 'float32' ? Math.fround : (v: number) => v;
  const eps = f(1e-6);
  const out: number[] = [];
  for (const b of boxes) {
    const d = b.dataSync();
    for (let i = 0; i < b.shape[0]!; i++) {
      const area = f(f(d[i * 4 + 2]! - d[i * 4]!) * f(d[i * 4 + 3]! - d[i * 4 + 1]!));
      const s = f(Math.sqrt(area));
      const lvl = Math.floor(f(f(lvl0 + f(Math.log2(f(s / s0)))) + eps));
      // torch.clamp passes NaN through; its int64 cast is undefined, so NaN boxes go to the finest level
      const clamped = Number.isNaN(lvl) ? kMin : Math.min(Math.max(lvl, kMin), kMax);
      out.push(clamped - kMin);
    }
  }
  return Int32Array.from(out);
}

/** {@link mapLevels} with tensor ops, for backends that cannot read synchronously. */
function mapLevelsTensor(boxes: readonly Tensor[], kMin: number, kMax: number, s0: number, lvl0: number): Tensor {
  return tidy(() => {
    const s = cat(boxes.map((b) => boxArea(b.detach())), 0).sqrt();
    const lvl = s.div(s0).log().div(Math.LN2).add(lvl0).add(1e-6);
    // floor after the clamp (the bounds are integers) and the shift to >= 0, where int32 truncation is floor
    return lvl.clamp(kMin, kMax).sub(kMin).to('int32');
  });
}

/**
 * torchvision's `ops.MultiScaleRoIAlign` (`poolers.py`): RoIAlign over a feature pyramid. Each box
 * (given in image coordinates, one `Tensor[L, 4]` per image) is pooled from the level the FPN
 * heuristic picks for its size, `floor(canonicalLevel + log2(sqrt(area) / canonicalScale) +
 * 1e-6)` clamped to the pyramid, with that level's scale; the scales are inferred on the first
 * call from the feature map heights and the largest image height (powers of two) and kept, as in
 * torchvision. Called as `pooler(features, boxes, imageShapes)` with the feature maps by name (an
 * object or a Map, in pyramid order) and `[height, width]` of each image → `[K, C, oh, ow]`, the
 * RoIs in the order of `boxes`. Differentiable in the feature maps.
 *
 * @example
 * ```ts
 * import { rand, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { MultiScaleRoIAlign } from '@tensorgrad/vision';
 * const pooler = new MultiScaleRoIAlign(['feat1', 'feat3'], 3, 2);
 * const features = { feat1: rand([1, 5, 64, 64]), feat2: rand([1, 5, 32, 32]), feat3: rand([1, 5, 16, 16]) };
 * const boxes = [tensor([[0, 0, 100, 100], [10, 20, 400, 500]])];
 * pooler.call(features, boxes, [[512, 512]]).shape; // [2, 5, 3, 3]
 * pooler.scales; // [0.125, 0.03125]
 * ```
 */
export class MultiScaleRoIAlign extends Module<[features: FeatureMaps, boxes: readonly Tensor[], imageShapes: readonly (readonly [number, number])[]], Tensor> {
  /** The feature maps pooled from. */
  readonly featmapNames: readonly string[];
  /** `[height, width]` of each pooled RoI. */
  readonly outputSize: [number, number];
  /** RoIAlign's sampling ratio. */
  readonly samplingRatio: number;
  /** The box size of `canonicalLevel`. */
  readonly canonicalScale: number;
  /** The level of a `canonicalScale²` box. */
  readonly canonicalLevel: number;
  /** The scale of each pooled level, inferred on the first call (`null` before). */
  scales: number[] | null = null;
  /** The pyramid's level range `[kMin, kMax]`, set with {@link MultiScaleRoIAlign.scales}. */
  levelRange: [number, number] | null = null;
  /** The options positionally in torchvision's order (`canonicalScale`/`canonicalLevel` by name)… */
  constructor(
    featmapNames: readonly string[],
    outputSize: MultiScaleRoIAlignOptions['outputSize'],
    samplingRatio: number,
    options?: Pick<MultiScaleRoIAlignOptions, 'canonicalScale' | 'canonicalLevel'>,
  );
  /** …or everything by name. */
  constructor(options: MultiScaleRoIAlignOptions);
  constructor(...args: unknown[]) {
    super();
    const op = 'new MultiScaleRoIAlign';
    const o = parseArgs(SIG, args);
    if (!Array.isArray(o.featmapNames) || o.featmapNames.length === 0 || !o.featmapNames.every((n) => typeof n === 'string')) {
      throw new TypeError(`${op}: expected featmapNames to be a non-empty list of feature map names, got ${JSON.stringify(o.featmapNames)}`);
    }
    this.featmapNames = [...(o.featmapNames as string[])];
    this.outputSize = outputPair(op, o.outputSize);
    if (typeof o.samplingRatio !== 'number' || !Number.isInteger(o.samplingRatio)) {
      throw new TypeError(`${op}: expected samplingRatio to be an integer (<= 0: adaptive), got ${String(o.samplingRatio)}`);
    }
    this.samplingRatio = o.samplingRatio;
    const cs = o.canonicalScale ?? 224;
    const cl = o.canonicalLevel ?? 4;
    if (typeof cs !== 'number' || !(cs > 0)) throw new RangeError(`${op}: expected canonicalScale to be a positive number, got ${String(cs)}`);
    if (typeof cl !== 'number' || !Number.isInteger(cl)) throw new TypeError(`${op}: expected canonicalLevel to be an integer, got ${String(cl)}`);
    this.canonicalScale = cs;
    this.canonicalLevel = cl;
  }

  override forward(features: FeatureMaps, boxes: readonly Tensor[], imageShapes: readonly (readonly [number, number])[]): Tensor {
    const op = 'MultiScaleRoIAlign';
    const entries = features instanceof Map ? [...features.entries()] : Object.entries(features as Record<string, Tensor>);
    const maps = entries.filter(([name]) => this.featmapNames.includes(name)).map(([, t]) => t);
    if (maps.length === 0) {
      throw new RangeError(`${op}: none of the feature maps ${JSON.stringify(this.featmapNames)} is among the given ones (${JSON.stringify(entries.map(([n]) => n))})`);
    }
    maps.forEach((m, i) => {
      if (!(m instanceof Tensor) || m.ndim !== 4) throw new RangeError(`${op}: expected every feature map to be a Tensor[N, C, H, W], got ${m instanceof Tensor ? `shape [${m.shape.join(', ')}]` : typeof m} (map ${i})`);
    });
    if (!Array.isArray(boxes)) throw new TypeError(`${op}: expected boxes to be a list with one Tensor[L, 4] per image, got ${boxes === null ? 'null' : typeof boxes}`);
    if (this.scales === null || this.levelRange === null) this.setupScales(maps, imageShapes);
    const scales = this.scales!;
    const common = { outputSize: this.outputSize, samplingRatio: this.samplingRatio };
    if (maps.length === 1) return roiAlign(maps[0]!, boxes, { ...common, spatialScale: scales[0]! });
    if (maps.length !== scales.length) {
      throw new RangeError(`${op}: the scales were inferred for ${scales.length} feature maps on the first call, got ${maps.length} now`);
    }
    const [kMin, kMax] = this.levelRange!;
    const rois = roisOf(op, boxes);
    try {
      const k = rois.shape[0]!;
      const [c] = [maps[0]!.shape[1]!];
      if (k === 0) return zeros([0, c, ...this.outputSize], { dtype: maps[0]!.dtype, backend: maps[0]!.backend });
      if (maps[0]!.backendInstance.readSync) return this.poolPartitioned(maps, rois, mapLevels(boxes, kMin, kMax, this.canonicalScale, this.canonicalLevel));
      // without a synchronous read the levels stay on the backend: every level pools every RoI
      // and each RoI keeps its own level's result
      const levels = noGrad(() => mapLevelsTensor(boxes, kMin, kMax, this.canonicalScale, this.canonicalLevel));
      try {
        let result: Tensor | null = null;
        maps.forEach((m, l) => {
          const pooled = roiAlign(m, rois, { ...common, spatialScale: scales[l]! });
          const mask = levels.eq(l).reshape([k, 1, 1, 1]);
          const next: Tensor = result === null ? where(mask, pooled, 0) : where(mask, pooled, result);
          for (const t of [pooled, mask, result]) t?.dispose();
          result = next;
        });
        return result!;
      } finally {
        levels.dispose();
      }
    } finally {
      if (rois !== (boxes as unknown)) rois.dispose();
    }
  }

  /** Each level pools its own RoIs; the results are put back in the RoIs' order. */
  private poolPartitioned(maps: readonly Tensor[], rois: Tensor, levels: Int32Array): Tensor {
    const order: number[] = [];
    const parts: Tensor[] = [];
    const backend = rois.backend;
    maps.forEach((m, l) => {
      const idx: number[] = [];
      levels.forEach((v, i) => v === l && idx.push(i));
      if (idx.length === 0) return;
      const sel = tensor(idx, { dtype: 'int32', backend });
      const sub = rois.indexSelect(0, sel);
      parts.push(roiAlign(m, sub, { outputSize: this.outputSize, samplingRatio: this.samplingRatio, spatialScale: this.scales![l]! }));
      sel.dispose();
      sub.dispose();
      order.push(...idx);
    });
    const inverse = new Int32Array(order.length);
    order.forEach((r, i) => (inverse[r] = i));
    const all = parts.length === 1 ? parts[0]! : cat(parts, 0);
    const inv = tensor(Array.from(inverse), { dtype: 'int32', backend });
    try {
      return all.indexSelect(0, inv);
    } finally {
      inv.dispose();
      if (all !== parts[0]) all.dispose();
      for (const p of parts) p.dispose();
    }
  }

  /** torchvision's `_setup_scales`: the scales from the largest image size, and the level range. */
  private setupScales(maps: readonly Tensor[], imageShapes: readonly (readonly [number, number])[]): void {
    const op = 'MultiScaleRoIAlign';
    if (!Array.isArray(imageShapes) || imageShapes.length === 0) throw new RangeError(`${op}: expected imageShapes to list [height, width] of each image, got an empty list`);
    let maxH = 0;
    let maxW = 0;
    for (const s of imageShapes) {
      if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v) && v >= 1)) {
        throw new RangeError(`${op}: expected each image shape to be [height, width] (positive integers), got ${JSON.stringify(s)}`);
      }
      maxH = Math.max(maxH, s[0]);
      maxW = Math.max(maxW, s[1]);
    }
    const scales = maps.map((m) => inferScale(m, [maxH, maxW]));
    this.scales = scales;
    this.levelRange = [Math.trunc(-Math.log2(scales[0]!)), Math.trunc(-Math.log2(scales[scales.length - 1]!))];
  }
}
