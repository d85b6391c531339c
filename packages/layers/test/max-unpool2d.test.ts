// MaxPool2d's returnIndices and MaxUnpool2d: the layer forms of maxPool2d(…, { returnIndices })
// and maxUnpool2d, checked against the functional ops and by hand.
import { describe, expect, it } from 'vitest';
import { maxPool2d, maxUnpool2d, randn, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { MaxPool2d, MaxUnpool2d, Sequential } from '@tensorgrad/layers';

describe('MaxPool2d({ returnIndices: true }) and MaxUnpool2d', () => {
  it('gives the functional values and indices, positionally or by name', () => {
    const x = randn([2, 3, 6, 6]);
    const f = maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    for (const pool of [new MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true }), new MaxPool2d(3, 2, 1, 1, true)]) {
      const { values, indices } = pool.call(x);
      expect(Array.from(values.dataSync())).toEqual(Array.from(f.values.dataSync()));
      expect(Array.from(indices.dataSync())).toEqual(Array.from(f.indices.dataSync()));
    }
    expect(new MaxPool2d(3, { stride: 2, padding: 1 }).call(x).shape).toEqual([2, 3, 3, 3]);
  });

  it('unpools to the pooled positions, with outputSize positionally or by name', async () => {
    const x = tensor([[[[1, 9, 2], [3, 4, 5], [6, 7, 8]]]]);
    const { values, indices } = new MaxPool2d(2, { stride: 1, returnIndices: true }).call(x);
    const unpool = new MaxUnpool2d(2, { stride: 1 });
    expect(await unpool.call(values, indices).array()).toEqual([[[[0, 9, 0], [0, 0, 0], [0, 7, 8]]]]);
    expect(unpool.call(values, indices, [3, 3]).shape).toEqual([1, 1, 3, 3]);
    expect(unpool.call(values, indices, { outputSize: [3, 3] } as never).shape).toEqual([1, 1, 3, 3]);
    const ref = maxUnpool2d(values, indices, 2, 1);
    expect(Array.from(unpool.call(values, indices).dataSync())).toEqual(Array.from(ref.dataSync()));
  });

  it('passes the gradient back through unpool and pool to the maxima', async () => {
    const x = tensor([[[[1, 2, 0, 0], [3, 4, 0, 5], [0, 0, 0, 0], [0, 6, 0, 0]]]], { requiresGrad: true });
    const { values, indices } = new MaxPool2d(2, { returnIndices: true }).call(x);
    const y: Tensor = new MaxUnpool2d(2).call(values, indices);
    y.mul(tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]])).sum().backward();
    // each maximum gets the weight at its own position (an all-zero window: its first element); everything else 0
    expect(await x.grad!.array()).toEqual([[[[0, 0, 0, 0], [0, 6, 0, 8], [0, 0, 11, 0], [0, 14, 0, 0]]]]);
  });

  it('a plain MaxPool2d stays a Tensor-valued layer in a Sequential', () => {
    const seq = new Sequential(new MaxPool2d(2), new MaxPool2d(2));
    expect((seq.call(randn([1, 1, 8, 8])) as Tensor).shape).toEqual([1, 1, 2, 2]);
  });
});
