import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, maxPool2d, maxUnpool2d, ones, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

// Pooling gradients of an empty batch (found by the nn property sweeps, apps/fuzz): PyTorch gives
// an empty gradient of the input's shape (torch 1.13: max_pool2d, max_unpool2d and
// adaptive_avg_pool2d of a [0, C, H, W] input backpropagate to a [0, C, H, W] zero gradient).
describe('pooling backward with N = 0', () => {
  it('maxPool2d: the gradient of a [0, 2, 4, 4] input is [0, 2, 4, 4] (the rule reshaped with -1)', () => {
    const x = zeros([0, 2, 4, 4]).requiresGrad_();
    const y = maxPool2d(x, 2);
    expect(y.shape).toEqual([0, 2, 2, 2]);
    y.backward(zeros([0, 2, 2, 2]));
    expect(x.grad!.shape).toEqual([0, 2, 4, 4]);
    x.dispose();
  });

  it('maxUnpool2d of maxPool2d: the gradient of a [0, 2, 4, 4] input is [0, 2, 4, 4]', () => {
    const x = zeros([0, 2, 4, 4]).requiresGrad_();
    const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
    const y = maxUnpool2d(values, indices, 2);
    expect(y.shape).toEqual([0, 2, 4, 4]);
    y.backward(zeros([0, 2, 4, 4]));
    expect(x.grad!.shape).toEqual([0, 2, 4, 4]);
    x.dispose();
  });

  it('adaptiveAvgPool2d: the gradient of a [0, 1, 2, 1] input is [0, 1, 2, 1] (the backward op refused N = 0)', () => {
    const x = zeros([0, 1, 2, 1]).requiresGrad_();
    const y = adaptiveAvgPool2d(x, [2, 3]);
    y.backward(ones([0, 1, 2, 3]));
    expect(x.grad!.shape).toEqual([0, 1, 2, 1]);
    x.dispose();
  });
});
