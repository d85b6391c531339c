// PyTorch spellings over existing ops: T, mT, t(), clampMin/clampMax (+ in place), tolist, dim,
// nelement, viewAs, reshapeAs, expandAs, typeAs, long, cpu — values, views, gradients, errors.
import { describe, expect, it } from 'vitest';
import { arange, clampMax, clampMin, memory, NotSupportedError, ones, registerBackend, tensor, tidy, zeros, type Backend } from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

describe('transposes: T, mT, t()', () => {
  it('T reverses every dimension as a view (PyTorch 1.13), and is the tensor itself for 0-D/1-D', () => {
    const x = arange(24).reshape(2, 3, 4);
    const xt = x.T;
    expect(xt.shape).toEqual([4, 3, 2]);
    expect(xt.tolist()).toEqual(x.permute(2, 1, 0).tolist());
    expect(xt._storage).toBe(x._storage);
    expect(tensor([[1, 2, 3]]).T.tolist()).toEqual([[1], [2], [3]]);
    expect(tensor([1, 2]).T.tolist()).toEqual([1, 2]);
    expect(tensor(5).T.tolist()).toBe(5);
  });

  it('mT transposes the last two dims and refuses fewer than 2', () => {
    const x = arange(12).reshape(2, 2, 3);
    expect(x.mT.shape).toEqual([2, 3, 2]);
    expect(x.mT.tolist()).toEqual(x.transpose(-2, -1).tolist());
    expect(() => tensor([1, 2]).mT).toThrow(/only supported on matrices or batches of matrices .* got a 1-D tensor/);
  });

  it('t() transposes matrices, leaves 0-D/1-D unchanged and refuses 3-D like PyTorch', () => {
    expect(tensor([[1, 2], [3, 4]]).t().tolist()).toEqual([[1, 3], [2, 4]]);
    const v = tensor([1, 2, 3]);
    const vt = v.t();
    expect(vt).not.toBe(v);
    expect(vt.tolist()).toEqual([1, 2, 3]);
    expect(tensor(2).t().tolist()).toBe(2);
    expect(() => zeros([2, 2, 2]).t()).toThrow(/t: expects a tensor with <= 2 dimensions, but the tensor is 3-D .*x\.mT/);
  });

  it('gradients flow through T, mT and t()', () => {
    const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    w.T.mul(tensor([[1, 10], [100, 1000], [1e4, 1e5]])).sum().backward();
    expect(w.grad!.tolist()).toEqual([[1, 100, 1e4], [10, 1000, 1e5]]);
    w.grad = null;
    w.t().sum(0).mul(tensor([1, 2])).sum().backward();
    expect(w.grad!.tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
    w.grad = null;
    w.mT.sum().backward();
    expect(w.grad!.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });
});

describe('clampMin / clampMax', () => {
  it('as functions and methods, with a number or { min } / { max }', () => {
    const x = tensor([-2, 0.5, 3]);
    expect(clampMin(x, 0).tolist()).toEqual([0, 0.5, 3]);
    expect(x.clampMin({ min: 1 }).tolist()).toEqual([1, 1, 3]);
    expect(clampMax(x, { max: 0 }).tolist()).toEqual([-2, 0, 0]);
    expect(x.clampMax(1).tolist()).toEqual([-2, 0.5, 1]);
    expect(x.tolist()).toEqual([-2, 0.5, 3]);
  });

  it('in place, returning this; refusing leaves that require grad like every in-place op', () => {
    const x = tensor([-2, 0.5, 3]);
    expect(x.clampMin_(0)).toBe(x);
    expect(x.tolist()).toEqual([0, 0.5, 3]);
    expect(x.clampMax_({ max: 1 })).toBe(x);
    expect(x.tolist()).toEqual([0, 0.5, 1]);
    const leaf = tensor([1], { requiresGrad: true });
    expect(() => leaf.clampMin_(0)).toThrow(/clampMin_/);
  });

  it('explain a missing or wrong bound', () => {
    const x = tensor([1]);
    expect(() => clampMin(x, undefined as never)).toThrow(/clampMin: missing required argument min/);
    expect(() => x.clampMax(tensor([1]) as never)).toThrow(/tensor bounds are not supported/);
    expect(() => x.clampMax({ min: 1 } as never)).toThrow(/clampMax: unknown option 'min'; Valid options: max/);
    expect(() => x.clampMax('1' as never)).toThrow(/clampMax: expected max to be a number/);
  });

  it('gradient is 1 where the bound is not active', () => {
    const x = tensor([-1, 2], { requiresGrad: true });
    x.clampMin(0).sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 1]);
  });
});

describe('tolist', () => {
  it('is arraySync()', () => {
    expect(tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([true, false]).tolist()).toEqual([true, false]);
    const d = tensor([1]);
    d.dispose();
    expect(() => d.tolist()).toThrow(/tolist/);
  });

  it('points to await x.array() on a backend that cannot read synchronously', async () => {
    const cpu = new CpuBackend('spellings-async-src');
    const asyncOnly: Backend = Object.assign(Object.create(Object.getPrototypeOf(cpu) as object) as object, cpu, {
      name: 'spellings-async',
      readSync: undefined,
      read: (h: Parameters<Backend['read']>[0]) => cpu.read(h),
    });
    registerBackend('spellings-async', () => asyncOnly);
    const t = tensor([1, 2]).to('spellings-async');
    let err: unknown;
    try {
      t.tolist();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).kind).toBe('sync-read');
    expect((err as Error).message).toMatch(/tolist: backend 'spellings-async' cannot read synchronously; use `await x\.array\(\)`/);
    expect(await t.array()).toEqual([1, 2]);
    t.dispose();
  });
});

describe('shape and dtype spellings', () => {
  it('dim, nelement, viewAs, reshapeAs, expandAs, typeAs, long, cpu', () => {
    const x = arange(6);
    expect(zeros([2, 3, 1]).dim()).toBe(3);
    expect(zeros([2, 3]).nelement()).toBe(6);
    const v = x.viewAs(zeros([2, 3]));
    expect(v.shape).toEqual([2, 3]);
    expect(v._storage).toBe(x._storage);
    expect(x.reshapeAs(zeros([3, 2])).shape).toEqual([3, 2]);
    expect(tensor([[1], [2]]).expandAs(ones([2, 2])).tolist()).toEqual([[1, 1], [2, 2]]);
    expect(tensor([1, 2], { dtype: 'int32' }).typeAs(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
    const y = tensor([2.7, -2.7]).long();
    expect(y.dtype).toBe('int32');
    expect(y.tolist()).toEqual([2, -2]);
    expect(tensor([1]).cpu().backend).toBe('cpu');
    expect(() => x.viewAs([2, 3] as never)).toThrow(/viewAs: expected other to be a Tensor/);
    expect(() => x.expandAs(zeros([4]))).toThrow(/expand/);
  });

  it('gradients flow through viewAs, expandAs and typeAs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.viewAs(zeros([2, 1])).expandAs(zeros([2, 3])).typeAs(zeros([1], { dtype: 'float64' })).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it('leaves nothing behind', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = arange(6).reshape(2, 3);
      x.T.mT.t().clampMin(1).clampMax(4).viewAs(zeros([3, 2])).long().tolist();
    });
    expect(memory().numTensors).toBe(before);
  });
});
