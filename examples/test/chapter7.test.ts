// The book's chapter 7: IoU, NMS and mAP worked by hand against the library (boxIou, nms,
// MeanAveragePrecision), the proposal labelling and calc_loss against hand computations, and
// short training runs of R-CNN and Fast R-CNN on generated Fashion-MNIST scenes (the loss falls,
// the predictions are well-formed, the picture decodes).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, Generator, boxIou, decodeImage, manualSeed, memory, nms, noGrad, rand, tensor, tidy } from 'tensorgrad';
import { formatBasics, runBasics } from '../src/chapter7/basics.js';
import { loadScenes } from '../src/chapter7/data.js';
import { withProposals, type ProposalScene, type Scene } from '../src/chapter7/detect.js';
import { SCENE_PROPOSALS, formatDetector, meanAveragePrecision, runDetector } from '../src/chapter7/experiment.js';
import { frcnnBatch, trainFrcnnEpoch } from '../src/chapter7/frcnn.js';
import { parseChapter7Args } from '../src/chapter7/main.js';
import { FRCNN, RCNN, calcLoss } from '../src/chapter7/models.js';
import { extractCandidates } from '../src/chapter7/proposals.js';
import { rcnnData, trainRcnnEpoch } from '../src/chapter7/rcnn.js';
import { labelProposals } from '../src/chapter7/targets.js';
import { averagePrecisionByHand, getIou, nmsByHand, type Box } from '../src/chapter7/worked.js';

const liveAtStart = memory().numTensors;
afterAll(() => expect(memory().numTensors).toBe(liveAtStart));

/** `n` random boxes in a 100×100 image, from a seeded generator. */
function randomBoxes(n: number, seed: number): Box[] {
  return tidy(() => {
    const v = rand([n, 4], { generator: new Generator(seed) }).arraySync() as number[][];
    return v.map(([a, b, c, d]) => {
      const x1 = a! * 70;
      const y1 = b! * 70;
      return [x1, y1, x1 + 5 + c! * 30, y1 + 5 + d! * 30] as Box;
    });
  });
}

describe('worked by hand', () => {
  it("get_iou (the book's) matches boxIou on random boxes", () => {
    const a = randomBoxes(12, 1);
    const b = randomBoxes(9, 2);
    const lib = tidy(() => boxIou(tensor(a.map((x) => [...x])), tensor(b.map((x) => [...x]))).arraySync() as number[][]);
    a.forEach((p, i) => b.forEach((q, j) => expect(lib[i]![j]!).toBeCloseTo(getIou(p, q, 0), 5)));
    expect(getIou([0, 0, 4, 4], [2, 2, 6, 6], 0)).toBe(4 / 28);
  });

  it('NMS step by step keeps what nms keeps on random boxes, at three thresholds', async () => {
    const boxes = randomBoxes(40, 3);
    const scores = tidy(() => Array.from(rand([40], { generator: new Generator(4) }).dataSync()));
    for (const t of [0.2, 0.5, 0.7]) {
      const lib = await tidy(async () => (await nms(tensor(boxes.map((x) => [...x])), tensor(scores), { iouThreshold: t }).array()) as number[]);
      expect(lib, `threshold ${t}`).toEqual(nmsByHand(boxes, scores, t).keep);
    }
  });

  it('the chapter report: IoU 1/7, NMS keeps 0, 2, 3, mAP@0.5 0.9327 by hand and by MeanAveragePrecision', async () => {
    const r = await runBasics();
    expect(r.iou.boxIou).toBeCloseTo(1 / 7, 6);
    expect(r.iou.byHand).toBeCloseTo(4 / 28.00001, 9);
    expect(r.nms.byHand).toEqual([0, 2, 3]);
    expect(r.nms.library).toEqual([0, 2, 3]);
    expect(r.nms.steps.map((s) => s.suppressed.map((x) => x.index))).toEqual([[1], [4], []]);
    expect(r.nms.steps[0]!.suppressed[0]!.iou).toBeCloseTo(1444 / 1756, 12);
    const [c1, c2] = r.map.perClass;
    expect(c1!.allPoint).toBeCloseTo(13 / 15, 12);
    expect(c1!.elevenPoint).toBeCloseTo(9.4 / 11, 12);
    expect(c1!.coco101).toBeCloseTo(87.4 / 101, 12);
    expect([c2!.allPoint, c2!.elevenPoint, c2!.coco101]).toEqual([1, 1, 1]);
    expect(r.map.byHand101).toBeCloseTo((87.4 / 101 + 1) / 2, 12);
    expect(r.map.library).toBeCloseTo(r.map.byHand101, 5);
    expect(formatBasics(r)).toMatch(/kept by hand \[0, 2, 3\], by nms \[0, 2, 3\]/);
  });

  it('101-point AP by hand matches MeanAveragePrecision on random detections of random scenes', async () => {
    // ground truth far apart (a 5 × 2 grid of 15 px squares), so every detection's best match is
    // the same under VOC's and COCO's matching rules
    const truth: Box[] = Array.from({ length: 10 }, (_, i) => [(i % 5) * 20, Math.floor(i / 5) * 50, (i % 5) * 20 + 15, Math.floor(i / 5) * 50 + 15]);
    const jitter = randomBoxes(25, 6);
    const scores = tidy(() => Array.from(rand([25], { generator: new Generator(7) }).dataSync()));
    // detections: a truth box moved by a random amount, in one of 3 images, one class
    const objects = truth.map((box, i) => ({ image: i % 3, box }));
    const detections = jitter.map((j, k) => {
      const o = objects[k % objects.length]!;
      const d = (j[0] - 35) / 10; // about ±3.5 px
      return { image: o.image, box: [o.box[0] + d, o.box[1] - d, o.box[2] + d, o.box[3] + d / 2] as Box, score: scores[k]! };
    });
    const byHand = averagePrecisionByHand(detections, objects, { interpolation: '101-point' }).ap;
    const scenes: Scene[] = [0, 1, 2].map((i) => ({ image: tensor([0]), boxes: objects.filter((o) => o.image === i).map((o) => o.box), labels: objects.filter((o) => o.image === i).map(() => 1) }));
    const predictions = [0, 1, 2].map((i) => {
      const d = detections.filter((x) => x.image === i);
      return { boxes: d.map((x) => x.box), scores: d.map((x) => x.score), labels: d.map(() => 1) };
    });
    const { map50 } = await meanAveragePrecision(predictions, scenes);
    for (const s of scenes) s.image.dispose();
    expect(byHand).toBeGreaterThan(0.2);
    expect(byHand).toBeLessThan(1);
    expect(map50).toBeCloseTo(byHand, 5);
  });
});

describe('R-CNN targets and loss', () => {
  it('labels proposals as the book does: IoU > 0.3 → the class, else background; offsets over W and H', () => {
    // the hand-computed case: image 200 × 100, one class-5 object
    const t = labelProposals(
      [
        [20, 10, 60, 50], // the object itself
        [40, 10, 80, 50], // overlap 20×40 = 800, union 1600 + 1600 − 800 = 2400: IoU 1/3 > 0.3
        [50, 10, 90, 50], // overlap 10×40 = 400, union 2800: IoU 0.14 → background
      ],
      [[20, 10, 60, 50]],
      [5],
      { width: 200, height: 100 },
    );
    expect(t.labels).toEqual([5, 5, 0]);
    expect(t.ious[1]).toBeCloseTo(1 / 3, 6);
    expect(t.deltas[1]).toEqual([-20 / 200, 0, -20 / 200, 0]);
    expect(t.deltas[2]).toEqual([-30 / 200, 0, -30 / 200, 0]);
    expect(t.rois[2]).toEqual([0.25, 0.1, 0.45, 0.5]);
    // no objects: everything is background, with zero offsets
    const empty = labelProposals([[0, 0, 5, 5]], [], [], { width: 10, height: 10 });
    expect([empty.labels, empty.deltas]).toEqual([[0], [[0, 0, 0, 0]]]);
    expect(() => labelProposals([], [[0, 0, 1, 1]], [], { width: 10, height: 10 })).toThrow(/one label per ground-truth box, got 1 boxes and 0 labels/);
  });

  it('calc_loss is cross-entropy + 10 × L1 over the foreground rows (computed by hand)', () => {
    const scores = [[1, 2, 0.5], [0.1, -1, 0.3], [2, 2, 2], [0, 1, -2]];
    const labels = [1, 0, 2, 0];
    const pred = [[0.1, 0.2, -0.1, 0], [0.9, 0.9, 0.9, 0.9], [-0.3, 0.4, 0.2, 0.1], [0.5, 0.5, 0.5, 0.5]];
    const target = [[0, 0.1, 0, 0.2], [0, 0, 0, 0], [0.1, 0.1, 0.1, 0.1], [0, 0, 0, 0]];
    const ce = scores.reduce((t, row, i) => t + Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[labels[i]!]!, 0) / 4;
    const fg = [0, 2];
    const l1 = fg.reduce((t, i) => t + pred[i]!.reduce((s, v, k) => s + Math.abs(v - target[i]![k]!), 0), 0) / (4 * fg.length);
    tidy(() => {
      const l = calcLoss(tensor(scores), tensor(pred), tensor(labels, { dtype: 'int32' }), tensor(target));
      expect(l.detectionLoss.itemSync()).toBeCloseTo(ce, 5);
      expect(l.regressionLoss.itemSync()).toBeCloseTo(l1, 6);
      expect(l.loss.itemSync()).toBeCloseTo(ce + 10 * l1, 5);
      // no foreground: the regression loss is 0
      const bg = calcLoss(tensor(scores), tensor(pred), tensor([0, 0, 0, 0], { dtype: 'int32' }), tensor(target));
      expect(bg.regressionLoss.itemSync()).toBe(0);
    });
  });
});

describe('training on generated scenes', () => {
  let scenes: ProposalScene[] = [];
  const prepared = (async () => {
    const raw = await loadScenes({ length: 12, size: 64, seed: 3 });
    scenes = await withProposals(raw, (image) => extractCandidates(image, SCENE_PROPOSALS));
    return scenes;
  })();
  afterAll(() => {
    for (const s of scenes) s.image.dispose();
  });

  it('selective search finds proposals and most garments have one with IoU >= 0.5', async () => {
    const s = await prepared;
    const perScene = s.reduce((n, x) => n + x.proposals.length, 0) / s.length;
    expect(perScene).toBeGreaterThan(3);
    const objects = s.flatMap((x) => x.boxes.map((b) => Math.max(0, ...x.proposals.map((p) => getIou(p, b)))));
    expect(objects.filter((v) => v >= 0.5).length / objects.length).toBeGreaterThan(0.8);
    expect(s.some((x) => x.proposalLabels.some((l) => l === 0)) && s.some((x) => x.proposalLabels.some((l) => l > 0))).toBe(true);
  });

  it('R-CNN: the loss on the training crops falls after a few epochs', async () => {
    const s = await prepared;
    manualSeed(0);
    const model = new RCNN({ numClasses: 11, cropSize: 16, hidden: 64 });
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const data = rcnnData(s, 16);
    const lossNow = (): number =>
      noGrad(() =>
        tidy(() => {
          model.eval();
          const [scores, offsets] = model(data.crops);
          return model.calcLoss(scores, offsets, data.labels, data.deltas).loss.itemSync() as number;
        }),
      );
    const before = lossNow();
    for (let epoch = 0; epoch < 8; epoch++) trainRcnnEpoch(model, optimizer, data, { batchSize: 16, epoch });
    const after = lossNow();
    for (const t of [data.crops, data.labels, data.deltas]) t.dispose();
    model.dispose();
    optimizer.dispose();
    expect(after).toBeLessThan(0.8 * before);
  }, 120_000);

  it('Fast R-CNN: the loss on the training scenes falls after a few epochs', async () => {
    const s = await prepared;
    manualSeed(0);
    const model = new FRCNN({ numClasses: 11, hidden: 64, outputSize: 4 });
    const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
    const lossNow = (): number =>
      noGrad(() =>
        tidy(() => {
          model.eval();
          const b = frcnnBatch(s.filter((x) => x.proposals.length > 0));
          const [scores, offsets] = model(b.input, b.rois, b.ridx);
          return model.calcLoss(scores, offsets, b.labels, b.deltas).loss.itemSync() as number;
        }),
      );
    const before = lossNow();
    for (let epoch = 0; epoch < 8; epoch++) trainFrcnnEpoch(model, optimizer, s, { batchSize: 2, epoch });
    const after = lossNow();
    model.dispose();
    optimizer.dispose();
    expect(after).toBeLessThan(0.8 * before);
  }, 120_000);
});

describe('the program', () => {
  it('runs R-CNN and Fast R-CNN end to end on a few scenes: well-formed results and a decodable picture', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chapter7-'));
    try {
      for (const kind of ['rcnn', 'frcnn'] as const) {
        const r = await runDetector(kind, { limit: 16, testLimit: 4, epochs: 2, cropSize: 16, out, pictures: 4 });
        expect(r.scenes).toEqual({ train: 16, test: 4 });
        expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
        expect(r.epochs.every((e) => Number.isFinite(e.loss) && e.steps > 0)).toBe(true);
        expect(r.map50).toBeGreaterThanOrEqual(0);
        expect(r.map50).toBeLessThanOrEqual(1);
        expect(r.files).toEqual([join(out, `${kind}-predictions.png`)]);
        const png = await decodeImage(new Uint8Array(readFileSync(r.files[0]!)));
        // four 128×128 pictures in one row, 2 px of padding around and between them
        expect(png.shape).toEqual([3, 132, 4 * 130 + 2]);
        png.dispose();
        expect(formatDetector(r)).toMatch(new RegExp(`^${kind}: `));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('parses its arguments and names a bad one', () => {
    expect(parseChapter7Args(['all', '--test-limit=20']).parts).toEqual(['basics', 'rcnn', 'frcnn']);
    expect(() => parseChapter7Args(['yolo'])).toThrow(/unknown part 'yolo'; choose from basics, rcnn, frcnn or all/);
    expect(() => parseChapter7Args(['--epochs', '0'])).toThrow(/--epochs: expected a whole number >= 1, got '0'/);
    expect(() => parseChapter7Args(['--lr', '1'])).toThrow(/unknown option '--lr'/);
  });
});
