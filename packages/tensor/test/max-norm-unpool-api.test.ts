// The calling conventions and errors of maximum/minimum, norm, maxPool2d's returnIndices and
// maxUnpool2d (their values are checked against PyTorch in max-norm-unpool-pytorch.test.ts).
import { describe, expect, it } from 'vitest';
import { maximum, maxPool2d, maxUnpool2d, minimum, norm, ones, randn, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

describe('maximum / minimum', () => {
  it('promote dtypes and refuse numbers, bools and extra arguments', () => {
    const i = tensor([1, 5], { dtype: 'int32' });
    const f = tensor([2.5, 2.5], { dtype: 'float64' });
    expect(maximum(i, f).dtype).toBe('float64');
    expect(Array.from(minimum(i, tensor([3, 3], { dtype: 'int32' })).dataSync())).toEqual([1, 3]);
    expect(() => maximum(i, 2 as never)).toThrow(/expected other to be a Tensor, got number; for a number use clamp\(x, \{ min: v \}\)/);
    expect(() => minimum(tensor([true]), tensor([false]))).toThrow(/two bool tensors/);
    expect(() => (maximum as (...a: unknown[]) => unknown)(i, i, { alpha: 1 })).toThrow(/maximum: unknown option 'alpha'/);
    expect(() => maximum(ones([2]), ones([3]))).toThrow(RangeError);
  });
});

describe('norm', () => {
  it("accepts PyTorch's positional form, 'fro' and a dtype", async () => {
    const x = tensor([[3, 4], [6, 8]]);
    expect(Array.from(norm(x, 2, 1).dataSync())).toEqual([5, 10]);
    expect(norm(x, 'fro', [0, 1], true).shape).toEqual([1, 1]);
    expect(norm(x, { dtype: 'float64' }).dtype).toBe('float64');
    expect(await norm(x, { p: -Infinity }).item()).toBe(3);
    expect(await norm(tensor(-2), { p: Infinity }).item()).toBe(2);
  });
  it('refuses integer inputs, unknown orders and dtypes, and the ±Infinity norm of nothing', () => {
    expect(() => norm(tensor([1, 2], { dtype: 'int32' }))).toThrow(/floating point input, got int32; convert it with \.float\(\)/);
    expect(() => norm(ones([2, 2]), { p: 'nuc' as never })).toThrow(/'nuc' .* not supported/);
    expect(() => norm(ones([2]), { p: 'two' as never })).toThrow(/expected p to be a number/);
    expect(() => norm(ones([2]), { dtype: 'int32' })).toThrow(/floating dtype/);
    expect(() => norm(zeros([0]), { p: Infinity })).toThrow(/empty tensor/);
    expect(() => norm(ones([2]), { ord: 2 } as never)).toThrow(/unknown option 'ord'/);
  });

  it('±Infinity over an empty reduction: an empty result when the output is empty (as PyTorch), else the error', () => {
    // torch.linalg.vector_norm(torch.zeros(4, 3, 0, 1), -inf, dim=[0, 3], keepdim=True).shape == [1, 3, 0, 1]
    expect(norm(zeros([4, 3, 0, 1]), { p: -Infinity, dim: [0, 3], keepdim: true }).shape).toEqual([1, 3, 0, 1]);
    expect(norm(zeros([0, 2]), { p: Infinity, dim: 1 }).shape).toEqual([0]);
    const x = zeros([2, 0]).requiresGrad_();
    norm(x, { p: Infinity, dim: 0 }).backward(zeros([0]));
    expect(x.grad!.shape).toEqual([2, 0]);
    expect(() => norm(zeros([3, 0]), { p: Infinity, dim: 1 })).toThrow(/empty tensor/);
  });
});

describe('maxPool2d returnIndices / maxUnpool2d', () => {
  it('returns plane indices for unbatched inputs too, and undoes them', async () => {
    const x = randn([2, 4, 4]);
    const { values, indices } = maxPool2d(x, 2, { returnIndices: true });
    expect(indices.shape).toEqual([2, 2, 2]);
    const [v2, i2] = maxPool2d(x, 2, null, 0, 1, false, true);
    expect(Array.from(i2.dataSync())).toEqual(Array.from(indices.dataSync()));
    const back = maxUnpool2d(values, indices, 2);
    expect(back.shape).toEqual([2, 4, 4]);
    // the unpooled values sit where they came from, zeros elsewhere
    expect(Array.from(back.reshape([2, 16]).gather(indices.reshape([2, 4]), 1).dataSync())).toEqual(Array.from(values.dataSync()));
    expect(await back.ne(0).sum().item()).toBe(8);
    expect(Array.from(v2.dataSync())).toEqual(Array.from(values.dataSync()));
    expect(() => maxPool2d(x, { kernelSize: 2, returnIndices: 'yes' as never })).toThrow(/returnIndices to be a boolean/);
  });
  it('refuses bad indices, shapes and output sizes', () => {
    const v = ones([1, 1, 2, 2]);
    const idx = tensor([[[[0, 3], [8, 15]]]], { dtype: 'int32' });
    expect(maxUnpool2d(v, idx, { kernelSize: 2, outputSize: [1, 1, 5, 5] }).shape).toEqual([1, 1, 5, 5]);
    expect(() => maxUnpool2d(v, tensor([[[[0, 3], [8, 16]]]], { dtype: 'int32' }), 2)).toThrow(/invalid max index 16 .*\[0, 15\]/);
    expect(() => maxUnpool2d(v, tensor([[[[0, -1], [8, 15]]]], { dtype: 'int32' }), 2)).toThrow(/invalid max index -1/);
    expect(() => maxUnpool2d(v, idx.float(), 2)).toThrow(/int32 tensor, got float32/);
    expect(() => maxUnpool2d(v, idx.reshape([1, 1, 4]), 2)).toThrow(/expected indices to have the input's shape/);
    expect(() => maxUnpool2d(v, idx, { kernelSize: 2, outputSize: [6, 4] })).toThrow(/invalid outputSize \[6,4\]: dimension 0 must be between 3 and 5/);
    expect(() => (maxUnpool2d as (...a: unknown[]) => unknown)(v, idx, {})).toThrow(/missing required argument kernelSize/);
    expect(() => maxUnpool2d(v, idx, { kernelSize: 2, output_size: [4, 4] } as never)).toThrow(/did you mean 'outputSize'/);
  });
});
