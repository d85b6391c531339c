import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromTypedArray, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { FashionMNISTScenes, selectiveSearch, selectiveSearchRegions } from '@tensorgrad/vision';
import { syntheticImage } from './selective-search-image.js';

const HAVE_FASHION = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');

// skimage 0.26's felzenszwalb(img_as_float(image), scale, sigma, min_size, channel_axis=-1) on
// syntheticImage(C, 7 + C), run once by hand (pip wheels: scikit-image 0.26.0, scipy 1.17.1): each
// segment's [x1, y1, x2 + 1, y2 + 1, pixel count], sorted
const SKIMAGE_SEGMENTS: [1 | 3, { scale?: number; sigma?: number; minSize?: number }, number[][]][] = [
  [1, {}, [[0, 0, 9, 19, 94], [0, 17, 27, 48, 241], [1, 39, 15, 48, 76], [4, 5, 21, 19, 54], [4, 19, 26, 33, 235], [5, 6, 20, 18, 180], [8, 0, 21, 6, 59], [10, 34, 26, 40, 96], [12, 41, 27, 48, 95], [20, 0, 37, 24, 253], [23, 22, 41, 40, 249], [26, 27, 48, 48, 259], [28, 7, 48, 22, 179], [29, 0, 48, 10, 116], [37, 15, 48, 33, 118]]],
  [1, { scale: 200, minSize: 100 }, [[0, 0, 48, 48, 2174], [6, 7, 19, 17, 130]]],
  [1, { scale: 50, sigma: 0.5, minSize: 20 }, [[0, 0, 13, 8, 74], [0, 5, 41, 40, 665], [0, 33, 48, 48, 487], [5, 6, 20, 18, 180], [10, 34, 26, 40, 96], [11, 0, 48, 37, 586], [17, 30, 27, 37, 26], [20, 0, 36, 7, 47], [31, 30, 41, 39, 45], [34, 0, 48, 17, 98]]],
  [3, {}, [[0, 0, 8, 19, 93], [0, 17, 13, 27, 81], [0, 25, 10, 48, 203], [4, 5, 21, 19, 54], [5, 6, 20, 18, 180], [8, 0, 24, 5, 73], [8, 19, 22, 34, 149], [9, 33, 27, 48, 121], [10, 34, 26, 40, 96], [19, 0, 34, 12, 101], [19, 7, 32, 33, 177], [19, 38, 36, 48, 119], [24, 22, 41, 39, 239], [29, 6, 48, 30, 228], [29, 38, 44, 48, 70], [33, 0, 48, 18, 188], [36, 27, 48, 48, 132]]],
  [3, { scale: 200, minSize: 100 }, [[0, 0, 24, 19, 166], [0, 0, 48, 48, 1529], [5, 6, 20, 18, 180], [9, 23, 40, 41, 326], [23, 21, 42, 40, 103]]],
  [3, { scale: 50, sigma: 0.5, minSize: 20 }, [[0, 0, 19, 6, 93], [0, 0, 46, 48, 950], [0, 2, 7, 12, 37], [0, 11, 9, 20, 33], [5, 6, 20, 18, 180], [8, 32, 24, 41, 29], [9, 40, 25, 48, 88], [10, 34, 26, 40, 96], [16, 37, 36, 48, 111], [24, 22, 41, 39, 239], [30, 0, 40, 7, 40], [32, 37, 44, 48, 79], [36, 5, 48, 48, 307], [43, 0, 48, 6, 22]]],
];

function iou(a: number[], b: number[]): number {
  const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (iw <= 0 || ih <= 0) return 0;
  return (iw * ih) / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - iw * ih);
}

/** Recall: the fraction of ground-truth boxes some proposal matches with IoU ≥ 0.7. */
async function recall(ds: FashionMNISTScenes, n: number, options: object): Promise<{ recall: number; msPerImage: number; boxesPerImage: number }> {
  let hit = 0;
  let total = 0;
  let boxes = 0;
  let ms = 0;
  for (let i = 0; i < n; i++) {
    const [image, t] = ds.get(i);
    const t0 = performance.now();
    const proposals = (await (await selectiveSearch(image, options)).array()) as number[][];
    ms += performance.now() - t0;
    boxes += proposals.length;
    for (const g of (await t.boxes.array()) as number[][]) {
      total++;
      if (proposals.some((b) => iou(b, g) >= 0.7)) hit++;
    }
  }
  return { recall: hit / total, msPerImage: ms / n, boxesPerImage: boxes / n };
}

describe('selectiveSearch', () => {
  it('finds flat objects exactly and builds the hierarchy up to the whole image', async () => {
    // two flat rectangles on black, no smoothing: the initial segments are exactly the rectangles
    const px = new Int32Array(3 * 24 * 32);
    for (let c = 0; c < 3; c++) {
      for (let y = 2; y < 10; y++) for (let x = 3; x < 12; x++) px[c * 768 + y * 32 + x] = c === 0 ? 250 : 40;
      for (let y = 14; y < 22; y++) for (let x = 18; x < 30; x++) px[c * 768 + y * 32 + x] = 120;
    }
    const regions = await selectiveSearchRegions(fromTypedArray(px, [3, 24, 32]), { sigma: 0, minSize: 5 });
    // 3 initial segments (background, 2 rectangles), 2 merges; the last region is the whole image
    expect(regions.length).toBe(5);
    expect(regions.slice(0, 3).map((r) => [r.box, r.size])).toEqual([
      [[0, 0, 32, 24], 24 * 32 - 72 - 96],
      [[3, 2, 12, 10], 72],
      [[18, 14, 30, 22], 96],
    ]);
    expect(regions[4]!.box).toEqual([0, 0, 32, 24]);
    expect(regions[4]!.size).toBe(24 * 32);
    expect(regions[4]!.labels.sort()).toEqual([0, 1, 2]);
    const boxes = await selectiveSearch(fromTypedArray(px, [3, 24, 32]), { sigma: 0, minSize: 5 });
    expect(boxes.dtype).toBe('float32');
    expect(boxes.shape[1]).toBe(4);
    // distinct boxes only
    const list = (await boxes.array()) as number[][];
    expect(new Set(list.map((b) => b.join())).size).toBe(list.length);
    expect(list.slice(0, 3)).toEqual([[0, 0, 32, 24], [3, 2, 12, 10], [18, 14, 30, 22]]);
  });

  it('starts from the segments of skimage\'s felzenszwalb (grey and RGB, several options)', async () => {
    for (const [channels, options, want] of SKIMAGE_SEGMENTS) {
      const regions = await selectiveSearchRegions(fromTypedArray(syntheticImage(channels, 7 + channels), [channels, 48, 48]), options);
      const initial = regions.filter((r) => r.labels.length === 1).map((r) => [...r.box, r.size]);
      const lexicographic = (a: number[], b: number[]): number => {
        const i = a.findIndex((v, k) => v !== b[k]);
        return i < 0 ? 0 : a[i]! - b[i]!;
      };
      expect(initial.sort(lexicographic), `C=${channels} ${JSON.stringify(options)}`).toEqual(want);
      // the hierarchy ends in one region covering the image
      expect(regions.at(-1)!.size).toBe(48 * 48);
      expect(regions.length).toBe(2 * want.length - 1);
    }
  });

  it('merges segments smaller than minSize and grows segments with scale', async () => {
    const px = new Float32Array(20 * 20);
    for (let y = 5; y < 8; y++) for (let x = 5; x < 8; x++) px[y * 20 + x] = 1; // 9 pixels
    const img = fromTypedArray(px, [1, 20, 20]);
    expect((await selectiveSearchRegions(img, { sigma: 0, minSize: 5 })).length).toBe(3); // 2 segments + 1 merge
    expect((await selectiveSearchRegions(img, { sigma: 0, minSize: 10 })).length).toBe(1); // the speck is merged away
    // a smooth ramp: a small scale cuts it into many segments, a large one into few
    const ramp = fromTypedArray(Float32Array.from({ length: 32 * 32 }, (_, i) => (i % 32) / 31), [1, 32, 32]);
    const small = await selectiveSearchRegions(ramp, { scale: 0.5, sigma: 0, minSize: 0 });
    const large = await selectiveSearchRegions(ramp, { scale: 5000, sigma: 0, minSize: 0 });
    expect(small.length).toBeGreaterThan(large.length);
    expect(large.length).toBe(1);
  });

  it('is deterministic and accepts [H, W], int32 and float images and the positional form', async () => {
    const data = Float32Array.from({ length: 40 * 40 }, (_, i) => ((i * 7919) % 97) / 96);
    const a = await (await selectiveSearch(fromTypedArray(data, [1, 40, 40]))).array();
    const b = await (await selectiveSearch(fromTypedArray(data, [40, 40]))).array();
    const c = await (await selectiveSearch(fromTypedArray(data, [1, 40, 40]), 1, 0.8, 50)).array();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('refuses bad input with errors that say what was expected', async () => {
    await expect(selectiveSearch(zeros([2, 8, 8]))).rejects.toThrow(/C = 1 or 3.*got shape \[2, 8, 8\]/);
    await expect(selectiveSearch(zeros([1, 0, 8]))).rejects.toThrow(/the image is empty/);
    await expect(selectiveSearch(tensor([[[300]]], { dtype: 'int32' }))).rejects.toThrow(/int32 pixel values 0–255, got 300/);
    await expect(selectiveSearch(tensor([[[2.5]]]))).rejects.toThrow(/float pixel values in \[0, 1\], got 2.5/);
    await expect(selectiveSearch(zeros([1, 4, 4]), { scale: 0 })).rejects.toThrow(/scale to be a positive number, got 0/);
    await expect(selectiveSearch(zeros([1, 4, 4]), { minSize: 1.5 })).rejects.toThrow(/minSize to be an integer/);
    await expect(selectiveSearch(zeros([1, 4, 4]), { mode: 'quality' as never })).rejects.toThrow(/'single' or 'fast'/);
    await expect(selectiveSearch(zeros([1, 4, 4]), { min_size: 5 } as never)).rejects.toThrow(/minSize/);
    await expect(selectiveSearch([[0]] as never)).rejects.toThrow(TypeError);
    await expect(selectiveSearch(zeros([1, 4, 4]), { sigma: 1e9 })).rejects.toThrow(/sigma 1000000000 needs a Gaussian kernel of 8000000001 taps; expected sigma ≤ 2500000/);
  });

  it('smooths with a sigma far larger than the image in bounded time (the kernel folds onto the reflected image)', async () => {
    // a two-tone 32×32 RGB image: blurred with sigma 2·10⁶ it is one colour, so one segment, the whole image
    const px = new Float32Array(3 * 32 * 32);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 16; x++) px[c * 1024 + y * 32 + x] = 0.9;
    const image = fromTypedArray(px, [3, 32, 32]);
    const t0 = Date.now();
    const boxes = await selectiveSearch(image, { sigma: 2e6, minSize: 0 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await boxes.array()).toEqual([[0, 0, 32, 32]]);
    // a sigma just above the image's size folds too, and still separates nothing it should not
    const mild = await selectiveSearch(image, { sigma: 10, minSize: 0 });
    expect(((await mild.array()) as number[][]).some((b) => b.join() === '0,0,32,32')).toBe(true);
    [image, boxes, mild].forEach((t) => t.dispose());
  });

  it.skipIf(!HAVE_FASHION)('covers the garments of generated 128×128 scenes (IoU ≥ 0.7 recall ≥ 0.8) in bounded time', async () => {
    // measured on 40 test scenes (seed 1): grey, defaults: recall 0.91, ~15 boxes, ~30 ms per image;
    // RGB on a noisy gradient, the book's scale 200 / minSize 100: recall 0.91, ~6 boxes
    const grey = await FashionMNISTScenes.load({ train: false, length: 20, seed: 1 });
    const r1 = await recall(grey, 20, {});
    expect(r1.recall).toBeGreaterThanOrEqual(0.8);
    expect(r1.msPerImage).toBeLessThan(1000);
    const rgb = await FashionMNISTScenes.load({ train: false, length: 20, seed: 1, channels: 3, background: 'gradient', noise: 0.03 });
    const r2 = await recall(rgb, 20, { scale: 200, minSize: 100 });
    expect(r2.recall).toBeGreaterThanOrEqual(0.8);
    const r3 = await recall(rgb, 5, { mode: 'fast' });
    expect(r3.recall).toBeGreaterThanOrEqual(0.6);
  }, 120_000);
});
