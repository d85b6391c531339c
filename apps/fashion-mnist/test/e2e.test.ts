// End to end on the real dataset (/usr/share/datasets/fashion-mnist), kept small: the CLI's train
// and predict commands, resuming, and safetensors round trips of trained models.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromTypedArray, loadCheckpoint, memory } from 'tensorgrad';
import { writePng } from '@tensorgrad/vision';
import { loadFashionData, parseArgs, runPredict, type PredictOptions } from '@tensorgrad/fashion-mnist';
import { NO_DATA } from './with-data.js';
import { capture, cli, metricsOf } from './cli-harness.js';
import { all, parseXml } from './xml.js';

const root = mkdtempSync(join(tmpdir(), 'fashion-mnist-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function predictOptions(argv: string[]): PredictOptions {
  const cmd = parseArgs(['predict', ...argv]);
  if (cmd.command !== 'predict') throw new Error(`expected predict, got ${cmd.command}`);
  return cmd.options;
}


describe.skipIf(NO_DATA).each([
  ['mlp', '795,010'],
  ['cnn', '896,522'],
] as const)('train --model %s --limit 256 --epochs 1', (model, params) => {
  const out = join(root, `e2e-${model}`);
  let run: { code: number; out: string; err: string };

  it('trains, prints the summary, the table and the confusion matrix, and writes every file', async () => {
    const before = memory().numTensors;
    run = await cli(['--model', model, '--epochs', '1', '--limit', '256', '--test-limit', '200', '--out', out]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(memory().numTensors).toBe(before);
    expect(run.out).toContain(`Fashion-MNIST: ${model} on the cpu backend; 256 training and 200 test images; adam lr 0.001, batch 32, seed 0, 1 epoch(s)`);
    expect(run.out).toContain(`Total params: ${params}`);
    expect(run.out).toContain('epoch | train loss | train acc | test loss | test acc | seconds');
    // not a terminal: progress lines every ~10% (8 batches), then the row
    expect(run.out).toContain('epoch 1/1  8/8  loss ');
    const row = run.out.split('\n').find((l) => /^ {4}1 \| /.test(l));
    expect(row).toBeDefined();
    const m = metricsOf(out);
    expect(m.epochs).toHaveLength(1);
    const e = m.epochs[0]!;
    expect(e.batchLosses).toHaveLength(8);
    expect(row).toBe(
      `    1 | ${e.trainLoss.toFixed(4).padStart(10)} | ${`${(e.trainAcc * 100).toFixed(2)}%`.padStart(9)} | ${e.testLoss.toFixed(4).padStart(9)} | ${`${(e.testAcc * 100).toFixed(2)}%`.padStart(8)} | ${e.seconds.toFixed(1).padStart(7)}`,
    );
    // it learns something within 8 steps
    expect(e.batchLosses[7]!).toBeLessThan(e.batchLosses[0]!);
    expect(m.settings).toEqual({ model, batchSize: 32, lr: 0.001, optimizer: 'adam', limit: 256, testLimit: 200, seed: 0 });
    // the confusion matrix table: 10 rows whose counts add up to the 200 test images and the accuracy
    const table = run.out.slice(run.out.indexOf('true \\ predicted'));
    const rows = table.split('\n').slice(2, 12).map((l) => l.slice(16).trim().split(/ +/).slice(0, 10).map(Number));
    expect(rows.flat().reduce((a, b) => a + b, 0)).toBe(200);
    expect(rows.reduce((s, r, k) => s + r[k]!, 0) / 200).toBe(e.testAcc);
    for (const f of ['checkpoint.safetensors', 'model.safetensors', 'metrics.json', 'curves.svg', 'confusion.svg']) expect(existsSync(join(out, f))).toBe(true);
    expect(run.out).toContain(`Wrote into ${out}`);
    const confusion = parseXml(readFileSync(join(out, 'confusion.svg'), 'utf8'));
    const cells = all(confusion, 'rect').filter((r) => r.children.length > 0);
    expect(cells).toHaveLength(100);
    parseXml(readFileSync(join(out, 'curves.svg'), 'utf8'));
    const ckpt = await loadCheckpoint(join(out, 'checkpoint.safetensors'));
    expect(ckpt.epoch).toBe(1);
    for (const t of Object.values(ckpt.model)) t.dispose();
    for (const st of Object.values((ckpt.optimizer as { state: Record<string, Record<string, { dispose?: () => void }>> }).state)) {
      for (const v of Object.values(st)) v.dispose?.();
    }
  });

  it('predicts a test image from the checkpoint, and the same from model.safetensors and from a PNG of it', async () => {
    const a = await cli(['predict', '--out', out, '--index', '0']);
    expect(a.code).toBe(0);
    expect(a.out).toContain(`${model} model from ${out}/checkpoint.safetensors: test image 0 (true class: Ankle boot)`);
    const lines = a.out.split('\n').filter((l) => /^ {2}\d\. /.test(l));
    expect(lines).toHaveLength(3);
    const b = await cli(['predict', '--checkpoint', join(out, 'model.safetensors'), '--index', '0']);
    expect(b.out.split('\n').slice(1)).toEqual(a.out.split('\n').slice(1));

    // test image 0 as an 8-bit greyscale PNG: same pixels / 255, so exactly the same probabilities
    const test = await loadFashionData({ train: false, limit: 1, install: false });
    const pixels = fromTypedArray(Int32Array.from((await test.images.data()) as Float32Array, (v) => Math.round(v * 255)), [1, 28, 28]);
    test.dispose();
    const png = join(root, `test0-${model}.png`);
    await writePng(pixels, png);
    pixels.dispose();
    const quiet = capture().io;
    const fromIndex = await runPredict(predictOptions(['--out', out, '--index', '0']), quiet);
    const fromPng = await runPredict(predictOptions(['--out', out, '--image', png]), quiet);
    expect(fromPng.top).toEqual(fromIndex.top);
    expect(fromIndex.label).toBe(9);
    const sum = fromIndex.top.reduce((s, t) => s + t.probability, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    expect(fromIndex.top[0]!.probability).toBeGreaterThanOrEqual(fromIndex.top[1]!.probability);
  });
});
