// The pooling, softmax, indexing and Adam kernels against the CPU backend's (themselves checked
// against PyTorch by the conformance suite), on the paths the conformance cases do not reach:
// strided and broadcast inputs, NaN/±Infinity, ceil mode and divisor rules, long softmax lanes,
// repeated scatter indices, int32/bool data, dispatch grids past the per-dimension limit, and the
// fused Adam update against the op-by-op one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { findBackend, type Backend, type DType, type Tensor } from '@tensorgrad/tensor';
import { contiguousStrides, fromArray, kernelTensor, poolOutSize, runKernel, wrapResult, type OpAttrs } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
// the first use of each program compiles it (seconds on lavapipe, more on a loaded machine)
const COMPILE_TIMEOUT = 180_000;
const cpu = await findBackend('cpu');

/** Creates tensors on one backend and disposes them all at the end of a case. */
class Maker {
  readonly made: Tensor[] = [];
  constructor(readonly be: Backend) {}
  keep<T extends Tensor>(t: T): T {
    this.made.push(t);
    return t;
  }
  /** `data` (row-major for `shape`) as a tensor; `permuted` stores it with reversed dims and returns the permuted view. */
  t(data: ArrayLike<number>, shape: number[], dtype: DType = 'float32', permuted = false): Tensor {
    const arr = dtype === 'float32' ? Float32Array.from(data) : dtype === 'int32' ? Int32Array.from(data) : Uint8Array.from(data);
    if (!permuted) return this.keep(fromArray(this.be, arr, shape, dtype));
    const rev = [...shape].reverse();
    const stored = new (arr.constructor as new (n: number) => typeof arr)(arr.length);
    const n = shape.length;
    const strides = contiguousStrides(shape);
    const revStrides = contiguousStrides(rev);
    for (let i = 0; i < arr.length; i++) {
      let rem = i;
      let o = 0;
      for (let d = 0; d < n; d++) {
        const c = Math.floor(rem / strides[d]!);
        rem -= c * strides[d]!;
        o += c * revStrides[n - 1 - d]!;
      }
      stored[o] = arr[i]!;
    }
    const base = this.keep(fromArray(this.be, stored, rev, dtype));
    return this.keep(base.permute(rev.map((_, d) => n - 1 - d)));
  }
  dispose(): void {
    for (const t of this.made) t.dispose();
    this.made.length = 0;
  }
}

function random(n: number, seed: number, lo = -2, hi = 2): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

function ints(n: number, seed: number, hi: number): number[] {
  return random(n, seed, 0, hi).map(Math.floor);
}

async function expectSame(actual: Tensor, expected: Tensor, label: string, rtol = 1e-5): Promise<void> {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(expected.dtype);
  const a = await actual.data();
  const e = await expected.data();
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= 1e-6 + rtol * Math.abs(y);
    if (!ok) throw new Error(`${label}: element ${i} is ${x}, expected ${y} (shape ${JSON.stringify(expected.shape)})`);
  }
}

/** Runs `f` on webgpu and on cpu with the same inputs and compares every returned tensor. */
async function same(label: string, f: (m: Maker, be: Backend) => Tensor[], rtol?: number): Promise<void> {
  const g = new Maker(gpu.backend!);
  const c = new Maker(cpu);
  const before = tg.memory('webgpu').numTensors;
  try {
    const got = f(g, g.be).map((t) => g.keep(t));
    const want = f(c, c.be).map((t) => c.keep(t));
    for (let i = 0; i < got.length; i++) await expectSame(got[i]!, want[i]!, `${label} [${i}]`, rtol);
  } finally {
    g.dispose();
    c.dispose();
  }
  expect(tg.memory('webgpu').numTensors, `${label}: tensors leaked`).toBe(before);
}

/** The `maxPool2d` kernel of `be`, called as the front-end calls it (with the window geometry in `ctx`). */
function maxPoolBoth(be: Backend, x: Tensor, attrs: OpAttrs['maxPool2d']): Tensor[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const { kernelSize: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw], ceilMode } = attrs;
  const oh = poolOutSize(h, kh, sh, ph, dh, ceilMode);
  const ow = poolOutSize(w, kw, sw, pw, dw, ceilMode);
  const geometry = { n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw };
  const [v, i] = runKernel('maxPool2d', 'maxPool2d', { backend: be, shape: [n, c, oh, ow], dtype: x.dtype, geometry }, kernelTensor(x), attrs);
  return [wrapResult(be, v), wrapResult(be, i)];
}

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

describe('webgpu NN and indexing kernels vs cpu', () => {
  if (!gpu.backend) {
    it.skip(`no WebGPU adapter: ${gpu.reason}`, () => {});
    return;
  }
  const b = gpu.backend;

  describe('pooling', () => {
    it('maxPool2d: values and plane indices with NaN, -Infinity, dilation, ceil mode, channels-last input', async () => {
      const data = random(2 * 3 * 9 * 8, 1);
      data[5] = NAN;
      data[40] = NAN;
      data[41] = -INF;
      for (let i = 72; i < 144; i++) data[i] = -INF; // a whole -Infinity plane
      data[100] = INF;
      await same('maxPool2d', (m, be) =>
        maxPoolBoth(be, m.t(data, [2, 3, 9, 8], 'float32', true), { kernelSize: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2], ceilMode: true }),
      );
      await same('maxPool2d k2', (m, be) => maxPoolBoth(be, m.t(data, [2, 3, 9, 8]), { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false }));
      // ties: the first maximum wins
      const ties = ints(1 * 2 * 6 * 6, 2, 3);
      await same('maxPool2d ties', (m, be) => maxPoolBoth(be, m.t(ties, [1, 2, 6, 6]), { kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], ceilMode: false }));
    }, COMPILE_TIMEOUT);

    it('avgPool2d and its backward: ceil mode, countIncludePad, divisorOverride, strided and broadcast inputs', async () => {
      const data = random(2 * 2 * 7 * 6, 3);
      for (const [k, opts] of [
        [3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
        [3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: true }],
        [[2, 3], { stride: [1, 2], padding: [1, 0], divisorOverride: 5 }],
      ] as const) {
        await same(`avgPool2d ${JSON.stringify(opts)}`, (m) => [tg.avgPool2d(m.t(data, [2, 2, 7, 6], 'float32', true), k as never, opts as never)]);
        await same(`avgPool2dBackward ${JSON.stringify(opts)}`, (m) => {
          const y = tg.avgPool2d(m.t(data, [2, 2, 7, 6]), k as never, opts as never);
          const g = m.keep(m.t(random(y.shape[3]!, 4), [1, 1, 1, y.shape[3]!]).expand(y.shape));
          y.dispose();
          return [tg.avgPool2dBackward(g, [2, 2, 7, 6], { kernelSize: k as never, ...(opts as object) })];
        });
      }
    }, COMPILE_TIMEOUT);

    it('adaptiveAvgPool2d and its backward: windows that overlap and do not divide the input', async () => {
      const data = random(2 * 3 * 7 * 5, 5);
      await same('adaptiveAvgPool2d', (m) => [tg.adaptiveAvgPool2d(m.t(data, [2, 3, 7, 5], 'float32', true), [3, 4])]);
      await same('adaptiveAvgPool2dBackward', (m) => [
        tg.adaptiveAvgPool2dBackward(m.keep(m.t(random(4, 6), [1, 1, 1, 4]).expand([2, 3, 3, 4])), [2, 3, 7, 5]),
      ]);
      await same('adaptiveAvgPool2dBackward (upsampling)', (m) => [tg.adaptiveAvgPool2dBackward(m.t(random(2 * 3 * 5 * 6, 7), [2, 3, 5, 6]), [2, 3, 3, 4])]);
    }, COMPILE_TIMEOUT);
  });

  describe('softmax', () => {
    it('long lanes (a workgroup per lane) with -Infinity elements, all -Infinity, NaN and +Infinity lanes', async () => {
      const data = random(5 * 300, 8, -30, 30);
      data[3] = -INF;
      for (let i = 300; i < 600; i++) data[i] = -INF;
      data[700] = NAN;
      data[1000] = INF;
      for (const op of ['softmax', 'logSoftmax'] as const) {
        await same(`${op} rows`, (m) => [tg[op](m.t(data, [5, 300]), 1)], 1e-4);
        await same(`${op} permuted`, (m) => [tg[op](m.t(data, [300, 5], 'float32', true), 0)], 1e-4);
      }
    }, COMPILE_TIMEOUT);

    it('short lanes (a thread per lane) along every dim of a strided 3-d tensor', async () => {
      const data = random(4 * 5 * 6, 9, -5, 5);
      data[7] = -INF;
      for (const op of ['softmax', 'logSoftmax'] as const) {
        for (const dim of [0, 1, 2, -1]) {
          await same(`${op} dim ${dim}`, (m) => [tg[op](m.t(data, [4, 5, 6], 'float32', true), dim)]);
        }
      }
    }, COMPILE_TIMEOUT);
  });

  describe('indexing', () => {
    it('gather and indexSelect: every dtype, strided inputs and indices', async () => {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const data = dtype === 'float32' ? random(4 * 5 * 3, 10) : ints(4 * 5 * 3, 10, dtype === 'bool' ? 2 : 100);
        await same(`gather ${dtype}`, (m) => [tg.gather(m.t(data, [4, 5, 3], dtype, true), m.t(ints(4 * 7 * 3, 11, 5), [4, 7, 3], 'int32', true), { dim: 1 })]);
        await same(`gather ${dtype} dim 0`, (m) => [tg.gather(m.t(data, [4, 5, 3], dtype), m.t(ints(2 * 5 * 3, 12, 4), [2, 5, 3], 'int32'), { dim: 0 })]);
        await same(`indexSelect ${dtype}`, (m) => {
          const idx2 = m.t(ints(6 * 2, 13, 5), [6, 2], 'int32');
          const col = m.keep(idx2.select(1, 1)); // a 1-d index with stride 2
          return [tg.indexSelect(m.t(data, [4, 5, 3], dtype, true), col, { dim: 1 })];
        });
      }
    }, COMPILE_TIMEOUT);

    it('scatterAdd: repeated indices, exact int32 sums, bool, strided sources', async () => {
      const idx = ints(3 * 8, 14, 4); // lots of repeats into 4 slots
      await same('scatterAdd float32', (m) => [tg.scatterAdd(m.t(random(3 * 4, 15), [3, 4]), m.t(idx, [3, 8], 'int32'), m.t(random(8 * 3, 16), [3, 8], 'float32', true), { dim: 1 })], 1e-5);
      await same('scatterAdd int32', (m) => [tg.scatterAdd(m.t(ints(3 * 4, 17, 50), [3, 4], 'int32'), m.t(idx, [3, 8], 'int32'), m.t(ints(3 * 8, 18, 1000), [3, 8], 'int32'), { dim: 1 })]);
      await same('scatterAdd bool', (m) => [tg.scatterAdd(m.t(ints(3 * 4, 19, 2), [3, 4], 'bool'), m.t(idx, [3, 8], 'int32'), m.t(ints(3 * 8, 20, 2), [3, 8], 'bool'), { dim: 1 })]);
      await same('scatterAdd dim 0, index smaller than src', (m) => [
        tg.scatterAdd(m.t(random(5 * 4, 21), [5, 4], 'float32', true), m.t(ints(3 * 2, 22, 5), [3, 2], 'int32'), m.t(random(4 * 3, 23), [4, 3]), { dim: 0 }),
      ]);
    }, COMPILE_TIMEOUT);

    it('oneHot, pad and cat on strided int32/bool/float32 inputs', async () => {
      await same('oneHot', (m) => [tg.oneHot(m.t(ints(3 * 4, 24, 6), [3, 4], 'int32', true), 6)]);
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        const data = dtype === 'float32' ? random(3 * 4 * 5, 25) : ints(3 * 4 * 5, 25, dtype === 'bool' ? 2 : 9);
        await same(`pad ${dtype}`, (m) => [tg.pad(m.t(data, [3, 4, 5], dtype, true), [2, -1, -1, 3, 1, 0], { value: dtype === 'float32' ? -1.5 : 1 })]);
        await same(`cat ${dtype}`, (m) => [
          tg.cat([m.t(data, [3, 4, 5], dtype, true), m.t(data.slice(0, 3 * 2 * 5), [3, 2, 5], dtype), m.t([], [3, 0, 5], dtype)], { dim: 1 }),
        ]);
      }
      await same('pad float32 NaN fill', (m) => [tg.pad(m.t(random(6, 26), [2, 3]), [1, 1], { value: NAN })]);
    }, COMPILE_TIMEOUT);
  });

  describe('dispatch grids past the per-dimension workgroup limit', () => {
    let saved = 0;
    beforeAll(() => {
      saved = b.maxWorkgroupsPerDimension;
      b.maxWorkgroupsPerDimension = 3; // at most 27 workgroups: every dispatch below needs 4 to 20
    });
    afterAll(() => {
      b.maxWorkgroupsPerDimension = saved;
    });
    it('every program shape', async () => {
      const data = random(3 * 4 * 20 * 20, 27);
      await same('maxPool2d', (m, be) => maxPoolBoth(be, m.t(data, [3, 4, 20, 20]), { kernelSize: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], ceilMode: false }));
      await same('avgPool2dBackward', (m) => [tg.avgPool2dBackward(m.t(data.slice(0, 3 * 4 * 10 * 10), [3, 4, 10, 10]), [3, 4, 20, 20], { kernelSize: 2 })]);
      await same('adaptiveAvgPool2dBackward', (m) => [tg.adaptiveAvgPool2dBackward(m.t(data.slice(0, 3 * 4 * 6 * 6), [3, 4, 6, 6]), [3, 4, 20, 20])]);
      await same('softmax lanes', (m) => [tg.softmax(m.t(data, [1200, 4]), 1)]);
      await same('softmax rows', (m) => [tg.logSoftmax(m.t(data, [4, 1200]), 1)], 1e-4);
      await same('gather', (m) => [tg.gather(m.t(data, [1200, 4]), m.t(ints(1200 * 3, 28, 4), [1200, 3], 'int32'), { dim: 1 })]);
      await same('scatterAdd', (m) => [tg.scatterAdd(m.t(data, [1200, 4]), m.t(ints(1200 * 3, 29, 4), [1200, 3], 'int32'), m.t(data.slice(0, 3600), [1200, 3]), { dim: 1 })]);
      await same('pad', (m) => [tg.pad(m.t(data.slice(0, 2400), [600, 4]), [1, 2])]);
      await same('oneHot', (m) => [tg.oneHot(m.t(ints(1000, 30, 5), [1000], 'int32'), 5)]);
    }, COMPILE_TIMEOUT);
  });

  describe('adamUpdate_', () => {
    const variants = [
      { name: 'Adam', weightDecay: 0, decoupled: false, amsgrad: false, maximize: false },
      { name: 'Adam + L2 weight decay', weightDecay: 0.1, decoupled: false, amsgrad: false, maximize: false },
      { name: 'AdamW', weightDecay: 0.05, decoupled: true, amsgrad: false, maximize: false },
      { name: 'AMSGrad, maximize', weightDecay: 0, decoupled: false, amsgrad: true, maximize: true },
    ];
    for (const v of variants) {
      it(`${v.name}: the fused kernel matches the op-by-op update and the cpu kernel over 4 steps`, async () => {
        const n = 1000;
        const p0 = random(n, 31);
        const grads = [32, 33, 34, 35].map((s) => random(n, s, -1, 1));
        const run = (be: Backend, fused: boolean): Tensor[] => {
          const kernel = be.kernels.adamUpdate_;
          if (!fused) delete (be.kernels as { adamUpdate_?: unknown }).adamUpdate_;
          try {
            const p = fromArray(be, Float32Array.from(p0), [n], 'float32');
            const state = [0, 1, 2].map(() => tg.zeros([n], { backend: be.name }));
            for (let step = 1; step <= grads.length; step++) {
              const g = fromArray(be, Float32Array.from(grads[step - 1]!), [n], 'float32');
              tg.adamUpdate_(p, g, state[0]!, state[1]!, v.amsgrad ? state[2]! : null, {
                lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: v.weightDecay, decoupled: v.decoupled, step, maximize: v.maximize,
              });
              g.dispose();
            }
            return [p, ...state];
          } finally {
            if (!fused) (be.kernels as { adamUpdate_?: unknown }).adamUpdate_ = kernel;
          }
        };
        const fused = run(b, true);
        const ops = run(b, false);
        const ref = run(cpu, true);
        try {
          for (let i = 0; i < 4; i++) {
            await expectSame(fused[i]!, ops[i]!, `${v.name} [${i}] fused vs op-by-op`, 1e-5);
            await expectSame(fused[i]!, ref[i]!, `${v.name} [${i}] webgpu vs cpu`, 1e-5);
          }
        } finally {
          for (const t of [...fused, ...ops, ...ref]) t.dispose();
        }
      }, COMPILE_TIMEOUT);
    }
  });
});
