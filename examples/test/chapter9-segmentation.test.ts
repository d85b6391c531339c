// Chapter 9: a short U-Net run on generated Fashion-MNIST scenes (the loss falls, the metrics and
// the pictures are well-formed), and the command line.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory } from 'tensorgrad';
import { formatSegmentation, runSegmentation } from '../src/chapter9/segmentation.js';
import { parseChapter9Args } from '../src/chapter9/main.js';

describe('chapter 9: U-Net segmentation of Fashion-MNIST scenes', () => {
  it('a few training steps on a few scenes: the loss falls, IoUs and pictures are well-formed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-ch9-'));
    const before = memory().numTensors;
    try {
      const r = await runSegmentation({ train: 48, test: 16, size: 32, baseChannels: 8, depth: 2, epochs: 4, batchSize: 8, lr: 1e-2, out, pictures: 3 });
      expect(r.stepLosses.length).toBe(24);
      const first = r.stepLosses.slice(0, 4).reduce((a, v) => a + v, 0) / 4;
      const last = r.stepLosses.slice(-4).reduce((a, v) => a + v, 0) / 4;
      // 11 classes: cross-entropy starts near ln 11 ≈ 2.4
      expect(first).toBeGreaterThan(1.2);
      expect(last).toBeLessThan(first * 0.7);
      expect(r.history.length).toBe(4);
      expect(r.perClassIou.length).toBe(11);
      for (const v of r.perClassIou) expect(v >= 0 && v <= 1).toBe(true);
      // the background is most pixels and is learnt first
      expect(r.perClassIou[0]!).toBeGreaterThan(0.5);
      expect(r.pixelAccuracy).toBeGreaterThan(0.5);
      expect(r.meanIou).toBeGreaterThan(0);
      expect(r.meanIou).toBeLessThan(1);
      // the picture: 3 rows (image, true masks, predicted masks) of 32×32 tiles, padding 2
      const png = readFileSync(r.pictures[0]!);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([3 * 34 + 2, 3 * 34 + 2]);
      expect(formatSegmentation(r)).toContain('| **mean** |');
      expect(memory().numTensors).toBe(before);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 600_000);

  it('parses its command line and refuses bad arguments', () => {
    expect(parseChapter9Args(['--epochs', '3', '--limit', '500', '--test-limit', '100', '--lr', '0.01', '--out', 'x'])).toEqual({ epochs: 3, train: 500, test: 100, lr: 0.01, out: 'x' });
    expect(() => parseChapter9Args(['--epochs', 'two'])).toThrow(/--epochs: expected a non-negative integer, got two/);
    expect(() => parseChapter9Args(['--model', 'resnet'])).toThrow(/--model: expected unet or vgg/);
    expect(() => parseChapter9Args(['--epoch', '1'])).toThrow(/unknown argument --epoch/);
  });
});
