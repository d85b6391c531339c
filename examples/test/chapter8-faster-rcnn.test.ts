// Chapter 8's Faster R-CNN program on real generated scenes: a short training run lowers the
// loss, the detections are well-formed, and the whole program (train, mAP, pictures) runs end to
// end on a few scenes and writes PNGs that decode back to 64×64 RGB pictures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, FashionMNISTScenes, manualSeed } from 'tensorgrad';
import { detect, runFasterRCNN, smallFasterRCNN, trainFasterRCNN } from '../src/chapter8/faster-rcnn.js';

describe('chapter 8: Faster R-CNN on Fashion-MNIST scenes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch8-frcnn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the loss falls over 24 steps on 8 scenes, and eval gives { boxes, labels, scores } per image', async () => {
    const scenes = await FashionMNISTScenes.load({ train: true, length: 8, size: 64, numGarments: [1, 3], garmentSize: [16, 32], seed: 1 });
    manualSeed(0);
    const model = smallFasterRCNN({ size: 64 });
    const history = await trainFasterRCNN(model, scenes as never, { epochs: 12, batchSize: 4, lr: 1e-3 });
    expect(history.length).toBe(24);
    expect(Object.keys(history[0]!.parts).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']);
    const first = (history[0]!.loss + history[1]!.loss) / 2;
    const last = (history[22]!.loss + history[23]!.loss) / 2;
    expect(last).toBeLessThan(0.7 * first);
    const [det] = detect(model, [scenes.get(0)[0]]);
    const n = det!.scores.shape[0]!;
    expect(det!.boxes.shape).toEqual([n, 4]);
    expect(det!.labels.dtype).toBe('int32');
    const labels = Array.from(det!.labels.dataSync());
    expect(labels.every((l) => l >= 1 && l <= 10)).toBe(true);
    const scores = Array.from(det!.scores.dataSync());
    expect(scores.every((s, i) => s > 0.05 && s <= 1 && (i === 0 || s <= scores[i - 1]! + 1e-6) || n === 0)).toBe(true);
  }, 600_000);

  it('runs the program end to end: mAP@0.5 in [0, 1] and six 64×64 prediction PNGs', async () => {
    const lines: string[] = [];
    const r = await runFasterRCNN({ limit: 8, testLimit: 8, epochs: 1, batchSize: 4, out: dir, log: (l) => lines.push(l) });
    expect(r.steps).toBe(2);
    expect(r.map50).toBeGreaterThanOrEqual(0);
    expect(r.map50).toBeLessThanOrEqual(1);
    expect(r.pictures.length).toBe(6);
    const img = await decodeImage(new Uint8Array(readFileSync(r.pictures[0]!)));
    expect(img.shape).toEqual([3, 64, 64]);
    expect(lines.at(-1)).toMatch(/mAP@0\.5 on 8 held-out scenes: \d\.\d{3}/);
  }, 600_000);
});
