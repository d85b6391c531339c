/**
 * Generators of the indexing, sorting and detection ops for the property sweeps: gather,
 * scatterAdd, indexSelect, indexPut (with and without accumulate), maskedFill, maskedSelect,
 * nonzero, oneHot (valid indices, duplicates welcome), sort, argsort, topk, unique (with ties),
 * and nms, roiAlign, roiPool (boxes inside the image and crossing its edge, no boxes at all).
 *
 * Tie rule: sort, argsort and topk are documented stable — equal elements keep their input order,
 * NaN sorts as the largest value — so their indices are compared exactly, as their values are.
 * unique's values, inverse indices and counts are exact by definition.
 */
import type { Rng } from '@tensorgrad/conformance';
import { nms as nmsMask } from '@tensorgrad/tensor/backend';
import {
  argsort,
  gather,
  indexPut,
  indexSelect,
  maskedFill,
  maskedSelect,
  maskedSelectAsync,
  nonzero,
  nonzeroAsync,
  nonzeroStatic,
  oneHot,
  roiAlign,
  roiPool,
  scatterAdd,
  sort,
  topk,
  unique,
  uniqueAsync,
  type DType,
  type Tensor,
} from 'tensorgrad';
import { floatValues, pick, randInt, randomDim, randomLayout, normDim } from './draw.js';
import { boundedInput } from './generators-nn.js';
import type { OpGenerator, SweepInput, SweepLayout, SweepValues } from './types.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A layout for explicit data (indices, masks, boxes): any but `expanded`, which the engine builds from the first slice. */
function explicitLayout(rng: Rng): SweepLayout {
  const l = randomLayout(rng);
  return l === 'expanded' ? 'sliced' : l;
}

/** An int32 input with the given values. */
function ints(rng: Rng, shape: number[], data: number[]): SweepInput {
  return { shape, dtype: 'int32', values: 'explicit', data, layout: explicitLayout(rng) };
}

/** A bool input with the given values. */
function bools(rng: Rng, shape: number[], data: number[]): SweepInput {
  return { shape, dtype: 'bool', values: 'explicit', data, layout: explicitLayout(rng) };
}

/** The swept input of an op over any dtype: floats get a gradient and the random mix, int32 the integers. */
function data(rng: Rng, shape: number[], dtype: DType, floatMix: SweepValues = floatValues(rng)): SweepInput {
  const float = dtype === 'float32' || dtype === 'float64';
  return { shape, dtype, values: float ? floatMix : 'integers', layout: randomLayout(rng), grad: float };
}

const isFloat = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64';

/** An input that gets added up (scatterAdd, indexPut with accumulate): bounded specials for floats (see boundedInput). */
function summed(rng: Rng, shape: number[], dtype: DType): SweepInput {
  return isFloat(dtype) ? boundedInput(rng, shape, dtype) : data(rng, shape, dtype);
}

/** A shape of rank 1–3 with dims 0–4 (zero now and then). */
function shapeOf(rng: Rng, minRank = 1, maxRank = 3): number[] {
  return Array.from({ length: randInt(rng, minRank, maxRank) }, () => (rng() < 0.07 ? 0 : randInt(rng, 1, 4)));
}

/** `count` indices in `[0, size)`; duplicates come naturally (and are forced now and then). */
function indices(rng: Rng, count: number, size: number): number[] {
  if (size === 0) return [];
  const dup = rng() < 0.3 ? randInt(rng, 0, size - 1) : -1;
  return Array.from({ length: count }, () => (dup >= 0 && rng() < 0.5 ? dup : randInt(rng, 0, size - 1)));
}

const gatherGen: OpGenerator = {
  op: 'gather',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng);
    const dim = randomDim(rng, shape.length);
    const d = normDim(dim, shape.length);
    // index: same rank, index.size(i) ≤ input.size(i) for i ≠ dim (PyTorch's rule), any size along dim when input has elements there
    const ishape = shape.map((s, i) => (i === d ? (s === 0 ? 0 : randInt(rng, 0, 4)) : randInt(rng, 0, s)));
    return {
      op: 'gather',
      inputs: [data(rng, shape, dtype), ints(rng, ishape, indices(rng, sizeOf(ishape), shape[d]!))],
      call: ([x, i]) => gather(x!, dim, i!),
      tolerance: 'reduction',
      grad: isFloat(dtype),
      describe: `gather dim ${dim}`,
    };
  },
};

const scatterAddGen: OpGenerator = {
  op: 'scatterAdd',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng);
    const dim = randomDim(rng, shape.length);
    const d = normDim(dim, shape.length);
    // src at least as large as index in every dim; index.size(i) ≤ input.size(i) for i ≠ dim
    const ishape = shape.map((s, i) => (i === d ? (s === 0 ? 0 : randInt(rng, 0, 4)) : randInt(rng, 0, s)));
    const sshape = ishape.map((s) => s + (rng() < 0.3 ? 1 : 0));
    return {
      op: 'scatterAdd',
      inputs: [summed(rng, shape, dtype), ints(rng, ishape, indices(rng, sizeOf(ishape), shape[d]!)), summed(rng, sshape, dtype)],
      call: ([x, i, src]) => scatterAdd(x!, dim, i!, src!),
      tolerance: 'reduction',
      grad: isFloat(dtype),
      describe: `scatterAdd dim ${dim} (duplicate indices add up)`,
    };
  },
};

const indexSelectGen: OpGenerator = {
  op: 'indexSelect',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng);
    const dim = randomDim(rng, shape.length);
    const d = normDim(dim, shape.length);
    const k = shape[d] === 0 ? 0 : randInt(rng, 0, 5);
    return {
      op: 'indexSelect',
      inputs: [data(rng, shape, dtype), ints(rng, [k], indices(rng, k, shape[d]!))],
      call: ([x, i]) => indexSelect(x!, dim, i!),
      tolerance: 'reduction',
      grad: isFloat(dtype),
      describe: `indexSelect dim ${dim}`,
    };
  },
};

const indexPutGen: OpGenerator = {
  op: 'indexPut',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 1, 3).map((s) => Math.max(1, s));
    const accumulate = rng() < 0.5;
    const m = randInt(rng, 1, shape.length); // index tensors for the first m dims
    const total = sizeOf(shape.slice(0, m));
    let positions: number[];
    const count = randInt(rng, 0, Math.min(5, accumulate ? 5 : total));
    if (accumulate) positions = indices(rng, count, total); // duplicates add up
    else {
      // without accumulate, which of several writes to one position wins is unspecified (PyTorch): distinct positions
      const all = Array.from({ length: total }, (_, i) => i);
      for (let i = all.length - 1; i > 0; i--) {
        const j = randInt(rng, 0, i);
        [all[i], all[j]] = [all[j]!, all[i]!];
      }
      positions = all.slice(0, count);
    }
    const coords = Array.from({ length: m }, (_, j) =>
      positions.map((p) => {
        const inner = sizeOf(shape.slice(j + 1, m));
        return Math.floor(p / inner) % shape[j]!;
      }),
    );
    // negative indices count from the end, as in PyTorch
    const signed = coords.map((cs, j) => cs.map((c) => (rng() < 0.2 ? c - shape[j]! : c)));
    const rest = shape.slice(m);
    const broadcastValues = rng() < 0.3;
    const vshape = broadcastValues ? rest.map(() => 1).slice(randInt(rng, 0, rest.length)) : [count, ...rest];
    const inputs: SweepInput[] = [summed(rng, shape, dtype), ...signed.map((cs) => ints(rng, [count], cs)), summed(rng, vshape, dtype)];
    return {
      op: 'indexPut',
      inputs,
      call: (xs) => indexPut(xs[0]!, xs.slice(1, 1 + m), xs[1 + m]!, { accumulate }),
      tolerance: 'reduction',
      grad: isFloat(dtype),
      describe: `indexPut with ${m} index tensor(s) of ${count}${accumulate ? ', accumulate (duplicates add up)' : ' distinct positions'}${broadcastValues ? ', values broadcast' : ''}`,
    };
  },
};

const maskedFillGen: OpGenerator = {
  op: 'maskedFill',
  dtypes: ['float32', 'float64', 'int32', 'bool'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    // the mask broadcasts to the input: trailing dims, some of them 1
    const mshape = shape.slice(randInt(rng, 0, shape.length)).map((s) => (rng() < 0.3 ? 1 : s));
    const viaAsync = rng() < 0.5;
    const value = dtype === 'bool' ? pick(rng, [true, false]) : dtype === 'int32' ? randInt(rng, -5, 5) : pick(rng, [0, -0, 2.5, Infinity, -Infinity, NaN]);
    const x: SweepInput = dtype === 'bool' ? { shape, dtype, layout: randomLayout(rng) } : data(rng, shape, dtype);
    return {
      op: 'maskedFill',
      inputs: [x, bools(rng, mshape, Array.from({ length: sizeOf(mshape) }, () => (rng() < 0.5 ? 1 : 0)))],
      call: ([t, mask]) => maskedFill(t!, mask!, value),
      tolerance: 'elementwise',
      grad: isFloat(dtype),
      describe: `maskedFill value ${String(value)}`,
    };
  },
};

const maskedSelectGen: OpGenerator = {
  op: 'maskedSelect',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const mshape = shape.slice(randInt(rng, 0, shape.length)).map((s) => (rng() < 0.3 ? 1 : s));
    const viaAsync = rng() < 0.5;
    return {
      op: 'maskedSelect',
      inputs: [data(rng, shape, dtype), bools(rng, mshape, Array.from({ length: sizeOf(mshape) }, () => (rng() < 0.5 ? 1 : 0)))],
      call: ([t, mask]) => maskedSelect(t!, mask!),
      ...(viaAsync ? { callAsync: ([t, mask]: Tensor[]) => maskedSelectAsync(t!, mask!) } : {}),
      tolerance: 'elementwise',
      grad: isFloat(dtype),
      describe: viaAsync ? 'maskedSelectAsync' : 'maskedSelect (data-dependent size: a synchronous read)',
    };
  },
};

const nonzeroGen: OpGenerator = {
  op: 'nonzero',
  dtypes: ['float32', 'int32', 'bool'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const n = sizeOf(shape);
    const raw = Array.from({ length: n }, () => (rng() < 0.5 ? 0 : dtype === 'bool' ? 1 : pick(rng, [-2, 1, 3, NaN, -0, 1e-40])));
    const values = dtype === 'float32' ? raw : raw.map((v) => (Number.isNaN(v) ? 4 : Math.trunc(v) === 0 && v !== 0 ? 1 : v));
    const count = values.filter((v) => v !== 0).length;
    // the static form (a known size, padded with a fill value when larger) runs on every backend
    const fixed = rng() < 0.5;
    const size = count + (fixed ? randInt(rng, -Math.min(count, 1), 2) : 0);
    // the data-dependent form: synchronous or awaited (the only way on webgpu), half and half
    const viaAsync = !fixed && rng() < 0.5;
    const input: SweepInput = { shape, dtype, values: 'explicit', data: values, layout: explicitLayout(rng) };
    return {
      op: 'nonzero',
      inputs: [input],
      call: ([x]) => (fixed ? nonzeroStatic(x!, { size, fillValue: -1 }) : nonzero(x!)),
      ...(viaAsync ? { callAsync: ([x]: Tensor[]) => nonzeroAsync(x!) } : {}),
      tolerance: 'elementwise',
      grad: false,
      describe: fixed ? `nonzeroStatic size ${size} (of ${count}) fillValue -1` : viaAsync ? 'nonzeroAsync' : 'nonzero (data-dependent size: a synchronous read)',
    };
  },
};

const oneHotGen: OpGenerator = {
  op: 'oneHot',
  dtypes: ['int32'],
  generate(rng) {
    const shape = shapeOf(rng, 0, 2);
    const classes = randInt(rng, 1, 5);
    const given = rng() < 0.7;
    const idx = indices(rng, sizeOf(shape), classes);
    return {
      op: 'oneHot',
      inputs: [ints(rng, shape, idx)],
      // without numClasses the largest index + 1 (read back synchronously; an empty input needs numClasses)
      call: ([i]) => oneHot(i!, given || idx.length === 0 ? { numClasses: classes } : undefined),
      tolerance: 'elementwise',
      grad: false,
      describe: given || idx.length === 0 ? `oneHot numClasses ${classes}` : 'oneHot numClasses from the data',
    };
  },
};

/** Values with ties (and, for floats, now and then NaN, ±Inf and ±0), for the sorting ops. */
function sortable(rng: Rng, shape: number[], dtype: DType): SweepInput {
  if (!isFloat(dtype)) return { shape, dtype, values: 'integers', layout: randomLayout(rng) };
  return { shape, dtype, values: pick(rng, ['ties', 'ties', 'special', 'normal'] as const), layout: randomLayout(rng), grad: true };
}

const sortGen: OpGenerator = {
  op: 'sort',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const dim = shape.length ? randomDim(rng, shape.length) : -1;
    const descending = rng() < 0.5;
    return {
      op: 'sort',
      inputs: [sortable(rng, shape, dtype)],
      call: ([x]) => sort(x!, { dim, descending }),
      tolerance: 'elementwise',
      grad: isFloat(dtype),
      describe: `sort dim ${dim}${descending ? ' descending' : ''} (stable: ties keep their order, indices compared exactly)`,
    };
  },
};

const argsortGen: OpGenerator = {
  op: 'argsort',
  dtypes: ['float32', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const dim = shape.length ? randomDim(rng, shape.length) : -1;
    const descending = rng() < 0.5;
    return {
      op: 'argsort',
      inputs: [{ ...sortable(rng, shape, dtype), grad: false }],
      call: ([x]) => argsort(x!, { dim, descending }),
      tolerance: 'elementwise',
      grad: false,
      describe: `argsort dim ${dim}${descending ? ' descending' : ''} (stable: ties keep their order)`,
    };
  },
};

const topkGen: OpGenerator = {
  op: 'topk',
  dtypes: ['float32', 'float64', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const dim = shape.length ? randomDim(rng, shape.length) : -1;
    const size = shape.length ? shape[normDim(dim, shape.length)]! : 1;
    const k = randInt(rng, 0, size);
    const largest = rng() < 0.6;
    return {
      op: 'topk',
      inputs: [sortable(rng, shape, dtype)],
      call: ([x]) => topk(x!, k, { dim, largest }),
      tolerance: 'elementwise',
      grad: isFloat(dtype),
      describe: `topk k ${k} dim ${dim}${largest ? '' : ' smallest'} (ties in input order, indices compared exactly)`,
    };
  },
};

const uniqueGen: OpGenerator = {
  op: 'unique',
  dtypes: ['float32', 'int32'],
  generate(rng, dtype) {
    const shape = shapeOf(rng, 0, 3);
    const returnInverse = rng() < 0.6;
    const returnCounts = rng() < 0.6;
    const viaAsync = rng() < 0.5;
    // no NaN: NaN ≠ NaN makes each one its own value in PyTorch, an order tensorgrad does not promise
    const input: SweepInput = { shape, dtype, values: isFloat(dtype) ? 'ties' : 'integers', layout: randomLayout(rng) };
    return {
      op: 'unique',
      inputs: [input],
      call: ([x]) => unique(x!, { returnInverse, returnCounts }),
      ...(viaAsync ? { callAsync: ([x]: Tensor[]) => uniqueAsync(x!, { returnInverse, returnCounts }) } : {}),
      tolerance: 'elementwise',
      grad: false,
      describe: `unique${viaAsync ? 'Async' : ''}${returnInverse ? ' returnInverse' : ''}${returnCounts ? ' returnCounts' : ''}${viaAsync ? '' : ' (data-dependent size: a synchronous read)'}`,
    };
  },
};

/**
 * `k` boxes `x1, y1, x2, y2` near a quarter-pixel grid over a `w × h` image: inside it, crossing
 * its edges (negative or past the far side), and now and then degenerate (`x2 < x1`). Each
 * coordinate is off the grid by a random fraction of 0.02 pixel: on the grid, RoIAlign's samples
 * land exactly on the image's border (x = −1 or x = W, where torchvision's bilinear sampling jumps
 * to 0) and roiPool's scaled corners on .5, where float32 and float64 round differently.
 */
function boxes(rng: Rng, k: number, w: number, h: number): number[][] {
  return Array.from({ length: k }, () => {
    const q = (lo: number, hi: number): number => randInt(rng, lo * 4, hi * 4) / 4 + 0.02 * rng();
    const x1 = q(-2, w);
    const y1 = q(-2, h);
    const flip = rng() < 0.1;
    return [x1, y1, flip ? x1 - q(0, 2) : x1 + q(0, w / 2 + 2), flip ? y1 : y1 + q(0, h / 2 + 2)];
  });
}

const nmsGen: OpGenerator = {
  op: 'nms',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const k = rng() < 0.1 ? 0 : randInt(rng, 1, 8);
    // integer corners: every IoU is a ratio of small integers, never within float32 rounding of a dyadic threshold
    const bs = Array.from({ length: k }, () => {
      const x1 = randInt(rng, 0, 8);
      const y1 = randInt(rng, 0, 8);
      return [x1, y1, x1 + randInt(rng, rng() < 0.1 ? -2 : 0, 6), y1 + randInt(rng, 0, 6)];
    });
    const threshold = pick(rng, [0, 0.25, 0.5, 0.75, 1]);
    return {
      op: 'nms',
      inputs: [{ shape: [k, 4], dtype, values: 'explicit', data: bs.flat(), layout: explicitLayout(rng) }],
      call: ([b]) => nmsMask(b!, { iouThreshold: threshold }),
      tolerance: 'elementwise',
      grad: false,
      describe: `nms (the keep-mask op of boxes sorted by score) iouThreshold ${threshold}`,
    };
  },
};

/** An image batch `[N, C, H, W]` and RoIs `[K, 5]` (batch index, box) for the RoI ops. */
function roiCase(rng: Rng, dtype: DType): { x: SweepInput; rois: SweepInput; k: number } {
  const n = randInt(rng, 1, 2);
  const h = randInt(rng, 1, 6);
  const w = randInt(rng, 1, 6);
  const k = rng() < 0.1 ? 0 : randInt(rng, 1, 4);
  const rows = boxes(rng, k, w, h).map((b) => [randInt(rng, 0, n - 1), ...b]);
  return {
    x: boundedInput(rng, [n, randInt(rng, 1, 2), h, w], dtype),
    rois: { shape: [k, 5], dtype, values: 'explicit', data: rows.flat(), layout: explicitLayout(rng) },
    k,
  };
}

const roiAlignGen: OpGenerator = {
  op: 'roiAlign',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const { x, rois, k } = roiCase(rng, dtype);
    const options = {
      outputSize: [randInt(rng, 1, 3), randInt(rng, 1, 3)],
      spatialScale: pick(rng, [1, 0.5, 2]),
      samplingRatio: pick(rng, [-1, 1, 2]),
      aligned: rng() < 0.5,
    };
    return {
      op: 'roiAlign',
      inputs: [x, rois],
      call: ([img, r]) => roiAlign(img!, r!, options),
      tolerance: 'reduction',
      grad: true,
      describe: `roiAlign of ${k} box(es) (inside and across the edges) ${JSON.stringify(options)}`,
    };
  },
};

const roiPoolGen: OpGenerator = {
  op: 'roiPool',
  dtypes: ['float32', 'float64'],
  generate(rng, dtype) {
    const { x, rois, k } = roiCase(rng, dtype);
    const options = { outputSize: [randInt(rng, 1, 3), randInt(rng, 1, 3)], spatialScale: pick(rng, [1, 0.5, 2]) };
    return {
      op: 'roiPool',
      inputs: [x, rois],
      call: ([img, r]) => roiPool(img!, r!, options),
      tolerance: 'elementwise',
      grad: true,
      describe: `roiPool of ${k} box(es) (inside and across the edges) ${JSON.stringify(options)}`,
    };
  },
};

/**
 * The indexing, sorting and detection generators of the sweeps (`ops/<backend>` targets).
 *
 * @example
 * ```ts
 * import { INDEXING_GENERATORS } from '@tensorgrad/fuzz';
 * import { seededRng } from '@tensorgrad/conformance';
 * const g = INDEXING_GENERATORS.find((x) => x.op === 'gather')!;
 * g.generate(seededRng('demo'), 'float32').inputs[1]!.dtype; // 'int32'
 * ```
 */
export const INDEXING_GENERATORS: readonly OpGenerator[] = [
  gatherGen,
  scatterAddGen,
  indexSelectGen,
  indexPutGen,
  maskedFillGen,
  maskedSelectGen,
  nonzeroGen,
  oneHotGen,
  sortGen,
  argsortGen,
  topkGen,
  uniqueGen,
  nmsGen,
  roiAlignGen,
  roiPoolGen,
];
