// to / toAsync / float / double / int / bool, clone and contiguous: conversion semantics checked
// against hand-computed values, aliasing and ownership, backend moves, and gradients.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clone,
  contiguous,
  memory,
  registerBackend,
  removeBackend,
  tensor,
  tidy,
  to,
  toAsync,
} from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import { grad, gradcheck } from '@tensorgrad/autodiff';

let before = 0;
beforeEach(() => {
  before = memory().numTensors + memory('cpu-conv').numTensors;
});
afterEach(() => {
  expect(memory().numTensors + memory('cpu-conv').numTensors).toBe(before);
});
beforeAll(() => registerBackend('cpu-conv', () => new CpuBackend('cpu-conv')));
afterAll(() => removeBackend('cpu-conv'));

describe('to (dtype)', () => {
  it('converts like PyTorch: float -> int truncates, -> bool is != 0, bool -> 0/1', () => {
    tidy(() => {
      expect(tensor([2.9, -2.9, 0.5, -0.5]).to('int32').arraySync()).toEqual([2, -2, 0, 0]);
      expect(tensor([0, -0, 0.1, NaN, -Infinity]).bool().arraySync()).toEqual([false, false, true, true, true]);
      expect(tensor([true, false]).float().arraySync()).toEqual([1, 0]);
      expect(tensor([true, false]).int().arraySync()).toEqual([1, 0]);
      expect(tensor([3, 0], { dtype: 'int32' }).bool().arraySync()).toEqual([true, false]);
      expect(tensor([0.1], { dtype: 'float64' }).float().dataSync()[0]).toBe(Math.fround(0.1));
      expect(tensor([0.1]).double().dataSync()[0]).toBe(Math.fround(0.1));
      expect(tensor([1, 2]).to({ dtype: 'float64' }).dtype).toBe('float64');
      // strided input
      expect(tensor([[1.5, 2.5], [3.5, 4.5]]).transpose(0, 1).int().arraySync()).toEqual([[1, 3], [2, 4]]);
    });
  });

  it('a no-op returns a new view: disposing it does not free the input', () => {
    const x = tensor([1, 2]);
    const y = x.to('float32');
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    expect(x.arraySync()).toEqual([1, 2]);
    const z = x.to('cpu');
    expect(z).not.toBe(x);
    z.dispose();
    x.dispose();
  });

  it('rejects unknown targets', () => {
    tidy(() => {
      expect(() => tensor([1]).to('nope')).toThrow(/backend 'nope' is not registered/);
      expect(() => tensor([1]).to({ dtype: 'int8' as never })).toThrow(/to: unknown dtype int8/);
      expect(() => to(tensor([1]), 3 as never)).toThrow(/to: expected a dtype/);
      expect(() => to([1] as never, 'float32')).toThrow(/to: expected input to be a Tensor/);
    });
  });
});

describe('to (backend)', () => {
  it('moves data between backends, optionally converting', async () => {
    const x = tensor([[1.5, -2.5]]);
    const y = x.to('cpu-conv');
    expect(y.backend).toBe('cpu-conv');
    expect(y.arraySync()).toEqual([[1.5, -2.5]]);
    const z = x.to({ backend: 'cpu-conv', dtype: 'int32' });
    expect(z.backend).toBe('cpu-conv');
    expect(z.arraySync()).toEqual([[1, -2]]);
    const w = await toAsync(y, { backend: 'cpu', dtype: 'float64' });
    expect(w.backend).toBe('cpu');
    expect(w.dtype).toBe('float64');
    expect(await w.array()).toEqual([[1.5, -2.5]]);
    const v = await x.toAsync('bool');
    expect(v.arraySync()).toEqual([[true, true]]);
    for (const t of [x, y, z, w, v]) t.dispose();
  });

  it('gradients flow back across dtype and backend conversions', () => {
    tidy(() => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const y = x.double().mul(tensor([1, 2, 3], { dtype: 'float64' })).sum();
      expect(y.dtype).toBe('float64');
      y.backward();
      expect(x.grad!.dtype).toBe('float32');
      expect(x.grad!.arraySync()).toEqual([1, 2, 3]);
      const a = tensor([1, 2], { requiresGrad: true });
      const b = a.to('cpu-conv').mul(2).sum();
      b.backward();
      expect(a.grad!.backend).toBe('cpu');
      expect(a.grad!.arraySync()).toEqual([2, 2]);
      // float -> int is not differentiable
      expect(x.int().requiresGrad).toBe(false);
      expect(x.to('float32').requiresGrad).toBe(true);
    });
    tidy(() => {
      const x = tensor([0.3, -1.2], { dtype: 'float64' });
      expect(gradcheck((t) => t.to('float64').mul(t).contiguous().clone(), [x])).toBe(true);
    });
  });
});

describe('clone and contiguous', () => {
  it('clone copies into new storage and passes the gradient through', () => {
    tidy(() => {
      const x = tensor([[1, 2], [3, 4]]);
      const c = clone(x.transpose(0, 1));
      expect(c.isContiguous()).toBe(true);
      expect(c.arraySync()).toEqual([[1, 3], [2, 4]]);
      c.add_(10);
      expect(x.arraySync()).toEqual([[1, 2], [3, 4]]);
      const [g] = grad((t) => t.clone().mul(tensor([1, 2])).sum(), [tensor([5, 6])]);
      expect(g!.arraySync()).toEqual([1, 2]);
      g!.dispose(); // grad() results escape enclosing tidy scopes
    });
  });

  it('contiguous shares storage when already contiguous and copies otherwise', () => {
    tidy(() => {
      const x = tensor([[1, 2, 3], [4, 5, 6]]);
      const same = contiguous(x);
      expect(same).not.toBe(x);
      same.add_(1); // shares storage with x
      expect(x.arraySync()).toEqual([[2, 3, 4], [5, 6, 7]]);
      const t = x.transpose(0, 1);
      expect(t.isContiguous()).toBe(false);
      const c = t.contiguous();
      expect(c.isContiguous()).toBe(true);
      expect(c.arraySync()).toEqual([[2, 5], [3, 6], [4, 7]]);
      c.zero_();
      expect(x.arraySync()).toEqual([[2, 3, 4], [5, 6, 7]]);
      const [g] = grad((a) => a.transpose(0, 1).contiguous().mul(tensor([1, 10])).sum(), [tensor([[1, 1, 1], [1, 1, 1]])]);
      expect(g!.arraySync()).toEqual([[1, 1, 1], [10, 10, 10]]);
      g!.dispose();
    });
  });
});
