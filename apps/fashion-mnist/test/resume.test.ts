// On the real dataset (/usr/share/datasets/fashion-mnist), kept small: an interrupted run resumes
// exactly, a trained model round-trips through safetensors, and --limit is checked against the data.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, loadSafetensors, manualSeed, noGrad, saveSafetensors, tensor, TensorDataset, tidy } from 'tensorgrad';
import {
  buildModel,
  buildOptimizer,
  loadFashionData,
  loadTrainedModel,
  trainEpoch,
} from '@tensorgrad/fashion-mnist';
import { NO_DATA } from './with-data.js';
import { cli, metricsOf } from './cli-harness.js';

const root = mkdtempSync(join(tmpdir(), 'fashion-mnist-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));


describe.skipIf(NO_DATA)('--resume', () => {
  const args = ['--model', 'mlp', '--limit', '128', '--batch-size', '16', '--test-limit', '100', '--seed', '4'];
  const straight = join(root, 'straight');
  const resumed = join(root, 'resumed');

  it('1 epoch + --resume 1 epoch gives the second epoch of 2 straight epochs, bitwise', async () => {
    expect((await cli([...args, '--epochs', '2', '--out', straight])).code).toBe(0);
    expect((await cli([...args, '--epochs', '1', '--out', resumed])).code).toBe(0);
    // the flags not repeated are taken from the checkpoint
    const r = await cli(['--resume', '--epochs', '2', '--out', resumed]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`resuming at epoch 2 from ${resumed}/checkpoint.safetensors`);
    const a = metricsOf(straight).epochs;
    const b = metricsOf(resumed).epochs;
    expect(b).toHaveLength(2);
    expect(b[1]!.batchLosses).toHaveLength(8);
    for (let i = 0; i < 8; i++) expect(Object.is(b[1]!.batchLosses[i], a[1]!.batchLosses[i])).toBe(true);
    expect(b[1]!.batchLosses).toEqual(a[1]!.batchLosses);
    expect([b[1]!.trainLoss, b[1]!.trainAcc, b[1]!.testLoss, b[1]!.testAcc]).toEqual([a[1]!.trainLoss, a[1]!.trainAcc, a[1]!.testLoss, a[1]!.testAcc]);
    expect(b[0]!.batchLosses).toEqual(a[0]!.batchLosses);
    // and the final weights are the same bytes
    expect(Buffer.compare(readFileSync(join(resumed, 'model.safetensors')), readFileSync(join(straight, 'model.safetensors')))).toBe(0);
  });

  it('fails clearly when the flags disagree with the checkpoint, or there is none', async () => {
    const r = await cli(['--resume', '--epochs', '3', '--out', resumed, '--lr', '0.01', '--batch-size', '16']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--resume: the flags disagree with the checkpoint ${resumed}/checkpoint.safetensors:\n  --lr 0.01 but the checkpoint ${resumed}/checkpoint.safetensors was trained with 0.001`);
    expect(r.err).not.toContain('--batch-size');
    const m = await cli(['--resume', '--model', 'cnn', '--out', resumed]);
    expect(m.code).toBe(2);
    expect(m.err).toContain('--model cnn but');
    const none = await cli(['--resume', '--out', join(root, 'nothing-here')]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('--resume: there is no checkpoint at');
  });

  it('says there is nothing to do when the checkpoint has all the epochs', async () => {
    const r = await cli(['--resume', '--epochs', '2', '--out', resumed]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('has already been trained for 2 epoch(s), and --epochs is 2: nothing to do. Pass --epochs 3 or more to train further.');
  });
});

describe.skipIf(NO_DATA)('safetensors round trip', () => {
  it('a trained CNN saved with saveSafetensors loads into a fresh CNN with bitwise identical logits on 100 test images', async () => {
    const test = await loadFashionData({ train: false, limit: 116, install: false });
    manualSeed(11);
    const model = buildModel('cnn');
    const opt = buildOptimizer('adam', model.parameters(), 1e-3);
    const trainPart = { images: test.images.narrow(0, 100, 16), labels: test.labels.narrow(0, 100, 16) };
    await trainEpoch(model, opt, trainPart, { epoch: 1, batchSize: 8 });
    opt.dispose();
    const file = join(root, 'cnn.safetensors');
    const sd = model.stateDict();
    await saveSafetensors(sd, file);
    Object.values(sd).forEach((t) => t.dispose());

    const x = test.images.narrow(0, 0, 100);
    const logitsOf = (m: ReturnType<typeof buildModel>): Float32Array => tidy(() => noGrad(() => m.eval().call(x).dataSync() as Float32Array));
    const want = logitsOf(model);
    const fresh = buildModel('cnn');
    expect(Buffer.compare(Buffer.from(logitsOf(fresh).buffer), Buffer.from(want.buffer))).not.toBe(0);
    const { tensors } = await loadSafetensors(file);
    expect(Object.keys(tensors).sort()).toEqual(['0.bias', '0.weight', '3.bias', '3.weight', '7.bias', '7.weight', '9.bias', '9.weight']);
    fresh.loadStateDict(tensors);
    Object.values(tensors).forEach((t) => t.dispose());
    const got = logitsOf(fresh);
    expect(got.length).toBe(1000);
    expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer))).toBe(0);
    // and through the CLI's loader, which infers the architecture from the shapes
    const loaded = await loadTrainedModel(file);
    expect(loaded.kind).toBe('cnn');
    expect(Buffer.compare(Buffer.from(logitsOf(loaded.model).buffer), Buffer.from(want.buffer))).toBe(0);
    loaded.model.dispose();
    fresh.dispose();
    model.dispose();
    x.dispose();
    trainPart.images.dispose();
    trainPart.labels.dispose();
    test.dispose();
  });

  it('keeps the shuffle of an epoch independent of what ran before', async () => {
    // what makes resuming exact: the order trainEpoch gives epoch 2 does not depend on epoch 1
    // having run; the labels are the example indices, so the batches show the order
    const images = tensor(Array.from({ length: 64 }, (_, i) => [i, 1]));
    const labels = tensor(Array.from({ length: 64 }, (_, i) => i), { dtype: 'int32' });
    const order = async (epochs: number[]): Promise<number[][]> => {
      const seen: number[][] = [];
      const probe = new DataLoader(new TensorDataset(images, labels), { batchSize: 16, shuffle: true, seed: 4 });
      for (const e of epochs) {
        probe.setEpoch(e);
        const one: number[] = [];
        for (const [x, y] of probe) {
          one.push(...((await y.array()) as number[]));
          x.dispose();
          y.dispose();
        }
        seen.push(one);
      }
      return seen;
    };
    const [fresh] = await order([2]);
    const [, afterOne] = await order([1, 2]);
    expect(afterOne).toEqual(fresh);
    expect([...fresh!].sort((p, q) => p - q)).toEqual(Array.from({ length: 64 }, (_, i) => i));
    images.dispose();
    labels.dispose();
  });
});

describe.skipIf(NO_DATA)('train with a bad --limit', () => {
  it('exits with 2 when --limit or --test-limit exceeds the split', async () => {
    const r = await cli(['--model', 'mlp', '--limit', '60001', '--out', join(root, 'bad-limit')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--limit: Fashion-MNIST: expected a limit from 1 to 60,000 (the training set has 60,000 images), got 60001');
    const t = await cli(['--model', 'mlp', '--limit', '64', '--test-limit', '10001', '--out', join(root, 'bad-limit')]);
    expect(t.code).toBe(2);
    expect(t.err).toContain('--test-limit: Fashion-MNIST: expected a limit from 1 to 10,000 (the test set has 10,000 images), got 10001');
    expect(existsSync(join(root, 'bad-limit'))).toBe(false);
  });
});
