import { describe, expect, it } from 'vitest';
import {
  NotSupportedError,
  arange,
  index,
  indexPut,
  maskedSelect,
  memory,
  noGrad,
  nonzero,
  nonzeroAsync,
  nonzeroStatic,
  tensor,
  tidy,
  zeros,
  type Backend,
  type Tensor,
} from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

// Expected values are written by hand (Python's results for the same subscripts on
// torch.arange(24).reshape(2, 3, 4) etc.).
const int = (d: number[] | number[][]): Tensor => tensor(d, { dtype: 'int32' });
const a24 = (): Tensor => arange(24).reshape([2, 3, 4]);

describe('nonzero', () => {
  it('row-major coordinates; NaN counts, -0 does not', () => {
    expect(nonzero(tensor([[0, NaN, -0], [2, 0, 0]])).arraySync()).toEqual([[0, 1], [1, 0]]);
    expect(nonzero(tensor([true, false, true])).arraySync()).toEqual([[0], [2]]);
    expect(nonzero(zeros([2, 0])).shape).toEqual([0, 2]);
    expect(nonzero(tensor(3)).shape).toEqual([1, 0]);
    expect(nonzero(tensor(0)).shape).toEqual([0, 0]);
    expect(nonzero(a24().transpose(0, 2).gt(20)).arraySync()).toEqual([[1, 2, 1], [2, 2, 1], [3, 2, 1]]);
  });
  it('nonzeroStatic pads with fillValue and truncates', () => {
    const x = tensor([0, 4, 0, 5, 6]);
    expect(nonzeroStatic(x, { size: 5, fillValue: 9 }).arraySync()).toEqual([[1], [3], [4], [9], [9]]);
    expect(nonzeroStatic(x, { size: 2 }).arraySync()).toEqual([[1], [3]]);
    expect(() => nonzeroStatic(x, { size: -1 })).toThrow(/non-negative integer/);
  });
  it('on a backend without sync reads: sync-read error naming nonzeroAsync; the async form works', async () => {
    const cpu = new CpuBackend('async-nz');
    const asyncOnly: Backend = Object.assign(Object.create(Object.getPrototypeOf(cpu)), cpu, {
      name: 'async-nz',
      readSync: undefined,
      read: (h: Parameters<Backend['read']>[0]) => cpu.read(h),
    });
    const x = fromArray(asyncOnly, new Float32Array([0, 1, 1]), [3], 'float32');
    let err: unknown;
    try {
      nonzero(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotSupportedError);
    expect((err as NotSupportedError).kind).toBe('sync-read');
    expect((err as Error).message).toMatch(/await nonzeroAsync\(x\)/);
    expect(() => maskedSelect(x, x.gt(0))).toThrow(/maskedSelectAsync/);
    expect(() => index(x, x.gt(0))).toThrow(/indexAsync/);
    expect(await (await nonzeroAsync(x)).array()).toEqual([[1], [2]]);
    expect(await (await x.indexAsync(x.gt(0))).array()).toEqual([1, 1]);
    expect(await nonzeroStatic(x, { size: 1 }).array()).toEqual([[1]]);
    x.indexAssign_([x.gt(0)], 5); // a one-element value needs no count
    expect(await x.array()).toEqual([0, 5, 5]);
    const v = fromArray(asyncOnly, new Float32Array([7, 8]), [2], 'float32');
    expect(() => x.indexAssign_([x.gt(0)], v)).toThrow(/await x.indexAssignAsync_/);
    await x.indexAssignAsync_([x.gt(0)], v);
    expect(await x.array()).toEqual([0, 7, 8]);
  });
});

describe('maskedSelect', () => {
  it('selects in row-major order with broadcasting, both ways', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(maskedSelect(x, tensor([true, false, true])).arraySync()).toEqual([1, 3, 4, 6]);
    expect(maskedSelect(tensor([1, 2]), tensor([[true, false], [false, true], [true, true]])).arraySync()).toEqual([1, 2, 1, 2]);
    expect(() => maskedSelect(x, x)).toThrow(/expected mask to be a bool tensor, got float32/);
  });
  it('gradient: scattered back, broadcast positions add up', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = maskedSelect(x, tensor([[true, false, true], [true, true, false]]));
    y.mul(tensor([1, 10, 100, 1000])).sum().backward();
    expect(x.grad!.arraySync()).toEqual([101, 1000, 10]);
  });
});

describe('indexPut / indexPut_ / maskedScatter_', () => {
  it('index_put with negative indices, broadcast indices and values', () => {
    const out = indexPut(zeros([2, 3]), [int([[0], [1]]), int([0, -1])], tensor([7, 8]));
    expect(out.arraySync()).toEqual([[7, 0, 8], [7, 0, 8]]);
    expect(indexPut(zeros([3, 2]), [int([2])], tensor([[1, 2]])).arraySync()).toEqual([[0, 0], [0, 0], [1, 2]]);
  });
  it('accumulate adds repeated indices; int32 and bool', () => {
    expect(indexPut(zeros([4], { dtype: 'int32' }), [int([1, 1, 3, 1])], 2, { accumulate: true }).arraySync()).toEqual([0, 6, 0, 2]);
    expect(indexPut(tensor([false, false, true]), [int([0])], true).arraySync()).toEqual([true, false, true]);
  });
  it('a bool mask in the tuple stands for its nonzero() columns', () => {
    expect(indexPut(zeros([2, 2]), [tensor([[true, false], [false, true]])], tensor([3, 4])).arraySync()).toEqual([[3, 0], [0, 4]]);
  });
  it('errors: out of bounds, shapes, dtype', () => {
    expect(() => indexPut(zeros([3]), [int([3])], 1)).toThrow(/index 3 is out of bounds for dimension 0 with size 3/);
    expect(() => indexPut(zeros([3]), [int([0, 1])], tensor([1, 2, 3]))).toThrow(/shape mismatch: values of shape \[3\] cannot be broadcast to the indexing result of shape \[2\]/);
    expect(() => indexPut(zeros([3]), [tensor([0.5])], 1)).toThrow(/int32 or bool tensor, got float32/);
    expect(() => indexPut(zeros([3]), [int([0]), int([0])], 1)).toThrow(/too many indices/);
  });
  it('indexPut_ writes through a view into shared storage and refuses leaves that require grad', () => {
    const base = zeros([2, 4]);
    const view = base.index(':', '1:');
    view.indexPut_([int([1]), int([2])], 5);
    expect(base.arraySync()).toEqual([[0, 0, 0, 0], [0, 0, 0, 5]]);
    const w = zeros([3], { requiresGrad: true });
    expect(() => w.indexPut_([int([0])], 1)).toThrow(/leaf tensor that requires grad cannot be modified in place/);
    noGrad(() => w.indexPut_([int([0])], 1));
    expect(w.arraySync()).toEqual([1, 0, 0]);
  });
  it('maskedScatter_ consumes source in order and checks its length', () => {
    const x = tensor([[1, 2], [3, 4]]);
    x.maskedScatter_(tensor([false, true]), tensor([10, 20, 30]));
    expect(x.arraySync()).toEqual([[1, 10], [3, 20]]);
    expect(() => x.maskedScatter_(x.gt(0), tensor([1]))).toThrow(/at least 4 elements/);
  });
});

describe('index (Python x[...])', () => {
  it('ints, slices (string and object), None, Ellipsis: views that share storage', () => {
    const x = a24();
    expect(x.index(1, -1).arraySync()).toEqual([20, 21, 22, 23]); // x[1, -1]
    expect(x.index('...', '::2').arraySync()).toEqual([[[0, 2], [4, 6], [8, 10]], [[12, 14], [16, 18], [20, 22]]]); // x[..., ::2]
    expect(x.index(0, { start: 1 }, '-2:').arraySync()).toEqual([[6, 7], [10, 11]]); // x[0, 1:, -2:]
    expect(x.index(null, 0, '...', null).shape).toEqual([1, 3, 4, 1]); // x[None, 0, ..., None]
    expect(x.index(':', '5:').shape).toEqual([2, 0, 4]); // x[:, 5:]
    const v = x.index(1, ':', 2);
    expect(v.storageOffset()).toBe(14);
    noGrad(() => v.fill_(-1));
    expect(x.index(1).arraySync()).toEqual([[12, 13, -1, 15], [16, 17, -1, 19], [20, 21, -1, 23]]);
  });
  it('advanced: one index tensor, several (adjacent: in place; separated: first), with a mask', () => {
    const x = a24();
    expect(x.index([1, 0]).shape).toEqual([2, 3, 4]); // x[[1, 0]]
    expect(x.index(':', [2, 0], 1).arraySync()).toEqual([[9, 1], [21, 13]]); // x[:, [2, 0], 1]
    expect(x.index(':', int([[0], [2]]), [1, 3]).arraySync()).toEqual([[[1, 3], [9, 11]], [[13, 15], [21, 23]]]); // x[:, [[0], [2]], [1, 3]]
    expect(x.index(':', int([[0], [2]]), [1, 3]).shape).toEqual([2, 2, 2]);
    expect(x.index([0, 1], ':', [0, 3]).arraySync()).toEqual([[0, 4, 8], [15, 19, 23]]); // x[[0, 1], :, [0, 3]]
    expect(x.index(1, [0, 2], '1:3').arraySync()).toEqual([[13, 14], [21, 22]]); // x[1, [0, 2], 1:3]
    expect(x.index(x.gt(20)).arraySync()).toEqual([21, 22, 23]); // x[x > 20]
    expect(x.index(':', [true, false, true], 0).arraySync()).toEqual([[0, 8], [12, 20]]); // x[:, [True, False, True], 0]
    expect(x.index(0, tensor([[true, false, false, false], [false, false, false, true], [false, false, false, false]])).arraySync()).toEqual([0, 7]);
  });
  it('is differentiable (views and advanced indexing)', () => {
    const x = arange(6).float().reshape([2, 3]).requiresGrad_();
    x.index(':', [0, 0, 2]).sum().backward(); // repeated index accumulates
    expect(x.grad!.arraySync()).toEqual([[2, 0, 1], [2, 0, 1]]);
    const y = zeros([2, 3], { requiresGrad: true });
    y.index(1, '1:').mul(tensor([2, 3])).sum().backward();
    expect(y.grad!.arraySync()).toEqual([[0, 0, 0], [0, 2, 3]]);
  });
  it('errors say what was expected', () => {
    const x = a24();
    expect(() => x.index(2)).toThrow(/index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => x.index(0, 0, 0, 0)).toThrow(/too many indices for a tensor of dimension 3/);
    expect(() => x.index('...', '...')).toThrow(/single ellipsis/);
    expect(() => x.index('::-1')).toThrow(/step must be greater than zero/);
    expect(() => x.index('1-2')).toThrow(/expected a slice string like '1:3'/);
    expect(() => x.index(':', [0, 5])).toThrow(/index 5 is out of bounds for dimension 1 with size 3/);
    expect(() => x.index(tensor([true, false, true]))).toThrow(/shape of the mask \[3\] does not match/);
    expect(() => x.index(int([0, 1]), int([0, 1, 2]))).toThrow(/could not be broadcast together/);
    expect(() => x.index(tensor(true))).toThrow(NotSupportedError);
  });
});

describe('indexAssign_ (Python x[...] = v)', () => {
  it('basic, advanced and mask assignment', () => {
    const x = zeros([3, 4]);
    x.indexAssign_([0], 1); // x[0] = 1
    x.indexAssign_(['1:', '::3'], tensor([2, 3])); // x[1:, ::3] = [2, 3]
    x.indexAssign_([[2, 1], [1, 2]], tensor([8, 9])); // x[[2, 1], [1, 2]] = [8, 9]
    expect(x.arraySync()).toEqual([[1, 1, 1, 1], [2, 0, 9, 3], [2, 8, 0, 3]]);
    x.indexAssign_([x.eq(1)], -1); // x[x == 1] = -1
    x.indexAssign_([x.gt(7)], tensor([80, 90])); // x[x > 7] = [80, 90] (row-major: 9 then 8)
    expect(x.arraySync()).toEqual([[-1, -1, -1, -1], [2, 0, 80, 3], [2, 90, 0, 3]]);
    x.indexAssign_([':', [0, 3]], tensor([[5], [6], [7]])); // x[:, [0, 3]] = [[5], [6], [7]]
    expect(x.index(':', [0, 3]).arraySync()).toEqual([[5, 5], [6, 6], [7, 7]]);
    const y = a24();
    y.indexAssign_([[0, 1], ':', [0, 3]], tensor([[-1, -2, -3], [-4, -5, -6]])); // separated: broadcast dims first
    expect(y.index([0, 1], ':', [0, 3]).arraySync()).toEqual([[-1, -2, -3], [-4, -5, -6]]);
    y.indexAssign_([1, [0, 2], '1:3'], 0); // adjacent after an int
    expect(y.index(1, [0, 2], '1:3').arraySync()).toEqual([[0, 0], [0, 0]]);
  });
  it('errors: shape mismatch, mask count, leaf requiring grad', () => {
    const x = zeros([2, 3]);
    expect(() => x.indexAssign_([':', 0], tensor([1, 2, 3]))).toThrow(/cannot be broadcast|does not fit/);
    expect(() => x.indexAssign_([x.eq(0)], tensor([1, 2]))).toThrow(/indexing result of shape \[6\]/);
    expect(() => x.indexAssign_([[0, 1], [0]], tensor([1, 2, 3]))).toThrow(/shape mismatch: value tensor of shape \[3\] cannot be broadcast to indexing result of shape \[2\]/);
    expect(() => zeros([2], { requiresGrad: true }).indexAssign_([0], 1)).toThrow(/cannot be modified in place/);
    expect(() => x.indexAssign_(0 as never, 1)).toThrow(/expected the index as an array of specs/);
  });
});

describe('memory', () => {
  it('indexing, assignment and their gradients do not leak', () => {
    const before = memory().numTensors;
    tidy(() => {
      const x = arange(12).float().reshape([3, 4]).requiresGrad_();
      x.index(x.gt(3)).sum().backward();
      x.index('1:', [0, 2]).sum().backward();
      maskedSelect(x, tensor([true, false, false, true])).sum().backward();
      const y = zeros([3, 4]);
      y.indexAssign_([y.eq(0)], 1);
      y.indexAssign_([y.eq(1)], arange(12).float());
      y.indexAssign_([[0, 2], ':'], 3);
      y.indexPut_([int([0])], tensor([1, 2, 3, 4]), { accumulate: true });
      y.maskedScatter_(y.gt(5), arange(12).float());
      nonzero(y);
    });
    expect(memory().numTensors).toBe(before);
  });
});
