import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTypedArray, tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { DataLoader, FashionMNIST } from '@tensorgrad/data';
import { detectionCollate, FASHION_SCENE_CLASSES, FashionMNISTScenes, writePng, type SceneTarget } from '@tensorgrad/vision';

const HAVE_FASHION = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');

/** Two hand-made garments: a square of 200 (class 3) and a vertical bar of 255 (class 8). */
function toyGarments(): { data: Tensor; targets: Tensor } {
  const px = new Int32Array(2 * 28 * 28);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      if (x >= 4 && x < 24 && y >= 4 && y < 24) px[y * 28 + x] = 200;
      if (x >= 11 && x < 17) px[784 + y * 28 + x] = 255;
    }
  }
  return { data: fromTypedArray(px, [2, 28, 28]), targets: tensor([3, 8], { dtype: 'int32' }) };
}

describe('FashionMNISTScenes on hand-made garments', () => {
  const g = toyGarments();
  const scenes = new FashionMNISTScenes(g, { length: 50, size: [64, 80], numGarments: [1, 3], garmentSize: [14, 28], seed: 3 });

  it('gives well-formed targets whose boxes, masks and semantic map agree with an independent recount', async () => {
    for (let i = 0; i < 50; i++) {
      const [image, t] = scenes.get(i);
      expect(image.shape).toEqual([1, 64, 80]);
      expect(image.dtype).toBe('float32');
      const K = t.labels.shape[0]!;
      expect(K).toBeGreaterThanOrEqual(1);
      expect(K).toBeLessThanOrEqual(3);
      expect(t.boxes.shape).toEqual([K, 4]);
      expect(t.boxes.dtype).toBe('float32');
      expect(t.labels.dtype).toBe('int32');
      expect(t.masks.shape).toEqual([K, 64, 80]);
      expect(t.masks.dtype).toBe('bool');
      expect(t.semantic.shape).toEqual([64, 80]);
      expect(t.semantic.dtype).toBe('int32');
      const labels = Array.from(await t.labels.data());
      labels.forEach((l) => expect([4, 9]).toContain(l)); // class + 1
      const boxes = Array.from(await t.boxes.data());
      const masks = await t.masks.data();
      const sem = await t.semantic.data();
      const img = await image.data();
      const bad: string[] = [];
      for (let k = 0; k < K; k++) {
        // the box is the tight box of the mask (pixel-edge coordinates)
        let x1 = 1e9, y1 = 1e9, x2 = -1, y2 = -1;
        for (let y = 0; y < 64; y++) {
          for (let x = 0; x < 80; x++) {
            if (masks[k * 64 * 80 + y * 80 + x]) {
              x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
              if (sem[y * 80 + x] !== labels[k]) bad.push(`semantic at ${x},${y}`);
              if (!(img[y * 80 + x]! > 0.1)) bad.push(`dark masked pixel at ${x},${y}`); // the mask is where the garment is bright
            }
          }
        }
        expect(boxes.slice(4 * k, 4 * k + 4)).toEqual([x1, y1, x2 + 1, y2 + 1]);
        // default maxOverlap 0: boxes never overlap
        for (let j = 0; j < k; j++) {
          const a = boxes.slice(4 * j, 4 * j + 4);
          const b = boxes.slice(4 * k, 4 * k + 4);
          const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
          const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
          expect(iw <= 0 || ih <= 0).toBe(true);
        }
      }
      // background pixels are 0 in the semantic map and in no mask
      let masked = 0;
      for (let p = 0; p < 64 * 80; p++) {
        let n = 0;
        for (let k = 0; k < K; k++) n += masks[k * 64 * 80 + p] ? 1 : 0;
        if (n > 1) bad.push(`pixel ${p} in ${n} masks`);
        if (n === 0 && sem[p] !== 0) bad.push(`semantic ${sem[p]} outside the masks at ${p}`);
        masked += n;
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(masked).toBeGreaterThan(0);
    }
  });

  it('is deterministic: the same seed gives the same scenes in any order; other seeds, indices and splits differ', async () => {
    const again = new FashionMNISTScenes(g, { length: 50, size: [64, 80], numGarments: [1, 3], garmentSize: [14, 28], seed: 3 });
    for (const i of [7, 0, 49, 7]) {
      const a = scenes.scene(i);
      const b = again.scene(i);
      expect(Array.from(b.image)).toEqual(Array.from(a.image));
      expect(Array.from(b.boxes)).toEqual(Array.from(a.boxes));
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    }
    const other = new FashionMNISTScenes(g, { length: 50, size: [64, 80], numGarments: [1, 3], garmentSize: [14, 28], seed: 4 });
    const test = new FashionMNISTScenes({ ...g, train: false }, { length: 50, size: [64, 80], numGarments: [1, 3], garmentSize: [14, 28], seed: 3 });
    const key = (s: { boxes: Float32Array }): string => Array.from(s.boxes).join(',');
    const keys = new Set(Array.from({ length: 50 }, (_, i) => key(scenes.scene(i))));
    expect(keys.size).toBeGreaterThan(45);
    let same = 0;
    for (let i = 0; i < 50; i++) {
      if (key(other.scene(i)) === key(scenes.scene(i))) same++;
      if (key(test.scene(i)) === key(scenes.scene(i))) same++;
    }
    expect(same).toBeLessThan(3);
    expect(scenes.scene(-1).boxes).toEqual(scenes.scene(49).boxes);
  });

  it('draws RGB garments in colour on a gradient, with noise, and honours maxOverlap', async () => {
    const rgb = new FashionMNISTScenes(g, { length: 20, size: 64, channels: 3, background: 'gradient', noise: 0.05, numGarments: [4, 6], garmentSize: [16, 32], maxOverlap: 0.3, seed: 1 });
    let sawOverlap = false;
    for (let i = 0; i < 20; i++) {
      const s = rgb.scene(i);
      expect(s.shape).toEqual([3, 64, 64]);
      expect(s.image.every((v) => v >= 0 && v <= 1)).toBe(true);
      const K = s.labels.length;
      for (let a = 0; a < K; a++) {
        for (let b = 0; b < a; b++) {
          const A = s.boxes.slice(4 * a, 4 * a + 4);
          const B = s.boxes.slice(4 * b, 4 * b + 4);
          const iw = Math.min(A[2]!, B[2]!) - Math.max(A[0]!, B[0]!);
          const ih = Math.min(A[3]!, B[3]!) - Math.max(A[1]!, B[1]!);
          if (iw > 0 && ih > 0) sawOverlap = true;
        }
      }
      // not grey: the channels differ somewhere
      let diff = 0;
      for (let p = 0; p < 64 * 64; p++) diff = Math.max(diff, Math.abs(s.image[p]! - s.image[64 * 64 + p]!));
      expect(diff).toBeGreaterThan(0.1);
    }
    expect(sawOverlap).toBe(true);
  });

  it('batches with DataLoader and detectionCollate (torchvision: tuple(zip(*batch)))', () => {
    const loader = new DataLoader(scenes, { batchSize: 8, collateFn: detectionCollate<Tensor, SceneTarget> });
    let n = 0;
    for (const [images, targets] of loader) {
      expect(images.length).toBe(targets.length);
      images.forEach((im) => expect(im.shape).toEqual([1, 64, 80]));
      targets.forEach((t) => expect(t.boxes.shape[0]).toBe(t.labels.shape[0]));
      n += images.length;
      images.forEach((im) => im.dispose());
      targets.forEach((t) => Object.values(t).forEach((v) => v.dispose()));
    }
    expect(n).toBe(50);
    expect(detectionCollate([])).toEqual([]);
    expect(() => detectionCollate([[1, 2], [1]] as never)).toThrow(/sample 0 has 2 fields but sample 1 has 1/);
    expect(() => detectionCollate([{}] as never)).toThrow(/tuple \[image, target\]/);
  });

  it('applies transforms to (image, target)', () => {
    const seg = new FashionMNISTScenes(g, { length: 4, size: 32, garmentSize: [10, 16], transforms: (image, target) => [image, target.semantic] as const });
    const [x, y] = seg.get(0);
    expect(x.shape).toEqual([1, 32, 32]);
    expect(y.shape).toEqual([32, 32]);
  });

  it('refuses bad options with errors that say what was expected', () => {
    expect(() => new FashionMNISTScenes(g, { sizes: 64 } as never)).toThrow(/sizes.*size/);
    expect(() => new FashionMNISTScenes(g, { numGarments: [3, 1] })).toThrow(/numGarments to be \[min, max\].*got \[3,1\]/);
    expect(() => new FashionMNISTScenes(g, { garmentSize: [20, 200], size: 64 })).toThrow(/does not fit the 64×64 canvas/);
    expect(() => new FashionMNISTScenes(g, { channels: 2 as never })).toThrow(/channels to be 1 \(grey\) or 3 \(RGB\), got 2/);
    expect(() => new FashionMNISTScenes(g, { background: 'white' as never })).toThrow(/'black' or 'gradient'/);
    expect(() => new FashionMNISTScenes(g, { maxOverlap: 2 })).toThrow(/IoU in \[0, 1\]/);
    expect(() => new FashionMNISTScenes('/data' as never)).toThrow(/FashionMNISTScenes.load/);
    expect(() => new FashionMNISTScenes({ data: zeros([2, 28, 27]), targets: g.targets })).toThrow(/\[N, h, h\]/);
    expect(() => new FashionMNISTScenes({ data: g.data, targets: tensor([3, 12], { dtype: 'int32' }) })).toThrow(/classes 0–9/);
    expect(() => scenes.get(50)).toThrow(/index 50 is out of range/);
    expect(FASHION_SCENE_CLASSES[0]).toBe('__background__');
    expect(FASHION_SCENE_CLASSES.slice(1)).toEqual([...FashionMNIST.classes]);
  });
});

describe.skipIf(!HAVE_FASHION)('FashionMNISTScenes on Debian\'s Fashion-MNIST', () => {
  let train: FashionMNISTScenes;
  let test: FashionMNISTScenes;
  beforeAll(async () => {
    train = await FashionMNISTScenes.load({ length: 2000, seed: 0 });
    test = await FashionMNISTScenes.load({ train: false, length: 500, seed: 0, channels: 3, background: 'gradient' });
  }, 60_000);
  afterAll(() => undefined);

  it('generates thousands of 128×128 scenes per second-ish, with all classes', () => {
    const t0 = performance.now();
    const counts = new Array(11).fill(0);
    let garments = 0;
    for (let i = 0; i < 2000; i++) {
      const s = train.scene(i);
      s.labels.forEach((l) => counts[l]++);
      garments += s.labels.length;
    }
    const perSecond = 2000 / ((performance.now() - t0) / 1000);
    expect(counts[0]).toBe(0);
    counts.slice(1).forEach((c) => expect(c).toBeGreaterThan(100));
    expect(garments / 2000).toBeGreaterThan(2); // 1–4 drawn, nearly all placed
    expect(perSecond).toBeGreaterThan(300); // ~2–4k/s measured alone on this machine
  });

  it('writes a few scenes as PNG for a look ($TMPDIR/tg-scenes/scenes-*.png)', async () => {
    const dir = join(tmpdir(), 'tg-scenes');
    mkdirSync(dir, { recursive: true });
    for (const [name, ds] of [['train', train], ['test', test]] as const) {
      const [image] = ds.get(0);
      await writePng(image.mul(255).add(0.5).clamp(0, 255).int(), join(dir, `scenes-${name}.png`));
    }
  });
});
