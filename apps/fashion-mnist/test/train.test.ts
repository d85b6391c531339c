import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, DataLoader, fromTypedArray, indexSelect, Linear, manualSeed, memory, noGrad, SGD, tensor, TensorDataset, tidy } from 'tensorgrad';
import {
  buildModel,
  buildOptimizer,
  confusionMatrix,
  evaluate,
  fit,
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

describe('awaiting onBatch and stopping with a signal (how the web page pauses and stops)', () => {
  const setup = () => {
    manualSeed(0);
    const model = new Linear(4, 3);
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const images = tensor(Array.from({ length: 10 }, (_, i) => [i % 3, (i * 7) % 5, 1, -i / 10]));
    const labels = tensor(Array.from({ length: 10 }, (_, i) => i % 3), { dtype: 'int32' });
    const data = { images, labels };
    const dispose = (): void => {
      opt.dispose();
      model.dispose();
      images.dispose();
      labels.dispose();
    };
    return { model, opt, data, dispose };
  };

  it('waits for a promised onBatch before the next batch', async () => {
    const { model, opt, data, dispose } = setup();
    const events: string[] = [];
    await trainEpoch(model, opt, data, {
      epoch: 1,
      batchSize: 4,
      onBatch: async (b) => {
        events.push(`start ${b.batch}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`end ${b.batch}`);
      },
    });
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    dispose();
  });

  it('ends the epoch after the batch in progress, keeping the updates, without leaking', async () => {
    const { model, opt, data, dispose } = setup();
    const before = memory().numTensors;
    const stop = new AbortController();
    const r = await trainEpoch(model, opt, data, { epoch: 1, batchSize: 2, signal: stop.signal, onBatch: (b) => void (b.batch === 2 && stop.abort()) });
    expect(r.stopped).toBe(true);
    expect(r.batchLosses).toHaveLength(2);
    expect(r.loss).toBeCloseTo((r.batchLosses[0]! + r.batchLosses[1]!) / 2, 12);
    // the same two batches without a signal give the same weights: the updates were kept
    const weights = await model.weight.array();
    const again = setup();
    let n = 0;
    const ref = new AbortController();
    await trainEpoch(again.model, again.opt, again.data, { epoch: 1, batchSize: 2, signal: ref.signal, onBatch: () => void (++n === 2 && ref.abort()) });
    expect(await again.model.weight.array()).toEqual(weights);
    again.dispose();
    const done = await trainEpoch(model, opt, data, { epoch: 2, batchSize: 2, signal: new AbortController().signal });
    expect(done.stopped).toBe(false);
    opt.zeroGrad();
    expect(memory().numTensors - before).toBe(0);
    dispose();
  });

  it('fit returns the epochs completed before the stop, without evaluating the interrupted one', async () => {
    const { model, opt, data, dispose } = setup();
    const stop = new AbortController();
    const evaluated: number[] = [];
    const history = await fit(model, opt, data, data, {
      epochs: 5,
      batchSize: 4,
      signal: stop.signal,
      onBatch: (b) => void (b.epoch === 2 && b.batch === 1 && stop.abort()),
      onEvaluate: (epoch) => void evaluated.push(epoch),
    });
    expect(history.map((h) => h.epoch)).toEqual([1]);
    expect(evaluated).toEqual([1]);
    // a stop during an epoch's last batch completes its training, but neither evaluates nor reports it
    const last = new AbortController();
    const trained: number[] = [];
    const more = await fit(model, opt, data, data, {
      epochs: 5,
      startEpoch: 3,
      batchSize: 4,
      signal: last.signal,
      onBatch: (b) => void (b.batch === b.batches && (trained.push(b.epoch), last.abort())),
      onEvaluateBatch: () => void evaluated.push(-1),
    });
    expect(more).toEqual([]);
    expect(trained).toEqual([3]);
    expect(evaluated).toEqual([1]);
    dispose();
  });

  it('a stop during evaluation ends it after the batch in progress and leaves the epoch unreported', async () => {
    const { model, opt, data, dispose } = setup();
    const before = memory().numTensors;
    const stop = new AbortController();
    const done: number[] = [];
    const reported: number[] = [];
    const history = await fit(model, opt, data, data, {
      epochs: 3,
      batchSize: 4,
      evalBatchSize: 3,
      signal: stop.signal,
      onEvaluateBatch: (n) => void (done.push(n), stop.abort()),
      onEpoch: (m) => void reported.push(m.epoch),
    });
    // one of the four evaluation batches ran, then nothing: no epoch 1 metrics, no epoch 2
    expect(done).toEqual([3]);
    expect(history).toEqual([]);
    expect(reported).toEqual([]);
    // evaluate itself: the result covers the examples evaluated and says it stopped
    const part = new AbortController();
    const r = await evaluate(model, data, { batchSize: 4, signal: part.signal, onBatch: () => part.abort() });
    const full = await evaluate(model, data, { batchSize: 4 });
    expect([r.stopped, full.stopped]).toEqual([true, false]);
    expect([...r.predictions]).toEqual([...full.predictions.subarray(0, 4)]);
    expect(r.confusion.flat().reduce((a, b) => a + b)).toBe(4);
    const none = new AbortController();
    none.abort();
    const empty = await evaluate(model, data, { signal: none.signal });
    expect([empty.stopped, empty.predictions.length, empty.confusion, Number.isNaN(empty.accuracy)]).toEqual([true, 0, [], true]);
    opt.zeroGrad();
    expect(memory().numTensors - before).toBe(0);
    dispose();
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
      const r = await trainEpoch(model, opt, data, { epoch: 2, seed: 5, batchSize: 16, inputShape: modelInputShape('mlp'), onBatch: (b) => void sizes.push(b.size) });
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
      await trainEpoch(model, opt, data, { epoch: 1, batchSize: 8, inputShape: modelInputShape(kind), onBatch: () => void counts.push(memory().numTensors) });
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
