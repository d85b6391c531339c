import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, DataLoader, fromTypedArray, indexSelect, manualSeed, memory, noGrad, TensorDataset, tidy } from 'tensorgrad';
import {
  buildModel,
  buildOptimizer,
  confusionMatrix,
  evaluate,
  loadFashionData,
  modelInputShape,
  trainEpoch,
  type FashionData,
} from '@tensorgrad/fashion-mnist';
import { NO_DATA } from './with-data.js';

describe('confusionMatrix', () => {
  it('counts (true, predicted) pairs like a hand count', () => {
    const targets = [0, 0, 1, 2, 2, 2, 1, 0];
    const predictions = [0, 1, 1, 2, 0, 2, 2, 0];
    // by hand: class 0 -> 0, 1, 0; class 1 -> 1, 2; class 2 -> 2, 0, 2
    expect(confusionMatrix(targets, predictions, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(confusionMatrix([], [], 2)).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('rejects mismatched lengths and out-of-range classes', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow('confusionMatrix: expected as many predictions as targets, got 1 predictions for 2 targets');
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow('confusionMatrix: example 1 has target 3 and prediction 1; expected class indices 0 to 2');
  });
});

describe.skipIf(NO_DATA)('on the first 300 test images', () => {
  let test: FashionData;
  beforeAll(async () => {
    test = await loadFashionData({ train: false, limit: 300, install: false });
  });
  afterAll(() => test?.dispose());

  describe('trainEpoch', () => {
    it('visits the examples in the permutation order, in batches with a partial last one', async () => {
      manualSeed(3);
      const model = buildModel('mlp');
      const opt = buildOptimizer('sgd', model.parameters(), 0.01);
      const n = 40;
      const data = { images: test.images.narrow(0, 0, n), labels: test.labels.narrow(0, 0, n) };
      // the order of epoch 2 of a DataLoader shuffling with seed 5, as trainEpoch uses
      const order = Int32Array.from(new DataLoader(new TensorDataset(data.images, data.labels), { batchSize: 16, shuffle: true, seed: 5, epoch: 2 }).batchIndices().flat());
      // the first batch's loss, computed independently before any update
      const first = tidy(() =>
        noGrad(() => {
          const idx = fromTypedArray(order.subarray(0, 16), [16]);
          const x = indexSelect(data.images, idx, { dim: 0 }).reshape([16, 784]);
          return crossEntropy(model.call(x), indexSelect(data.labels, idx, { dim: 0 })).itemSync() as number;
        }),
      );
      const sizes: number[] = [];
      const r = await trainEpoch(model, opt, data, { epoch: 2, seed: 5, batchSize: 16, inputShape: modelInputShape('mlp'), onBatch: (b) => sizes.push(b.size) });
      expect(sizes).toEqual([16, 16, 8]);
      expect(r.batchLosses).toHaveLength(3);
      expect(r.batchLosses[0]).toBe(first);
      // the epoch loss weights each batch's mean by its size
      expect(r.loss).toBeCloseTo((16 * r.batchLosses[0]! + 16 * r.batchLosses[1]! + 8 * r.batchLosses[2]!) / 40, 12);
      opt.dispose();
      model.dispose();
      data.images.dispose();
      data.labels.dispose();
    });

    it.each(['mlp', 'cnn'] as const)('keeps the number of live tensors flat across an epoch (%s)', async (kind) => {
      manualSeed(0);
      const model = buildModel(kind);
      const opt = buildOptimizer('adam', model.parameters(), 1e-3);
      const n = kind === 'cnn' ? 40 : 160;
      const data = { images: test.images.narrow(0, 0, n), labels: test.labels.narrow(0, 0, n) };
      const before = memory().numTensors;
      const counts: number[] = [];
      await trainEpoch(model, opt, data, { epoch: 1, batchSize: 8, inputShape: modelInputShape(kind), onBatch: () => counts.push(memory().numTensors) });
      expect(counts).toHaveLength(n / 8);
      // after the first step only Adam's two moment tensors per parameter (and the gradients) were added
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(counts[0]).toBe(counts[1]);
      const params = model.parameters().length;
      expect(counts[0]! - before).toBe(3 * params); // a gradient, exp_avg and exp_avg_sq per parameter
      opt.dispose();
      model.zeroGrad();
      expect(memory().numTensors).toBe(before);
      model.dispose();
      data.images.dispose();
      data.labels.dispose();
    });
  });

  describe('evaluate', () => {
    it('agrees with an independent computation of loss, predictions and confusion matrix', async () => {
      manualSeed(1);
      const model = buildModel('mlp');
      const r = await evaluate(model, test, { batchSize: 128, inputShape: [784] });
      // independently: the logits of all 300 images at once, softmax and argmax in float64 here
      const logits = tidy(() => noGrad(() => model.call(test.images.reshape([300, 784])).dataSync() as Float32Array));
      const labels = test.labels.dataSync() as Int32Array;
      let loss = 0;
      const hand = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
      for (let i = 0; i < 300; i++) {
        const row = [...logits.subarray(i * 10, i * 10 + 10)];
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        loss += lse - row[labels[i]!]!;
        const pred = row.indexOf(max);
        expect(r.predictions[i]).toBe(pred);
        hand[labels[i]!]![pred]!++;
      }
      expect(r.confusion).toEqual(hand);
      expect(r.loss).toBeCloseTo(loss / 300, 5);
      expect(r.accuracy).toBe(hand.reduce((s, row, k) => s + row[k]!, 0) / 300);
      expect(model.training).toBe(true);
      model.dispose();
    });
  });
});
