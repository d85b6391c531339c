import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { memory, tensor, type Tensor } from '@tensorgrad/tensor';
import { fromArray, kernelFor } from '@tensorgrad/tensor/backend';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import { WebGPUBackend, type GpuStorage } from '@tensorgrad/backend-webgpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
const suite = gpu.backend ? describe : describe.skip;
const title = gpu.backend ? 'webgpu core' : `webgpu core [skipped: no WebGPU adapter: ${gpu.reason}]`;

suite(title, () => {
  const b = gpu.backend!;
  const f32 = (data: number[], shape: number[]): Tensor => fromArray(b, Float32Array.from(data), shape, 'float32');
  const onCpu = (data: number[], shape: number[]): Tensor => fromArray(tg.findBackendSync('cpu'), Float32Array.from(data), shape, 'float32');

  beforeAll(async () => {
    await tg.setBackend('webgpu');
  });
  afterAll(async () => {
    await tg.setBackend('cpu');
  });
  // every test leaves the backend's live tensors and bytes as it found them
  let before: ReturnType<typeof memory>;
  beforeEach(() => {
    before = memory('webgpu');
  });
  afterEach(() => {
    const after = memory('webgpu');
    expect({ numTensors: after.numTensors, numBytes: after.numBytes }).toEqual({ numTensors: before.numTensors, numBytes: before.numBytes });
  });

  it('registers as an asynchronous backend with float32, int32 and bool', () => {
    expect(b).toBeInstanceOf(WebGPUBackend);
    expect(b.name).toBe('webgpu');
    expect([...b.dtypes]).toEqual(['float32', 'int32', 'bool']);
    expect((b as tg.Backend).readSync).toBeUndefined();
  });

  it('round-trips float32, int32 and bool data (bool stored as u32)', async () => {
    const a = f32([1.5, -2, NaN, Infinity], [2, 2]);
    const i = fromArray(b, Int32Array.from([-2147483648, 7, 0]), [3], 'int32');
    const t = fromArray(b, Uint8Array.from([1, 0, 1]), [3], 'bool');
    expect(Array.from(await a.data())).toEqual([1.5, -2, NaN, Infinity]);
    expect(Array.from(await i.data())).toEqual([-2147483648, 7, 0]);
    const bools = await t.data();
    expect(bools).toBeInstanceOf(Uint8Array);
    expect(Array.from(bools)).toEqual([1, 0, 1]);
    expect(await t.array()).toEqual([true, false, true]);
    [a, i, t].forEach((x) => x.dispose());
  });

  it('says to use the asynchronous reads when read synchronously', () => {
    const a = f32([1, 2], [2]);
    const one = f32([3], []);
    expect(() => a.dataSync()).toThrow(/cannot read synchronously; use `await tensor.data\(\)`/);
    expect(() => one.itemSync()).toThrow(/await tensor.data\(\)/);
    expect(() => a.dataSync()).toThrow(tg.NotSupportedError);
    const labels = tensor([0, 2], { dtype: 'int32', backend: 'webgpu' });
    expect(() => tg.oneHot(labels)).toThrow(new tg.NotSupportedError('oneHot', 'webgpu', 'sync-read', "oneHot: cannot infer the number of classes on backend 'webgpu' (no synchronous read); pass { numClasses }"));
    labels.dispose();
    a.dispose();
    one.dispose();
  });

  it('rejects float64 with a message that says WebGPU has no float64', async () => {
    const x = tensor([1, 2], { dtype: 'float64', backend: 'cpu' });
    expect(() => x.to('webgpu')).toThrow(/does not support dtype float64/);
    expect(() => b.alloc('float64', 2)).toThrow(/float64 is not supported on WebGPU/);
    x.dispose();
  });

  it('names the op and the backend when a kernel is missing', () => {
    const noKernels = Object.assign(Object.create(b) as WebGPUBackend, { kernels: {} });
    expect(() => kernelFor('softmax', noKernels, 'softmax', 'float32')).toThrow(
      "softmax: not supported yet on backend 'webgpu' for dtype float32: the backend has no 'softmax' kernel",
    );
  });

  it('reuses pooled buffers: freeing and allocating the same size creates no buffer', async () => {
    const x = f32([1, 2, 3, 4, 5], [5]);
    const warm = x.neg(); // creates the result's and the read-back staging buffer's size classes
    await warm.data();
    warm.dispose();
    const before = b.stats().pool;
    for (let i = 0; i < 5; i++) {
      const y = x.neg();
      await y.data();
      y.dispose();
    }
    const after = b.stats().pool;
    expect(after.created).toBe(before.created);
    expect(after.reused).toBeGreaterThanOrEqual(before.reused + 5);
    x.dispose();
  });

  it('zero-fills alloc() even with a reused (dirty) pool buffer', async () => {
    const dirty = f32([9, 9, 9, 9], [4]);
    dirty.dispose();
    const h = b.alloc('float32', 4) as GpuStorage;
    expect(Array.from(await b.read(h))).toEqual([0, 0, 0, 0]);
    b.free(h);
    const h2 = b.alloc('float32', 4) as GpuStorage;
    const view = { handle: h2, shape: [4], strides: [1], offset: 0, dtype: 'float32' as const };
    const r = b.kernels.add({ backend: b, shape: [4], dtype: 'float32' }, view, view, {}); // a kernel reading it sees zeros too
    expect(Array.from(await b.read(r.handle))).toEqual([0, 0, 0, 0]);
    b.free(h2);
    b.free(r.handle);
  });

  it('frees everything: memory() returns to where it started', async () => {
    const m0 = memory('webgpu');
    tg.tidy(() => {
      const x = f32([1, -2, 3, -4, 5, -6], [2, 3]);
      const y = x.relu().mul(2).sum(1).add(x.max(1).values);
      void y.argmax();
      return undefined;
    });
    const m1 = memory('webgpu');
    expect(m1.numTensors).toBe(m0.numTensors);
    expect(m1.numBytes).toBe(m0.numBytes);
    expect(m1.numBuffers).toBe(m0.numBuffers);
  });

  it('counts every GPU buffer it holds in memory().numGpuBuffers: pooled free ones, staging ones, the arena', async () => {
    // a separate instance, so that the count starts from nothing and no other test's pool interferes
    const own = await WebGPUBackend.create({ name: 'webgpu-buffer-count', poolLimitBytes: 48 });
    try {
      expect(own.memory().numGpuBuffers).toBe(1); // the uniform arena, created with the backend
      const a = own.alloc('float32', 4); // 16 bytes: a fresh tensor buffer
      const b2 = own.alloc('float32', 8); // 32 bytes: another
      expect(own.memory()).toEqual({ numTensors: 2, numBytes: 48, numGpuBuffers: 3 });
      own.write(a, Float32Array.from([1, 2, 3, 4]));
      expect(Array.from(await own.read(a))).toEqual([1, 2, 3, 4]); // a 16-byte staging buffer, pooled afterwards
      expect(own.memory().numGpuBuffers).toBe(4);
      own.free(a); // back to the pool (16 + 16 = 32 bytes free, within the 48-byte limit): still held
      expect(own.memory()).toEqual({ numTensors: 1, numBytes: 32, numGpuBuffers: 4 });
      own.free(b2); // 32 more would exceed the 48-byte limit: destroyed
      expect(own.memory()).toEqual({ numTensors: 0, numBytes: 0, numGpuBuffers: 3 });
      const c = own.alloc('float32', 3); // served from the pool: no new buffer
      expect(own.memory().numGpuBuffers).toBe(3);
      own.free(c);
      own.emptyCache(); // the pool's free buffers are destroyed: only the arena is left
      expect(own.memory().numGpuBuffers).toBe(1);
    } finally {
      own.dispose();
    }
    expect(own.memory().numGpuBuffers).toBe(0);
  });

  it('batches dispatches: no submit until a read or batchSize dispatches', async () => {
    const x = f32([1, 2, 3], [3]);
    await x.data();
    const s0 = b.stats().submits;
    const ys: Tensor[] = [];
    let y = x;
    for (let i = 0; i < 10; i++) ys.push((y = y.add(1)));
    expect(b.stats().submits).toBe(s0); // 10 dispatches recorded, nothing submitted
    expect(Array.from(await y.data())).toEqual([11, 12, 13]);
    expect(b.stats().submits).toBe(s0 + 1); // one submit for all of them and the read-back copy
    const saved = b.batchSize;
    b.batchSize = 4;
    try {
      const s1 = b.stats().submits;
      for (let i = 0; i < 10; i++) ys.push((y = y.add(1)));
      expect(b.stats().submits).toBe(s1 + 2); // after the 4th and the 8th dispatch
      expect(Array.from(await y.data())).toEqual([21, 22, 23]);
    } finally {
      b.batchSize = saved;
    }
    ys.forEach((t) => t.dispose());
    x.dispose();
  });

  it('compiles each program once per shape class', async () => {
    const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const c = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [4, 3]);
    const y0 = a.exp(); // compiled here
    await y0.data();
    const p0 = b.stats().pipelines;
    const y1 = c.exp(); // other sizes, same class (contiguous)
    const at = a.transpose(0, 1);
    const ct = c.transpose(0, 1);
    const y2 = at.exp(); // a strided view: one new class
    const y3 = ct.exp(); // same class as y2
    await y3.data();
    expect(b.stats().pipelines).toBe(p0 + 1);
    [a, c, at, ct, y0, y1, y2, y3].forEach((t) => t.dispose());
  });

  it('reads strided views in place: transposes, broadcasts, slices and offsets', async () => {
    const made: Tensor[] = [];
    const t = <T extends Tensor>(x: T): T => (made.push(x), x);
    const data = Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
    const g = t(f32(data, [2, 3, 4]));
    const c = t(onCpu(data, [2, 3, 4]));
    const views = (x: Tensor): Tensor[] =>
      [
        x.permute(2, 0, 1),
        t(x.transpose(0, 2)).narrow(0, 1, 2),
        x.select(1, 2),
        t(x.narrow(2, 1, 3)).expand(2, 3, 3),
        t(t(x.select(0, 1)).unsqueeze(0)).expand(3, 3, 4),
      ].map(t);
    const gv = views(g);
    const cv = views(c);
    for (let k = 0; k < gv.length; k++) {
      const gk = gv[k]!;
      const ck = cv[k]!;
      expect(gk.isContiguous()).toBe(false);
      expect(Array.from(await gk.data())).toEqual(Array.from(ck.dataSync())); // contiguous kernel
      expect(Array.from(await t(gk.mul(gk)).data())).toEqual(Array.from(t(ck.mul(ck)).dataSync()));
      expect(Array.from(await t(gk.sum(-1)).data())).toEqual(Array.from(t(ck.sum(-1)).dataSync()));
      const gm = gk.max(0);
      const cm = ck.max(0);
      [gm.values, gm.indices, cm.values, cm.indices].forEach(t);
      expect(Array.from(await gm.indices.data())).toEqual(Array.from(cm.indices.dataSync()));
    }
    // copy_ through a strided destination: a column of a matrix
    const dst = t(f32([0, 0, 0, 0, 0, 0], [2, 3]));
    t(dst.select(1, 1)).copy_(t(f32([7, 8], [2])));
    expect(Array.from(await dst.data())).toEqual([0, 7, 0, 0, 8, 0]);
    // copy_ from an overlapping view of the same storage
    const row = t(f32([1, 2, 3, 4], [4]));
    t(row.narrow(0, 1, 3)).copy_(t(row.narrow(0, 0, 3)));
    expect(Array.from(await row.data())).toEqual([1, 1, 2, 3]);
    made.forEach((x) => x.dispose());
  });

  it('lays out more workgroups than a grid dimension allows as a 2-D grid', async () => {
    const n = 40_000; // 157 workgroups of 256
    const data = Array.from({ length: n }, (_, i) => (i % 97) - 48);
    const saved = b.maxWorkgroupsPerDimension;
    b.maxWorkgroupsPerDimension = 16; // 157 → a 16 × 10 grid
    try {
      const x = f32(data, [n]);
      const y = x.abs();
      const got = await y.data();
      expect(got.length).toBe(n);
      let bad = 0;
      for (let i = 0; i < n; i++) if (got[i] !== Math.abs(data[i]!)) bad++;
      expect(bad).toBe(0);
      // a reduction with a workgroup per output row, 300 rows on the same small grid
      const m = f32(data.slice(0, 300 * 100), [300, 100]);
      const s = m.sum(1);
      const sums = await s.data();
      for (let r = 0; r < 300; r++) {
        let e = 0;
        for (let k = 0; k < 100; k++) e += data[r * 100 + k]!;
        expect(sums[r]).toBe(e);
      }
      [x, y, m, s].forEach((t) => t.dispose());
    } finally {
      b.maxWorkgroupsPerDimension = saved;
    }
  });

  it('runs a dispatch of more than 65535 workgroups on the real device limit', { timeout: 180_000 }, async () => {
    const n = 65536 * 256 + 300; // 65538 workgroups of 256 threads
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (i % 1024) - 512;
    const x = fromArray(b, data, [n], 'float32');
    const y = x.neg();
    const got = await y.data();
    let bad = 0;
    for (let i = 0; i < n; i += 1) if (got[i] !== -data[i]!) bad++;
    expect(bad).toBe(0);
    x.dispose();
    y.dispose();
  });

  it('reduces long lanes in chunks and a second pass (sum, max with first-index ties, NaN)', { timeout: 180_000 }, async () => {
    const n = 50_000;
    const data = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    data[31_000] = 5;
    data[42_000] = 5; // a tie: the first index wins
    const x = f32(data, [n]);
    let expected = 0;
    for (const v of data) expected += Math.fround(v);
    const total = x.sum();
    expect((await total.data())[0]).toBeCloseTo(expected, 2);
    const m = x.max(0);
    expect((await m.values.data())[0]).toBe(5);
    expect((await m.indices.data())[0]).toBe(31_000);
    const am = x.argmin();
    expect((await am.data())[0]).toBe(data.indexOf(Math.min(...data)));
    const withNan = f32(data.map((v, i) => (i === 45_000 || i === 47_000 ? NaN : v)), [n]);
    const mn = withNan.min(0);
    expect((await mn.values.data())[0]).toBeNaN();
    expect((await mn.indices.data())[0]).toBe(45_000);
    const ints = fromArray(b, Int32Array.from(data, (v) => Math.round(v * 1000)), [n], 'int32');
    const isum = ints.sum();
    expect((await isum.data())[0]).toBe(data.reduce((s, v) => s + Math.round(v * 1000), 0));
    [x, total, am, m.values, m.indices, withNan, mn.values, mn.indices, ints, isum].forEach((t) => t.dispose());
  });

  it('surfaces device loss as a clear error on the next use', async () => {
    const lost = await WebGPUBackend.create({ name: 'webgpu-lost' });
    const h = lost.alloc('float32', 4);
    lost.device.destroy(); // as if the GPU went away
    await lost.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    await expect(lost.read(h)).rejects.toThrow(/the GPU device was lost \(destroyed/);
    expect(() => lost.alloc('float32', 4)).toThrow(/device was lost/);
    lost.dispose();
    expect(() => lost.alloc('float32', 4)).toThrow(/was disposed/);
  });

  it('refuses tensors larger than one storage binding with a clear error', () => {
    const limit = b.device.limits.maxStorageBufferBindingSize;
    expect(() => b.alloc('float32', Math.floor(limit / 4) + 1)).toThrow(/exceeds the device's maxStorageBufferBindingSize/);
  });
});

describe('finding a GPU (no adapter needed)', () => {
  it('fails with what is missing and how to fix it when requestAdapter() returns null', async () => {
    const { requestWebGPU } = await import('@tensorgrad/backend-webgpu');
    const adapterless = { requestAdapter: async () => null } as unknown as GPU;
    await expect(requestWebGPU({ gpu: adapterless })).rejects.toThrow(/requestAdapter\(\) returned null/);
    await expect(requestWebGPU({ gpu: adapterless })).rejects.toThrow(/scripts\/ensure-webgpu\.sh/);
  });
});
