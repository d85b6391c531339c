// Every kernel's corner cases (the ones where tfjs's own op differs from PyTorch and the kernel
// composes or patches it: NaN, ties, int32 wrap-around, bool operands, strided and broadcast
// views, groups, dilation, ceilMode, divisors, in-place writes) on both engines, against the
// reference CPU backend, an independent implementation. Forward values and, where the op is
// differentiable, the input gradients through backward().
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { findBackend, fromTypedArray, keep, memory, noGrad, setBackend, tidy, type Tensor } from '@tensorgrad/tensor';
import { kernelTensor, runKernel, wrapResult, type OpAttrs } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';
import '@tensorgrad/autodiff';
import { compareHost } from '@tensorgrad/conformance';

await findBackend('tfjs');
await findBackend('tfjs-wasm');

type Make = (data: readonly number[] | readonly boolean[], shape: readonly number[], dtype?: tg.DType, requiresGrad?: boolean) => Tensor;
interface Case {
  name: string;
  /** Tolerance kind for float results (default elementwise). */
  reduction?: boolean;
  /** Builds the inputs with `make` (on the backend under test) and returns the outputs to compare. */
  run: (make: Make) => Tensor | Tensor[];
  /** Inputs whose `.grad` to compare after `backward()` of the first output with a fixed gradient. */
  grads?: boolean;
}

// a fixed pseudo-random sequence in [-3, 3)
function values(n: number, seed = 1): number[] {
  let s = seed * 2654435761;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x6d2b79f5) | 0;
    return Math.fround(((s >>> 0) / 4294967296) * 6 - 3);
  });
}
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

const cases: Case[] = [
  { name: 'mul int32 wraps', run: (m) => m([123456789, -65537, 2147483647, -2147483648, 46341], [5], 'int32').mul(m([987654321, 65537, 2, -1, 46341], [5], 'int32')) },
  { name: 'square int32 wraps', run: (m) => m([65537, -46341, 3], [3], 'int32').square() },
  { name: 'pow int32 (overflow, negative exponents)', run: (m) => m([3, 2, -1, -1, 1, 2, 0, 7], [8], 'int32').pow(m([2, 31, -3, -2, -5, -1, 0, 13], [8], 'int32')) },
  { name: 'pow float C corners', run: (m) => m([1, -1, -1, 2, -8, 0, -0], [7]).pow(m([NaN, Infinity, -Infinity, 0.5, 1 / 3, -1, 3], [7])) },
  { name: 'pow scalar 0.5, -0.5 and 2', run: (m) => [m([-Infinity, -0, 4, Infinity, -4], [5]).pow(0.5), m([-Infinity, -0, 0, 4, Infinity, -4], [6]).pow(-0.5), m([-Infinity, -3, NaN], [3]).pow(2)] },
  { name: 'add/mul bool', run: (m) => [m([true, true, false, false], [4], 'bool').add(m([true, false, true, false], [4], 'bool')), m([true, true, false, false], [4], 'bool').mul(m([true, false, true, false], [4], 'bool'))] },
  {
    name: 'comparisons with NaN and bools',
    run: (m) => {
      const a = m([1, NaN, 2, -0, Infinity], [5]);
      const b = m([1, NaN, 3, 0, Infinity], [5]);
      const p = m([true, false, true], [3], 'bool');
      const q = m([true, true, false], [3], 'bool');
      return [a.eq(b), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b), p.lt(q), p.eq(q)];
    },
  },
  { name: 'clamp NaN and min > max', run: (m) => [m([-5, NaN, 5, 0.5], [4]).clamp(-1, 1), m([-5, NaN, 5], [3]).clamp(2, 1), m([-5, 7, 3], [3], 'int32').clamp(0, 4)] },
  {
    name: 'max/min/argmax/argmin: NaN, ties, int32, bool, dim null',
    run: (m) => {
      const x = m([1, 3, 3, NaN, 2, NaN, 0, 0, -1, 5, 5, 4], [3, 4]);
      const xi = m([4, 1, 4, 2, 2, 0], [2, 3], 'int32');
      const xb = m([false, true, true, false], [2, 2], 'bool');
      const mx = tg.max(x, { dim: 1 });
      const mn = tg.min(x, { dim: 0, keepdim: true });
      const mi = tg.max(xi, { dim: 1 });
      return [mx.values, mx.indices, mn.values, mn.indices, mi.values, mi.indices, x.argmax(), x.argmin({ dim: 1 }), xi.argmax({ dim: 0 }), tg.max(xb, { dim: 1 }).values, tg.max(x), tg.min(xi)];
    },
  },
  { name: 'softmax/logSoftmax -inf lanes, NaN, dim 0', reduction: true, run: (m) => {
    const x = m([-Infinity, 1, -Infinity, 2, NaN, 3, 0.5, -1, 100, 101, -100, 7], [4, 3]);
    return [x.softmax(0), x.logSoftmax(1), x.permute(1, 0).softmax(1)];
  } },
  { name: 'sum int32 wraps, bool counts', run: (m) => [m([2147483647, 1, 5, 6], [2, 2], 'int32').sum(0), m([true, true, false, true], [2, 2], 'bool').sum(1)] },
  { name: 'to: truncation, wrap, NaN, bool', run: (m) => {
    const x = m([3e9, -2.7, 2.7, NaN, Infinity, -0, 0.5], [7]);
    return [x.int(), x.bool(), m([true, false], [2], 'bool').float(), m([16777217, -3], [2], 'int32').float(), m([0, 3, -1], [3], 'int32').bool()];
  } },
  { name: 'where/maskedFill with bool operands', run: (m) => {
    const c = m([true, false, true, false], [2, 2], 'bool');
    return [tg.where(c, m([true, true, false, false], [2, 2], 'bool'), m([false, true, true, false], [2, 2], 'bool')), tg.where(c, m([1, 2, 3, 4], [2, 2], 'int32'), 9), m([true, true, false, false], [2, 2], 'bool').maskedFill(c, false), m([1, 2, 3, 4], [2, 2]).maskedFill(m([true, false], [2], 'bool'), -7.5)];
  } },
  { name: 'gather on a permuted int32 tensor', run: (m) => {
    const x = m([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 4], 'int32').permute(1, 0); // [4, 3]
    return [tg.gather(x, m([2, 0, 1, 1, 0, 2], [2, 3], 'int32'), { dim: 0 }), tg.gather(x, m([2, 2, 0, 1], [4, 1], 'int32'), { dim: 1 })];
  } },
  { name: 'gather float with grads (repeats)', grads: true, run: (m) => tg.gather(m(values(12), [3, 4], 'float32', true), m([0, 0, 3, 1, 2, 2], [3, 2], 'int32'), { dim: 1 }) },
  { name: 'scatterAdd: duplicates, bool, src larger than index', run: (m) => [
    tg.scatterAdd(m(values(8), [2, 4]), m([0, 0, 3, 1, 1, 1], [2, 3], 'int32'), m(values(12, 2), [3, 4]), { dim: 1 }),
    tg.scatterAdd(m([false, false, true, false], [4], 'bool'), m([1, 1], [2], 'int32'), m([true, false], [2], 'bool'), { dim: 0 }),
    tg.scatterAdd(m([1, 2, 3], [3], 'int32'), m([0, 0, 0], [3], 'int32'), m([5, 6, 7], [3], 'int32'), { dim: 0 }),
  ] },
  { name: 'indexSelect: permuted x, strided index', run: (m) => {
    const x = m(values(24), [2, 3, 4]).permute(2, 0, 1); // [4, 2, 3]
    const idx = m([3, 9, 0, 9, 3, 9], [6], 'int32').slice(0, 0, null, 2); // [3, 0, 3]
    return [tg.indexSelect(x, idx, { dim: 0 }), tg.indexSelect(x, m([2, 0], [2], 'int32'), { dim: 2 })];
  } },
  { name: 'oneHot 2-D', run: (m) => tg.oneHot(m([0, 2, 1, 3, 3, 0], [2, 3], 'int32'), { numClasses: 4 }) },
  { name: 'pad: crop + value, bool, fully cropped', run: (m) => [
    tg.pad(m(values(20), [4, 5]), [-1, 2, 1, -2], { value: 1.5 }),
    tg.pad(m([true, false], [2], 'bool'), [1, 1], { value: 1 }),
    tg.pad(m(values(6), [2, 3]), [-3, 2], { value: -4 }),
  ] },
  { name: 'copy_ into strided views', run: (m) => {
    const a = m(values(12), [3, 4]);
    noGrad(() => a.transpose(0, 1).slice(0, 1, 3).copy_(m([10, 20, 30], [3])));
    const b = m(values(6, 3), [2, 3]);
    noGrad(() => b.select(1, 2).copy_(b.select(1, 0)));
    const c = m([1, 2, 3, 4, 5, 6], [6], 'int32');
    noGrad(() => c.slice(0, 0, null, 2).copy_(m([-1, -2, -3], [3], 'int32')));
    return [a, b, c];
  } },
  { name: 'matmul: transposed operands, broadcast batch, int32 wrap', reduction: true, run: (m) => {
    const a = m(values(24), [2, 3, 4]);
    const w = m(values(20, 4), [5, 4]);
    const bt = m(values(40, 5), [2, 5, 4]).transpose(1, 2);
    return [tg.matmul(a, w.transpose(0, 1)), tg.matmul(a, bt), tg.matmul(a.transpose(1, 2), a), tg.matmul(m([65536, 3, 2, 1], [2, 2], 'int32'), m([65536, 1, 7, 1], [2, 2], 'int32'))];
  } },
  { name: 'matmul grads (vector and batched shapes)', reduction: true, grads: true, run: (m) => tg.matmul(m(values(12), [3, 4], 'float32', true), m(values(4, 2), [4], 'float32', true)) },
  { name: 'gelu exact and tanh at the tails', run: (m) => {
    const x = m([-12, -6, -4, -1e-3, 0, 1e-3, 0.7, 3, 9], [9]);
    return [tg.gelu(x), tg.gelu(x, { approximate: 'tanh' })];
  } },
  { name: 'conv2d groups=2, bias, asymmetric same padding', reduction: true, grads: true, run: (m) =>
    tg.conv2d(m(values(2 * 4 * 6 * 5), [2, 4, 6, 5], 'float32', true), m(values(6 * 2 * 2 * 3, 2), [6, 2, 2, 3], 'float32', true), m(values(6, 3), [6], 'float32', true), { padding: 'same', groups: 2 }) },
  { name: 'conv2d depthwise, stride 2 with dilation 2', reduction: true, grads: true, run: (m) =>
    tg.conv2d(m(values(1 * 3 * 9 * 8), [1, 3, 9, 8], 'float32', true), m(values(6 * 1 * 3 * 2, 5), [6, 1, 3, 2], 'float32', true), null, { stride: 2, dilation: 2, padding: [1, 2], groups: 3 }) },
  { name: 'conv2d stride 3 leaving rows unused, permuted input', reduction: true, grads: true, run: (m) =>
    tg.conv2d(m(values(2 * 7 * 8 * 3), [2, 7, 8, 3], 'float32', true).permute(0, 3, 1, 2), m(values(4 * 3 * 2 * 2, 6), [4, 3, 2, 2], 'float32', true), null, { stride: 3 }) },
  { name: 'convTranspose2d stride 2, output padding, groups', reduction: true, grads: true, run: (m) =>
    tg.convTranspose2d(m(values(2 * 4 * 3 * 3), [2, 4, 3, 3], 'float32', true), m(values(4 * 3 * 3 * 2, 7), [4, 3, 3, 2], 'float32', true), m(values(6, 8), [6], 'float32', true), { stride: 2, padding: 1, outputPadding: 1, groups: 2 }) },
  { name: 'maxPool2d: dilation, ceilMode, padding, NaN, ties', grads: true, run: (m) => {
    const data = values(2 * 2 * 7 * 7).map((v, i) => (i % 17 === 0 ? NaN : i % 5 === 0 ? 1 : v));
    const x = m(data, [2, 2, 7, 7], 'float32', true);
    return [tg.maxPool2d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), tg.maxPool2d(x, 2, { ceilMode: true })];
  } },
  { name: 'pools whose windows tile (kernel ≤ stride), with padding and gaps', reduction: true, grads: true, run: (m) => {
    const data = values(2 * 3 * 9 * 8).map((v, i) => (i % 23 === 0 ? NaN : i % 7 === 0 ? 0.5 : v));
    const x = m(data, [2, 3, 9, 8], 'float32', true);
    const y = m(values(2 * 3 * 9 * 8, 11), [2, 3, 9, 8], 'float32', true);
    return [
      tg.add(tg.maxPool2d(x, 2, { stride: 3, padding: 1 }).sum(), tg.avgPool2d(y, 2, { padding: 1, ceilMode: true }).sum()),
      tg.maxPool2d(x, [2, 3], { stride: [2, 3], ceilMode: true }),
      tg.avgPool2d(y, [3, 2], { stride: [4, 2], padding: [1, 0], countIncludePad: false }),
    ];
  } },
  { name: 'maxPool2d: all -Infinity window, returnIndices', run: (m) => {
    const x = m([-Infinity, -Infinity, -Infinity, -Infinity, 1, 2, 3, 4, 5], [1, 1, 3, 3]);
    // the indices straight from the kernel (the front-end keeps them for backward)
    const backend = tg.getBackend();
    const attrs: OpAttrs['maxPool2d'] = { kernelSize: [2, 2], stride: [1, 1], padding: [1, 1], dilation: [1, 1], ceilMode: false };
    const geometry = { n: 1, c: 1, h: 3, w: 3, oh: 4, ow: 4, kh: 2, kw: 2, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 };
    const ctx = { backend, shape: [1, 1, 4, 4], dtype: 'float32', geometry } as const;
    return runKernel('maxPool2d', 'maxPool2d', ctx, kernelTensor(x), attrs).map((r) => wrapResult(backend, r));
  } },
  { name: 'avgPool2d: ceilMode, countIncludePad false, divisorOverride', reduction: true, grads: true, run: (m) => {
    const x = m(values(2 * 3 * 7 * 6), [2, 3, 7, 6], 'float32', true);
    return [tg.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), tg.avgPool2d(x, [2, 3], { stride: [3, 2], ceilMode: true, divisorOverride: 5 })];
  } },
  // found by the property sweeps (@tensorgrad/fuzz, ops/tfjs)
  { name: 'adaptiveAvgPool2d: Inf and NaN stay in their windows', reduction: true, run: (m) => tg.adaptiveAvgPool2d(m([-88.7, Infinity, 1, 2, NaN, 3, 4, 5, 6, -Infinity, 7, 8], [1, 1, 3, 4]), [3, 2]) },
  { name: 'indexPut leaves its input alone; values get their gradient', grads: true, run: (m) => {
    const x = m([1, -0, 3, 4], [4], 'float32', true);
    const v = m([5, 6], [2], 'float32', true);
    return [tg.indexPut(x, [m([2, 0], [2], 'int32')], v), x.mul(1)];
  } },
  { name: 'oneHot with one class', run: (m) => tg.oneHot(m([0, 0, 0], [3], 'int32'), { numClasses: 1 }) },
  { name: 'maskedFill of an empty input under a broadcast mask', run: (m) => [m([], [0, 1, 1], 'int32').maskedFill(m([true], [1, 1, 1], 'bool'), 1), m([], [2, 0], 'float32').maskedFill(m([true], [1], 'bool'), 2)] },
  { name: 'adaptiveAvgPool2d: uneven windows', reduction: true, grads: true, run: (m) => tg.adaptiveAvgPool2d(m(values(2 * 3 * 7 * 5), [2, 3, 7, 5], 'float32', true), [3, 4]) },
  { name: 'zero-size reductions and products', run: (m) => [m([], [0, 3]).sum(0), m([], [2, 0]).sum(), tg.matmul(m([], [2, 0]), m([], [0, 3])), m([], [0, 3]).softmax(1)] },
  // found by the property sweeps (apps/fuzz): tfjs's max/min over a dim of an empty tensor return one element
  { name: 'zero-size arg/extremum reductions into an empty result', run: (m) => {
    const max = tg.max(m([], [3, 0]), { dim: 0, keepdim: true });
    return [tg.argmin(m([], [3, 0], 'int32'), { dim: 0, keepdim: true }), tg.argmax(m([], [0, 2, 0]), { dim: 1 }), max.values, max.indices, tg.min(m([], [2, 0], 'int32'), { dim: 0 }).indices];
  } },
];

type Out = { shape: readonly number[]; dtype: tg.DType; data: ArrayLike<number> };

async function runCase(c: Case, backend: string): Promise<{ outs: Out[]; grads: Out[] }> {
  await setBackend(backend);
  const made: Tensor[] = [];
  const make: Make = (data, shape, dtype = 'float32', requiresGrad = false) => {
    const nums = (data as readonly (number | boolean)[]).map(Number);
    const array = dtype === 'int32' ? Int32Array.from(nums) : dtype === 'bool' ? Uint8Array.from(nums) : Float32Array.from(nums);
    const t = fromTypedArray(array, shape, { dtype, requiresGrad });
    made.push(keep(t));
    return t;
  };
  const before = memory(backend).numTensors;
  // intermediates (views made on the way) are freed by tidy; inputs and outputs are kept
  const outs = tidy(() => {
    const out = c.run(make);
    return Array.isArray(out) ? out : [out];
  });
  const grads: Out[] = [];
  if (c.grads) {
    const y = outs[0]!;
    const g = fromTypedArray(Float32Array.from(values(size(y.shape), 9)), y.shape);
    y.backward(g);
    g.dispose();
    for (const t of made) if (t.grad) grads.push({ shape: t.grad.shape, dtype: t.grad.dtype, data: t.grad.dataSync() });
  }
  const read = outs.map((t) => ({ shape: t.shape, dtype: t.dtype, data: t.dataSync() }));
  for (const t of new Set([...outs, ...made])) t.dispose();
  for (const t of made) t.grad?.dispose();
  expect(memory(backend).numTensors, `${backend}: tensors left after '${c.name}'`).toBe(before);
  return { outs: read, grads };
}

describe.each(['tfjs', 'tfjs-wasm'])('kernels on %s against the cpu backend', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ref = await runCase(c, 'cpu');
    const got = await runCase(c, backend);
    const tol = c.reduction ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-5, atol: 1e-6 };
    const check = (what: string, a: Out[], e: Out[]): void => {
      expect(a.length, `${what}: number of tensors`).toBe(e.length);
      a.forEach((t, i) => {
        const msg = compareHost(t, e[i]!, tol);
        expect(msg, `${what} ${i}`).toBeNull();
      });
    };
    check('output', got.outs, ref.outs);
    check('grad', got.grads, ref.grads);
    await setBackend('cpu');
  });
});
