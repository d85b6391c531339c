// In-place ops: values, `this` returned, writes through views into the base tensor, broadcasting
// and dtype rules, autodiff safety (leaves that require grad), and no leaked temporaries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Generator,
  memory,
  noGrad,
  ones,
  registerBackend,
  removeBackend,
  tensor,
  tidy,
  zeros,
} from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

let before = 0;
beforeEach(() => {
  before = memory().numTensors;
});
afterEach(() => {
  expect(memory().numTensors).toBe(before);
});

describe('arithmetic in place', () => {
  it('add_, sub_, mul_, div_, clamp_ compute like their out-of-place ops and return this', () => {
    tidy(() => {
      const x = tensor([1, 2, 3]);
      expect(x.add_(1)).toBe(x);
      expect(x.arraySync()).toEqual([2, 3, 4]);
      x.add_(tensor([1, 1, 1]), { alpha: 10 });
      expect(x.arraySync()).toEqual([12, 13, 14]);
      expect(x.sub_(tensor(2), { alpha: 3 })).toBe(x);
      expect(x.arraySync()).toEqual([6, 7, 8]);
      expect(x.mul_(0.5)).toBe(x);
      expect(x.arraySync()).toEqual([3, 3.5, 4]);
      expect(x.div_(tensor([3, 7, -8]))).toBe(x);
      expect(x.arraySync()).toEqual([1, 0.5, -0.5]);
      expect(x.clamp_(0, 0.75)).toBe(x);
      expect(x.arraySync()).toEqual([0.75, 0.5, 0]);
      x.clamp_({ min: 0.6 });
      expect(x.arraySync()).toEqual([0.75, Math.fround(0.6), Math.fround(0.6)]);
      const i = tensor([7, -7], { dtype: 'int32' });
      i.div_(2, { roundingMode: 'trunc' });
      expect(i.arraySync()).toEqual([3, -3]);
      expect(i.dtype).toBe('int32');
      i.mul_(3).add_(1);
      expect(i.arraySync()).toEqual([10, -8]);
    });
  });

  it('broadcasts the other operand but never the tensor being modified', () => {
    tidy(() => {
      const x = zeros([2, 3]);
      x.add_(tensor([1, 2, 3])).mul_(tensor([[1], [-1]]));
      expect(x.arraySync()).toEqual([[1, 2, 3], [-1, -2, -3]]);
      expect(() => tensor([1, 2, 3]).add_(zeros([2, 3]))).toThrow(/add_: the result of shape \[2,3\] does not fit .* of shape \[3\]/);
      expect(() => tensor([1, 2]).mul_(zeros([3]))).toThrow(/cannot be broadcast/);
    });
  });

  it('refuses to store a float result in an integer tensor (as PyTorch does)', () => {
    tidy(() => {
      const i = tensor([1, 2], { dtype: 'int32' });
      expect(() => i.add_(0.5)).toThrow(/add_: result type float32 can't be cast to the desired output type int32/);
      expect(() => i.div_(2)).toThrow(/div_: result type float32 can't be cast/);
      expect(i.arraySync()).toEqual([1, 2]);
      const f = tensor([1.5, 2.5]);
      f.add_(tensor([1, 1], { dtype: 'int32' }));
      expect(f.arraySync()).toEqual([2.5, 3.5]);
    });
  });

  it('writes through strided views into the shared storage', () => {
    tidy(() => {
      const base = tensor([[1, 2, 3], [4, 5, 6]]);
      base.transpose(0, 1).mul_(tensor([1, 10])); // column-wise on the transpose = row-wise on base
      expect(base.arraySync()).toEqual([[1, 2, 3], [40, 50, 60]]);
      base.select(1, 2).add_(100);
      expect(base.arraySync()).toEqual([[1, 2, 103], [40, 50, 160]]);
      const flat = base.view(-1);
      flat.narrow(0, 1, 2).zero_();
      expect(base.arraySync()).toEqual([[1, 0, 0], [40, 50, 160]]);
      base.slice(1, 0, 3, 2).fill_(-1);
      expect(base.arraySync()).toEqual([[-1, 0, -1], [-1, 50, -1]]);
    });
  });

  it('rejects writing into an expanded view', () => {
    tidy(() => {
      const e = tensor([1]).expand([3]);
      expect(() => e.add_(1)).toThrow(/more than one element .* expanded view/);
    });
  });
});

describe('fill_, zero_, copy_', () => {
  it('fill_ converts the value to the dtype and accepts 0-d tensors', () => {
    tidy(() => {
      expect(zeros([2], { dtype: 'int32' }).fill_(2.9).arraySync()).toEqual([2, 2]);
      expect(zeros([2], { dtype: 'int32' }).fill_(-2.9).arraySync()).toEqual([-2, -2]);
      expect(zeros([2], { dtype: 'bool' }).fill_(0.5).arraySync()).toEqual([true, true]);
      expect(ones([2]).fill_(false).arraySync()).toEqual([0, 0]);
      expect(zeros([2]).fill_(NaN).arraySync()).toEqual([NaN, NaN]);
      expect(zeros([2, 2]).fill_(tensor(3.5, { dtype: 'float64' })).arraySync()).toEqual([[3.5, 3.5], [3.5, 3.5]]);
      expect(ones([2, 2], { dtype: 'bool' }).zero_().arraySync()).toEqual([[false, false], [false, false]]);
      expect(() => zeros([2]).fill_(tensor([1, 2]))).toThrow(/fill_: only supports a 0-dimensional value tensor/);
      expect(() => zeros([2]).fill_('1' as never)).toThrow(/fill_: expected value to be a number/);
    });
  });

  it('copy_ broadcasts, casts and handles overlapping views', () => {
    tidy(() => {
      const x = zeros([2, 2]);
      x.copy_(tensor([1, 2]));
      expect(x.arraySync()).toEqual([[1, 2], [1, 2]]);
      const i = zeros([3], { dtype: 'int32' }).copy_(tensor([1.9, -1.9, 0.2]));
      expect(i.arraySync()).toEqual([1, -1, 0]);
      const b = zeros([2], { dtype: 'bool' }).copy_(tensor([0, -3]));
      expect(b.arraySync()).toEqual([false, true]);
      const m = tensor([[1, 2], [3, 4]]);
      m.copy_(m.transpose(0, 1)); // source and destination share storage
      expect(m.arraySync()).toEqual([[1, 3], [2, 4]]);
      expect(() => zeros([2]).copy_([1, 2] as never)).toThrow(/copy_: expected src to be a Tensor/);
      expect(() => zeros([2]).copy_(zeros([3]))).toThrow(/cannot be broadcast/);
    });
  });

  it('copy_ takes data from another backend', () => {
    registerBackend('cpu-inplace', () => new CpuBackend('cpu-inplace'));
    try {
      const src = tensor([5, 6], { backend: 'cpu-inplace' });
      const dst = zeros([2]);
      dst.copy_(src);
      expect(dst.arraySync()).toEqual([5, 6]);
      expect(dst.backend).toBe('cpu');
      src.dispose();
      dst.dispose();
    } finally {
      removeBackend('cpu-inplace');
    }
  });
});

describe('uniform_ and normal_', () => {
  it('fill views with reproducible random values', () => {
    tidy(() => {
      const a = zeros([2, 4]);
      a.narrow(1, 0, 2).uniform_(1, 2, { generator: new Generator(9) });
      const d = a.arraySync() as number[][];
      for (const row of d) {
        expect(row[0]).toBeGreaterThanOrEqual(1);
        expect(row[1]).toBeLessThan(2);
        expect(row.slice(2)).toEqual([0, 0]);
      }
      const b = zeros([2, 2]).uniform_(1, 2, { generator: new Generator(9) });
      expect(b.arraySync()).toEqual(d.map((r) => r.slice(0, 2)));
      const n1 = zeros([5]).normal_(0, 1, { generator: new Generator(4) }).dataSync();
      const n2 = zeros([5]).normal_(0, 1, { generator: new Generator(4) }).dataSync();
      expect(n2).toEqual(n1);
      const n3 = zeros([5]).normal_(10, 0, { generator: new Generator(4) });
      expect(n3.arraySync()).toEqual([10, 10, 10, 10, 10]);
    });
  });

  it('reject integer tensors and bad parameters', () => {
    tidy(() => {
      expect(() => zeros([2], { dtype: 'int32' }).uniform_()).toThrow(/uniform_: expected a floating-point tensor, got dtype int32/);
      expect(() => zeros([2]).uniform_(2, 1)).toThrow(/from <= to/);
      expect(() => zeros([2]).normal_(0, -1)).toThrow(/std >= 0/);
      expect(() => zeros([2]).normal_(0, 1, { generator: 3 as never })).toThrow(/Generator/);
    });
  });
});

describe('autodiff safety', () => {
  it('refuses to modify a leaf that requires grad unless inside noGrad', () => {
    tidy(() => {
      const w = tensor([1, 2], { requiresGrad: true });
      expect(() => w.add_(1)).toThrow(/add_: a leaf tensor that requires grad cannot be modified in place .* noGrad/);
      expect(() => w.zero_()).toThrow(/zero_: a leaf tensor/);
      expect(() => w.uniform_()).toThrow(/uniform_: a leaf tensor/);
      noGrad(() => {
        w.sub_(tensor([0.5, 0.5]), { alpha: 2 });
        w.normal_(0, 0);
        w.add_(3);
      });
      expect(w.arraySync()).toEqual([3, 3]);
      expect(w.requiresGrad).toBe(true);
      expect(w.isLeaf).toBe(true);
    });
  });

  it('refuses to modify a recorded result and does not record in-place ops', () => {
    tidy(() => {
      const w = tensor([1, 2], { requiresGrad: true });
      const y = w.mul(2);
      expect(() => y.mul_(2)).toThrow(/mul_: a tensor that is part of an autodiff graph/);
      const z = noGrad(() => w.mul(2));
      z.mul_(2);
      expect(z.requiresGrad).toBe(false);
      expect(z.gradFn).toBe(null);
      // an optimizer-style update of a parameter keeps its gradient usable
      w.mul(3).sum().backward();
      noGrad(() => w.sub_(w.grad!, { alpha: 0.1 }));
      expect(w.dataSync()).toEqual(new Float32Array([1 - 0.3, 2 - 0.3]));
    });
  });
});
