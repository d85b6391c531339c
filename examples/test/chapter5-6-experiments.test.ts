// The chapter 4-6 experiments end to end on a small slice of the real Fashion-MNIST, and the
// claims they rest on: a frozen backbone does not change while the head learns, the trainable
// parameter counts add up, the pretrained weights go through a safetensors file, and the runner
// knows the new experiments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, loadSafetensors, manualSeed, memory, tidy } from 'tensorgrad';
import { ImageSplits } from '../src/chapter3/data.js';
import type { ExperimentResult } from '../src/chapter3/experiment.js';
import { trainEpoch } from '../src/chapter3/train.js';
import {
  bookCnn,
  CHAPTER5_6_EXPERIMENTS,
  freeze,
  parameterCounts,
  runAugmentation,
  runTransfer,
  selectClasses,
  TransferNet,
  transferHead,
  vggBackbone,
  type TransferResult,
} from '../src/chapter5-6/index.js';
import { parseExperimentArgs, runExperiments } from '../src/experiments.js';

let fashion: ImageSplits;
let liveBefore: number;

beforeAll(async () => {
  liveBefore = memory().numTensors;
  fashion = await ImageSplits.loadFashionMnist({ limit: 400, testLimit: 200 });
});

afterAll(() => {
  fashion.dispose();
  expect(memory().numTensors).toBe(liveBefore);
});

const snapshot = (m: { stateDict(): Record<string, { dataSync(): unknown }> }): Record<string, number[]> =>
  tidy(() => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.dataSync() as ArrayLike<number>)])));

describe('transfer learning', () => {
  // hand counts for channels [4, 8] and 5 classes: conv 1->4 (36 + 4), bn (4 + 4), conv 4->8 (288 + 8), bn (8 + 8)
  const backboneCount = 40 + 8 + 296 + 16;
  // Linear(8, 128) and Linear(128, 5)
  const headCount = 8 * 128 + 128 + 128 * 5 + 5;

  let result: TransferResult;
  const folder = mkdtempSync(join(tmpdir(), 'ch56-test-'));
  const weightsPath = join(folder, 'backbone.safetensors');
  beforeAll(async () => {
    result = await runTransfer({ data: fashion, epochs: 1, pretrainEpochs: 1, sizes: [20, 60], channels: [4, 8], weightsPath });
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('pretrains on classes 0-4 and evaluates every run on the test images of classes 5-9', () => {
    const labels = Array.from(fashion.trainY.dataSync() as Int32Array);
    const testLabels = Array.from(fashion.valY.dataSync() as Int32Array);
    expect(result.pretrain.trainSize).toBe(labels.filter((l) => l < 5).length);
    expect(result.pretrain.testSize).toBe(testLabels.filter((l) => l < 5).length);
    expect(result.testSize).toBe(testLabels.filter((l) => l >= 5).length);
    expect(result.runs.map((r) => [r.size, r.variant])).toEqual([
      [20, 'frozen backbone'],
      [20, 'fine-tune all'],
      [20, 'from scratch'],
      [60, 'frozen backbone'],
      [60, 'fine-tune all'],
      [60, 'from scratch'],
    ]);
    for (const r of result.runs) {
      expect(r.steps).toBe(Math.ceil(r.size / 32));
      // accuracies are whole numbers of test images
      const correct = r.testAccuracy * result.testSize;
      expect(Math.abs(correct - Math.round(correct))).toBeLessThan(1e-6);
      expect(r.peakBytes).toBeGreaterThan(0);
      expect(r.stateBytes).toBeGreaterThan(0);
    }
  });

  it('counts trainable parameters: the head only when frozen, everything otherwise', () => {
    for (const r of result.runs) {
      expect(r.total).toBe(backboneCount + headCount);
      expect(r.trainable).toBe(r.variant === 'frozen backbone' ? headCount : backboneCount + headCount);
    }
    expect(result.pretrain.backboneParameters).toBe(backboneCount);
    // the frozen net keeps Adam state for the head only, so it holds less memory than fine-tuning
    const [frozen, fineTune] = result.runs;
    expect(frozen!.stateBytes).toBeLessThan(fineTune!.stateBytes);
  });

  it('is reproducible: the same seed gives the same pretraining and the same runs', async () => {
    const again = await runTransfer({ data: fashion, epochs: 1, pretrainEpochs: 1, sizes: [20], channels: [4, 8] });
    const strip = (r: TransferResult['runs'][number]) => ({ ...r, secondsPerEpoch: 0, peakBytes: 0, stateBytes: 0 });
    expect(again.pretrain.testAccuracy).toBe(result.pretrain.testAccuracy);
    expect(again.runs.map(strip)).toEqual(result.runs.slice(0, 3).map(strip));
  });

  it('saves the pretrained backbone as safetensors with its batch-norm statistics', async () => {
    const { tensors, metadata } = await loadSafetensors(weightsPath);
    // Sequential indices: 0 AsImages, 1 Conv2d, 2 BatchNorm2d, 3 ReLU, 4 MaxPool2d, 5 Conv2d, 6 BatchNorm2d, …
    expect(Object.keys(tensors).sort()).toEqual(['1.bias', '1.weight', '2.bias', '2.num_batches_tracked', '2.running_mean', '2.running_var', '2.weight',
      '5.bias', '5.weight', '6.bias', '6.num_batches_tracked', '6.running_mean', '6.running_var', '6.weight']);
    expect(metadata).toEqual({ classes: '0,1,2,3,4', channels: '4,8' });
    // one epoch of batches of 32 over the pretraining images updated the running statistics
    expect(tensors['2.num_batches_tracked']!.itemSync()).toBe(Math.ceil(result.pretrain.trainSize / 32));
    for (const t of Object.values(tensors)) t.dispose();
  });

  it('leaves a frozen backbone (parameters and batch-norm buffers) unchanged while the head learns', () => {
    manualSeed(3);
    const backbone = freeze(vggBackbone([4, 8]));
    const model = new TransferNet(backbone, transferHead(8, 5), { frozen: true });
    const optimizer = new Adam(model.parameters().filter((p) => p.requiresGrad), { lr: 1e-2 });
    const data = tidy(() => {
      const { x, y } = selectClasses(fashion.trainX.div(255), fashion.trainY, [5, 6, 7, 8, 9], { limit: 64 });
      return [x, y] as const;
    });
    const backboneBefore = snapshot(model.backbone);
    const headBefore = snapshot(model.head);
    trainEpoch(model, optimizer, data[0], data[1], { seed: 1 });
    expect(snapshot(model.backbone)).toEqual(backboneBefore);
    const headAfter = snapshot(model.head);
    for (const key of ['2.weight', '2.bias', '5.weight', '5.bias']) expect(headAfter[key]).not.toEqual(headBefore[key]);
    expect(model.backbone.parameters().every((p) => p.grad === null)).toBe(true);
    for (const t of [optimizer, model, ...data]) t.dispose();
  });
});

describe('augmentation, batch normalisation in the CNN, and the runner', () => {
  it('trains the CNN with and without random shifts and scores every test shift', async () => {
    const result = await runAugmentation({ data: fashion, limit: 32, testLimit: 32, epochs: 1, shifts: [0, 3] });
    expect([result.trainSize, result.valSize]).toEqual([32, 32]);
    expect(result.maxShift).toEqual([10, 0]);
    expect(result.variants.map((v) => v.name)).toEqual(['no augmentation', 'random shifts ±10 x, ±0 y']);
    for (const v of result.variants) {
      expect(v.byShift.map((s) => s.shift)).toEqual([0, 3]);
      // the unshifted column is the test accuracy measured after the last epoch
      expect(v.byShift[0]!.accuracy).toBe(v.history[0]!.valAccuracy);
      for (const s of v.byShift) expect(Number.isInteger(Math.round(s.accuracy * 32 * 1e6) / 1e6)).toBe(true);
    }
  });

  it('puts a BatchNorm2d after each convolution', () => {
    const [plain, withBn] = [bookCnn(), bookCnn({ batchNorm: true })];
    expect(parameterCounts(withBn).total - parameterCounts(plain).total).toBe(2 * 64 + 2 * 128);
    expect(withBn.modules().filter((m) => m.typeName === 'BatchNorm2d')).toHaveLength(2);
    plain.dispose();
    withBn.dispose();
  });

  it('the runner knows the new experiments and prints their tables (cnn-batch-norm end to end)', async () => {
    expect(parseExperimentArgs(['transfer', 'augmentation', 'cnn-batch-norm']).names).toEqual(['transfer', 'augmentation', 'cnn-batch-norm']);
    expect(parseExperimentArgs(['all']).names.slice(-4)).toEqual(CHAPTER5_6_EXPERIMENTS.map((e) => e.name));
    expect(() => parseExperimentArgs(['transfr'])).toThrow(/choose from .*transfer/);
    const lines: string[] = [];
    const small = fashion.limited(32, 16);
    const [result] = await runExperiments({ names: ['cnn-batch-norm'], epochs: 1, quiet: true, help: false }, (l) => lines.push(l), small);
    small.dispose();
    expect((result as ExperimentResult).variants.map((v) => [v.name, v.steps])).toEqual([
      ['CNN', 1],
      ['CNN + BatchNorm2d', 1],
    ]);
    expect(lines[0]).toMatch(/^cnn-batch-norm:/);
    expect(lines.join('\n')).toMatch(/\| +1 \| +[\d.]+ \/ [\d.]+% \| +[\d.]+ \/ [\d.]+% \|/);
  });
});
