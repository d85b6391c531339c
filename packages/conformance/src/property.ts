/**
 * Property checks: each element-wise, broadcasting, reduction, shape, matmul and indexing op on a
 * few seeded random shapes, broadcast operands, strided views (permuted, expanded) and
 * zero-size tensors, against the independent float64 reference of `reference.ts`.
 */
import type { DType, Tensor } from '@tensorgrad/tensor';
import { awayFromZero, choice, uniform, type CheckContext, type Gen, type Layout } from './harness.js';
import {
  alongDim,
  at,
  binaryReference,
  build,
  catNd,
  geluReference,
  logSoftmaxLane,
  matmulNd,
  permuteNd,
  reduceNd,
  reductionReference,
  softmaxLane,
  unaryReference,
  varianceOf,
  zipNd,
  type Nd,
} from './reference.js';

/** One conformance check: an id `<op>/<group>/<variant>`, the op it exercises and its body. */
export interface CheckSpec {
  id: string;
  op: string;
  /** The dtypes it runs in (one test per dtype). */
  dtypes: readonly DType[];
  run(ctx: CheckContext): Promise<void>;
}

const FLOATS: readonly DType[] = ['float32', 'float64'];
const EXACT = { rtol: 0, atol: 0 };

interface InSpec {
  shape: number[];
  layout?: Layout;
}

const UNARY_VARIANTS: Readonly<Record<string, InSpec>> = {
  contiguous: { shape: [3, 4] },
  permuted: { shape: [2, 3, 4], layout: 'permuted' },
  expanded: { shape: [4, 3], layout: 'expanded' },
  'zero-size': { shape: [0, 3] },
  'scalar-0d': { shape: [] },
};

interface UnaryDef {
  op: string;
  gen: Gen;
  ref: (x: number) => number;
  args?: unknown[];
  name?: string;
}

const unaryDefs: UnaryDef[] = [
  ...Object.entries(unaryReference).map(([op, ref]) => ({
    op,
    ref,
    gen: op === 'log' || op === 'sqrt' ? uniform(0.1, 3) : op === 'exp' ? uniform(-5, 5) : uniform(-3, 3),
  })),
  { op: 'leakyRelu', name: 'default', gen: uniform(-3, 3), ref: (x) => (x > 0 ? x : 0.01 * x) },
  { op: 'leakyRelu', name: 'slope0.2', gen: uniform(-3, 3), ref: (x) => (x > 0 ? x : 0.2 * x), args: [{ negativeSlope: 0.2 }] },
  { op: 'gelu', name: 'exact', gen: uniform(-4, 4), ref: (x) => geluReference(x, 'none') },
  { op: 'gelu', name: 'tanh', gen: uniform(-4, 4), ref: (x) => geluReference(x, 'tanh'), args: [{ approximate: 'tanh' }] },
  { op: 'clamp', name: 'min-max', gen: uniform(-2, 2), ref: (x) => Math.min(Math.max(x, -0.5), 0.7), args: [{ min: -0.5, max: 0.7 }] },
  { op: 'clamp', name: 'min-only', gen: uniform(-2, 2), ref: (x) => Math.max(x, 0.25), args: [{ min: 0.25 }] },
];

function unarySpecs(): CheckSpec[] {
  const specs: CheckSpec[] = [];
  for (const d of unaryDefs) {
    for (const [variant, inp] of Object.entries(UNARY_VARIANTS)) {
      specs.push({
        id: `${d.op}/property/${d.name ? `${d.name}-` : ''}${variant}`,
        op: d.op,
        dtypes: FLOATS,
        async run(ctx) {
          const x = ctx.input(inp.shape, { layout: inp.layout, gen: d.gen });
          const out = ctx.call<Tensor>(d.op, x.t, ...(d.args ?? []));
          await ctx.check(out, zipNd([x.ref], d.ref), ctx.dtype, 'elementwise');
        },
      });
    }
  }
  return specs;
}

interface BinaryVariant {
  a: InSpec;
  b: InSpec | number;
}

const BINARY_VARIANTS: Readonly<Record<string, BinaryVariant>> = {
  'same-shape': { a: { shape: [3, 4] }, b: { shape: [3, 4] } },
  'broadcast-rank': { a: { shape: [2, 3, 4] }, b: { shape: [4] } },
  'broadcast-both': { a: { shape: [3, 1] }, b: { shape: [1, 4] } },
  'scalar-0d': { a: { shape: [2, 3] }, b: { shape: [] } },
  'permuted-a': { a: { shape: [3, 4], layout: 'permuted' }, b: { shape: [3, 4] } },
  'expanded-b-permuted-a': { a: { shape: [2, 4, 3], layout: 'permuted' }, b: { shape: [2, 4, 3], layout: 'expanded' } },
  'zero-size': { a: { shape: [0, 3] }, b: { shape: [3] } },
  'number-operand': { a: { shape: [3, 4] }, b: 0.5 },
};

function binaryGens(op: string): [Gen, Gen] {
  if (op === 'pow') return [uniform(0.5, 2), uniform(-2, 2)];
  if (op === 'div') return [uniform(-3, 3), awayFromZero(0.5, 2)];
  if (['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) {
    const g = choice([-1, -0.5, 0, 0.5, 1]);
    return [g, g];
  }
  return [uniform(-3, 3), uniform(-3, 3)];
}

function binarySpecs(): CheckSpec[] {
  const specs: CheckSpec[] = [];
  for (const [op, ref] of Object.entries(binaryReference)) {
    const compare = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op);
    const [ga, gb] = binaryGens(op);
    for (const [variant, v] of Object.entries(BINARY_VARIANTS)) {
      specs.push({
        id: `${op}/property/${variant}`,
        op,
        dtypes: FLOATS,
        async run(ctx) {
          const a = ctx.input(v.a.shape, { layout: v.a.layout, gen: ga });
          const b = typeof v.b === 'number' ? null : ctx.input(v.b.shape, { layout: v.b.layout, gen: gb });
          const bRef: Nd = b ? b.ref : { shape: [], data: Float64Array.of(v.b as number) };
          const out = ctx.call<Tensor>(op, a.t, b ? b.t : v.b);
          await ctx.check(out, zipNd([a.ref, bRef], ref), compare ? 'bool' : ctx.dtype, 'elementwise');
        },
      });
    }
    if (op === 'div' || op === 'pow') continue;
    // integer arithmetic and comparisons are exact
    specs.push({
      id: `${op}/property/int32-broadcast`,
      op,
      dtypes: ['int32'],
      async run(ctx) {
        const g = choice([-3, -1, 0, 1, 2, 5]);
        const a = ctx.input([3, 4], { gen: g, layout: 'permuted' });
        const b = ctx.input([4], { gen: g });
        const out = ctx.call<Tensor>(op, a.t, b.t);
        await ctx.check(out, zipNd([a.ref, b.ref], ref), compare ? 'bool' : 'int32', EXACT);
      },
    });
  }
  return specs;
}

function selectionSpecs(): CheckSpec[] {
  const bool = choice([0, 1]);
  return [
    ...(
      [
        ['same-shape', [3, 4], [3, 4], [3, 4], undefined],
        ['broadcast', [3, 1], [1, 4], [], undefined],
        ['permuted-x', [2, 3, 4], [2, 3, 4], [4], 'permuted'],
      ] as const
    ).map(
      ([variant, cs, xs, ys, layout]): CheckSpec => ({
        id: `where/property/${variant}`,
        op: 'where',
        dtypes: FLOATS,
        async run(ctx) {
          const c = ctx.input(cs, { dtype: 'bool', gen: bool });
          const x = ctx.input(xs, { layout });
          const y = ctx.input(ys);
          const out = ctx.call<Tensor>('where', c.t, x.t, y.t);
          await ctx.check(out, zipNd([c.ref, x.ref, y.ref], (k, a, b) => (k ? a : b)), ctx.dtype, EXACT);
        },
      }),
    ),
    ...(
      [
        ['same-shape', [3, 4], [3, 4], 1.5, undefined],
        ['broadcast-mask', [3, 4], [4], -2, undefined],
        ['permuted-x-neg-inf', [2, 3, 4], [3, 4], -Infinity, 'permuted'],
      ] as const
    ).map(
      ([variant, xs, ms, value, layout]): CheckSpec => ({
        id: `maskedFill/property/${variant}`,
        op: 'maskedFill',
        dtypes: FLOATS,
        async run(ctx) {
          const x = ctx.input(xs, { layout });
          const m = ctx.input(ms, { dtype: 'bool', gen: bool });
          const out = ctx.call<Tensor>('maskedFill', x.t, m.t, { value });
          await ctx.check(out, zipNd([x.ref, m.ref], (a, k) => (k ? value : a)), ctx.dtype, EXACT);
        },
      }),
    ),
  ];
}

interface ReduceVariant {
  shape: number[];
  layout?: Layout;
  dim?: number | number[];
  keepdim?: boolean;
}

const REDUCE_VARIANTS: Readonly<Record<string, ReduceVariant>> = {
  all: { shape: [3, 4, 5] },
  dim1: { shape: [3, 4, 5], dim: 1 },
  'dims-0-2': { shape: [3, 4, 5], dim: [0, 2] },
  'dim-neg1-keepdim': { shape: [3, 4, 5], dim: -1, keepdim: true },
  'permuted-dim1': { shape: [3, 4, 5], layout: 'permuted', dim: 1 },
  'expanded-dim0': { shape: [4, 5], layout: 'expanded', dim: 0 },
  'scalar-0d': { shape: [] },
};

function allDims(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function reductionSpecs(): CheckSpec[] {
  const specs: CheckSpec[] = [];
  for (const op of ['sum', 'mean', 'std', 'var']) {
    const variants: Record<string, ReduceVariant & { unbiased?: boolean }> = { ...REDUCE_VARIANTS };
    if (op === 'sum' || op === 'mean') {
      variants['zero-size-dim0'] = { shape: [0, 3], dim: 0 };
      variants['zero-size-all'] = { shape: [0, 3] };
    } else {
      delete variants['scalar-0d']; // unbiased variance of one element is NaN; covered by golden
      variants['biased-dim0'] = { shape: [4, 5], dim: 0, unbiased: false };
    }
    for (const [variant, v] of Object.entries(variants)) {
      specs.push({
        id: `${op}/property/${variant}`,
        op,
        dtypes: FLOATS,
        async run(ctx) {
          const x = ctx.input(v.shape, { layout: v.layout });
          const opts: Record<string, unknown> = {};
          if (v.dim !== undefined) opts.dim = v.dim;
          if (v.keepdim) opts.keepdim = true;
          if (v.unbiased === false) opts.unbiased = false;
          const out = ctx.call<Tensor>(op, x.t, opts);
          const dims = v.dim === undefined ? allDims(v.shape.length) : typeof v.dim === 'number' ? [v.dim] : v.dim;
          const f = v.unbiased === false ? (vals: number[]) => (op === 'std' ? Math.sqrt(varianceOf(vals, 0)) : varianceOf(vals, 0)) : reductionReference[op]!;
          await ctx.check(out, reduceNd(x.ref, dims, v.keepdim ?? false, f), ctx.dtype, 'reduction');
        },
      });
    }
  }
  const argVariants: Record<string, ReduceVariant & { ties?: boolean }> = {
    all: { shape: [3, 4, 5] },
    dim1: { shape: [3, 4, 5], dim: 1 },
    'dim-neg1-keepdim': { shape: [3, 4, 5], dim: -1, keepdim: true },
    'permuted-dim0': { shape: [4, 5], layout: 'permuted', dim: 0 },
    'ties-dim1': { shape: [4, 6], dim: 1, ties: true },
    'ties-all': { shape: [4, 6], ties: true },
  };
  for (const op of ['max', 'min', 'argmax', 'argmin']) {
    for (const [variant, v] of Object.entries(argVariants)) {
      if (v.ties && (op === 'max' || op === 'min') && v.dim !== undefined) continue; // index of a tie is unspecified for max/min
      specs.push({
        id: `${op}/property/${variant}`,
        op,
        dtypes: FLOATS,
        async run(ctx) {
          const x = ctx.input(v.shape, { layout: v.layout, gen: v.ties ? choice([0, 1, 2]) : uniform(-3, 3) });
          const hasDim = v.dim !== undefined;
          const opts = hasDim ? { dim: v.dim, keepdim: v.keepdim ?? false } : undefined;
          const out = opts ? ctx.call<unknown>(op, x.t, opts) : ctx.call<unknown>(op, x.t);
          const dims = hasDim ? [v.dim as number] : allDims(v.shape.length);
          const keep = v.keepdim ?? false;
          const arg = op.startsWith('arg') ? op : `arg${op}`;
          const idxRef = reduceNd(x.ref, dims, keep, reductionReference[arg]!);
          if (op === 'argmax' || op === 'argmin') {
            await ctx.check(out as Tensor, idxRef, 'int32', EXACT);
          } else if (!hasDim) {
            await ctx.check(out as Tensor, reduceNd(x.ref, dims, false, reductionReference[op]!), ctx.dtype, EXACT);
          } else {
            const r = out as { values: Tensor; indices: Tensor };
            await ctx.check(r.values, reduceNd(x.ref, dims, keep, reductionReference[op]!), ctx.dtype, EXACT, 'values');
            await ctx.check(r.indices, idxRef, 'int32', EXACT, 'indices');
          }
        },
      });
    }
  }
  for (const [op, lane] of [
    ['softmax', softmaxLane],
    ['logSoftmax', logSoftmaxLane],
  ] as const) {
    for (const [variant, v] of Object.entries({
      dim1: { shape: [3, 5], dim: 1 },
      dim0: { shape: [3, 5], dim: 0 },
      'dim-neg1-3d': { shape: [2, 3, 4], dim: -1 },
      'permuted-dim1': { shape: [2, 3, 4], dim: 1, layout: 'permuted' as Layout },
      'large-values': { shape: [2, 4], dim: 1, gen: uniform(-500, 500) },
    } as Record<string, { shape: number[]; dim: number; layout?: Layout; gen?: Gen }>)) {
      specs.push({
        id: `${op}/property/${variant}`,
        op,
        dtypes: FLOATS,
        async run(ctx) {
          const x = ctx.input(v.shape, { layout: v.layout, gen: v.gen });
          const out = ctx.call<Tensor>(op, x.t, { dim: v.dim });
          await ctx.check(out, alongDim(x.ref, v.dim, lane), ctx.dtype, 'reduction');
        },
      });
    }
  }
  return specs;
}

/** A shape-op check: the input, the call, and the reference result (compared exactly). */
interface ShapeDef {
  op: string;
  variant: string;
  inputs: InSpec[];
  call: (ctx: CheckContext, xs: Tensor[]) => Tensor;
  ref: (xs: Nd[]) => Nd;
}

function reshapeRef(x: Nd, shape: number[]): Nd {
  return { shape, data: x.data };
}

const shapeDefs: ShapeDef[] = [
  { op: 'reshape', variant: 'infer', inputs: [{ shape: [3, 4] }], call: (c, [x]) => c.call('reshape', x, { shape: [2, -1, 2] }), ref: ([x]) => reshapeRef(x!, [2, 3, 2]) },
  { op: 'reshape', variant: 'permuted-copy', inputs: [{ shape: [3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('reshape', x, { shape: [12] }), ref: ([x]) => reshapeRef(x!, [12]) },
  { op: 'reshape', variant: 'zero-size', inputs: [{ shape: [0, 3] }], call: (c, [x]) => c.call('reshape', x, { shape: [3, 0] }), ref: ([x]) => reshapeRef(x!, [3, 0]) },
  { op: 'view', variant: 'basic', inputs: [{ shape: [3, 4] }], call: (c, [x]) => c.call('view', x, { shape: [4, -1] }), ref: ([x]) => reshapeRef(x!, [4, 3]) },
  { op: 'flatten', variant: 'permuted-start1', inputs: [{ shape: [2, 3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('flatten', x, { startDim: 1 }), ref: ([x]) => reshapeRef(x!, [2, 12]) },
  { op: 'flatten', variant: 'all', inputs: [{ shape: [2, 3, 4] }], call: (c, [x]) => c.call('flatten', x), ref: ([x]) => reshapeRef(x!, [24]) },
  { op: 'permute', variant: 'basic', inputs: [{ shape: [2, 3, 4] }], call: (c, [x]) => c.call('permute', x, { dims: [2, 0, 1] }), ref: ([x]) => permuteNd(x!, [2, 0, 1]) },
  { op: 'permute', variant: 'of-permuted', inputs: [{ shape: [2, 3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('permute', x, { dims: [-1, 0, -2] }), ref: ([x]) => permuteNd(x!, [2, 0, 1]) },
  { op: 'transpose', variant: 'of-permuted', inputs: [{ shape: [2, 3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('transpose', x, { dim0: 0, dim1: 2 }), ref: ([x]) => permuteNd(x!, [2, 1, 0]) },
  { op: 'squeeze', variant: 'all', inputs: [{ shape: [3, 1, 4, 1] }], call: (c, [x]) => c.call('squeeze', x), ref: ([x]) => reshapeRef(x!, [3, 4]) },
  { op: 'squeeze', variant: 'dim1', inputs: [{ shape: [3, 1, 4, 1] }], call: (c, [x]) => c.call('squeeze', x, { dim: 1 }), ref: ([x]) => reshapeRef(x!, [3, 4, 1]) },
  { op: 'unsqueeze', variant: 'middle', inputs: [{ shape: [3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('unsqueeze', x, { dim: 1 }), ref: ([x]) => reshapeRef(x!, [3, 1, 4]) },
  { op: 'unsqueeze', variant: 'dim-neg1', inputs: [{ shape: [3, 4] }], call: (c, [x]) => c.call('unsqueeze', x, { dim: -1 }), ref: ([x]) => reshapeRef(x!, [3, 4, 1]) },
  {
    op: 'expand',
    variant: 'new-leading-and-size1',
    inputs: [{ shape: [3, 1] }],
    call: (c, [x]) => c.call('expand', x, { size: [2, 3, 4] }),
    ref: ([x]) => build([2, 3, 4], ([, i]) => at(x!, [i!, 0])),
  },
  {
    op: 'select',
    variant: 'permuted-neg-index',
    inputs: [{ shape: [3, 4, 5], layout: 'permuted' }],
    call: (c, [x]) => c.call('select', x, { dim: 1, index: -1 }),
    ref: ([x]) => build([3, 5], ([i, k]) => at(x!, [i!, 3, k!])),
  },
  {
    op: 'narrow',
    variant: 'permuted',
    inputs: [{ shape: [4, 5], layout: 'permuted' }],
    call: (c, [x]) => c.call('narrow', x, { dim: 1, start: 1, length: 3 }),
    ref: ([x]) => build([4, 3], ([i, j]) => at(x!, [i!, j! + 1])),
  },
  {
    op: 'cat',
    variant: 'dim1-mixed-layouts',
    inputs: [{ shape: [3, 2], layout: 'permuted' }, { shape: [3, 4] }, { shape: [3, 1] }],
    call: (c, xs) => c.call('cat', xs, { dim: 1 }),
    ref: (xs) => catNd(xs, 1),
  },
  {
    op: 'cat',
    variant: 'with-zero-size',
    inputs: [{ shape: [2, 3] }, { shape: [0, 3] }, { shape: [1, 3] }],
    call: (c, xs) => c.call('cat', xs, { dim: 0 }),
    ref: (xs) => catNd(xs, 0),
  },
  {
    op: 'stack',
    variant: 'dim1-permuted',
    inputs: [{ shape: [3, 4], layout: 'permuted' }, { shape: [3, 4] }],
    call: (c, xs) => c.call('stack', xs, { dim: 1 }),
    ref: ([a, b]) => build([3, 2, 4], ([i, k, j]) => at(k === 0 ? a! : b!, [i!, j!])),
  },
  { op: 'contiguous', variant: 'permuted', inputs: [{ shape: [3, 4], layout: 'permuted' }], call: (c, [x]) => c.call('contiguous', x), ref: ([x]) => x! },
  { op: 'clone', variant: 'expanded', inputs: [{ shape: [3, 4], layout: 'expanded' }], call: (c, [x]) => c.call('clone', x), ref: ([x]) => x! },
  {
    op: 'pad',
    variant: 'two-dims-value',
    inputs: [{ shape: [2, 3], layout: 'permuted' }],
    call: (c, [x]) => c.call('pad', x, { pad: [1, 2, 0, 1], value: 0.5 }),
    ref: ([x]) => build([3, 6], ([i, j]) => (i! < 2 && j! >= 1 && j! < 4 ? at(x!, [i!, j! - 1]) : 0.5)),
  },
  {
    op: 'pad',
    variant: 'negative-crop',
    inputs: [{ shape: [2, 4] }],
    call: (c, [x]) => c.call('pad', x, { pad: [-1, 1] }),
    ref: ([x]) => build([2, 4], ([i, j]) => (j! < 3 ? at(x!, [i!, j! + 1]) : 0)),
  },
];

function shapeSpecs(): CheckSpec[] {
  return shapeDefs.map((d) => ({
    id: `${d.op}/property/${d.variant}`,
    op: d.op,
    dtypes: FLOATS,
    async run(ctx) {
      const xs = d.inputs.map((s) => ctx.input(s.shape, { layout: s.layout }));
      const out = d.call(ctx, xs.map((x) => x.t));
      await ctx.check(out, d.ref(xs.map((x) => x.ref)), ctx.dtype, EXACT);
    },
  }));
}

const MATMUL_VARIANTS: ReadonlyArray<[string, string, InSpec, InSpec]> = [
  ['matmul', '2d', { shape: [3, 4] }, { shape: [4, 5] }],
  ['matmul', 'batched-broadcast', { shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }],
  ['matmul', 'vec-vec', { shape: [4] }, { shape: [4] }],
  ['matmul', 'mat-vec', { shape: [3, 4], layout: 'permuted' }, { shape: [4] }],
  ['matmul', 'vec-batched', { shape: [4] }, { shape: [2, 4, 3] }],
  ['matmul', 'permuted-a-expanded-b', { shape: [3, 4], layout: 'permuted' }, { shape: [4, 5], layout: 'expanded' }],
  ['matmul', 'zero-inner', { shape: [3, 0] }, { shape: [0, 2] }],
  ['matmul', 'zero-rows', { shape: [0, 4] }, { shape: [4, 2] }],
  ['mm', 'permuted-b', { shape: [3, 4] }, { shape: [4, 5], layout: 'permuted' }],
  ['bmm', 'permuted-a', { shape: [2, 3, 4], layout: 'permuted' }, { shape: [2, 4, 5] }],
];

function matmulSpecs(): CheckSpec[] {
  return MATMUL_VARIANTS.map(([op, variant, a, b]) => ({
    id: `${op}/property/${variant}`,
    op,
    dtypes: FLOATS,
    async run(ctx) {
      const x = ctx.input(a.shape, { layout: a.layout });
      const y = ctx.input(b.shape, { layout: b.layout });
      const out = ctx.call<Tensor>(op, x.t, y.t);
      await ctx.check(out, matmulNd(x.ref, y.ref), ctx.dtype, 'reduction');
    },
  }));
}

// nonzero through its asynchronous form, which every backend has
function nonzeroSpecs(): CheckSpec[] {
  const variants: [string, number[], DType | null, 'permuted' | undefined][] = [
    ['sparse-permuted', [3, 5, 4], null, 'permuted'],
    ['bool-2d', [4, 6], 'bool', undefined],
    ['zero-size', [0, 3], null, undefined],
    ['scalar-0d', [], null, undefined],
  ];
  return variants.map(([variant, shape, dtype, layout]) => ({
    id: `nonzero/property/${variant}`,
    op: 'nonzero',
    dtypes: FLOATS,
    async run(ctx) {
      const x = ctx.input(shape, { layout, dtype: dtype ?? undefined, gen: choice([0, 0, 1.5, -2, 0]) });
      const out = ctx.track(await ctx.call<Promise<Tensor>>('nonzeroAsync', x.t));
      const rows: number[] = [];
      let count = 0;
      build(shape, (idx) => {
        if (at(x.ref, idx) !== 0) {
          rows.push(...idx);
          count++;
        }
        return 0;
      });
      await ctx.check(out, { shape: [count, shape.length], data: Float64Array.from(rows) }, 'int32', EXACT);
    },
  }));
}

function indexingSpecs(): CheckSpec[] {
  return [
    {
      id: 'gather/property/dim1-permuted',
      op: 'gather',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([3, 4], { layout: 'permuted' });
        const idx = ctx.input([3, 5], { dtype: 'int32', gen: choice([0, 1, 2, 3]) });
        const out = ctx.call<Tensor>('gather', x.t, idx.t, { dim: 1 });
        await ctx.check(out, build([3, 5], ([i, j]) => at(x.ref, [i!, at(idx.ref, [i!, j!])])), ctx.dtype, EXACT);
      },
    },
    {
      id: 'indexSelect/property/dim0-permuted',
      op: 'indexSelect',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([3, 4], { layout: 'permuted' });
        const idx = ctx.fromNd({ shape: [4], data: Float64Array.of(2, 0, 2, 1) }, 'int32');
        const out = ctx.call<Tensor>('indexSelect', x.t, idx, { dim: 0 });
        await ctx.check(out, build([4, 4], ([i, j]) => at(x.ref, [[2, 0, 2, 1][i!]!, j!])), ctx.dtype, EXACT);
      },
    },
    ...nonzeroSpecs(),
    {
      id: 'maskedSelect/property/broadcast-permuted',
      op: 'maskedSelect',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([4, 3], { layout: 'permuted' });
        const mask = ctx.input([3], { dtype: 'bool', gen: choice([0, 1]) });
        const out = ctx.track(await ctx.call<Promise<Tensor>>('maskedSelectAsync', x.t, mask.t));
        const picked: number[] = [];
        for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) if (at(mask.ref, [j]) !== 0) picked.push(at(x.ref, [i, j]));
        await ctx.check(out, { shape: [picked.length], data: Float64Array.from(picked) }, ctx.dtype, EXACT);
      },
    },
    {
      id: 'indexPut/property/accumulate-repeated',
      op: 'indexPut',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([5, 3], { layout: 'permuted' });
        const idx = ctx.input([7], { dtype: 'int32', gen: choice([0, 1, 4, -1, -5]) });
        const v = ctx.input([7, 3]);
        const out = ctx.call<Tensor>('indexPut', x.t, [idx.t], v.t, { accumulate: true });
        const ref = build([5, 3], (i) => at(x.ref, i));
        for (let m = 0; m < 7; m++) {
          const row = (at(idx.ref, [m]) + 5) % 5;
          for (let j = 0; j < 3; j++) ref.data[row * 3 + j]! += at(v.ref, [m, j]);
        }
        await ctx.check(out, ref, ctx.dtype, 'reduction');
      },
    },
    {
      id: 'indexPut/property/two-indices-broadcast-value',
      op: 'indexPut',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([3, 4, 2]);
        const i0 = ctx.fromNd({ shape: [2, 1], data: Float64Array.of(2, 0) }, 'int32');
        const i1 = ctx.fromNd({ shape: [3], data: Float64Array.of(3, -4, 1) }, 'int32');
        const v = ctx.input([2]);
        const out = ctx.call<Tensor>('indexPut', x.t, [i0, i1], v.t);
        const ref = build([3, 4, 2], (i) => at(x.ref, i));
        for (const a of [2, 0]) for (const b of [3, 0, 1]) for (let k = 0; k < 2; k++) ref.data[(a * 4 + b) * 2 + k] = at(v.ref, [k]);
        await ctx.check(out, ref, ctx.dtype, EXACT);
      },
    },
    {
      id: 'index/property/separated-index-tensors-permuted',
      op: 'index',
      dtypes: FLOATS,
      async run(ctx) {
        const x = ctx.input([3, 4, 5], { layout: 'permuted' });
        const a = [2, 0, -1];
        const c = [4, 0, 1];
        const ia = ctx.fromNd({ shape: [3], data: Float64Array.from(a) }, 'int32');
        const ic = ctx.fromNd({ shape: [3], data: Float64Array.from(c) }, 'int32');
        // Python x[a, 1:, c]: the index tensors are separated by a slice, so their dim comes first
        const out = ctx.call<Tensor>('index', x.t, ia, '1:', ic);
        await ctx.check(out, build([3, 3], ([k, j]) => at(x.ref, [(a[k!]! + 3) % 3, j! + 1, c[k!]!])), ctx.dtype, EXACT);
      },
    },
    {
      id: 'oneHot/property/2d',
      op: 'oneHot',
      dtypes: ['int32'],
      async run(ctx) {
        const idx = ctx.input([2, 3], { gen: choice([0, 1, 2, 3]) });
        const out = ctx.call<Tensor>('oneHot', idx.t, { numClasses: 5 });
        await ctx.check(out, build([2, 3, 5], ([i, j, k]) => Number(at(idx.ref, [i!, j!]) === k)), 'int32', EXACT);
      },
    },
  ];
}

/**
 * Every property check, in a stable order.
 *
 * @example
 * ```ts
 * import { propertySpecs } from '@tensorgrad/conformance';
 * propertySpecs().some((s) => s.id === 'add/property/broadcast-rank'); // true
 * ```
 */
export function propertySpecs(): CheckSpec[] {
  return [...unarySpecs(), ...binarySpecs(), ...selectionSpecs(), ...reductionSpecs(), ...shapeSpecs(), ...matmulSpecs(), ...indexingSpecs()];
}
