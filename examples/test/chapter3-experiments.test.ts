// Every chapter 3 experiment end to end on a small slice of the real Fashion-MNIST (Debian's
// dataset-fashion-mnist in /usr/share/datasets/fashion-mnist), plus checks that the experiments
// show what the book shows: scaled inputs train, unscaled ones barely do, and big batches take
// fewer steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, manualSeed, memory, tidy } from 'tensorgrad';
import { bookMlp, EXPERIMENTS, fit, ImageSplits, runScaling, type ExperimentResult } from '../src/chapter3/index.js';

let fashion: ImageSplits;
let liveBefore: number;

beforeAll(async () => {
  liveBefore = memory().numTensors;
  fashion = await ImageSplits.loadFashionMnist({ limit: 2000, testLimit: 1000 });
});

afterAll(() => {
  fashion.dispose();
  expect(memory().numTensors).toBe(liveBefore);
});

describe('Fashion-MNIST as the experiments see it', () => {
  it('has flat rows of raw pixel values and labels 0-9', () => {
    expect(fashion.trainX.shape).toEqual([2000, 784]);
    expect(fashion.valX.shape).toEqual([1000, 784]);
    const pixels = tidy(() => fashion.trainX.narrow(0, 0, 50).dataSync() as Float32Array);
    expect(Math.max(...pixels)).toBe(255);
    expect(Math.min(...pixels)).toBe(0);
    const labels = Array.from(fashion.trainY.dataSync() as Int32Array);
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // the first training image is an ankle boot (class 9), the first test image too
    expect(labels[0]).toBe(9);
    expect((fashion.valY.dataSync() as Int32Array)[0]).toBe(9);
  });
});

describe.each(EXPERIMENTS.map((e) => [e.name, e] as const))('%s with tiny settings', (_name, entry) => {
  let result: ExperimentResult;
  beforeAll(async () => {
    result = await entry.run({ data: fashion, limit: 320, testLimit: 200, epochs: 1 });
  });

  it('runs every variant for one epoch and reports finite accuracies in [0, 1]', () => {
    expect(result.name).toBe(entry.name);
    expect([result.trainSize, result.valSize]).toEqual([320, 200]);
    expect(result.variants.length).toBeGreaterThan(0);
    for (const v of result.variants) {
      expect(v.epochs).toBe(1);
      expect(v.history).toHaveLength(1);
      expect(v.steps).toBe(Math.ceil(320 / v.batchSize));
      for (const acc of [v.final.trainAccuracy, v.final.valAccuracy]) {
        expect(Number.isFinite(acc)).toBe(true);
        expect(acc).toBeGreaterThanOrEqual(0);
        expect(acc).toBeLessThanOrEqual(1);
      }
      // accuracies are fractions of whole images
      expect(Number.isInteger(Math.round(v.final.trainAccuracy * 320 * 1e6) / 1e6)).toBe(true);
      expect(Number.isInteger(Math.round(v.final.valAccuracy * 200 * 1e6) / 1e6)).toBe(true);
    }
  });
});

describe('what the book shows', () => {
  it('Adam 1e-3 on scaled inputs reaches > 70% validation accuracy after one epoch on 2,000 images', () => {
    const data = fashion.scaled(255);
    manualSeed(0);
    const model = bookMlp();
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const [epoch] = fit(model, optimizer, data, { epochs: 1 });
    expect(epoch!.steps).toBe(63);
    expect(epoch!.valAccuracy).toBeGreaterThan(0.7);
    expect(epoch!.trainAccuracy).toBeGreaterThan(0.7);
    for (const t of [optimizer, model, data]) t.dispose();
  });

  it('SGD on unscaled inputs trails SGD on scaled inputs by a wide margin', async () => {
    const result = await runScaling({ data: fashion, epochs: 1 });
    const [unscaled, scaled] = result.variants;
    expect(scaled!.final.valAccuracy).toBeGreaterThan(unscaled!.final.valAccuracy + 0.2);
    // raw 0-255 inputs blow the first SGD steps' loss up by orders of magnitude
    expect(unscaled!.final.trainLoss).toBeGreaterThan(10 * scaled!.final.trainLoss);
  });

  it('batch size 10,000 takes one step per epoch where batch 32 takes ten', async () => {
    const entry = EXPERIMENTS.find((e) => e.name === 'batch-size')!;
    const result = await entry.run({ data: fashion, epochs: 1, limit: 320, testLimit: 100 });
    expect(result.variants.map((v) => [v.batchSize, v.steps])).toEqual([
      [32, 10],
      [10_000, 1],
    ]);
  });
});
