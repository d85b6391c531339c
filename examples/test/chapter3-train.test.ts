// The chapter 3 training helper checked against independent computations on tiny synthetic data:
// the loss/accuracy of `evaluate`, the penalties, the batching of `trainEpoch`, the scheduler hook
// of `fit`, reproducibility, the runner's argument parsing, and that nothing leaks.
import { describe, expect, it } from 'vitest';
import { Adam, DataLoader, Generator, Linear, memory, noGrad, SGD, tensor, TensorDataset, tidy } from 'tensorgrad';
import {
  EXPERIMENTS,
  evaluate,
  fit,
  formatResult,
  ImageSplits,
  l1Penalty,
  l2Penalty,
  runScaling,
  trainEpoch,
  type ValidationScheduler,
} from '../src/chapter3/index.js';
import { parseExperimentArgs, runExperiments } from '../src/experiments.js';
import { CHAPTER5_6_EXPERIMENTS } from '../src/chapter5-6/index.js';

/** Row-major rows of a 2-D float tensor. */
function rows(data: Float32Array | ArrayLike<number>, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += cols) out.push(Array.from(data).slice(i, i + cols));
  return out;
}

describe('evaluate', () => {
  it('returns the mean cross-entropy and the accuracy computed by hand', () => {
    const before = memory().numTensors;
    const model = new Linear(3, 4);
    const x = tensor([
      [0.5, -1, 2],
      [1, 1, 1],
      [-2, 0.5, 0],
      [0, 0, 3],
      [1.5, -0.5, -1],
    ]);
    const y = tensor([0, 3, 1, 2, 2], { dtype: 'int32' });
    const labels = [0, 3, 1, 2, 2];
    const w = rows(model.weight.dataSync() as Float32Array, 3);
    const b = Array.from(model.bias!.dataSync() as Float32Array);
    let loss = 0;
    let correct = 0;
    rows(x.dataSync() as Float32Array, 3).forEach((xi, i) => {
      const logits = w.map((wk, k) => wk.reduce((s, v, j) => s + v * xi[j]!, b[k]!));
      const max = Math.max(...logits);
      const logSumExp = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
      loss += logSumExp - logits[labels[i]!]!;
      if (logits.indexOf(max) === labels[i]) correct += 1;
    });
    // chunks of 2 must give the same answer as one pass
    for (const chunk of [2, 2000]) {
      const r = evaluate(model, x, y, chunk);
      expect(r.loss).toBeCloseTo(loss / 5, 5);
      expect(r.accuracy).toBe(correct / 5);
    }
    expect(model.training).toBe(false);
    for (const t of [model, x, y]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('refuses empty input and bad chunk sizes', () => {
    const model = new Linear(2, 2);
    const x = tensor([[1, 2]]);
    const y = tensor([0], { dtype: 'int32' });
    expect(() => evaluate(model, x, y, 0)).toThrow(/chunkSize/);
    expect(() => evaluate(model, x.narrow(0, 0, 0), y.narrow(0, 0, 0))).toThrow(/no images/);
    for (const t of [model, x, y]) t.dispose();
  });
});

describe('penalties', () => {
  it('L1 is weight * sum|p| and L2 is weight * sum of the Euclidean norms, over every parameter', () => {
    const model = new Linear(3, 2);
    const w = Array.from(model.weight.dataSync() as Float32Array);
    const b = Array.from(model.bias!.dataSync() as Float32Array);
    const l1 = [...w, ...b].reduce((s, v) => s + Math.abs(v), 0);
    const l2 = Math.hypot(...w) + Math.hypot(...b);
    const p1 = l1Penalty(1e-4)(model);
    const p2 = l2Penalty(1e-2)(model);
    expect(p1.itemSync()).toBeCloseTo(1e-4 * l1, 8);
    expect(p2.itemSync()).toBeCloseTo(1e-2 * l2, 7);
    for (const t of [p1, p2, model]) t.dispose();
  });
});

describe('trainEpoch', () => {
  it('visits every image once per epoch in a seeded order, the last batch smaller', () => {
    const model = new Linear(1, 2);
    const optimizer = new SGD(model.parameters(), { lr: 0 });
    // lr 0: the weights never move, so every batch loss is the loss of a fixed model and the
    // mean of the batch losses is a weighted mean over batches of sizes 4, 4, 2
    const x = tensor([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]]);
    const y = tensor([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], { dtype: 'int32' });
    const r = trainEpoch(model, optimizer, x, y, { batchSize: 4, seed: 3, epoch: 1 });
    expect(r.steps).toBe(3);
    const order = new DataLoader(new TensorDataset(x, y), { batchSize: 4, shuffle: true, seed: 3, epoch: 1 }).batchIndices().flat();
    const perImage = noGrad(() => {
      const logits = rows(model.call(x).dataSync() as Float32Array, 2);
      return logits.map((l, i) => {
        const m = Math.max(...l);
        return m + Math.log(l.reduce((s, v) => s + Math.exp(v - m), 0)) - l[i % 2]!;
      });
    });
    const batches = [order.slice(0, 4), order.slice(4, 8), order.slice(8)];
    const expected = batches.map((idx) => idx.reduce((s, i) => s + perImage[i]!, 0) / idx.length).reduce((s, v) => s + v, 0) / 3;
    expect(r.loss).toBeCloseTo(expected, 5);
    for (const t of [optimizer, model, x, y]) t.dispose();
  });
});

describe('fit', () => {
  it('steps the scheduler with each epoch validation loss and records the learning rate', () => {
    const raw = ImageSplits.synthetic({ train: 40, val: 12, features: 6, seed: 2 });
    const data = raw.scaled(255);
    const model = new Linear(6, 10);
    const optimizer = new Adam(model.parameters(), { lr: 0.1 });
    const seen: number[] = [];
    const scheduler: ValidationScheduler = {
      step(metric) {
        seen.push(metric);
        optimizer.paramGroups[0]!.lr = (optimizer.paramGroups[0]!.lr as number) / 2;
      },
    };
    const history = fit(model, optimizer, data, { epochs: 3, batchSize: 16, scheduler });
    expect(seen).toEqual(history.map((e) => e.valLoss));
    expect(history.map((e) => e.lr)).toEqual([0.05, 0.025, 0.0125]);
    expect(history.map((e) => e.steps)).toEqual([3, 3, 3]);
    for (const t of [optimizer, model, data, raw]) t.dispose();
  });

  it('refuses a bad number of epochs', () => {
    const raw = ImageSplits.synthetic({ train: 4, val: 2, features: 2 });
    const model = new Linear(2, 10);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    expect(() => fit(model, optimizer, raw, { epochs: 0 })).toThrow(/positive whole number of epochs/);
    for (const t of [optimizer, model, raw]) t.dispose();
  });
});

describe('ImageSplits', () => {
  it('limits, scales and validates', () => {
    const before = memory().numTensors;
    const raw = ImageSplits.synthetic({ train: 10, val: 5, features: 4 });
    const small = raw.limited(3, 100);
    expect([small.trainSize, small.valSize]).toEqual([3, 5]);
    const scaled = small.scaled(255);
    const a = small.trainX.dataSync() as Float32Array;
    const s = scaled.trainX.dataSync() as Float32Array;
    a.forEach((v, i) => expect(s[i]).toBeCloseTo(v / 255, 6));
    expect(() => raw.limited(0)).toThrow(/positive whole number/);
    expect(() => raw.scaled(0)).toThrow(/non-zero divisor/);
    tidy(() => {
      expect(() => new ImageSplits(tensor([1, 2]), tensor([0], { dtype: 'int32' }), tensor([[1]]), tensor([0], { dtype: 'int32' }))).toThrow(
        /float32 \[N, features\]/,
      );
    });
    for (const t of [scaled, small, raw]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('experiments on synthetic data', () => {
  it('are reproducible with a fixed seed and free every tensor', async () => {
    const data = ImageSplits.synthetic({ train: 64, val: 32 });
    const before = memory().numTensors;
    const a = await runScaling({ data, epochs: 1, seed: 5 });
    const b = await runScaling({ data, epochs: 1, seed: 5 });
    expect(memory().numTensors).toBe(before);
    const finals = (r: typeof a) => r.variants.map((v) => ({ ...v.final, seconds: 0 }));
    expect(finals(b)).toEqual(finals(a));
    expect(formatResult(a)).toContain('| scaled (/255)');
    data.dispose();
  });
});

describe('experiments.js arguments', () => {
  it('parses names, all, and the numeric options', () => {
    // all = chapter 3's experiments, then the chapter 4-6 ones
    expect(parseExperimentArgs(['all']).names).toEqual([...EXPERIMENTS, ...CHAPTER5_6_EXPERIMENTS].map((e) => e.name));
    const a = parseExperimentArgs(['dropout', 'scaling', '--epochs=2', '--test-limit', '500', '--seed', '0', '--quiet']);
    expect(a).toMatchObject({ names: ['dropout', 'scaling'], epochs: 2, testLimit: 500, seed: 0, quiet: true });
    expect(() => parseExperimentArgs(['scalling'])).toThrow(/unknown experiment 'scalling'; choose from scaling, batch-size/);
    expect(() => parseExperimentArgs(['--epochs', '0'])).toThrow(/--epochs: expected a whole number >= 1, got '0'/);
    expect(() => parseExperimentArgs(['--limit'])).toThrow(/--limit: expected a whole number >= 1, got nothing/);
    expect(() => parseExperimentArgs(['--fast'])).toThrow(/unknown option '--fast'/);
  });

  it('prints one table per experiment', async () => {
    const data = ImageSplits.synthetic({ train: 32, val: 16 });
    const lines: string[] = [];
    const results = await runExperiments(parseExperimentArgs(['batch-size', '--epochs', '1', '--quiet']), (l) => lines.push(l), data);
    expect(results.map((r) => r.name)).toEqual(['batch-size']);
    const text = lines.join('\n');
    expect(text).toContain('| batch 32 ');
    expect(text).toContain('| batch 10000 ');
    data.dispose();
  });
});
