import { describe, expect, it } from 'vitest';
import { matmul, ones, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

// Gradients through operands with a zero-size dim (found by the property sweeps, apps/fuzz):
// PyTorch returns zero gradients of the operands' shapes (checked with torch 1.13).
describe('matmul backward with zero-size operands (batched input, one weight matrix)', () => {
  it('[0, 1, 4] · [0, 4]ᵀ: N = 0, gradients of shapes [0, 1, 4] and [0, 4]', () => {
    const a = zeros([0, 1, 4]).requiresGrad_();
    const w = zeros([0, 4]).requiresGrad_();
    const y = matmul(a, w.transpose(0, 1));
    expect(y.shape).toEqual([0, 1, 0]);
    y.backward(zeros([0, 1, 0]));
    expect(a.grad!.shape).toEqual([0, 1, 4]);
    expect(w.grad!.shape).toEqual([0, 4]);
    a.dispose();
    w.dispose();
  });

  it('[2, 3, 0] · [0, 4]: K = 0, the weight gradient is [0, 4] and the input gradient [2, 3, 0]', () => {
    const a = zeros([2, 3, 0]).requiresGrad_();
    const w = zeros([0, 4]).requiresGrad_();
    const y = matmul(a, w);
    expect(Array.from(y.dataSync())).toEqual(new Array(24).fill(0));
    y.backward(ones([2, 3, 4]));
    expect(a.grad!.shape).toEqual([2, 3, 0]);
    expect(w.grad!.shape).toEqual([0, 4]);
    a.dispose();
    w.dispose();
  });

  it('[2, 0, 3] · [3, 2]: M = 0, the weight gradient is all zeros', () => {
    const a = zeros([2, 0, 3]).requiresGrad_();
    const w = tensor([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
    matmul(a, w).backward(zeros([2, 0, 2]));
    expect(Array.from(w.grad!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    a.dispose();
    w.dispose();
  });
});
