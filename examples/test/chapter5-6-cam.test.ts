// The class-activation-map experiment end to end on a few hundred real Fashion-MNIST images: the
// PNGs it writes decode back to the images, colours and overlays they should hold; the colour
// map against hand-computed values; the overlay against a pixel-by-pixel computation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, Generator, memory, rand, tensor, tidy } from 'tensorgrad';
import { ImageSplits } from '../src/chapter3/data.js';
import { formatCam, insideOutside, jetColormap, overlayHeatmap, runCam, type CamResult } from '../src/chapter5-6/cam.js';
import { parseExperimentArgs } from '../src/experiments.js';

/** The colour map written out by hand: piecewise linear 'jet', clamped to [0, 1]. */
function jetByHand(v: number): [number, number, number] {
  const c = (x: number): number => Math.min(1, Math.max(0, x));
  return [c(1.5 - Math.abs(4 * v - 3)), c(1.5 - Math.abs(4 * v - 2)), c(1.5 - Math.abs(4 * v - 1))];
}

const liveAtStart = memory().numTensors;
afterAll(() => expect(memory().numTensors).toBe(liveAtStart));

describe('jetColormap / overlayHeatmap', () => {
  it('gives dark blue at 0, green at 0.5, dark red at 1 (and blue-cyan, yellow-orange in between)', () => tidy(() => {
    const rgb = jetColormap(tensor([[[0, 0.25, 0.5, 0.75, 1]]])).arraySync() as number[][][][];
    const at = (j: number): number[] => [rgb[0]![0]![0]![j]!, rgb[0]![1]![0]![j]!, rgb[0]![2]![0]![j]!];
    expect(at(0)).toEqual([0, 0, 0.5]);
    expect(at(1)).toEqual([0, 0.5, 1]);
    expect(at(2)).toEqual([0.5, 1, 0.5]);
    expect(at(3)).toEqual([1, 0.5, 0]);
    expect(at(4)).toEqual([0.5, 0, 0]);
    expect(() => jetColormap(tensor([0.5]))).toThrow(/expected heatmaps \[N, H, W\], got \[1\]/);
  }));

  it('overlays 0.5·image + 0.5·colour like a pixel-by-pixel computation', () => tidy(() => {
    const images = rand([2, 1, 3, 4], { generator: new Generator(3) });
    const heat = rand([2, 3, 4], { generator: new Generator(4) });
    const x = images.dataSync() as Float32Array;
    const h = heat.dataSync() as Float32Array;
    const expected: number[] = [];
    for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let p = 0; p < 12; p++) expected.push(0.5 * x[n * 12 + p]! + 0.5 * jetByHand(h[n * 12 + p]!)[c]!);
    const got = Array.from(overlayHeatmap(images, heat).dataSync() as Float32Array);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(() => overlayHeatmap(images, heat.slice(0, 0, 1))).toThrow(/same N, H, W/);
  }));
});


describe('insideOutside', () => {
  it('averages the heat over the object, the background, the outline within the margin and the rest, like a hand count', () => tidy(() => {
    // a 5×5 image whose object is the centre pixel; heat = row·5 + column, scaled by 1/24
    const image = tensor([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    const heat = tensor(Array.from({ length: 25 }, (_, k) => k / 24)).reshape([1, 5, 5]);
    const [r] = insideOutside(image, heat, 0.1, 1);
    // outline: the 8 neighbours 6, 7, 8, 11, 13, 16, 17, 18; far: the 16 border pixels
    const ring = [6, 7, 8, 11, 13, 16, 17, 18];
    const border = Array.from({ length: 25 }, (_, k) => k).filter((k) => k !== 12 && !ring.includes(k));
    const mean = (ks: number[]): number => ks.reduce((a, k) => a + k / 24, 0) / ks.length;
    expect(r!.inside).toBeCloseTo(12 / 24, 6);
    expect(r!.outline).toBeCloseTo(mean(ring), 6);
    expect(r!.far).toBeCloseTo(mean(border), 6);
    expect(r!.outside).toBeCloseTo(mean([...ring, ...border]), 6);
    // with margin 2 the whole background is outline
    const [wide] = insideOutside(image, heat, 0.1, 2);
    expect(Number.isNaN(wide!.far)).toBe(true);
    expect(() => insideOutside(image, heat.reshape([1, 25]))).toThrow(/expected heatmaps \[N, H, W\]/);
  }));
});

describe('the cam experiment on real Fashion-MNIST', () => {
  let fashion: ImageSplits;
  let liveBefore: number;
  let result: CamResult;
  const out = mkdtempSync(join(tmpdir(), 'cam-test-'));
  const decode = async (name: string): Promise<{ shape: number[]; px: Int32Array }> => {
    const t = await decodeImage(readFileSync(join(out, name)));
    const decoded = { shape: t.shape.slice(), px: t.dataSync() as Int32Array };
    t.dispose();
    expect(decoded.px.every((v) => v >= 0 && v <= 255)).toBe(true);
    return decoded;
  };
  // 4 images of 28·4 = 112 pixels, with 2 pixels of padding around and between them
  const cell = 112 + 2;

  beforeAll(async () => {
    liveBefore = memory().numTensors;
    fashion = await ImageSplits.loadFashionMnist({ limit: 300, testLimit: 100 });
    result = await runCam({ data: fashion, epochs: 1, count: 4, scale: 4, out });
  });

  afterAll(() => {
    fashion.dispose();
    rmSync(out, { recursive: true, force: true });
    expect(memory().numTensors).toBe(liveBefore);
  });

  it('writes the image, heatmap and overlay grids and the combined grid as PNGs that decode back', async () => {
    expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['images.png', 'heatmaps.png', 'overlays.png', 'cam.png']);
    const images = await decode('images.png');
    const heat = await decode('heatmaps.png');
    const over = await decode('overlays.png');
    const grid = await decode('cam.png');
    for (const d of [images, heat, over]) expect(d.shape).toEqual([3, 2 + cell, 2 + 4 * cell]);
    expect(grid.shape).toEqual([3, 2 + 4 * cell, 2 + 3 * cell]);

    const raw = fashion.valX.dataSync() as Float32Array;
    const [h1, w1] = [2 + cell, 2 + 4 * cell];
    const [h2, w2] = [2 + 4 * cell, 2 + 3 * cell];
    // counted rather than asserted pixel by pixel, to keep the test fast
    let [imageWrong, overlayWrong, gridWrong] = [0, 0, 0];
    result.examples.forEach((e, k) => {
      for (let i = 0; i < 112; i++)
        for (let j = 0; j < 112; j++)
          for (let c = 0; c < 3; c++) {
            const p1 = (c * h1 + 2 + i) * w1 + 2 + k * cell + j;
            // the image, enlarged 4 times by nearest neighbour, holds the test image's 0-255 pixels
            if (images.px[p1] !== raw[e.index * 784 + Math.floor(i / 4) * 28 + Math.floor(j / 4)]) imageWrong++;
            // overlay = 0.5·image + 0.5·colour, up to the rounding of the three 8-bit files
            if (Math.abs(over.px[p1]! - 0.5 * images.px[p1]! - 0.5 * heat.px[p1]!) > 1.5) overlayWrong++;
            // the combined grid has the same pixels, one row per image: image | heatmap | overlay
            const p2 = (col: number): number => (c * h2 + 2 + k * cell + i) * w2 + 2 + col * cell + j;
            if (grid.px[p2(0)] !== images.px[p1] || grid.px[p2(1)] !== heat.px[p1] || grid.px[p2(2)] !== over.px[p1]) gridWrong++;
          }
    });
    expect([imageWrong, overlayWrong, gridWrong]).toEqual([0, 0, 0]);
    // the heatmaps are coloured with the ramp: every pixel has a channel at 255·(0.5…1) and one at ≤ 128
    const plane = h1 * w1;
    for (let k = 0; k < 4; k++) {
      const p = (2 + 50) * w1 + 2 + k * cell + 50;
      const rgb = [heat.px[p]!, heat.px[plane + p]!, heat.px[2 * plane + p]!];
      expect(Math.max(...rgb)).toBeGreaterThanOrEqual(127);
      expect(Math.min(...rgb)).toBeLessThanOrEqual(128);
    }
    // white padding in the combined grid, black in the others (makeGrid's default)
    expect([grid.px[0], images.px[0]]).toEqual([255, 0]);
  });

  it('shows images classified right and wrong, with their Fashion-MNIST class names', () => {
    expect(result.examples).toHaveLength(4);
    const wrong = result.examples.filter((e) => e.label !== e.predicted).length;
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(4);
    const labels = fashion.valY.dataSync() as Int32Array;
    for (const e of result.examples) expect(e.label).toBe(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'][labels[e.index]!]);
    expect(result.accuracy).toBeGreaterThan(0.3);
  });

  it('measures the heat on the object, its outline and the far background, trained and untrained', () => {
    expect(result.trained.images).toBe(100);
    expect(result.untrained.images).toBe(100);
    for (const s of [result.trained, result.untrained]) {
      for (const v of [s.inside, s.outside, s.outline, s.far, s.insideHigher]) expect(v >= 0 && v <= 1).toBe(true);
    }
    for (const e of result.examples) {
      // an image's background is its outline and its far background together: its mean lies between theirs
      expect(e.outside).toBeGreaterThanOrEqual(Math.min(e.outline, e.far) - 1e-6);
      expect(e.outside).toBeLessThanOrEqual(Math.max(e.outline, e.far) + 1e-6);
    }
    const text = formatCam(result);
    expect(text).toMatch(/^cam: Grad-CAM/);
    expect(text).toContain(`wrote ${join(out, 'cam.png')}`);
    expect(parseExperimentArgs(['cam', '--out', out]).out).toBe(out);
  });
});
