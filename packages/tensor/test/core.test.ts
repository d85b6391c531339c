import { describe, expect, it } from 'vitest';
import {
  Tensor,
  keep,
  memory,
  registerBackend,
  setBackend,
  getBackend,
  removeBackend,
  tensor,
  tidy,
  zeros,
  add,
  oneHot,
  NotSupportedError,
  type Backend,
} from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';

describe('memory', () => {
  it('counts live tensors and frees storage with the last view', () => {
    const before = memory();
    const t = tensor([1, 2, 3, 4]);
    const v = t.view(2, 2);
    expect(memory().numTensors - before.numTensors).toBe(2);
    expect(memory().numBuffers - before.numBuffers).toBe(1);
    t.dispose();
    expect(memory().numBuffers - before.numBuffers).toBe(1);
    expect(v.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    v.dispose();
    expect(memory()).toEqual(before);
  });

  it('dispose is idempotent and `using` disposes at block end', () => {
    const before = memory().numTensors;
    {
      using t = tensor([1]);
      expect(t.isDisposed).toBe(false);
    }
    expect(memory().numTensors).toBe(before);
    const t = tensor([1]);
    t.dispose();
    t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('tidy frees intermediates, keeps returned values (nested in arrays/objects) and kept tensors', () => {
    const before = memory();
    let kept!: Tensor;
    const out = tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = a.mul(2);
      kept = keep(b.add(1));
      return { sum: b.sum(), list: [a.exp()] };
    });
    expect(memory().numTensors - before.numTensors).toBe(3);
    expect(out.sum.itemSync()).toBe(12);
    expect(kept.arraySync()).toEqual([3, 5, 7]);
    out.sum.dispose();
    out.list[0]!.dispose();
    kept.dispose();
    expect(memory()).toEqual(before);
  });

  it('tidy disposes everything when the function throws', () => {
    const before = memory();
    expect(() =>
      tidy(() => {
        tensor([1, 2]).mul(3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memory()).toEqual(before);
  });

  it('nested tidy moves returned tensors to the outer scope', () => {
    const before = memory();
    tidy(() => {
      const inner = tidy(() => tensor([1]).add(1));
      expect(inner.isDisposed).toBe(false);
    });
    expect(memory()).toEqual(before);
  });

  it('tidy of an async function returns a promise (see scope.test.ts)', async () => {
    const p = tidy(async () => 1);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(1);
  });
});

describe('bad input', () => {
  it('an op on a disposed tensor names the op and says what happened', () => {
    const t = tensor([1, 2]);
    t.dispose();
    expect(() => t.add(1)).toThrow(/add: tensor was disposed \(shape \[2\], float32\)/);
    expect(() => t.dataSync()).toThrow(/dataSync: tensor was disposed/);
  });

  it('a non-tensor operand is rejected with what was given', () => {
    expect(() => add([1, 2] as unknown as Tensor, 1)).toThrow(/add: expected input to be a Tensor or a number, got an array/);
  });

  it('broadcast mismatch names the op and both shapes', () => {
    using a = zeros([2, 3]);
    using b = zeros([4]);
    expect(() => add(a, b)).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  });

  it('item() on several elements explains the problem', () => {
    using t = zeros([2, 3]);
    expect(() => t.itemSync()).toThrow(/itemSync: a tensor with 6 elements \(shape \[2,3\]\) cannot be converted to a scalar/);
  });

  it('mixing backends says which tensor lives where', async () => {
    registerBackend('cpu-b', () => new CpuBackend('cpu-b'));
    await setBackend('cpu-b');
    const onB = tensor([1, 2]);
    await setBackend('cpu');
    const onA = tensor([1, 2]);
    expect(() => add(onA, onB)).toThrow(/add: tensors live on different backends: input is on 'cpu' and other is on 'cpu-b'/);
    onA.dispose();
    onB.dispose();
    removeBackend('cpu-b');
  });

  it('an op the backend lacks is a clear "not supported yet" error naming op, dtype and backend', async () => {
    const cpu = new CpuBackend('partial');
    const partial: Backend = Object.assign(Object.create(Object.getPrototypeOf(cpu)), cpu, {
      name: 'partial',
      kernels: { ...cpu.kernels, exp: undefined },
    });
    registerBackend('partial', () => partial);
    await setBackend('partial');
    const t = tensor([1, 2]);
    expect(() => t.exp()).toThrow(/exp: not supported yet on backend 'partial' for dtype float32/);
    const e = catchError(() => t.exp());
    expect(e).toBeInstanceOf(NotSupportedError);
    expect([e.op, e.backend, e.kind]).toEqual(['exp', 'partial', 'kernel']);
    t.dispose();
    await setBackend('cpu');
    removeBackend('partial');
  });

  it('a dtype or a synchronous read the backend lacks is a NotSupportedError naming it', async () => {
    const cpu = new CpuBackend('async-f32');
    const asyncOnly: Backend = Object.assign(Object.create(Object.getPrototypeOf(cpu)), cpu, {
      name: 'async-f32',
      dtypes: ['float32', 'int32', 'bool'],
      readSync: undefined,
      read: (h: Parameters<Backend['read']>[0]) => cpu.read(h),
    });
    registerBackend('async-f32', () => asyncOnly);
    const d = tensor([1, 2], { dtype: 'float64' });
    const moved = catchError(() => d.to('async-f32'));
    expect([moved.op, moved.backend, moved.kind]).toEqual(['to', 'async-f32', 'dtype']);
    const t = tensor([1, 2]).to('async-f32');
    const one = tensor([3]).to('async-f32');
    for (const read of [() => t.dataSync(), () => t.arraySync(), () => one.itemSync(), () => t.to('cpu')]) {
      const e = catchError(read);
      expect([e.backend, e.kind]).toEqual(['async-f32', 'sync-read']);
      expect(e.message).toMatch(/cannot read synchronously/);
    }
    const labels = tensor([0, 2], { dtype: 'int32' }).to('async-f32');
    const inferred = catchError(() => oneHot(labels));
    expect([inferred.op, inferred.kind, inferred.message]).toEqual([
      'oneHot',
      'sync-read',
      "oneHot: cannot infer the number of classes on backend 'async-f32' (no synchronous read); pass { numClasses }",
    ]);
    expect(await oneHot(labels, { numClasses: 3 }).array()).toEqual([[1, 0, 0], [0, 0, 1]]);
    for (const x of [d, t, one, labels]) x.dispose();
    removeBackend('async-f32');
  });

  it('an unknown backend lists the registered ones', async () => {
    await expect(setBackend('nope')).rejects.toThrow(/backend 'nope' is not registered; registered backends: 'cpu'/);
    expect(getBackend().name).toBe('cpu');
  });
});

describe('printing', () => {
  it('prints like PyTorch', () => {
    using a = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(a.toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    using b = tensor([1.5, -0.25]);
    expect(String(b)).toBe('tensor([ 1.5000, -0.2500])');
    using c = tensor([1, 2], { dtype: 'int32' });
    expect(String(c)).toBe('tensor([1, 2], dtype=torch.int32)');
    using d = tensor([true, false]);
    expect(String(d)).toBe('tensor([ True, False])');
    using e = tensor(3.25, { dtype: 'float64' });
    expect(String(e)).toBe('tensor(3.2500, dtype=torch.float64)');
    using f = tensor([1, 2], { requiresGrad: true });
    expect(String(f)).toBe('tensor([1., 2.], requires_grad=True)');
  });
});

describe('debug mode', () => {
  it('warns about tensors garbage-collected without dispose', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest.config.ts passes --expose-gc').toBeTypeOf('function');
    if (!gc) return;
    const { setDebugMode } = await import('@tensorgrad/tensor');
    setDebugMode(true);
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => warnings.push(m);
    (() => {
      tensor([1, 2, 3]);
    })();
    setDebugMode(false);
    for (let i = 0; i < 5 && warnings.length === 0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    console.warn = orig;
    expect(warnings.some((w) => w.includes('garbage-collected without dispose(): shape [3], float32'))).toBe(true);
  });
});

function catchError(fn: () => unknown): NotSupportedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NotSupportedError) return e;
    throw e;
  }
  throw new Error('expected a NotSupportedError, nothing was thrown');
}
