/**
 * The generators of the element-wise, reduction, softmax, shape/view and matmul ops.
 */
import {
  alongDim,
  binaryReference,
  build,
  geluReference,
  logSoftmaxLane,
  matmulNd,
  reduceNd,
  reductionReference,
  softmaxLane,
  unaryReference,
  varianceOf,
  zipNd,
  type Nd,
  type Rng,
} from '@tensorgrad/conformance';
import * as tg from 'tensorgrad';
import type { DType, Tensor } from 'tensorgrad';
import { broadcastPartner, floatValues, normDim, pick, randInt, randomDim, randomLayout, randomShape } from './draw.js';
import type { OpGenerator, SweepCase, SweepInput, SweepValues } from './types.js';

const hasNaN = (xs: Nd[]): boolean => xs.some((x) => x.data.some(Number.isNaN));

/** The reference, or none when an input holds NaN (reference.ts does not model NaN propagation of every op). */
function withoutNaN(f: (xs: Nd[]) => Nd | Nd[] | null): (xs: Nd[]) => Nd | Nd[] | null {
  return (xs) => (hasNaN(xs) ? null : f(xs));
}

const mapNd = (x: Nd, f: (v: number) => number): Nd => ({ shape: [...x.shape], data: x.data.map(f) });

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

// ---------------------------------------------------------------- unary element-wise

/**
 * `pow(x, e)` for a number exponent as PyTorch computes it: `e = ±0.5` is `sqrt`/`rsqrt`
 * (`pow(-Inf, 0.5)` is NaN and `pow(-0, -0.5)` is −Inf, where C's pow gives +Inf and +Inf), any
 * other exponent C's pow.
 */
function scalarPow(v: number, e: number): number {
  if (e === 0.5) return Math.sqrt(v);
  if (e === -0.5) return 1 / Math.sqrt(v);
  return Math.pow(v, e);
}

interface UnaryDef {
  op: string;
  /** The op's smooth domain (values of the non-special cases). */
  domain?: SweepValues;
  dtypes?: readonly DType[];
  /** Draws the op's attributes; returns the call and a description. */
  attrs?: (rng: Rng) => { call: (x: Tensor) => Tensor; describe: string; reference?: (v: number) => number; gradcheck?: boolean };
  /** Whether the op is differentiable (default true). */
  grad?: boolean;
}

function unary(def: UnaryDef): OpGenerator {
  const dtypes = def.dtypes ?? ['float32'];
  return {
    op: def.op,
    dtypes,
    generate(rng, dtype) {
      const float = dtype === 'float32';
      const x: SweepInput = { shape: randomShape(rng), dtype, layout: randomLayout(rng), values: float ? floatValues(rng, def.domain) : 'integers', grad: float };
      const a = def.attrs?.(rng);
      const fn = (tg as unknown as Record<string, (x: Tensor) => Tensor>)[def.op]!;
      const ref = a?.reference ?? unaryReference[def.op];
      return {
        op: def.op,
        inputs: [x],
        call: ([t]) => (a ? a.call(t!) : fn(t!)),
        tolerance: 'elementwise',
        grad: float && def.grad !== false,
        describe: a?.describe ?? def.op,
        ...(ref ? { reference: withoutNaN(([v]) => mapNd(v!, ref)) } : {}),
        ...(a?.gradcheck === false ? { gradcheck: false } : {}),
      } satisfies SweepCase;
    },
  };
}

const UNARY: OpGenerator[] = [
  unary({ op: 'abs', dtypes: ['float32', 'int32'], domain: 'nonzero' }),
  unary({ op: 'neg', dtypes: ['float32', 'int32'] }),
  unary({ op: 'exp' }),
  unary({ op: 'log', domain: 'positive' }),
  unary({ op: 'sqrt', domain: 'positive' }),
  unary({ op: 'square', dtypes: ['float32', 'int32'] }),
  unary({ op: 'sin' }),
  unary({ op: 'cos' }),
  unary({ op: 'tanh' }),
  unary({ op: 'sigmoid' }),
  unary({ op: 'relu', dtypes: ['float32', 'int32'], domain: 'nonzero' }),
  unary({ op: 'sign', dtypes: ['float32', 'int32'], grad: false }),
  unary({
    op: 'gelu',
    attrs: (rng) => {
      const approximate = pick(rng, ['none', 'tanh'] as const);
      return { call: (x) => tg.gelu(x, { approximate }), describe: `gelu approximate '${approximate}'`, reference: (v) => geluReference(v, approximate) };
    },
  }),
  unary({
    op: 'leakyRelu',
    domain: 'nonzero',
    attrs: (rng) => {
      const negativeSlope = pick(rng, [0.01, 0.2, 0, -0.5, 1.5]);
      return { call: (x) => tg.leakyRelu(x, { negativeSlope }), describe: `leakyRelu negativeSlope ${negativeSlope}`, reference: (v) => (v > 0 ? v : v * negativeSlope) };
    },
  }),
  unary({
    op: 'clamp',
    dtypes: ['float32', 'int32'],
    attrs: (rng) => {
      const lo = rng() < 0.25 ? null : pick(rng, [-1, -0.5, 0, 1.25]);
      const hi = rng() < 0.25 && lo !== null ? null : pick(rng, [-0.75, 0, 0.5, 2]);
      return {
        call: (x) => tg.clamp(x, lo, hi),
        describe: `clamp min ${lo} max ${hi}`,
        reference: (v) => (Number.isNaN(v) ? v : hi !== null && lo !== null && lo > hi ? hi : Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, v))),
      };
    },
  }),
  unary({
    op: 'pow',
    attrs: (rng) => {
      const e = pick(rng, [2, 3, 0.5, -1, 0, 2.5, -0.5]);
      // integer exponents take any base; fractional ones need a positive base in the smooth cases
      return { call: (x) => tg.pow(x, e), describe: `pow(x, ${e})`, reference: (v) => scalarPow(v, e), gradcheck: Number.isInteger(e) };
    },
  }),
];

// ---------------------------------------------------------------- binary element-wise

type BinaryFn = (a: Tensor | number, b: Tensor | number) => Tensor;

interface BinaryDef {
  op: string;
  dtypes: readonly DType[];
  /** Values of the second operand's smooth cases (default `normal`). */
  second?: SweepValues;
  first?: SweepValues;
  grad?: boolean;
  reference?: (a: number, b: number) => number;
}

function binary(def: BinaryDef): OpGenerator {
  return {
    op: def.op,
    dtypes: def.dtypes,
    generate(rng, dtype) {
      const float = dtype === 'float32';
      const grad = float && def.grad !== false;
      const big = randomShape(rng, { maxRank: 4 });
      const small = broadcastPartner(rng, big);
      const [sa, sb] = rng() < 0.5 ? [big, small] : [small, big];
      const mode = rng();
      const vals = (domain: SweepValues | undefined): SweepValues => (!float ? (dtype === 'bool' ? 'bools' : 'integers') : mode < 0.5 ? (domain ?? 'normal') : mode < 0.75 ? 'special' : 'ties');
      const fn = (tg as unknown as Record<string, BinaryFn>)[def.op]!;
      const ref = def.reference ?? binaryReference[def.op];
      const scalar = rng() < 0.15 ? (float ? pick(rng, [0.5, -2, 0, 3]) : pick(rng, [2, -1, 0])) : null;
      if (scalar !== null && def.op !== 'maximum' && def.op !== 'minimum') {
        const left = rng() < 0.5 && def.op !== 'pow';
        const x: SweepInput = { shape: sa, dtype, layout: randomLayout(rng), values: vals(left ? def.second : def.first), grad };
        return {
          op: def.op,
          inputs: [x],
          call: ([t]) => (left ? fn(scalar, t!) : fn(t!, scalar)),
          tolerance: 'elementwise',
          grad,
          describe: left ? `${def.op}(${scalar}, tensor)` : `${def.op}(tensor, ${scalar})`,
          ...(ref ? { reference: withoutNaN(([v]) => mapNd(v!, (e) => (left ? ref(scalar, e) : def.op === 'pow' ? scalarPow(e, scalar) : ref(e, scalar)))) } : {}),
        } satisfies SweepCase;
      }
      const inputs: SweepInput[] = [
        { shape: sa, dtype, layout: randomLayout(rng), values: vals(def.first), grad },
        { shape: sb, dtype, layout: randomLayout(rng), values: vals(def.second), grad },
      ];
      return {
        op: def.op,
        inputs,
        call: ([a, b]) => fn(a!, b!),
        tolerance: 'elementwise',
        grad,
        describe: `${def.op} ${shapeText(sa)} with ${shapeText(sb)}`,
        ...(ref ? { reference: withoutNaN(([a, b]) => zipNd([a!, b!], ref)) } : {}),
      } satisfies SweepCase;
    },
  };
}

const COMPARE_DTYPES: readonly DType[] = ['float32', 'int32'];
const BINARY: OpGenerator[] = [
  binary({ op: 'add', dtypes: ['float32', 'int32'] }),
  binary({ op: 'sub', dtypes: ['float32', 'int32'] }),
  binary({ op: 'mul', dtypes: ['float32', 'int32'] }),
  binary({ op: 'div', dtypes: ['float32'], second: 'nonzero' }),
  binary({ op: 'pow', dtypes: ['float32'], first: 'positive' }),
  binary({ op: 'maximum', dtypes: ['float32', 'int32'], reference: (a, b) => Math.max(a, b) }),
  binary({ op: 'minimum', dtypes: ['float32', 'int32'], reference: (a, b) => Math.min(a, b) }),
  ...['eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((op) => binary({ op, dtypes: COMPARE_DTYPES, grad: false })),
];

const WHERE: OpGenerator = {
  op: 'where',
  dtypes: ['float32', 'int32'],
  generate(rng, dtype) {
    const float = dtype === 'float32';
    const out = randomShape(rng);
    const shapes = [broadcastPartner(rng, out, false), broadcastPartner(rng, out, false), broadcastPartner(rng, out, false)];
    shapes[randInt(rng, 0, 2)] = out;
    const values: SweepValues = float ? floatValues(rng) : 'integers';
    return {
      op: 'where',
      inputs: [
        { shape: shapes[0]!, dtype: 'bool', layout: randomLayout(rng) },
        { shape: shapes[1]!, dtype, layout: randomLayout(rng), values, grad: float },
        { shape: shapes[2]!, dtype, layout: randomLayout(rng), values, grad: float },
      ],
      call: ([c, a, b]) => tg.where(c!, a!, b!),
      tolerance: 'elementwise',
      grad: float,
      describe: `where ${shapes.map(shapeText).join(' ')}`,
      reference: withoutNaN(([c, a, b]) => zipNd([c!, a!, b!], (k, x, y) => (k ? x : y))),
    };
  },
};

// ---------------------------------------------------------------- reductions

/** A random set of dims of a rank-`rank` tensor (possibly empty = all, when `allowAll`). */
function randomDims(rng: Rng, rank: number): number[] {
  const dims = Array.from({ length: rank }, (_, d) => d).filter(() => rng() < 0.5);
  return dims.map((d) => (rng() < 0.3 ? d - rank : d));
}

function sumLike(op: 'sum' | 'mean'): OpGenerator {
  return {
    op,
    dtypes: op === 'sum' ? ['float32', 'int32', 'bool'] : ['float32'],
    generate(rng, dtype) {
      const float = dtype === 'float32';
      const shape = randomShape(rng);
      const all = rng() < 0.3 || shape.length === 0;
      const dims = all ? [] : randomDims(rng, shape.length);
      const keepdim = rng() < 0.5;
      // dim [] reduces every dim, as in PyTorch
      const reduce = reductionReference[op]!;
      const nd = all || dims.length === 0 ? shape.map((_, d) => d) : dims;
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: float ? floatValues(rng) : undefined, grad: float }],
        call: ([x]) => (all ? tg[op](x!) : tg[op](x!, { dim: dims, keepdim })),
        tolerance: 'reduction',
        grad: float,
        describe: all ? `${op} of everything` : `${op} dim [${dims}] keepdim ${keepdim}`,
        reference: withoutNaN(([x]) => reduceNd(x!, nd, all ? false : keepdim, (v) => (v.length === 0 ? (op === 'sum' ? 0 : NaN) : reduce(v)))),
      };
    },
  };
}

/** A shape with no zero-size dim (reductions that pick an element need one to pick). */
const nonEmptyShape = (rng: Rng, minRank = 0): number[] => randomShape(rng, { minRank, zero: 0 });

function extremum(op: 'max' | 'min'): OpGenerator {
  return {
    op,
    dtypes: ['float32', 'int32'],
    generate(rng, dtype) {
      const float = dtype === 'float32';
      const withDim = rng() < 0.6;
      const shape = withDim ? randomShape(rng) : nonEmptyShape(rng);
      const dim = randomDim(rng, shape.length);
      if (withDim && shape.length) shape[normDim(dim, shape.length)] ||= 1 + randInt(rng, 0, 3);
      const keepdim = rng() < 0.5;
      const pickOne = reductionReference[op]!;
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: float ? pick(rng, ['normal', 'ties', 'special'] as const) : undefined, grad: float }],
        call: ([x]) => (withDim ? tg[op](x!, { dim, keepdim }) : tg[op](x!)),
        tolerance: 'elementwise',
        grad: float,
        describe: withDim ? `${op} dim ${dim} keepdim ${keepdim}` : `${op} of everything`,
        reference: withoutNaN(([x]) => {
          const nd = withDim && x!.shape.length ? [dim] : x!.shape.map((_, d) => d);
          const values = reduceNd(x!, nd, withDim ? keepdim : false, pickOne);
          if (!withDim) return values;
          const idx = reduceNd(x!, nd, keepdim, (v) => v.indexOf(pickOne(v)));
          return [values, idx];
        }),
      };
    },
  };
}

function argExtremum(op: 'argmax' | 'argmin'): OpGenerator {
  return {
    op,
    dtypes: ['float32', 'int32'],
    generate(rng, dtype) {
      const withDim = rng() < 0.6;
      const shape = withDim ? randomShape(rng) : nonEmptyShape(rng);
      const dim = randomDim(rng, shape.length);
      if (withDim && shape.length) shape[normDim(dim, shape.length)] ||= 2;
      const keepdim = rng() < 0.5;
      const pickOne = reductionReference[op === 'argmax' ? 'max' : 'min']!;
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: dtype === 'float32' ? pick(rng, ['normal', 'ties', 'special'] as const) : undefined }],
        call: ([x]) => (withDim ? tg[op](x!, { dim, keepdim }) : tg[op](x!, { keepdim })),
        tolerance: 'elementwise',
        grad: false,
        describe: withDim ? `${op} dim ${dim} keepdim ${keepdim}` : `${op} of everything keepdim ${keepdim}`,
        reference: withoutNaN(([x]) => {
          if (!withDim) {
            const flat = Array.from(x!.data);
            return { shape: keepdim ? x!.shape.map(() => 1) : [], data: Float64Array.of(flat.indexOf(pickOne(flat))) };
          }
          return reduceNd(x!, x!.shape.length ? [dim] : [], keepdim, (v) => v.indexOf(pickOne(v)));
        }),
      };
    },
  };
}

function variance(op: 'std' | 'var'): OpGenerator {
  return {
    op,
    dtypes: ['float32'],
    generate(rng, dtype) {
      const shape = randomShape(rng, { zero: 0.03 });
      const all = rng() < 0.3 || shape.length === 0;
      const dims = all ? [] : randomDims(rng, shape.length);
      const keepdim = rng() < 0.5;
      const correction = pick(rng, [0, 1, 1, 2]);
      const nd = all || dims.length === 0 ? shape.map((_, d) => d) : dims;
      const n = nd.reduce((p, d) => p * shape[normDim(d, shape.length)]!, 1);
      const f = (v: number[]): number => {
        const r = v.length - correction <= 0 ? (v.length === 0 ? NaN : varianceOf(v, 0) === 0 || v.length - correction < 0 ? NaN : Infinity) : varianceOf(v, correction);
        return op === 'std' ? Math.sqrt(r) : r;
      };
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: floatValues(rng), grad: true }],
        call: ([x]) => (op === 'std' ? tg.std : tg.var)(x!, all ? { correction } : { dim: dims, keepdim, correction }),
        tolerance: 'reduction',
        grad: true,
        describe: all ? `${op} of everything correction ${correction}` : `${op} dim [${dims}] keepdim ${keepdim} correction ${correction}`,
        // N - correction <= 0 divides by 0: Inf, or NaN where every deviation is 0 (in float32 the
        // square of a subnormal deviation underflows to 0 where PyTorch's double accumulation keeps it)
        ...(n - correction <= 0 ? { tag: 'zero-divisor' } : {}),
        ...(op === 'std' ? { gradAtTies: false } : {}),
        reference: withoutNaN(([x]) => {
          if ([...x!.data].some((v) => !Number.isFinite(v))) return null;
          return reduceNd(x!, nd, all ? false : keepdim, f);
        }),
      };
    },
  };
}

const NORM: OpGenerator = {
  op: 'norm',
  dtypes: ['float32'],
  generate(rng, dtype) {
    const shape = randomShape(rng, { zero: 0.03 });
    const all = rng() < 0.4 || shape.length === 0;
    const dims = all ? [] : randomDims(rng, shape.length);
    const keepdim = rng() < 0.5;
    const nd = all || dims.length === 0 ? shape.map((_, d) => d) : dims;
    // ±Infinity of an empty reduction into a non-empty result is an error (PyTorch's too)
    const emptyReduction = nd.some((d) => shape[normDim(d, shape.length)] === 0) && !shape.some((s, d) => s === 0 && !nd.map((k) => normDim(k, shape.length)).includes(d));
    const values = floatValues(rng, 'nonzero');
    // |1e18|³ overflows float32 where the float64 reference does not (PyTorch's float32 norm is Inf there too): p = 3 on smooth values only
    const orders = values === 'special' ? ([2, 1, 0.5, 'fro'] as const) : ([2, 1, 3, 0.5, 'fro'] as const);
    const p = pick(rng, emptyReduction ? orders : [...orders, Infinity, -Infinity]);
    const pn = p === 'fro' ? 2 : p;
    const f = (v: number[]): number => {
      const a = v.map(Math.abs);
      if (pn === Infinity) return a.length ? Math.max(...a) : 0;
      if (pn === -Infinity) return a.length ? Math.min(...a) : Infinity;
      return Math.pow(a.reduce((s, x) => s + Math.pow(x, pn), 0), 1 / pn);
    };
    return {
      op: 'norm',
      inputs: [{ shape, dtype, layout: randomLayout(rng), values, grad: true }],
      call: ([x]) => tg.norm(x!, all ? { p } : { p, dim: dims, keepdim }),
      tolerance: 'reduction',
      grad: true,
      describe: all ? `norm p ${p} of everything` : `norm p ${p} dim [${dims}] keepdim ${keepdim}`,
      reference: withoutNaN(([x]) => reduceNd(x!, nd, all ? false : keepdim, f)),
      gradcheck: pn !== Infinity && pn !== -Infinity,
    };
  },
};

function logical(op: 'all' | 'any'): OpGenerator {
  return {
    op,
    dtypes: ['bool', 'float32', 'int32'],
    generate(rng, dtype) {
      const shape = randomShape(rng);
      const withDim = rng() < 0.6 && shape.length > 0;
      const dim = randomDim(rng, shape.length);
      const keepdim = rng() < 0.5;
      const f = op === 'all' ? (v: number[]) => Number(v.every((x) => x !== 0)) : (v: number[]) => Number(v.some((x) => x !== 0));
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: dtype === 'float32' ? 'ties' : undefined }],
        call: ([x]) => (withDim ? tg[op](x!, { dim, keepdim }) : tg[op](x!)),
        tolerance: 'elementwise',
        grad: false,
        describe: withDim ? `${op} dim ${dim} keepdim ${keepdim}` : `${op} of everything`,
        reference: ([x]) => reduceNd(x!, withDim ? [dim] : x!.shape.map((_, d) => d), withDim ? keepdim : false, f),
      };
    },
  };
}

const CUMSUM: OpGenerator = {
  op: 'cumsum',
  dtypes: ['float32', 'int32'],
  generate(rng, dtype) {
    const float = dtype === 'float32';
    const shape = randomShape(rng);
    const dim = randomDim(rng, shape.length);
    return {
      op: 'cumsum',
      inputs: [{ shape, dtype, layout: randomLayout(rng), values: float ? floatValues(rng) : undefined, grad: float }],
      call: ([x]) => tg.cumsum(x!, dim),
      tolerance: 'reduction',
      grad: float,
      describe: `cumsum dim ${dim}`,
      reference: withoutNaN(([x]) =>
        x!.shape.length === 0
          ? x!
          : alongDim(x!, dim, (lane) => {
              let s = 0;
              return lane.map((v) => (s += v));
            }),
      ),
    };
  },
};

function softmaxGen(op: 'softmax' | 'logSoftmax'): OpGenerator {
  return {
    op,
    dtypes: ['float32'],
    generate(rng, dtype) {
      const shape = randomShape(rng);
      const dim = randomDim(rng, shape.length);
      const lane = op === 'softmax' ? softmaxLane : logSoftmaxLane;
      return {
        op,
        inputs: [{ shape, dtype, layout: randomLayout(rng), values: floatValues(rng), grad: true }],
        call: ([x]) => tg[op](x!, dim),
        tolerance: 'reduction',
        grad: true,
        describe: `${op} dim ${dim}`,
        reference: withoutNaN(([x]) => (x!.data.some((v) => !Number.isFinite(v)) ? null : x!.shape.length === 0 ? mapNd(x!, () => (op === 'softmax' ? 1 : 0)) : alongDim(x!, dim, lane))),
      };
    },
  };
}

const REDUCTIONS: OpGenerator[] = [
  sumLike('sum'),
  sumLike('mean'),
  extremum('max'),
  extremum('min'),
  argExtremum('argmax'),
  argExtremum('argmin'),
  variance('std'),
  variance('var'),
  NORM,
  logical('all'),
  logical('any'),
  CUMSUM,
  softmaxGen('softmax'),
  softmaxGen('logSoftmax'),
];

// ---------------------------------------------------------------- shape and view ops

const ALL_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** A case of a shape op: one input of `shape` in any layout, values by dtype, gradient for float32. */
function shapeCase(rng: Rng, op: string, dtype: DType, shape: number[], call: (x: Tensor) => Tensor, describe: string, reference?: (x: Nd) => Nd, layoutOk = true): SweepCase {
  const float = dtype === 'float32';
  return {
    op,
    inputs: [{ shape, dtype, layout: layoutOk ? randomLayout(rng) : 'contiguous', values: float ? floatValues(rng) : undefined, grad: float }],
    call: ([x]) => call(x!),
    tolerance: 'elementwise',
    grad: float,
    describe,
    ...(reference ? { reference: ([x]: Nd[]) => reference(x!) } : {}),
  };
}

/** A random shape with the same number of elements as `shape` (its prime factors regrouped, 1s sprinkled in). */
function regroup(rng: Rng, shape: readonly number[]): number[] {
  if (shape.includes(0)) return pick(rng, [[0], [0, 3], [2, 0], [1, 0, 1]]);
  const factors: number[] = [];
  for (let d of shape) {
    for (let p = 2; d > 1; ) {
      if (d % p === 0) {
        factors.push(p);
        d /= p;
      } else p++;
    }
  }
  for (let i = factors.length - 1; i > 0; i--) {
    const j = randInt(rng, 0, i);
    [factors[i], factors[j]] = [factors[j]!, factors[i]!];
  }
  const out: number[] = [];
  for (const f of factors) {
    if (out.length && rng() < 0.5) out[out.length - 1]! *= f;
    else out.push(f);
  }
  while (rng() < 0.3 && out.length < 5) out.splice(randInt(rng, 0, out.length), 0, 1);
  return out;
}

const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const asIs = (to: number[]) => (x: Nd): Nd => ({ shape: to, data: x.data });

function reshapeLike(op: 'reshape' | 'view'): OpGenerator {
  return {
    op,
    dtypes: ALL_DTYPES,
    generate(rng, dtype) {
      const shape = randomShape(rng);
      const to = regroup(rng, shape);
      const spec = [...to];
      if (to.length && !to.includes(0) && rng() < 0.4) spec[randInt(rng, 0, to.length - 1)] = -1;
      const fn = op === 'reshape' ? tg.reshape : tg.view;
      // view needs strides compatible with the new shape: contiguous (or expanded/sliced only when reshape)
      return shapeCase(rng, op, dtype, shape, (x) => fn(x, spec), `${op} to [${spec}]`, asIs(to), op === 'reshape');
    },
  };
}

const PERMUTE: OpGenerator = {
  op: 'permute',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng);
    const dims = shape.map((_, i) => i);
    for (let i = dims.length - 1; i > 0; i--) {
      const j = randInt(rng, 0, i);
      [dims[i], dims[j]] = [dims[j]!, dims[i]!];
    }
    const spec = dims.map((d) => (rng() < 0.3 ? d - shape.length : d));
    return shapeCase(rng, 'permute', dtype, shape, (x) => tg.permute(x, spec), `permute [${spec}]`, (x) => build(dims.map((d) => x.shape[d]!), (idx) => {
      const src = new Array<number>(dims.length);
      dims.forEach((d, i) => (src[d] = idx[i]!));
      let k = 0;
      for (let d = 0; d < src.length; d++) k = k * x.shape[d]! + src[d]!;
      return x.data[k]!;
    }));
  },
};

const TRANSPOSE: OpGenerator = {
  op: 'transpose',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng);
    const d0 = randomDim(rng, shape.length);
    const d1 = randomDim(rng, shape.length);
    return shapeCase(rng, 'transpose', dtype, shape, (x) => tg.transpose(x, d0, d1), `transpose ${d0} ${d1}`);
  },
};

const EXPAND: OpGenerator = {
  op: 'expand',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng, { maxRank: 3 }).map((d) => (rng() < 0.4 ? 1 : d));
    const lead = Array.from({ length: randInt(rng, 0, 2) }, () => pick(rng, [1, 2, 3, 0]));
    const size = [...lead, ...shape.map((d) => (d === 1 ? pick(rng, [1, 2, 3, 0, -1]) : rng() < 0.3 ? -1 : d))];
    const out = size.map((s, i) => (s === -1 ? shape[i - lead.length]! : s));
    return shapeCase(rng, 'expand', dtype, shape, (x) => tg.expand(x, size), `expand to [${size}]`, (x) => zipNd([x, { shape: out, data: new Float64Array(numel(out)) }], (a) => a));
  },
};

const SQUEEZE: OpGenerator = {
  op: 'squeeze',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng).map((d) => (rng() < 0.3 ? 1 : d));
    const form = shape.length === 0 ? 0 : randInt(rng, 0, 2);
    const dim = randomDim(rng, shape.length);
    const dims = randomDims(rng, shape.length);
    const nd = form === 0 ? shape.map((_, d) => d) : form === 1 ? [normDim(dim, shape.length)] : dims.map((d) => normDim(d, shape.length));
    const out = shape.filter((s, d) => !(s === 1 && nd.includes(d)));
    const call = form === 0 ? (x: Tensor) => tg.squeeze(x) : form === 1 ? (x: Tensor) => tg.squeeze(x, dim) : (x: Tensor) => tg.squeeze(x, dims);
    return shapeCase(rng, 'squeeze', dtype, shape, call, form === 0 ? 'squeeze all' : form === 1 ? `squeeze dim ${dim}` : `squeeze dims [${dims}]`, asIs(out));
  },
};

const UNSQUEEZE: OpGenerator = {
  op: 'unsqueeze',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng);
    const dim = randInt(rng, -shape.length - 1, shape.length);
    const at = dim < 0 ? dim + shape.length + 1 : dim;
    const out = [...shape.slice(0, at), 1, ...shape.slice(at)];
    return shapeCase(rng, 'unsqueeze', dtype, shape, (x) => tg.unsqueeze(x, dim), `unsqueeze dim ${dim}`, asIs(out));
  },
};

const FLATTEN: OpGenerator = {
  op: 'flatten',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng);
    const r = Math.max(1, shape.length);
    const a = randInt(rng, 0, r - 1);
    const b = randInt(rng, a, r - 1);
    const start = rng() < 0.3 ? a - r : a;
    const end = rng() < 0.3 ? b - r : b;
    const out = shape.length === 0 ? [1] : [...shape.slice(0, a), numel(shape.slice(a, b + 1)), ...shape.slice(b + 1)];
    return shapeCase(rng, 'flatten', dtype, shape, (x) => tg.flatten(x, start, end), `flatten ${start} ${end}`, asIs(out));
  },
};

/** Python's slice bounds: `start`, `end` clamped into `[0, size]` after counting negatives from the end. */
function clampIndex(i: number, size: number): number {
  return Math.min(size, Math.max(0, i < 0 ? i + size : i));
}

/** Element of `x` at `idx` in dims `dim` replaced by `map(idx[dim])`. */
function gatherAlong(x: Nd, shape: number[], dim: number, map: (i: number) => number): Nd {
  return build(shape, (idx) => {
    let k = 0;
    for (let d = 0; d < x.shape.length; d++) k = k * x.shape[d]! + (d === dim ? map(idx[d]!) : idx[d]!);
    return x.data[k]!;
  });
}

const NARROW: OpGenerator = {
  op: 'narrow',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng, { minRank: 1 });
    const dim = randomDim(rng, shape.length);
    const size = shape[normDim(dim, shape.length)]!;
    const start = randInt(rng, 0, size);
    const length = randInt(rng, 0, size - start);
    const s = rng() < 0.3 && start < size ? start - size : start;
    const d0 = normDim(dim, shape.length);
    const out = shape.map((v, d) => (d === d0 ? length : v));
    return shapeCase(rng, 'narrow', dtype, shape, (x) => tg.narrow(x, dim, s, length), `narrow dim ${dim} start ${s} length ${length}`, (x) => gatherAlong(x, out, d0, (i) => i + start));
  },
};

const SELECT: OpGenerator = {
  op: 'select',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng, { minRank: 1 });
    const dim = randomDim(rng, shape.length);
    const d0 = normDim(dim, shape.length);
    shape[d0] ||= 2;
    const i = randInt(rng, 0, shape[d0]! - 1);
    const index = rng() < 0.4 ? i - shape[d0]! : i;
    const out = shape.filter((_, d) => d !== d0);
    return shapeCase(rng, 'select', dtype, shape, (x) => tg.select(x, dim, index), `select dim ${dim} index ${index}`, (x) => {
      const kept = gatherAlong(x, shape.map((v, d) => (d === d0 ? 1 : v)), d0, () => i);
      return { shape: out, data: kept.data };
    });
  },
};

const SLICE: OpGenerator = {
  op: 'slice',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng, { minRank: 1 });
    const dim = randomDim(rng, shape.length);
    const d0 = normDim(dim, shape.length);
    const size = shape[d0]!;
    const start = randInt(rng, -size - 2, size + 2);
    const end = randInt(rng, -size - 2, size + 2);
    const step = randInt(rng, 1, 3);
    const a = clampIndex(start, size);
    const b = Math.max(a, clampIndex(end, size));
    const len = Math.ceil((b - a) / step);
    const out = shape.map((v, d) => (d === d0 ? len : v));
    return shapeCase(rng, 'slice', dtype, shape, (x) => tg.slice(x, dim, start, end, step), `slice dim ${dim} ${start}:${end}:${step}`, (x) => gatherAlong(x, out, d0, (i) => a + i * step));
  },
};

const INDEX: OpGenerator = {
  op: 'indexing',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const shape = randomShape(rng, { minRank: 1 });
    const specs: (number | string | null | number[])[] = [];
    let advanced = false;
    for (const size of shape) {
      if (rng() < 0.2) specs.push(null);
      const r = rng();
      if (r < 0.25 && size > 0) specs.push(randInt(rng, -size, size - 1));
      else if (r < 0.35 && size > 0 && !advanced) {
        advanced = true;
        specs.push(Array.from({ length: randInt(rng, 0, 3) }, () => randInt(rng, -size, size - 1)));
      } else if (r < 0.7) {
        const a = randInt(rng, -size - 1, size + 1);
        const b = randInt(rng, -size - 1, size + 1);
        specs.push(`${rng() < 0.3 ? '' : a}:${rng() < 0.3 ? '' : b}${rng() < 0.5 ? `:${randInt(rng, 1, 3)}` : ''}`);
      } else specs.push(':');
    }
    if (rng() < 0.3) specs.splice(randInt(rng, 0, specs.length), specs.length ? 1 : 0, '...');
    const text = specs.map((s) => JSON.stringify(s)).join(', ');
    return shapeCase(rng, 'indexing', dtype, shape, (x) => tg.index(x, ...specs), `index(${text})`);
  },
};

function catLike(op: 'cat' | 'stack'): OpGenerator {
  return {
    op,
    dtypes: ALL_DTYPES,
    generate(rng, dtype) {
      const float = dtype === 'float32';
      const base = randomShape(rng, { minRank: op === 'cat' ? 1 : 0 });
      const n = randInt(rng, 1, 4);
      const rank = base.length + (op === 'stack' ? 1 : 0);
      const dim = randomDim(rng, rank);
      const d0 = normDim(dim, rank);
      const shapes = Array.from({ length: n }, () => (op === 'cat' ? base.map((v, d) => (d === d0 ? pick(rng, [0, 1, 2, 3]) : v)) : [...base]));
      const values: SweepValues | undefined = float ? floatValues(rng) : undefined;
      return {
        op,
        inputs: shapes.map((shape) => ({ shape, dtype, layout: randomLayout(rng), values, grad: float })),
        call: (xs) => (op === 'cat' ? tg.cat(xs, dim) : tg.stack(xs, dim)),
        tolerance: 'elementwise',
        grad: float,
        describe: `${op} of ${n} along dim ${dim}`,
      };
    },
  };
}

function copyLike(op: 'contiguous' | 'clone'): OpGenerator {
  return {
    op,
    dtypes: ALL_DTYPES,
    generate: (rng, dtype) => shapeCase(rng, op, dtype, randomShape(rng), (x) => tg[op](x), op, (x) => x),
  };
}

const TO: OpGenerator = {
  op: 'to',
  dtypes: ALL_DTYPES,
  generate(rng, dtype) {
    const target = pick(rng, ALL_DTYPES.filter((d) => d !== dtype || rng() < 0.2));
    const float = dtype === 'float32';
    // float → int32 of NaN, ±Inf or out-of-range values is undefined in C (and PyTorch): finite small values only
    const values: SweepValues | undefined = float ? (target === 'int32' ? pick(rng, ['normal', 'ties'] as const) : floatValues(rng)) : undefined;
    const grad = float && target === 'float32';
    const shape = randomShape(rng);
    return {
      op: 'to',
      inputs: [{ shape, dtype, layout: randomLayout(rng), values, grad }],
      call: ([x]) => tg.to(x!, target),
      tolerance: 'elementwise',
      grad,
      describe: `to('${target}')`,
      // the float64 reference run rounds to float32 here: finite differences of 1e-6 see the rounding steps
      gradcheck: false,
      reference: withoutNaN(([x]) => mapNd(x!, (v) => (target === 'bool' ? Number(v !== 0) : target === 'int32' ? Math.trunc(v) : v))),
    };
  },
};

const SHAPE_OPS: OpGenerator[] = [
  reshapeLike('reshape'),
  reshapeLike('view'),
  PERMUTE,
  TRANSPOSE,
  EXPAND,
  SQUEEZE,
  UNSQUEEZE,
  FLATTEN,
  NARROW,
  SELECT,
  SLICE,
  INDEX,
  catLike('cat'),
  catLike('stack'),
  copyLike('contiguous'),
  copyLike('clone'),
  TO,
];

// ---------------------------------------------------------------- matmul

const MATMUL: OpGenerator = {
  op: 'matmul',
  dtypes: ['float32'],
  generate(rng, dtype) {
    const m = pick(rng, [1, 2, 3, 5, 0]);
    const k = pick(rng, [1, 2, 4, 7, 0]);
    const n = pick(rng, [1, 3, 4, 0]);
    const batch = randomShape(rng, { maxRank: 2, maxDim: 3 });
    const batchB = broadcastPartner(rng, batch);
    const [ba, bb] = rng() < 0.5 ? [batch, batchB] : [batchB, batch];
    const aVec = rng() < 0.15;
    const bVec = rng() < 0.15;
    const transA = !aVec && rng() < 0.3;
    const transB = !bVec && rng() < 0.3;
    // a transposed operand is made with its last two dims swapped and transposed back in the call
    const sa = aVec ? [k] : [...ba, ...(transA ? [k, m] : [m, k])];
    const sb = bVec ? [k] : [...bb, ...(transB ? [n, k] : [k, n])];
    const values = rng() < 0.7 ? 'normal' : pick(rng, ['special', 'ties'] as const);
    const tr = (t: Tensor, yes: boolean): Tensor => (yes ? tg.transpose(t, -1, -2) : t);
    const trNd = (x: Nd, yes: boolean): Nd => (yes ? build([...x.shape.slice(0, -2), x.shape.at(-1)!, x.shape.at(-2)!], (idx) => {
      const src = [...idx.slice(0, -2), idx.at(-1)!, idx.at(-2)!];
      let q = 0;
      for (let d = 0; d < src.length; d++) q = q * x.shape[d]! + src[d]!;
      return x.data[q]!;
    }) : x);
    return {
      op: 'matmul',
      inputs: [
        { shape: sa, dtype, layout: rng() < 0.3 ? randomLayout(rng) : 'contiguous', values, grad: true },
        { shape: sb, dtype, layout: rng() < 0.3 ? randomLayout(rng) : 'contiguous', values, grad: true },
      ],
      call: ([a, b]) => tg.matmul(tr(a!, transA), tr(b!, transB)),
      tolerance: 'reduction',
      grad: true,
      describe: `matmul ${shapeText(sa)}${transA ? 'ᵀ' : ''} @ ${shapeText(sb)}${transB ? 'ᵀ' : ''}`,
      reference: withoutNaN(([a, b]) => matmulNd(trNd(a!, transA), trNd(b!, transB))),
    };
  },
};

function mmLike(op: 'mm' | 'bmm'): OpGenerator {
  return {
    op,
    dtypes: ['float32'],
    generate(rng, dtype) {
      const [m, k, n] = [pick(rng, [1, 2, 3, 0]), pick(rng, [1, 3, 5, 0]), pick(rng, [1, 2, 4, 0])];
      const lead = op === 'bmm' ? [pick(rng, [1, 2, 3, 0])] : [];
      const values = rng() < 0.7 ? 'normal' : pick(rng, ['special', 'ties'] as const);
      const sa = [...lead, m, k];
      const sb = [...lead, k, n];
      return {
        op,
        inputs: [
          { shape: sa, dtype, layout: randomLayout(rng), values, grad: true },
          { shape: sb, dtype, layout: randomLayout(rng), values, grad: true },
        ],
        call: ([a, b]) => tg[op](a!, b!),
        tolerance: 'reduction',
        grad: true,
        describe: `${op} ${shapeText(sa)} @ ${shapeText(sb)}`,
        reference: withoutNaN(([a, b]) => matmulNd(a!, b!)),
      };
    },
  };
}

const MATMULS: OpGenerator[] = [MATMUL, mmLike('mm'), mmLike('bmm')];

/**
 * The generators of this file: unary and binary element-wise ops (with broadcasting), `where`,
 * reductions over random dims, softmax, shape and view ops, indexing, `to`, and matmul/mm/bmm.
 *
 * @example
 * ```ts
 * import { CORE_GENERATORS } from '@tensorgrad/fuzz';
 * CORE_GENERATORS.map((g) => g.op).includes('softmax'); // true
 * ```
 */
export const CORE_GENERATORS: readonly OpGenerator[] = [...UNARY, ...BINARY, WHERE, ...REDUCTIONS, ...SHAPE_OPS, ...MATMULS];
