import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBackend, setBackend, tensor, type Tensor } from '@tensorgrad/tensor';
import type { Backend } from '@tensorgrad/tensor';
import type { StorageHandle } from '@tensorgrad/tensor/backend';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { BatchNorm1d, BatchNorm2d } from '@tensorgrad/layers';

// A backend that can only read asynchronously, like webgpu: the CPU kernels and storage behind an
// object without readSync, whose read resolves on a later macrotask.
function asyncOnlyCpu(name: string): Backend {
  const cpu = new CpuBackend(name);
  // kernels reach their backend through ctx.backend: this object must still be a CpuBackend, so
  // it inherits from one and only hides readSync and replaces read
  return Object.create(cpu, {
    readSync: { value: undefined },
    read: {
      value: (handle: StorageHandle) => {
        const data = cpu.readSync(handle); // the value at the time of the call, as a queued GPU read
        return new Promise((resolve) => setTimeout(() => resolve(data), 0));
      },
    },
  }) as Backend;
}

// Per-channel mean and unbiased variance of an [N, C, ...] array given as nested rows.
function channelStats(batch: number[][][]): { mean: number[]; varU: number[] } {
  const c = batch[0]!.length;
  const mean: number[] = [];
  const varU: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const vals = batch.flatMap((sample) => sample[ch]!);
    const m = vals.reduce((s, v) => s + v, 0) / vals.length;
    mean.push(m);
    varU.push(vals.reduce((s, v) => s + (v - m) ** 2, 0) / (vals.length - 1));
  }
  return { mean, varU };
}

// Deterministic batches [N=3, C=2, L=4] with different statistics per step.
const batchAt = (step: number): number[][][] =>
  Array.from({ length: 3 }, (_, n) => Array.from({ length: 2 }, (_, ch) => Array.from({ length: 4 }, (_, l) => Math.sin(step * 7 + n * 3 + ch * 11 + l) * (step + 1) + ch * step)));

const cumulative = (steps: number[]) => {
  const stats = steps.map((s) => channelStats(batchAt(s)));
  const avg = (k: 'mean' | 'varU') => [0, 1].map((ch) => stats.reduce((s, st) => s + st[k][ch]!, 0) / stats.length);
  return { mean: avg('mean'), varU: avg('varU') };
};

const close = (actual: ArrayLike<number>, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 5));
};

describe('BatchNorm with momentum: null on a backend without readSync', () => {
  beforeAll(async () => {
    registerBackend('cpu-async-only', () => asyncOnlyCpu('cpu-async-only'), { priority: -10 });
    await setBackend('cpu-async-only');
  });
  afterAll(async () => {
    await setBackend('cpu');
  });

  it('the backend really cannot read synchronously', () => {
    expect(() => tensor([1]).dataSync()).toThrow(/cannot read synchronously/);
  });

  it('BatchNorm1d keeps the cumulative average of the batch statistics over several steps', async () => {
    const bn = new BatchNorm1d(2, { momentum: null });
    expect(bn.running_mean!.backend).toBe('cpu-async-only');
    for (let s = 0; s < 5; s++) bn.call(tensor(batchAt(s))).dispose();
    const want = cumulative([0, 1, 2, 3, 4]);
    close(await bn.running_mean!.data(), want.mean);
    close(await bn.running_var!.data(), want.varU);
    expect(await bn.num_batches_tracked!.item()).toBe(5);
    bn.dispose();
  });

  it('BatchNorm2d does the same over [N, C, H, W]', async () => {
    const bn = new BatchNorm2d(2, { momentum: null });
    for (let s = 0; s < 3; s++) bn.call(tensor(batchAt(s)).reshape([3, 2, 2, 2])).dispose();
    const want = cumulative([0, 1, 2]);
    close(await bn.running_mean!.data(), want.mean);
    close(await bn.running_var!.data(), want.varU);
    expect(await bn.num_batches_tracked!.item()).toBe(3);
    bn.dispose();
  });

  it('a loaded count continues the average, whether training resumes at once or after the count was read back', async () => {
    const a = new BatchNorm1d(2, { momentum: null });
    for (let s = 0; s < 3; s++) a.call(tensor(batchAt(s))).dispose();
    const sd: Record<string, Tensor> = a.stateDict();

    // loaded from tensors that live on the async backend, trained on immediately
    const b = new BatchNorm1d(2, { momentum: null });
    b.loadStateDict(sd);
    b.call(tensor(batchAt(3))).dispose();
    const want4 = cumulative([0, 1, 2, 3]);
    close(await b.running_mean!.data(), want4.mean);
    close(await b.running_var!.data(), want4.varU);
    // after the asynchronous read-back of the count has landed
    await new Promise((r) => setTimeout(r, 5));
    b.call(tensor(batchAt(4))).dispose();
    b.call(tensor(batchAt(5))).dispose();
    const want6 = cumulative([0, 1, 2, 3, 4, 5]);
    close(await b.running_mean!.data(), want6.mean);
    close(await b.running_var!.data(), want6.varU);
    expect(await b.num_batches_tracked!.item()).toBe(6);

    // loaded from a state dict whose tensors live on the CPU (e.g. read from a file)
    await setBackend('cpu');
    const cpuSd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(sd)) cpuSd[k] = tensor(Array.from(await v.data()), { dtype: v.dtype }).reshape(v.shape);
    await setBackend('cpu-async-only');
    const c = new BatchNorm1d(2, { momentum: null });
    c.loadStateDict(cpuSd);
    c.call(tensor(batchAt(3))).dispose();
    close(await c.running_mean!.data(), want4.mean);
    expect(await c.num_batches_tracked!.item()).toBe(4);
    for (const t of [...Object.values(sd), ...Object.values(cpuSd)]) t.dispose();
    for (const m of [a, b, c]) m.dispose();
  });

  it('eval mode and a numeric momentum read nothing either', async () => {
    const bn = new BatchNorm1d(2);
    bn.call(tensor(batchAt(0))).dispose();
    const { mean } = channelStats(batchAt(0));
    close(await bn.running_mean!.data(), mean.map((m) => 0.1 * m));
    bn.eval();
    expect((await bn.call(tensor(batchAt(1))).data()).length).toBe(24);
    bn.dispose();
  });
});
