/**
 * `gradcheck` (central finite differences, float64) for every differentiable op in scope, on
 * small random inputs kept away from kinks (0 for abs/relu/sign, clamp bounds, ties of max/min)
 * and inside the domain (positive log/sqrt/pow bases, divisors away from 0).
 */
import { gradcheck } from '@tensorgrad/autodiff';
import type { Tensor } from '@tensorgrad/tensor';
import { awayFromZero, uniform, type CheckContext, type Gen, type Rng } from './harness.js';
import type { CheckSpec } from './property.js';

/** Values drawn by `base` but at least `margin` away from each of `points`. */
function avoiding(points: readonly number[], margin: number, base: Gen): Gen {
  return (rng: Rng) => {
    for (;;) {
      const v = base(rng);
      if (points.every((p) => Math.abs(v - p) >= margin)) return v;
    }
  };
}

interface GradDef {
  op: string;
  variant: string;
  inputs: ReadonlyArray<{ shape: number[]; gen?: Gen }>;
  /** Builds the function under test; constants (indices, masks) come from `ctx` and are disposed with it. */
  fn: (ctx: CheckContext) => (...xs: Tensor[]) => Tensor;
}

const u = uniform(-2, 2);
const pos = uniform(0.2, 3);
const nz = awayFromZero(0.1, 2);

/** A function calling the free function `op` with the inputs then `extra` arguments. */
function direct(op: string, ...extra: unknown[]): GradDef['fn'] {
  return (ctx) =>
    (...xs) =>
      (ctx.ops[op] as (...a: unknown[]) => Tensor)(...xs, ...extra);
}

function unary(op: string, gen: Gen, variant = 'basic', ...extra: unknown[]): GradDef {
  return { op, variant, inputs: [{ shape: [2, 3], gen }], fn: direct(op, ...extra) };
}

const gradDefs: GradDef[] = [
  unary('neg', u),
  unary('abs', nz),
  unary('exp', u),
  unary('log', pos),
  unary('sqrt', pos),
  unary('square', u),
  unary('sin', u),
  unary('cos', u),
  unary('tanh', u),
  unary('sigmoid', u),
  unary('relu', nz),
  // sign is registered non-differentiable (its gradient is zero wherever it exists)
  unary('leakyRelu', nz, 'slope0.2', { negativeSlope: 0.2 }),
  unary('gelu', u, 'exact'),
  unary('gelu', u, 'tanh', { approximate: 'tanh' }),
  unary('clamp', avoiding([-0.5, 0.5], 0.05, u), 'min-max', { min: -0.5, max: 0.5 }),
  ...['add', 'sub', 'mul'].flatMap((op): GradDef[] => [
    { op, variant: 'broadcast', inputs: [{ shape: [2, 3] }, { shape: [3] }], fn: direct(op) },
    { op, variant: 'number-operand', inputs: [{ shape: [2, 3] }], fn: direct(op, 1.5) },
  ]),
  { op: 'div', variant: 'broadcast', inputs: [{ shape: [2, 3], gen: u }, { shape: [2, 1], gen: awayFromZero(0.5, 2) }], fn: direct('div') },
  { op: 'div', variant: 'number-numerator', inputs: [{ shape: [2, 3], gen: awayFromZero(0.5, 2) }], fn: (ctx) => (x) => (ctx.ops.div as (a: unknown, b: unknown) => Tensor)(2, x) },
  { op: 'pow', variant: 'tensor-exponent', inputs: [{ shape: [2, 3], gen: uniform(0.5, 2) }, { shape: [3], gen: uniform(-2, 2) }], fn: direct('pow') },
  { op: 'pow', variant: 'scalar-2.5', inputs: [{ shape: [2, 3], gen: uniform(0.5, 2) }], fn: direct('pow', 2.5) },
  { op: 'sum', variant: 'all', inputs: [{ shape: [2, 3] }], fn: direct('sum') },
  { op: 'sum', variant: 'dim1-keepdim', inputs: [{ shape: [2, 3] }], fn: direct('sum', { dim: 1, keepdim: true }) },
  { op: 'mean', variant: 'dim0', inputs: [{ shape: [2, 3] }], fn: direct('mean', { dim: 0 }) },
  { op: 'mean', variant: 'all', inputs: [{ shape: [2, 3] }], fn: direct('mean') },
  { op: 'std', variant: 'dim1', inputs: [{ shape: [2, 3] }], fn: direct('std', { dim: 1 }) },
  { op: 'var', variant: 'all-biased', inputs: [{ shape: [2, 3] }], fn: direct('var', { unbiased: false }) },
  { op: 'var', variant: 'dim0-keepdim', inputs: [{ shape: [3, 2] }], fn: direct('var', { dim: 0, keepdim: true }) },
  { op: 'max', variant: 'all', inputs: [{ shape: [2, 3] }], fn: direct('max') },
  { op: 'max', variant: 'dim1', inputs: [{ shape: [2, 3] }], fn: (ctx) => (x) => (ctx.ops.max as (x: Tensor, o: object) => { values: Tensor }).call(null, x, { dim: 1 }).values },
  { op: 'min', variant: 'dim0-keepdim', inputs: [{ shape: [2, 3] }], fn: (ctx) => (x) => (ctx.ops.min as (x: Tensor, o: object) => { values: Tensor }).call(null, x, { dim: 0, keepdim: true }).values },
  { op: 'softmax', variant: 'dim1', inputs: [{ shape: [2, 3] }], fn: direct('softmax', { dim: 1 }) },
  { op: 'logSoftmax', variant: 'dim0', inputs: [{ shape: [2, 3] }], fn: direct('logSoftmax', { dim: 0 }) },
  { op: 'matmul', variant: '2d', inputs: [{ shape: [2, 3] }, { shape: [3, 2] }], fn: direct('matmul') },
  { op: 'matmul', variant: 'batched-broadcast', inputs: [{ shape: [2, 1, 2, 3] }, { shape: [2, 3, 2] }], fn: direct('matmul') },
  { op: 'matmul', variant: 'vec-vec', inputs: [{ shape: [3] }, { shape: [3] }], fn: direct('matmul') },
  { op: 'matmul', variant: 'mat-vec', inputs: [{ shape: [2, 3] }, { shape: [3] }], fn: direct('matmul') },
  { op: 'matmul', variant: 'vec-batched', inputs: [{ shape: [3] }, { shape: [2, 3, 2] }], fn: direct('matmul') },
  { op: 'mm', variant: 'basic', inputs: [{ shape: [2, 3] }, { shape: [3, 2] }], fn: direct('mm') },
  { op: 'bmm', variant: 'basic', inputs: [{ shape: [2, 2, 3] }, { shape: [2, 3, 2] }], fn: direct('bmm') },
  { op: 'reshape', variant: 'infer', inputs: [{ shape: [2, 3] }], fn: direct('reshape', { shape: [3, -1] }) },
  { op: 'view', variant: 'basic', inputs: [{ shape: [2, 3] }], fn: direct('view', { shape: [6] }) },
  { op: 'flatten', variant: 'start1', inputs: [{ shape: [2, 2, 2] }], fn: direct('flatten', { startDim: 1 }) },
  { op: 'permute', variant: 'basic', inputs: [{ shape: [2, 3, 2] }], fn: direct('permute', { dims: [2, 0, 1] }) },
  { op: 'transpose', variant: 'basic', inputs: [{ shape: [2, 3] }], fn: direct('transpose', { dim0: 0, dim1: 1 }) },
  { op: 'squeeze', variant: 'all', inputs: [{ shape: [2, 1, 3] }], fn: direct('squeeze') },
  { op: 'unsqueeze', variant: 'dim1', inputs: [{ shape: [2, 3] }], fn: direct('unsqueeze', { dim: 1 }) },
  { op: 'expand', variant: 'size1-and-leading', inputs: [{ shape: [2, 1] }], fn: direct('expand', { size: [2, 2, 3] }) },
  { op: 'select', variant: 'dim1', inputs: [{ shape: [2, 3] }], fn: direct('select', { dim: 1, index: -1 }) },
  { op: 'narrow', variant: 'dim1', inputs: [{ shape: [2, 4] }], fn: direct('narrow', { dim: 1, start: 1, length: 2 }) },
  { op: 'cat', variant: 'dim1', inputs: [{ shape: [2, 1] }, { shape: [2, 2] }], fn: (ctx) => (...xs) => (ctx.ops.cat as (l: Tensor[], o: object) => Tensor)(xs, { dim: 1 }) },
  { op: 'stack', variant: 'dim0', inputs: [{ shape: [2, 2] }, { shape: [2, 2] }], fn: (ctx) => (...xs) => (ctx.ops.stack as (l: Tensor[], o: object) => Tensor)(xs, { dim: 0 }) },
  {
    op: 'contiguous',
    variant: 'of-transposed',
    inputs: [{ shape: [2, 3] }],
    fn: (ctx) => (x) => (ctx.ops.contiguous as (t: Tensor) => Tensor)((ctx.ops.transpose as (t: Tensor, a: number, b: number) => Tensor)(x, 0, 1)),
  },
  { op: 'clone', variant: 'basic', inputs: [{ shape: [2, 3] }], fn: direct('clone') },
  { op: 'pad', variant: 'value', inputs: [{ shape: [2, 3] }], fn: direct('pad', { pad: [1, 0, 0, 1], value: 0.5 }) },
  {
    op: 'where',
    variant: 'broadcast',
    inputs: [{ shape: [2, 3] }, { shape: [3] }],
    fn: (ctx) => {
      const cond = ctx.fromNd({ shape: [2, 3], data: Float64Array.of(1, 0, 1, 0, 0, 1) }, 'bool');
      return (x, y) => (ctx.ops.where as (c: Tensor, a: Tensor, b: Tensor) => Tensor)(cond, x!, y!);
    },
  },
  {
    op: 'maskedFill',
    variant: 'broadcast-mask',
    inputs: [{ shape: [2, 3] }],
    fn: (ctx) => {
      const mask = ctx.fromNd({ shape: [3], data: Float64Array.of(1, 0, 1) }, 'bool');
      return (x) => (ctx.ops.maskedFill as (a: Tensor, m: Tensor, o: object) => Tensor)(x!, mask, { value: 2 });
    },
  },
  {
    op: 'gather',
    variant: 'dim1-repeats',
    inputs: [{ shape: [2, 3] }],
    fn: (ctx) => {
      const index = ctx.fromNd({ shape: [2, 4], data: Float64Array.of(0, 2, 2, 1, 1, 1, 0, 2) }, 'int32');
      return (x) => (ctx.ops.gather as (a: Tensor, i: Tensor, o: object) => Tensor)(x!, index, { dim: 1 });
    },
  },
  {
    op: 'indexSelect',
    variant: 'dim0-repeats',
    inputs: [{ shape: [3, 2] }],
    fn: (ctx) => {
      const index = ctx.fromNd({ shape: [4], data: Float64Array.of(2, 0, 2, 1) }, 'int32');
      return (x) => (ctx.ops.indexSelect as (a: Tensor, i: Tensor, o: object) => Tensor)(x!, index, { dim: 0 });
    },
  },
  {
    op: 'maskedSelect',
    variant: 'broadcast-mask',
    inputs: [{ shape: [2, 3] }],
    fn: (ctx) => {
      const mask = ctx.fromNd({ shape: [3], data: Float64Array.of(1, 0, 1) }, 'bool');
      return (x) => (ctx.ops.maskedSelect as (a: Tensor, m: Tensor) => Tensor)(x!, mask);
    },
  },
  {
    op: 'indexPut',
    variant: 'accumulate-repeats',
    inputs: [{ shape: [3, 2] }, { shape: [4, 2] }],
    fn: (ctx) => {
      const index = ctx.fromNd({ shape: [4], data: Float64Array.of(2, 0, 2, -3) }, 'int32');
      return (x, v) => (ctx.ops.indexPut as (a: Tensor, i: Tensor[], v: Tensor, o: object) => Tensor)(x!, [index], v!, { accumulate: true });
    },
  },
  {
    op: 'indexPut',
    variant: 'put',
    inputs: [{ shape: [3, 2] }, { shape: [2] }],
    fn: (ctx) => {
      const index = ctx.fromNd({ shape: [2], data: Float64Array.of(2, 0) }, 'int32');
      return (x, v) => (ctx.ops.indexPut as (a: Tensor, i: Tensor[], v: Tensor, o: object) => Tensor)(x!, [index], v!, {});
    },
  },
  {
    op: 'index',
    variant: 'slice-and-tensor',
    inputs: [{ shape: [3, 4] }],
    fn: (ctx) => {
      const index = ctx.fromNd({ shape: [3], data: Float64Array.of(3, 0, 3) }, 'int32');
      return (x) => (ctx.ops.index as (a: Tensor, ...s: unknown[]) => Tensor)(x!, '1:', index);
    },
  },
  // Vision I (ops-max): random inputs almost never tie (maximum/minimum, norm Infinity)
  { op: 'maximum', variant: 'broadcast', inputs: [{ shape: [2, 3] }, { shape: [3] }], fn: direct('maximum') },
  { op: 'minimum', variant: 'broadcast', inputs: [{ shape: [2, 1] }, { shape: [2, 3] }], fn: direct('minimum') },
  { op: 'norm', variant: 'p2-all', inputs: [{ shape: [2, 3] }], fn: direct('norm') },
  { op: 'norm', variant: 'p1-dim1', inputs: [{ shape: [2, 3], gen: nz }], fn: direct('norm', { p: 1, dim: 1 }) },
  { op: 'norm', variant: 'pinf-dim0-keepdim', inputs: [{ shape: [2, 3], gen: nz }], fn: direct('norm', { p: Infinity, dim: 0, keepdim: true }) },
  { op: 'norm', variant: 'p3-dims', inputs: [{ shape: [2, 3, 2], gen: nz }], fn: direct('norm', { p: 3, dim: [0, 2] }) },
  { op: 'norm', variant: 'p0.5', inputs: [{ shape: [2, 3], gen: nz }], fn: direct('norm', { p: 0.5, dim: 1 }) },
  {
    op: 'maxUnpool2d',
    variant: 'k2',
    inputs: [{ shape: [1, 2, 2, 2] }],
    fn: (ctx) => {
      const indices = ctx.fromNd({ shape: [1, 2, 2, 2], data: Float64Array.of(0, 3, 9, 14, 5, 2, 13, 15) }, 'int32');
      return (x) => (ctx.ops.maxUnpool2d as (a: Tensor, i: Tensor, o: object) => Tensor)(x!, indices, { kernelSize: 2 });
    },
  },
  // sorting and scans (Vision I): random inputs have no ties
  { op: 'sort', variant: 'dim0-desc', inputs: [{ shape: [3, 4] }], fn: (ctx) => (x) => (ctx.ops.sort as (x: Tensor, o: object) => { values: Tensor }).call(null, x!, { dim: 0, descending: true }).values },
  { op: 'topk', variant: 'k2-smallest', inputs: [{ shape: [2, 5] }], fn: (ctx) => (x) => (ctx.ops.topk as (x: Tensor, k: number, o: object) => { values: Tensor }).call(null, x!, 2, { largest: false }).values },
  { op: 'cumsum', variant: 'dim1', inputs: [{ shape: [2, 3, 4] }], fn: direct('cumsum', { dim: 1 }) },
];

/**
 * One float64 `gradcheck` per differentiable op variant.
 *
 * @example
 * ```ts
 * import { gradcheckSpecs } from '@tensorgrad/conformance';
 * gradcheckSpecs().some((s) => s.id === 'matmul/gradcheck/2d'); // true
 * ```
 */
export function gradcheckSpecs(): CheckSpec[] {
  return gradDefs.map((d) => ({
    id: `${d.op}/gradcheck/${d.variant}`,
    op: d.op,
    dtypes: ['float64'],
    async run(ctx) {
      const xs = d.inputs.map((s) => ctx.input(s.shape, { gen: s.gen ?? u, dtype: 'float64' }).t);
      gradcheck(d.fn(ctx), xs);
    },
  }));
}
