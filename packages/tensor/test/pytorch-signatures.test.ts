// PyTorch's positional forms bind like the options object, and spellings PyTorch users bring
// (axis, keep_dim, requires_grad, an argument too many) throw instead of being ignored.
import { describe, expect, it } from 'vitest';
import { cat, conv2d, maxPool2d, ones, randn, softmax, sum, tensor, type Tensor, type ValuesIndices } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';

const arr = (t: Tensor): unknown => t.arraySync();

describe('positional forms', () => {
  const x = randn([2, 3, 6, 6], { generator: undefined });
  const w = randn([4, 3, 3, 3]);
  const b = randn([4]);
  it('conv2d(x, w, b, 2, 1) ≡ conv2d(x, w, b, { stride: 2, padding: 1 })', () => {
    const p = conv2d(x, w, b, 2, 1);
    expect(p.shape).toEqual([2, 4, 3, 3]);
    expect(arr(p)).toEqual(arr(conv2d(x, w, b, { stride: 2, padding: 1 })));
    expect(arr(conv2d(x, w, null, 1, 0, 1, 1))).toEqual(arr(conv2d(x, w)));
    expect(arr(conv2d(x, w, { bias: b, stride: 2 } as never))).toEqual(arr(conv2d(x, w, b, 2)));
  });
  it('maxPool2d(x, 3, 1), x.sum(1, true), cat([a, b], 1)', () => {
    expect(arr(maxPool2d(x, 3, 1))).toEqual(arr(maxPool2d(x, { kernelSize: 3, stride: 1 })));
    const y = tensor([[1, 2], [3, 4]]);
    expect(arr(y.sum(1, true))).toEqual([[3], [7]]);
    expect(arr(cat([y, y], 1))).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
  });
});

describe('refused spellings name the key and the nearest valid one', () => {
  const y = tensor([[1, 2], [3, 4]]);
  it.each([
    ['cat(ts, { axis: 1 })', () => cat([y, y], { axis: 1 } as never), /cat: unknown option 'axis'; did you mean 'dim'\?/],
    ['x.sum({ axis: 1 })', () => y.sum({ axis: 1 } as never), /sum: unknown option 'axis'; did you mean 'dim'\?/],
    ['x.sum({ keep_dim: true })', () => y.sum({ keep_dim: true } as never), /sum: unknown option 'keep_dim'; did you mean 'keepdim'\?/],
    ['tensor([1], { requires_grad: true })', () => tensor([1], { requires_grad: true } as never), /tensor: unknown option 'requires_grad'; did you mean 'requiresGrad'\?/],
    ['softmax(x, { axis: -1 })', () => softmax(y, { axis: -1 } as never), /softmax: unknown option 'axis'; did you mean 'dim'\?/],
    ['conv2d(x, w, b, 1, 0, 1, 1, 7)', () => (conv2d as (...a: unknown[]) => Tensor)(ones([1, 1, 3, 3]), ones([1, 1, 2, 2]), null, 1, 0, 1, 1, 7), /conv2d: takes at most 5 positional arguments .* the extra value is 7/],
    ['sum(x, { dtype })', () => sum(y, { dtype: 'float64' } as never), /sum: PyTorch's argument 'dtype' .*is not supported by tensorgrad; cast the input first/],
    ['tensor(data, { device })', () => tensor([1], { device: 'cuda' } as never), /tensor: PyTorch's argument 'device' .*not supported.*backend/],
    ['x.to({ device })', () => y.to({ device: 'cpu' } as never), /to: unknown option 'device'; did you mean 'backend'\?/],
    ['maxPool2d({ return_indices })', () => maxPool2d(ones([1, 1, 2, 2]), { kernelSize: 2, return_indices: true } as never), /maxPool2d: unknown option 'return_indices'; did you mean 'returnIndices'\?/],
    ['relu(x, { inplace: true })', () => (y.relu as (...a: unknown[]) => Tensor)({ inplace: true }), /relu: PyTorch's argument 'inplace'/],
    ['x.view(2, 2, { shap: 1 })', () => (y.view as (...a: unknown[]) => Tensor)({ shap: [4] }), /view: unknown option 'shap'; did you mean 'shape'\?/],
  ])('%s', (_, fn, re) => {
    expect(fn).toThrow(TypeError);
    expect(fn).toThrow(re);
  });
});

describe('max/min with a dim return a named tuple', () => {
  it('destructures and has .values / .indices', () => {
    const x = tensor([[1, 5, 2], [7, 0, 7]]);
    const r: ValuesIndices = x.max(1);
    const [values, indices] = r;
    expect(arr(values)).toEqual([5, 7]);
    expect(arr(indices)).toEqual([1, 0]);
    expect(r.values).toBe(values);
    expect(r.indices).toBe(indices);
    expect(Array.isArray(r)).toBe(true);
    expect(r.length).toBe(2);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.keys(r)).toEqual(['0', '1']);
    const { values: mv } = x.min(0, true);
    expect(arr(mv)).toEqual([[1, 0, 2]]);
  });
});
