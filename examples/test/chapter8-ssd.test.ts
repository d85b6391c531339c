// The chapter 8 single-shot program, short: a few training steps of the small SSD on a few
// scenes (the loss falls), well-formed detections, the PNGs, the mAP helper and the arguments.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FashionMNISTScenes, readImage, tensor } from 'tensorgrad';
import { drawPredictions, predictScenes, sceneSsd, trainSceneSsd } from '../src/chapter8/ssd.js';
import { sceneMeanAp } from '../src/chapter8/metrics.js';
import { parseChapter8Args } from '../src/chapter8/main.js';

/** Scenes over two hand-made 28×28 garments (a square, label 1, and a bar, label 2), so the test needs no data set. */
function toyScenes(length: number, seed: number): FashionMNISTScenes {
  const data = tensor(
    Array.from({ length: 2 }, (_, n) =>
      Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (n === 0 ? (x > 3 && x < 24 && y > 3 && y < 24 ? 200 : 0) : x > 10 && x < 17 ? 255 : 0))),
    ),
    { dtype: 'int32' },
  );
  return new FashionMNISTScenes({ data, targets: tensor([0, 1], { dtype: 'int32' }) }, { length, size: 64, numGarments: [1, 2], garmentSize: [14, 32], seed });
}

describe('chapter 8: single-shot detector', () => {
  it('trains a few steps (the loss falls) and predicts well-formed detections; draws them as PNG', async () => {
    const train = toyScenes(16, 1);
    const r = await trainSceneSsd(train, { epochs: 4, batchSize: 8, lr: 0.003 });
    expect(r.stepLosses.length).toBe(8);
    expect(r.stepLosses.every(Number.isFinite)).toBe(true);
    const first = (r.stepLosses[0]! + r.stepLosses[1]!) / 2;
    const last = (r.stepLosses[6]! + r.stepLosses[7]!) / 2;
    expect(last).toBeLessThan(0.8 * first);
    expect(r.epochs.map((e) => e.steps)).toEqual([2, 2, 2, 2]);

    const test = toyScenes(4, 2);
    const preds = predictScenes(r.model, test);
    expect(preds.length).toBe(4);
    for (const p of preds) {
      const n = p.detection.scores.length;
      expect(p.detection.boxes.length).toBe(4 * n);
      expect(n).toBeLessThanOrEqual(50); // detectionsPerImg
      expect(Array.from(p.detection.scores).every((s) => s > 0.05 && s <= 1)).toBe(true); // scoreThresh
      expect(Array.from(p.detection.labels).every((l) => l >= 1 && l <= 10)).toBe(true);
      for (let k = 0; k < n; k++) {
        const [x1, y1, x2, y2] = p.detection.boxes.slice(4 * k, 4 * k + 4);
        expect(x1! >= 0 && y1! >= 0 && x2! <= 64 && y2! <= 64 && x1! <= x2! && y1! <= y2!).toBe(true);
      }
      expect(p.target.labels.length).toBeGreaterThan(0);
    }
    const { map } = sceneMeanAp(preds, 0.5);
    expect(map).toBeGreaterThanOrEqual(0);
    expect(map).toBeLessThanOrEqual(1);

    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch8-'));
    try {
      const paths = await drawPredictions(r.model, test, dir, 2, 0);
      expect(paths.length).toBe(2);
      const img = await readImage(paths[0]!);
      expect(img.shape).toEqual([3, 64, 64]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('sceneMeanAp: a perfect detection scores 1, a wrong class 0 (mAP over the classes with ground truth)', () => {
    const target = { boxes: Float32Array.of(0, 0, 10, 10, 20, 20, 40, 40), labels: Int32Array.of(1, 2) };
    const right = { boxes: Float32Array.of(0, 0, 10, 10, 20, 20, 40, 40), scores: Float32Array.of(0.9, 0.8), labels: Int32Array.of(1, 2) };
    expect(sceneMeanAp([{ detection: right, target }]).map).toBeCloseTo(1, 12); // 101 recall points summed
    const wrong = { ...right, labels: Int32Array.of(2, 1) };
    expect(sceneMeanAp([{ detection: wrong, target }]).map).toBe(0);
    const half = { boxes: Float32Array.of(0, 0, 10, 10), scores: Float32Array.of(0.9), labels: Int32Array.of(1) };
    const r = sceneMeanAp([{ detection: half, target }]);
    expect(r.map).toBeCloseTo(0.5, 12);
    expect(r.perClass[1]).toBeCloseTo(1, 12);
    expect(r.perClass[2]).toBe(0);
  });

  it('the small SSD: 368 default boxes on 64×64, torchvision-style state-dict names', () => {
    const m = sceneSsd();
    const keys = Object.keys(m.stateDict());
    expect(keys).toContain('head.classification_head.module_list.0.weight');
    expect(keys).toContain('head.regression_head.module_list.2.bias');
    expect(keys).toContain('backbone.body.0.1.running_mean');
    const [a] = m.anchor_generator.call({ tensors: tensor([0]).reshape([1, 1, 1, 1]).expand([1, 1, 64, 64]), imageSizes: [[64, 64]] }, [8, 4, 2].map((s) => tensor([0]).reshape([1, 1, 1, 1]).expand([1, 1, s, s])));
    expect(a!.shape).toEqual([368, 4]);
  });

  it('parses its arguments and refuses unknown ones', () => {
    expect(parseChapter8Args(['--limit', '50', '--test-limit', '10', '--out', 'x', '--save', 'w.safetensors'])).toMatchObject({ limit: 50, testLimit: 10, out: 'x', save: 'w.safetensors', epochs: 4 });
    expect(() => parseChapter8Args(['--epoch', '2'])).toThrow(/unknown argument --epoch/);
    expect(() => parseChapter8Args(['--epochs', 'two'])).toThrow(/--epochs: expected a non-negative integer, got two/);
  });
});
