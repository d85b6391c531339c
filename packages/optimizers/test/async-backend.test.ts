import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory, registerBackend, setBackend, Tensor, tensor, tidy, type Backend } from '@tensorgrad/tensor';
import { type StorageHandle } from '@tensorgrad/tensor/backend';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { Adagrad, Adam, AdamW, LBFGS, RMSprop, SGD, clipGradNorm_, clipGradValue_ } from '@tensorgrad/optimizers';

// The CPU kernels behind a backend without readSync, like webgpu.
function asyncOnlyCpu(name: string): Backend {
  const cpu = new CpuBackend(name);
  // kernels reach their backend through ctx.backend: this object must still be a CpuBackend, so
  // it inherits from one and only hides readSync and replaces read
  return Object.create(cpu, {
    readSync: { value: undefined },
    read: {
      value: (handle: StorageHandle) => Promise.resolve(cpu.readSync(handle)),
    },
  }) as Backend;
}

describe('optimizers and gradient clipping on a backend without readSync', () => {
  beforeAll(async () => {
    registerBackend('cpu-async-only', () => asyncOnlyCpu('cpu-async-only'), { priority: -10 });
    await setBackend('cpu-async-only');
  });
  afterAll(async () => {
    await setBackend('cpu');
  });

  it('clipGradNorm_ scales [3, 4] to norm 1 and returns 5', async () => {
    const w = tensor([0, 0], { requiresGrad: true });
    w.grad = tensor([3, 4]);
    const norm = clipGradNorm_([w], 1);
    expect(await norm.item()).toBeCloseTo(5, 6);
    const g = await w.grad.data();
    expect(g[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    expect(g[1]).toBeCloseTo(4 / (5 + 1e-6), 6);
    norm.dispose();
  });

  it('clipGradNorm_ with errorIfNonfinite says it needs a synchronous read and what to do instead', () => {
    const w = tensor([0, 0], { requiresGrad: true });
    w.grad = tensor([3, 4]);
    expect(() => clipGradNorm_([w], 1, { errorIfNonfinite: true })).toThrow(
      /errorIfNonfinite needs the total norm synchronously, but backend 'cpu-async-only' can only read asynchronously; call clipGradNorm_ without it and check the returned norm with `Number.isFinite\(await norm.item\(\)\)`/,
    );
  });

  it('clipGradValue_ and one step of every optimizer run (SGD checked against p - lr·g)', async () => {
    const w = tensor([1, -2], { requiresGrad: true });
    w.grad = tensor([5, -0.5]);
    clipGradValue_([w], 1);
    expect(Array.from(await w.grad.data())).toEqual([1, -0.5]);
    new SGD([w], { lr: 0.1, momentum: 0.9 }).step();
    const after = await w.data();
    expect(after[0]).toBeCloseTo(1 - 0.1 * 1, 6);
    expect(after[1]).toBeCloseTo(-2 + 0.1 * 0.5, 6);
    for (const make of [(p: typeof w) => new Adam([p]), (p: typeof w) => new AdamW([p]), (p: typeof w) => new RMSprop([p], { centered: true }), (p: typeof w) => new Adagrad([p])]) {
      const p = tensor([1, 2], { requiresGrad: true });
      p.grad = tensor([0.5, -0.5]);
      const opt = make(p);
      opt.step();
      opt.step();
      expect((await p.data()).every(Number.isFinite)).toBe(true);
    }
  });

  it('LBFGS.loadStateDict reads the loaded ro back asynchronously: a twin resumes exactly as the original continues, nothing leaks', async () => {
    const before = memory().numTensors;
    const target = tensor([3, -1]);
    const make = (start: number[]) => {
      const w = tensor(start, { requiresGrad: true });
      const opt = new LBFGS([w], { maxIter: 3, historySize: 4 });
      const closure = (): Tensor => {
        opt.zeroGrad();
        const loss = w.sub(target).square().sum().add(w.sin().sum());
        loss.backward();
        return loss;
      };
      // each step in a tidy: the closure's intermediate tensors are the caller's
      const step = (): Promise<void> => tidy(async () => void (await opt.step(closure)));
      return { w, opt, step };
    };
    const a = make([0.5, 0.25]);
    await a.step();
    const sd = a.opt.stateDict();
    expect((sd.state[0]!.ro as Tensor).shape[0]).toBeGreaterThan(0); // a curvature history to carry over
    const b = make(Array.from(await a.w.data()));
    b.opt.loadStateDict(sd); // used to throw: dataSync on a backend that cannot read synchronously
    const ro = Array.from(await (sd.state[0]!.ro as Tensor).data());
    for (const v of Object.values(sd.state[0]!)) if (v instanceof Tensor) v.dispose();
    const again = b.opt.stateDict(); // before the read-back may have landed: the same values
    expect(Array.from(await (again.state[0]!.ro as Tensor).data())).toEqual(ro);
    for (const v of Object.values(again.state[0]!)) if (v instanceof Tensor) v.dispose();
    await a.step();
    await b.step();
    expect(Array.from(await b.w.data())).toEqual(Array.from(await a.w.data()));
    for (const { w, opt } of [a, b]) {
      opt.dispose();
      w.dispose();
    }
    target.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

