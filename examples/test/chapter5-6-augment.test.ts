// The translation helpers of the chapter 5-6 experiments against a direct pixel-by-pixel
// computation in plain JavaScript, and the class split against the labels it was given.
import { describe, expect, it } from 'vitest';
import { affine, Generator, memory, rand, RandomAffine, RandomCrop, stack, tensor, tidy } from 'tensorgrad';
import { ImageSplits } from '../src/chapter3/data.js';
import { augmentSplits, randomTranslate, translate, translateEach, type BatchTransform } from '../src/chapter5-6/augment.js';
import { selectClasses } from '../src/chapter5-6/data.js';

/** out[n, c, i, j] = x[n, c, i - dy[n], j - dx[n]] or 0 outside, computed on plain arrays. */
function shiftedByHand(data: Float32Array, shape: number[], dx: number[], dy: number[]): number[] {
  const [n, c, h, w] = shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          const si = i - dy[b]!;
          const sj = j - dx[b]!;
          out.push(si >= 0 && si < h && sj >= 0 && sj < w ? data[((b * c + ch) * h + si) * w + sj]! : 0);
        }
  return out;
}

describe('translate / translateEach / randomTranslate', () => {
  const shape = [5, 2, 7, 9];
  const x = rand(shape, { generator: new Generator(11) });
  const data = x.dataSync() as Float32Array;

  it('translate shifts the whole batch like the hand computation, for every shift in -5..5', () => {
    for (let dx = -5; dx <= 5; dx++) {
      for (const dy of [-3, 0, 2]) {
        const got = tidy(() => Array.from(translate(x, dx, dy).dataSync() as Float32Array));
        expect(got).toEqual(shiftedByHand(data, shape, Array(5).fill(dx), Array(5).fill(dy)));
      }
    }
  });

  it('translateEach gives every image its own shift', () => {
    const dx = [3, -2, 0, 9, -1];
    const dy = [0, 1, -7, 2, -1];
    const got = tidy(() => Array.from(translateEach(x, dx, dy).dataSync() as Float32Array));
    expect(got).toEqual(shiftedByHand(data, shape, dx, dy));
  });

  it('randomTranslate moves each image by some shift within maxShift, differently across images, and is seeded', () => {
    const big = rand([40, 1, 8, 8], { generator: new Generator(5) });
    const pixels = big.dataSync() as Float32Array;
    const out = Array.from(randomTranslate(big, { maxShift: 2, generator: new Generator(7) }).dataSync() as Float32Array);
    const again = Array.from(randomTranslate(big, { maxShift: 2, generator: new Generator(7) }).dataSync() as Float32Array);
    expect(again).toEqual(out);
    const shifts = new Set<string>();
    for (let b = 0; b < 40; b++) {
      const image = out.slice(b * 64, (b + 1) * 64);
      const one = pixels.slice(b * 64, (b + 1) * 64);
      const matches: string[] = [];
      for (let dx = -2; dx <= 2; dx++)
        for (let dy = -2; dy <= 2; dy++) {
          if (JSON.stringify(shiftedByHand(one, [1, 1, 8, 8], [dx], [dy])) === JSON.stringify(image)) matches.push(`${dx},${dy}`);
        }
      expect(matches).toHaveLength(1);
      shifts.add(matches[0]!);
    }
    // 40 draws from 25 shifts: many distinct ones, the identity not forced
    expect(shifts.size).toBeGreaterThan(10);
    big.dispose();
  });

  it('rejects shifts it cannot make, saying what it expected', () => {
    expect(() => translate(x, 10)).toThrow(/dx to be a whole number of pixels in \[-9, 9\], got 10/);
    expect(() => translate(tensor([1, 2]), 1)).toThrow(RangeError);
    expect(() => randomTranslate(x, { maxShift: 7 })).toThrow(/vertical maxShift .* \[0, 6\], got 7/);
    expect(() => translateEach(x, [1], [1])).toThrow(/one shift per image \(5\)/);
  });

  it('augmentSplits changes the training images but neither the labels nor the validation set', () => {
    const live = memory().numTensors;
    const splits = ImageSplits.synthetic({ train: 30, val: 10, seed: 2 });
    const augmented = augmentSplits(splits, (images) => randomTranslate(images, { maxShift: 3, generator: new Generator(1) }));
    expect(augmented.trainY.arraySync()).toEqual(splits.trainY.arraySync());
    expect(augmented.valY.arraySync()).toEqual(splits.valY.arraySync());
    expect(augmented.valX.arraySync()).toEqual(splits.valX.arraySync());
    const before = splits.trainX.arraySync() as number[][];
    const after = augmented.trainX.arraySync() as number[][];
    const changed = before.filter((row, i) => JSON.stringify(row) !== JSON.stringify(after[i])).length;
    expect(changed).toBeGreaterThan(20); // about 1 in 49 images draws the zero shift
    augmented.dispose();
    splits.dispose();
    expect(memory().numTensors).toBe(live);
  });
});

describe("@tensorgrad/vision's torchvision-style translations against translate", () => {
  const x = rand([5, 2, 7, 9], { generator: new Generator(12) });
  const data = x.dataSync() as Float32Array;
  const one = tidy(() => x.select(0, 0).clone()); // [2, 7, 9]
  const oneData = Array.from(one.dataSync() as Float32Array);
  /** The shifts (dx, dy) in ±kx, ±ky for which the hand computation gives `image`. */
  const matchingShifts = (image: number[], kx: number, ky: number): string[] => {
    const found: string[] = [];
    for (let dx = -kx; dx <= kx; dx++)
      for (let dy = -ky; dy <= ky; dy++) {
        if (JSON.stringify(shiftedByHand(Float32Array.from(oneData), [1, 2, 7, 9], [dx], [dy])) === JSON.stringify(image)) found.push(`${dx},${dy}`);
      }
    return found;
  };

  it('affine with angle 0, scale 1, no shear moves every pixel by whole pixels exactly as translate does', () => {
    for (const [dx, dy] of [[3, 0], [-2, 1], [0, -4], [5, 2], [-8, -6]] as const) {
      const got = tidy(() => Array.from(affine(x, { angle: 0, translate: [dx, dy], scale: 1, shear: [0, 0] }).dataSync() as Float32Array));
      expect(got).toEqual(shiftedByHand(data, [5, 2, 7, 9], Array(5).fill(dx), Array(5).fill(dy)));
      expect(got).toEqual(tidy(() => Array.from(translate(x, dx, dy).dataSync() as Float32Array)));
    }
  });

  it('RandomAffine(0, { translate: [a, b] }) shifts by a whole number of pixels within ±a·W, ±b·H, like randomTranslate', () => {
    const t = new RandomAffine(0, { translate: [3 / 9, 2 / 7], generator: new Generator(0) });
    const seen = new Set<string>();
    for (let draw = 0; draw < 30; draw++) {
      const image = tidy(() => Array.from(t(one).dataSync() as Float32Array));
      const matches = matchingShifts(image, 3, 2);
      expect(matches).toHaveLength(1);
      seen.add(matches[0]!);
    }
    expect(seen.size).toBeGreaterThan(8); // 30 draws from 7 × 5 shifts
  });

  it("the guide's batch transform: RandomAffine per image in place of randomTranslate, ±10 px horizontally", () => {
    const live = memory().numTensors;
    const splits = ImageSplits.synthetic({ train: 6, val: 2, seed: 4 });
    const shift = new RandomAffine(0, { translate: [10 / 28, 0], generator: new Generator(2) });
    const transform: BatchTransform = (images) => stack(Array.from({ length: images.shape[0]! }, (_, i) => shift(images.select(0, i))));
    const epoch = augmentSplits(splits, transform);
    const before = splits.trainX.dataSync() as Float32Array;
    const after = epoch.trainX.dataSync() as Float32Array;
    for (let b = 0; b < 6; b++) {
      const image = JSON.stringify(Array.from(after.slice(b * 784, (b + 1) * 784)));
      const shifts = [];
      for (let dx = -10; dx <= 10; dx++) if (JSON.stringify(shiftedByHand(before.slice(b * 784, (b + 1) * 784), [1, 1, 28, 28], [dx], [0])) === image) shifts.push(dx);
      expect(shifts.length).toBeGreaterThan(0);
    }
    epoch.dispose();
    splits.dispose();
    expect(memory().numTensors).toBe(live);
  });

  it('RandomCrop(size, { padding: k }) also moves by whole pixels within ±k', () => {
    const t = new RandomCrop([7, 9], { padding: 2, generator: new Generator(1) });
    const seen = new Set<string>();
    for (let draw = 0; draw < 30; draw++) {
      const image = tidy(() => Array.from(t(one).dataSync() as Float32Array));
      const matches = matchingShifts(image, 2, 2);
      expect(matches).toHaveLength(1);
      seen.add(matches[0]!);
    }
    expect(seen.size).toBeGreaterThan(8);
  });
});

describe('selectClasses', () => {
  it('keeps the images of the given classes in order and renumbers their labels', () => {
    const labels = [3, 5, 9, 5, 0, 7, 7, 9];
    const x = tensor(labels.map((l, i) => [i, l]));
    const y = tensor(labels, { dtype: 'int32' });
    const { x: xs, y: ys } = selectClasses(x, y, [5, 6, 7, 8, 9]);
    expect(xs.arraySync()).toEqual([[1, 5], [2, 9], [3, 5], [5, 7], [6, 7], [7, 9]]);
    expect(ys.arraySync()).toEqual([0, 4, 0, 2, 2, 4]);
    expect(() => selectClasses(x, y, [5, 9], { limit: 5, exact: true })).toThrow(/wanted 5 images .* only 4/);
  });
});
