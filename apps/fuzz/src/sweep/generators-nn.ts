/**
 * Generators of the nn ops for the property sweeps: convolutions, pooling, normalization,
 * interpolation, padding, pixel (un)shuffle and PReLU — random batch (zero batch included),
 * channels, spatial sizes, kernels, strides, paddings, dilations, groups and the ops' flags, with
 * inputs in random layouts and value mixes (±0, ±Inf, NaN, denormals, ties).
 */
import type { Rng } from '@tensorgrad/conformance';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm,
  conv2d,
  convTranspose2d,
  groupNorm,
  instanceNorm,
  interpolate,
  layerNorm,
  maxPool2d,
  maxUnpool2d,
  pad,
  pixelShuffle,
  pixelUnshuffle,
  prelu,
  type DType,
} from 'tensorgrad';
import { floatValues, pick, randInt, randomLayout } from './draw.js';
import type { OpGenerator, SweepInput, SweepValues } from './types.js';

/** A float input that gets a gradient; `values` default: the case's random mix. */
function fin(shape: number[], dtype: DType, values: SweepValues, layout: SweepInput['layout'] = 'contiguous'): SweepInput {
  return { shape, dtype, values, layout, grad: true };
}

/** The batch: 0 now and then (an empty batch must give an empty result and zero gradients), else 1–2. */
function batch(rng: Rng): number {
  return rng() < 0.1 ? 0 : randInt(rng, 1, 2);
}

/** The pair form of an int (`a` or `[a, b]`), half of the time as a pair with its own second value. */
function pair(rng: Rng, a: number, b: number): number | [number, number] {
  return a === b && rng() < 0.5 ? a : [a, b];
}

const both = (p: number | [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : p);

function flag(rng: Rng, p = 0.5): boolean {
  return rng() < p;
}

const conv2dGen: OpGenerator = {
  op: 'conv2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const groups = pick(rng, [1, 1, 2]);
    const cin = groups * randInt(rng, 1, 2);
    const cout = groups * randInt(rng, 1, 2);
    const k = [randInt(rng, 1, 3), randInt(rng, 1, 3)];
    const stride = [randInt(rng, 1, 2), randInt(rng, 1, 2)];
    const dilation = [randInt(rng, 1, 2), randInt(rng, 1, 2)];
    const padding = [randInt(rng, 0, 2), randInt(rng, 0, 2)];
    // smallest input with a non-empty output: in + 2·p ≥ d·(k − 1) + 1
    const hw = [0, 1].map((i) => Math.max(1, dilation[i]! * (k[i]! - 1) + 1 - 2 * padding[i]!) + randInt(rng, 0, 3));
    const bias = flag(rng);
    const n = batch(rng);
    const inputs = [boundedInput(rng, [n, cin, hw[0]!, hw[1]!], dtype), fin([cout, cin / groups, k[0]!, k[1]!], dtype, 'normal', randomLayout(rng))];
    if (bias) inputs.push(fin([cout], dtype, 'normal'));
    const options = { stride: pair(rng, stride[0]!, stride[1]!), padding: pair(rng, padding[0]!, padding[1]!), dilation: pair(rng, dilation[0]!, dilation[1]!), groups };
    return {
      op: 'conv2d',
      inputs,
      call: ([x, w, b]) => conv2d(x!, w!, b ?? null, options),
      tolerance: 'reduction',
      grad: true,
      describe: `conv2d ${JSON.stringify(options)}${bias ? ' with bias' : ''}`,
    };
  },
};

const convTranspose2dGen: OpGenerator = {
  op: 'convTranspose2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const groups = pick(rng, [1, 1, 2]);
    const cin = groups * randInt(rng, 1, 2);
    const cout = groups * randInt(rng, 1, 2);
    const k = [randInt(rng, 1, 3), randInt(rng, 1, 3)];
    const stride = [randInt(rng, 1, 3), randInt(rng, 1, 2)];
    const dilation = [randInt(rng, 1, 2), randInt(rng, 1, 2)];
    // outputPadding must be smaller than stride or dilation (PyTorch's rule)
    const outputPadding = [0, 1].map((i) => randInt(rng, 0, Math.max(stride[i]!, dilation[i]!) - 1));
    const hw = [randInt(rng, 1, 4), randInt(rng, 1, 4)];
    // padding keeps the output non-empty: (in − 1)·s − 2·p + d·(k − 1) + op + 1 ≥ 1
    const padding = [0, 1].map((i) => Math.min(randInt(rng, 0, 2), Math.floor(((hw[i]! - 1) * stride[i]! + dilation[i]! * (k[i]! - 1) + outputPadding[i]!) / 2)));
    const bias = flag(rng);
    const n = batch(rng);
    const inputs = [boundedInput(rng, [n, cin, hw[0]!, hw[1]!], dtype), fin([cin, cout / groups, k[0]!, k[1]!], dtype, 'normal', randomLayout(rng))];
    if (bias) inputs.push(fin([cout], dtype, 'normal'));
    const options = {
      stride: pair(rng, stride[0]!, stride[1]!),
      padding: pair(rng, padding[0]!, padding[1]!),
      outputPadding: pair(rng, outputPadding[0]!, outputPadding[1]!),
      dilation: pair(rng, dilation[0]!, dilation[1]!),
      groups,
    };
    return {
      op: 'convTranspose2d',
      inputs,
      call: ([x, w, b]) => convTranspose2d(x!, w!, b ?? null, options),
      tolerance: 'reduction',
      grad: true,
      describe: `convTranspose2d ${JSON.stringify(options)}${bias ? ' with bias' : ''}`,
    };
  },
};

/** Pooling geometry: kernel, stride, padding (≤ half the kernel, PyTorch's rule), dilation, and an input size with a non-empty output. */
function poolGeometry(rng: Rng, withDilation: boolean): { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; hw: [number, number] } {
  const k: [number, number] = [randInt(rng, 1, 3), randInt(rng, 1, 3)];
  const s: [number, number] = [randInt(rng, 1, 3), randInt(rng, 1, 2)];
  const p: [number, number] = [randInt(rng, 0, Math.floor(k[0] / 2)), randInt(rng, 0, Math.floor(k[1] / 2))];
  const d: [number, number] = withDilation ? [randInt(rng, 1, 2), randInt(rng, 1, 2)] : [1, 1];
  const hw = [0, 1].map((i) => Math.max(1, d[i]! * (k[i]! - 1) + 1 - 2 * p[i]!) + randInt(rng, 0, 3)) as [number, number];
  return { k, s, p, d, hw };
}

/** `[N, C, H, W]` or, a quarter of the time, the unbatched `[C, H, W]`. */
function imageShape(rng: Rng, hw: readonly [number, number]): number[] {
  const c = randInt(rng, 1, 3);
  return rng() < 0.25 ? [c, hw[0], hw[1]] : [batch(rng), c, hw[0], hw[1]];
}

/** PyTorch's pooled size along one dim (with its ceilMode rule: the last window starts inside the input or the left padding). */
function pooledSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Whether some pooling window along one dim holds no input position (a dilated window inside the padding). */
function hasEmptyWindow(size: number, k: number, s: number, p: number, d: number, ceil: boolean): boolean {
  for (let o = 0; o < pooledSize(size, k, s, p, d, ceil); o++) {
    const start = o * s - p;
    if (!Array.from({ length: k }, (_, j) => start + j * d).some((i) => i >= 0 && i < size)) return true;
  }
  return false;
}

const maxPool2dGen: OpGenerator = {
  op: 'maxPool2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const g = poolGeometry(rng, true);
    const ceil = flag(rng);
    // a dilated window entirely in the padding has no maximum: PyTorch returns -inf with an index past
    // the plane (and its backward writes out of bounds), so such geometries fall back to dilation 1
    if ([0, 1].some((i) => hasEmptyWindow(g.hw[i]!, g.k[i]!, g.s[i]!, g.p[i]!, g.d[i]!, ceil))) g.d = [1, 1];
    const options = {
      kernelSize: pair(rng, ...g.k),
      stride: rng() < 0.2 ? null : pair(rng, ...g.s),
      padding: pair(rng, ...g.p),
      dilation: pair(rng, ...g.d),
      ceilMode: ceil,
    };
    const withIndices = flag(rng);
    return {
      op: 'maxPool2d',
      inputs: [fin(imageShape(rng, g.hw), dtype, floatValues(rng), randomLayout(rng))],
      call: ([x]) => (withIndices ? maxPool2d(x!, { ...options, returnIndices: true }) : maxPool2d(x!, options)),
      tolerance: 'elementwise',
      grad: true,
      describe: `maxPool2d ${JSON.stringify(options)}${withIndices ? ' returnIndices (ties: the first maximum in window order, as PyTorch)' : ''}`,
    };
  },
};

const avgPool2dGen: OpGenerator = {
  op: 'avgPool2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const g = poolGeometry(rng, false);
    const options = {
      kernelSize: pair(rng, ...g.k),
      stride: rng() < 0.2 ? null : pair(rng, ...g.s),
      padding: pair(rng, ...g.p),
      ceilMode: flag(rng),
      countIncludePad: flag(rng),
      divisorOverride: rng() < 0.3 ? randInt(rng, 1, 5) : null,
    };
    return {
      op: 'avgPool2d',
      inputs: [boundedInput(rng, imageShape(rng, g.hw), dtype)],
      call: ([x]) => avgPool2d(x!, options),
      tolerance: 'reduction',
      grad: true,
      describe: `avgPool2d ${JSON.stringify(options)}`,
    };
  },
};

const adaptiveAvgPool2dGen: OpGenerator = {
  op: 'adaptiveAvgPool2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const hw: [number, number] = [randInt(rng, 1, 6), randInt(rng, 1, 6)];
    // output sizes below, at and above the input size (bins then overlap or repeat); null keeps the input's
    const oh = randInt(rng, 1, hw[0] + 1);
    const ow = rng() < 0.2 ? null : randInt(rng, 1, hw[1] + 1);
    const outputSize = ow === oh && rng() < 0.5 ? oh : [oh, ow];
    return {
      op: 'adaptiveAvgPool2d',
      inputs: [boundedInput(rng, imageShape(rng, hw), dtype)],
      call: ([x]) => adaptiveAvgPool2d(x!, outputSize),
      tolerance: 'reduction',
      grad: true,
      describe: `adaptiveAvgPool2d outputSize ${JSON.stringify(outputSize)}`,
    };
  },
};

const maxUnpool2dGen: OpGenerator = {
  op: 'maxUnpool2d',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const k = randInt(rng, 1, 3);
    const s = rng() < 0.3 ? null : randInt(rng, 1, 3);
    const p = randInt(rng, 0, Math.floor(k / 2));
    const hw: [number, number] = [Math.max(1, k - 2 * p) + randInt(rng, 0, 3), Math.max(1, k - 2 * p) + randInt(rng, 0, 3)];
    const shape = imageShape(rng, hw);
    // the indices come from maxPool2d on the same backend (distinct values: no ties, so they are unique per window);
    // where the default output size (in − 1)·s − 2·p + k differs from the pooled input's, they point
    // past it (PyTorch's error too): then the input size is passed as outputSize
    const pooled = (d: number): number => Math.floor((d + 2 * p - k) / (s ?? k)) + 1;
    const fits = [0, 1].every((i) => (pooled(hw[i]!) - 1) * (s ?? k) - 2 * p + k === hw[i]);
    const explicitSize = !fits || flag(rng, 0.3);
    return {
      op: 'maxUnpool2d',
      inputs: [fin(shape, dtype, 'normal', randomLayout(rng))],
      call: ([x]) => {
        const { values, indices } = maxPool2d(x!, { kernelSize: k, stride: s, padding: p, returnIndices: true });
        const outputSize = explicitSize ? shape.slice(-2) : null;
        return maxUnpool2d(values, indices, { kernelSize: k, stride: s, padding: p, outputSize });
      },
      tolerance: 'elementwise',
      grad: true,
      // overlapping windows (stride < kernel) can pick one element twice: unpool then writes it twice, and
      // autograd (PyTorch's too) sums both paths where the finite difference sees one write
      gradcheck: (s ?? k) >= k,
      describe: `maxUnpool2d of maxPool2d's indices, kernel ${k}, stride ${s}, padding ${p}${explicitSize ? ', outputSize the input size' : ''}`,
    };
  },
};

const BOUNDED_SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 40, -40];

/**
 * A float input with gradient for ops that sum (convolutions, average pooling, interpolation,
 * normalizations, scatter-adds): a quarter of the time (the share of the `special` mix) its values
 * mix normal ones with ±0, ±Inf, NaN, denormals and ±40, drawn here as explicit data; else the
 * random mix. The engine's `special` mix holds ±1e30: summed, 1e30 − 1e30 cancels every small
 * term in an order-dependent way, and squared it overflows float32 — differences of summation
 * order and precision, not bugs. Explicit data cannot be `expanded` (the engine builds that layout
 * from the first slice), so that layout becomes `permuted`.
 *
 * @example
 * ```ts
 * import { boundedInput } from '@tensorgrad/fuzz';
 * import { seededRng } from '@tensorgrad/conformance';
 * const x = boundedInput(seededRng('b'), [2, 3], 'float32');
 * [x.shape, x.grad, x.layout === 'expanded' && x.values === 'explicit']; // [[2, 3], true, false]
 * ```
 */
export function boundedInput(rng: Rng, shape: number[], dtype: DType): SweepInput {
  const layout = randomLayout(rng);
  const mix = floatValues(rng);
  if (mix !== 'special') return fin(shape, dtype, mix, layout);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => (rng() < 0.5 ? pick(rng, BOUNDED_SPECIALS) : -3 + 6 * rng()));
  return { shape, dtype, values: 'explicit', data, layout: layout === 'expanded' ? 'permuted' : layout, grad: true };
}

/**
 * The eps of a normalization case. Not PyTorch's default 1e-5: with it, a group of (nearly) equal
 * values — a constant row, an expanded input, two close values — amplifies float32's rounding of the
 * group's mean by up to 1/sqrt(eps) ≈ 316, past the float32 tolerances against the float64
 * reference (CPU, tfjs and webgpu then agree with each other, and PyTorch's float32 does the same).
 * That is the conditioning of the op, not a bug; eps ≥ 0.05 bounds it while every code path runs.
 */
function normEps(rng: Rng): number {
  return pick(rng, [0.05, 0.1, 1]);
}

/** `[N, C]`, `[N, C, L]` or `[N, C, H, W]` with at least `minPerChannel` values per channel when `n > 0`. */
function normShape(rng: Rng, n: number, c: number, minSpatial: number): number[] {
  const rank = randInt(rng, minSpatial > 1 ? 3 : 2, 4);
  const spatial = Array.from({ length: rank - 2 }, () => randInt(rng, 1, 3));
  while (spatial.length && spatial.reduce((a, b) => a * b, 1) < minSpatial) spatial[0]!++;
  return [n, c, ...spatial];
}

const batchNormGen: OpGenerator = {
  op: 'batchNorm',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const eps = normEps(rng);
    const training = flag(rng);
    const c = randInt(rng, 1, 3);
    // training needs more than one value per channel (PyTorch's error otherwise); eval takes an empty batch
    const n = training ? randInt(rng, 1, 3) : batch(rng);
    let shape = normShape(rng, n, c, 1);
    if (training && shape.slice(2).reduce((a, b) => a * b, n) < 2) shape = [Math.max(2, n), ...shape.slice(1)];
    const affine = flag(rng, 0.7);
    const tracked = !training || flag(rng, 0.7);
    const momentum = pick(rng, [0.1, 0.5]);
    const inputs: SweepInput[] = [boundedInput(rng, shape, dtype)];
    if (tracked) inputs.push({ shape: [c], dtype, values: 'normal' }, { shape: [c], dtype, values: 'positive' });
    if (affine) inputs.push(fin([c], dtype, 'normal'), fin([c], dtype, 'normal'));
    return {
      op: 'batchNorm',
      inputs,
      call: (xs) => {
        const [x] = xs;
        // the running statistics are updated in place in training: clones, returned as outputs to check the update
        const rm = tracked ? xs[1]!.clone() : null;
        const rv = tracked ? xs[2]!.clone() : null;
        const w = affine ? xs[tracked ? 3 : 1]! : null;
        const b = affine ? xs[tracked ? 4 : 2]! : null;
        const out = batchNorm(x!, rm, rv, w, b, { training, momentum, eps });
        return rm && rv ? [out, rm, rv] : out;
      },
      tolerance: 'reduction',
      grad: true,
      describe: `batchNorm eps ${eps} ${training ? 'training' : 'eval'}${tracked ? ` with running stats (momentum ${momentum}; outputs 1, 2: the updated stats)` : ' without running stats'}${affine ? ', affine' : ''}`,
    };
  },
};

const layerNormGen: OpGenerator = {
  op: 'layerNorm',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const eps = normEps(rng);
    const rank = randInt(rng, 1, 4);
    const shape = Array.from({ length: rank }, (_, i) => (i === 0 && rng() < 0.1 ? 0 : randInt(rng, 1, 4)));
    const k = randInt(rng, 1, rank);
    const normalized = shape.slice(rank - k);
    const affine = flag(rng, 0.7);
    const withBias = affine && flag(rng, 0.8);
    const inputs: SweepInput[] = [boundedInput(rng, shape, dtype)];
    if (affine) inputs.push(fin(normalized, dtype, 'normal'));
    if (withBias) inputs.push(fin(normalized, dtype, 'normal'));
    const asNumber = k === 1 && flag(rng);
    return {
      op: 'layerNorm',
      inputs,
      call: ([x, w, b]) => layerNorm(x!, asNumber ? normalized[0]! : normalized, w ?? null, b ?? null, { eps }),
      tolerance: 'reduction',
      grad: true,
      describe: `layerNorm eps ${eps} over [${normalized.join(', ')}]${affine ? ' with weight' : ''}${withBias ? ' and bias' : ''}`,
    };
  },
};

const groupNormGen: OpGenerator = {
  op: 'groupNorm',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const eps = normEps(rng);
    const groups = randInt(rng, 1, 3);
    const c = groups * randInt(rng, 1, 2);
    const shape = normShape(rng, batch(rng), c, 1);
    const affine = flag(rng, 0.7);
    const inputs: SweepInput[] = [boundedInput(rng, shape, dtype)];
    if (affine) inputs.push(fin([c], dtype, 'normal'), fin([c], dtype, 'normal'));
    return {
      op: 'groupNorm',
      inputs,
      call: ([x, w, b]) => groupNorm(x!, groups, w ?? null, b ?? null, { eps }),
      tolerance: 'reduction',
      grad: true,
      describe: `groupNorm eps ${eps} ${groups} group(s)${affine ? ', affine' : ''}`,
    };
  },
};

const instanceNormGen: OpGenerator = {
  op: 'instanceNorm',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const eps = normEps(rng);
    const c = randInt(rng, 1, 3);
    // instance statistics need more than one spatial value (PyTorch's error otherwise)
    const shape = normShape(rng, batch(rng), c, 2);
    const affine = flag(rng);
    const tracked = flag(rng);
    const inputs: SweepInput[] = [boundedInput(rng, shape, dtype)];
    if (tracked) inputs.push({ shape: [c], dtype, values: 'normal' }, { shape: [c], dtype, values: 'positive' });
    if (affine) inputs.push(fin([c], dtype, 'normal'), fin([c], dtype, 'normal'));
    return {
      op: 'instanceNorm',
      inputs,
      call: (xs) => {
        const rm = tracked ? xs[1]!.clone() : null;
        const rv = tracked ? xs[2]!.clone() : null;
        const w = affine ? xs[tracked ? 3 : 1]! : null;
        const b = affine ? xs[tracked ? 4 : 2]! : null;
        const out = instanceNorm(xs[0]!, rm, rv, w, b, { useInputStats: true, momentum: 0.1, eps });
        return rm && rv ? [out, rm, rv] : out;
      },
      tolerance: 'reduction',
      grad: true,
      describe: `instanceNorm eps ${eps}${tracked ? ' with running stats (outputs 1, 2: the updated stats)' : ''}${affine ? ', affine' : ''}`,
    };
  },
};

const interpolateGen: OpGenerator = {
  op: 'interpolate',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const mode = pick(rng, ['nearest', 'bilinear', 'linear'] as const);
    const spatialRank = mode === 'bilinear' ? 2 : mode === 'linear' ? 1 : randInt(rng, 1, 2);
    const spatial = Array.from({ length: spatialRank }, () => randInt(rng, 1, 5));
    const shape = [batch(rng), randInt(rng, 1, 2), ...spatial];
    const bySize = flag(rng);
    const sizes = spatial.map(() => randInt(rng, 1, 7));
    const scales = spatial.map(() => pick(rng, [0.5, 0.75, 1, 1.5, 2, 3]));
    const alignCorners = mode === 'nearest' ? undefined : flag(rng);
    // a scale factor must leave every output dim ≥ 1
    const scaleOk = scales.every((s, i) => Math.floor(spatial[i]! * s) >= 1);
    const options = {
      mode,
      ...(bySize || !scaleOk ? { size: sizes.length === 1 && flag(rng) ? sizes[0]! : sizes } : { scaleFactor: scales.length === 1 || new Set(scales).size === 1 ? scales[0]! : scales }),
      ...(alignCorners === undefined ? {} : { alignCorners }),
    };
    return {
      op: 'interpolate',
      inputs: [boundedInput(rng, shape, dtype)],
      call: ([x]) => interpolate(x!, options),
      tolerance: 'reduction',
      grad: true,
      describe: `interpolate ${JSON.stringify(options)}`,
    };
  },
};

const padGen: OpGenerator = {
  op: 'pad',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const mode = dtype === 'int32' ? 'constant' : pick(rng, ['constant', 'reflect', 'replicate', 'circular'] as const);
    const float = dtype !== 'int32';
    // reflect/replicate/circular pad the last 1–3 dims of a batched input (PyTorch: rank = padded dims + 1 or + 2)
    const padded = randInt(rng, 1, mode === 'constant' ? 3 : 2);
    const lead = mode === 'constant' ? randInt(rng, 0, 2) : randInt(rng, 1, 2);
    const spatial = Array.from({ length: padded }, () => randInt(rng, mode === 'constant' ? 0 : 1, 4));
    const shape = [...Array.from({ length: lead }, () => randInt(rng, 1, 2)), ...spatial];
    const widths: number[] = [];
    for (let i = padded - 1; i >= 0; i--) {
      const size = spatial[i]!;
      // reflect: pad < size; circular: pad ≤ size; constant: negative pads crop (never below 0 in total)
      const max = mode === 'reflect' ? size - 1 : mode === 'circular' ? size : 3;
      const one = (): number => (mode === 'constant' && rng() < 0.15 ? -randInt(rng, 0, Math.floor(size / 2)) : randInt(rng, 0, Math.max(0, max)));
      widths.push(one(), one());
    }
    const value = mode === 'constant' ? (float ? pick(rng, [0, 1.5, -2, Infinity, NaN]) : randInt(rng, -3, 3)) : 0;
    return {
      op: 'pad',
      inputs: [{ shape, dtype, values: float ? floatValues(rng) : 'integers', layout: randomLayout(rng), grad: float }],
      call: ([x]) => pad(x!, widths, { mode, value }),
      tolerance: 'elementwise',
      grad: float,
      describe: `pad ${mode} [${widths.join(', ')}]${mode === 'constant' ? ` value ${value}` : ''}`,
    };
  },
};

const pixelShuffleGen: OpGenerator = {
  op: 'pixelShuffle',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const r = randInt(rng, 1, 3);
    const lead = rng() < 0.2 ? [] : [batch(rng)];
    const shape = [...lead, randInt(rng, 1, 2) * r * r, randInt(rng, 1, 3), randInt(rng, 1, 3)];
    const float = dtype !== 'int32';
    return {
      op: 'pixelShuffle',
      inputs: [{ shape, dtype, values: float ? floatValues(rng) : 'integers', layout: randomLayout(rng), grad: float }],
      call: ([x]) => pixelShuffle(x!, r),
      tolerance: 'elementwise',
      grad: float,
      describe: `pixelShuffle upscaleFactor ${r}`,
    };
  },
};

const pixelUnshuffleGen: OpGenerator = {
  op: 'pixelUnshuffle',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const r = randInt(rng, 1, 3);
    const lead = rng() < 0.2 ? [] : [batch(rng)];
    const shape = [...lead, randInt(rng, 1, 2), randInt(rng, 1, 2) * r, randInt(rng, 1, 2) * r];
    const float = dtype !== 'int32';
    return {
      op: 'pixelUnshuffle',
      inputs: [{ shape, dtype, values: float ? floatValues(rng) : 'integers', layout: randomLayout(rng), grad: float }],
      call: ([x]) => pixelUnshuffle(x!, r),
      tolerance: 'elementwise',
      grad: float,
      describe: `pixelUnshuffle downscaleFactor ${r}`,
    };
  },
};

const preluGen: OpGenerator = {
  op: 'prelu',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const rank = randInt(rng, 0, 4);
    const shape = Array.from({ length: rank }, (_, i) => (i === 0 && rng() < 0.1 ? 0 : randInt(rng, 1, 3)));
    // one weight, or one per channel (dim 1, for inputs of rank ≥ 2)
    const perChannel = rank >= 2 && flag(rng);
    return {
      op: 'prelu',
      inputs: [fin(shape, dtype, floatValues(rng), randomLayout(rng)), fin([perChannel ? shape[1]! : 1], dtype, 'normal')],
      call: ([x, w]) => prelu(x!, w!),
      tolerance: 'elementwise',
      grad: true,
      describe: `prelu with ${perChannel ? 'one weight per channel' : 'one weight'}`,
    };
  },
};

/**
 * The nn generators of the sweeps (`ops/<backend>` targets): conv2d, convTranspose2d, maxPool2d,
 * avgPool2d, adaptiveAvgPool2d, maxUnpool2d, batchNorm, layerNorm, groupNorm, instanceNorm,
 * interpolate, pad, pixelShuffle, pixelUnshuffle and prelu.
 *
 * @example
 * ```ts
 * import { NN_GENERATORS } from '@tensorgrad/fuzz';
 * import { seededRng } from '@tensorgrad/conformance';
 * const conv = NN_GENERATORS.find((g) => g.op === 'conv2d')!;
 * conv.generate(seededRng('demo'), 'float32').inputs[0]!.shape.length; // 4
 * ```
 */
export const NN_GENERATORS: readonly OpGenerator[] = [
  conv2dGen,
  convTranspose2dGen,
  maxPool2dGen,
  avgPool2dGen,
  adaptiveAvgPool2dGen,
  maxUnpool2dGen,
  batchNormGen,
  layerNormGen,
  groupNormGen,
  instanceNormGen,
  interpolateGen,
  padGen,
  pixelShuffleGen,
  pixelUnshuffleGen,
  preluGen,
];
