// The transforms' own rules: toTensor's conversions, the random transforms' sampling rules
// (checked over many seeds and by re-applying the deterministic functional with the drawn
// parameters), one draw per batch, the global generator, gradients, and the errors. Values
// against torchvision are in transforms-torchvision.test.ts.
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, memory, rand, tensor, type Tensor } from '@tensorgrad/tensor';
import { gradcheck } from '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import {
  affine,
  CenterCrop,
  ColorJitter,
  Compose,
  crop,
  hflip,
  Lambda,
  Normalize,
  pad,
  RandomAffine,
  RandomApply,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResizedCrop,
  RandomRotation,
  RandomVerticalFlip,
  resize,
  resizedCrop,
  rotate,
  adjustHue,
  toTensor,
  ToTensor,
  Resize,
  functional,
} from '@tensorgrad/vision';

async function same(a: Tensor, b: Tensor): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
}

describe('toTensor', () => {
  it('converts HWC bytes (ImageData-like) to float32 [C, H, W] / 255, inferring the channels', async () => {
    // 2x2 RGB: pixel (row, col) = [10 * row + col, 100, 255]
    const data = new Uint8Array([0, 100, 255, 1, 100, 255, 10, 100, 255, 11, 100, 255]);
    const t = toTensor({ data, width: 2, height: 2 });
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([3, 2, 2]);
    const want = [0, 1, 10, 11, 100, 100, 100, 100, 255, 255, 255, 255].map((v) => Math.fround(v / 255));
    expect(Array.from(await t.data())).toEqual(want);
    expect(toTensor({ data: new Uint8ClampedArray(6), width: 3, height: 2, channels: 1 }).shape).toEqual([1, 2, 3]);
  });

  it('divides an int32 [C, H, W] / [H, W] / [B, C, H, W] image by 255', async () => {
    const chw = tensor([[[0, 51, 255]]], { dtype: 'int32' });
    expect(Array.from(await toTensor(chw).data())).toEqual([0, 0.2, 1].map(Math.fround));
    expect(toTensor(tensor([[1, 2]], { dtype: 'int32' })).shape).toEqual([1, 1, 2]);
    expect(new ToTensor()(tensor([[[[1]]]], { dtype: 'int32' })).shape).toEqual([1, 1, 1, 1]);
  });

  it('refuses float tensors, wrong byte counts and other objects', () => {
    expect(() => toTensor(tensor([[[0.5]]]))).toThrow(/already converted/);
    expect(() => toTensor({ data: new Uint8Array(7), width: 2, height: 2 })).toThrow(/not 1 to 4 bytes per pixel/);
    expect(() => toTensor({ data: new Uint8Array(8), width: 2, height: 2, channels: 3 })).toThrow(/expected 12 bytes/);
    expect(() => toTensor({ data: [1, 2], width: 1, height: 1 } as never)).toThrow(TypeError);
  });
});

describe('random transforms: sampling rules', () => {
  const img = rand([3, 10, 12], { generator: new Generator(3) });

  it('RandomHorizontalFlip flips with probability p (flip iff rand() < p), the whole batch at once', async () => {
    const g = new Generator(5);
    const twin = new Generator(5);
    const t = new RandomHorizontalFlip(0.3, { generator: g });
    const x = tensor([[[1, 2]]]);
    let flips = 0;
    const n = 400;
    for (let i = 0; i < n; i++) {
      const y = t(x);
      const flipped = (await y.data())[0] === 2;
      expect(flipped).toBe(twin.random24() < 0.3);
      if (flipped) flips++;
      y.dispose();
    }
    // binomial(400, 0.3): mean 120, sd 9.2
    expect(Math.abs(flips - 120)).toBeLessThan(4 * 9.2);
    // one draw for the batch: both images flipped or neither
    const batch = rand([2, 1, 3, 4]);
    for (let seed = 0; seed < 10; seed++) {
      const y = new RandomHorizontalFlip({ generator: new Generator(seed) })(batch);
      const flipped = new Generator(seed).random24() < 0.5;
      await same(y, flipped ? hflip(batch) : batch);
    }
    const v = new RandomVerticalFlip(1)(tensor([[[1], [2]]]));
    expect(await v.array()).toEqual([[[2], [1]]]);
  });

  it('RandomCrop: the box lies in the (padded) image, and the output is crop() of it', async () => {
    for (let seed = 0; seed < 30; seed++) {
      const t = new RandomCrop([4, 5], { padding: [1, 2], generator: new Generator(seed) });
      const padded = pad(img, [1, 2]);
      const [i, j, h, w] = RandomCrop.getParams(padded, [4, 5], new Generator(seed));
      expect(i >= 0 && i <= 14 - 4 && j >= 0 && j <= 14 - 5 && h === 4 && w === 5).toBe(true);
      await same(t(img), crop(padded, i, j, h, w));
    }
    // padIfNeeded pads a too-small image up to the size; without it the error says how to fix it
    expect(new RandomCrop(12, { padIfNeeded: true, generator: new Generator(0) })(img).shape).toEqual([3, 12, 12]);
    expect(() => new RandomCrop(11)(img)).toThrow(/larger than the image size \[10, 12\].*padIfNeeded/);
  });

  it("RandomResizedCrop: boxes within the image, the area and ratio ranges (up to rounding), and the center fallback", async () => {
    const [height, width] = [10, 12];
    for (let seed = 0; seed < 100; seed++) {
      const [i, j, h, w] = RandomResizedCrop.getParams(img, [0.2, 0.9], [0.5, 2], new Generator(seed));
      expect(i >= 0 && j >= 0 && i + h <= height && j + w <= width && h > 0 && w > 0, `seed ${seed}`).toBe(true);
      // w = round(sqrt(A r)), h = round(sqrt(A / r)): each within 0.5 of the exact value
      expect(w * h).toBeLessThanOrEqual((Math.sqrt(0.9 * 120 * 2) + 0.5) * (Math.sqrt(0.9 * 120) + 0.5));
      expect(w / h).toBeGreaterThanOrEqual((Math.sqrt(0.2 * 120 * 0.5) - 0.5) / (Math.sqrt(0.2 * 120 / 0.5) + 0.5));
    }
    // a ratio range no box can meet: ten misses, then the central crop with the ratio clamped
    const [i, j, h, w] = RandomResizedCrop.getParams(img, [0.9, 1], [3, 4], new Generator(0));
    expect([i, j, h, w]).toEqual([3, 0, 4, 12]);
    // the output is resizedCrop of the drawn box
    const t = new RandomResizedCrop([5, 6], { generator: new Generator(11) });
    const [a, b, c, d] = RandomResizedCrop.getParams(img, [0.08, 1], [3 / 4, 4 / 3], new Generator(11));
    await same(t(img), resizedCrop(img, a, b, c, d, [5, 6]));
  });

  it('RandomRotation and RandomAffine: parameters in range, output = the functional with them', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const angle = RandomRotation.getParams([-15, 40], new Generator(seed));
      expect(angle >= -15 && angle < 40).toBe(true);
      const t = new RandomRotation([-15, 40], { interpolation: 'bilinear', fill: 0.5, generator: new Generator(seed) });
      await same(t(img), rotate(img, angle, { interpolation: 'bilinear', fill: [0.5, 0.5, 0.5] }));
      const p = RandomAffine.getParams([-5, 5], [0.2, 0.3], [0.5, 1.5], [-10, 10], [12, 10], new Generator(seed));
      expect(p.angle >= -5 && p.angle < 5 && Math.abs(p.translate[0]) <= Math.round(0.2 * 12) && Math.abs(p.translate[1]) <= 3).toBe(true);
      expect(Number.isInteger(p.translate[0]) && p.scale >= 0.5 && p.scale < 1.5 && p.shear[1] === 0).toBe(true);
      const ra = new RandomAffine([-5, 5], [0.2, 0.3], [0.5, 1.5], [-10, 10], 'nearest', 0, null, { generator: new Generator(seed) });
      await same(ra(img), affine(img, p.angle, p.translate, p.scale, p.shear, { fill: [0, 0, 0] }));
    }
  });

  it('ColorJitter draws a permutation of the four adjustments and factors in their ranges', () => {
    for (let seed = 0; seed < 30; seed++) {
      const p = ColorJitter.getParams([0.6, 1.4], [0, 2], null, [-0.1, 0.1], new Generator(seed));
      expect([...p.order].sort()).toEqual([0, 1, 2, 3]);
      expect(p.brightness! >= 0.6 && p.brightness! < 1.4 && p.contrast! >= 0 && p.contrast! < 2 && p.saturation === null).toBe(true);
      expect(p.hue! >= -0.1 && p.hue! < 0.1).toBe(true);
    }
    // a zero range means "no change": null, and no draw for it
    expect(new ColorJitter().brightness).toBeNull();
    expect(new ColorJitter(0.5).brightness).toEqual([0.5, 1.5]);
  });

  it('uses the global generator (manualSeed) when none is given', async () => {
    manualSeed(123);
    const a = new RandomResizedCrop(4)(img);
    const b = new RandomResizedCrop(4, { generator: new Generator(123) })(img);
    await same(a, b);
  });

  it('RandomApply applies all or none (skipped when p < rand())', async () => {
    const t = new RandomApply([new Lambda((x: Tensor) => x.mul(2)), new Lambda((x: Tensor) => x.add(1))], { p: 0.5, generator: new Generator(1) });
    const draw = new Generator(1);
    for (let k = 0; k < 10; k++) {
      const applied = !(0.5 < draw.random24());
      expect(await t(tensor([[[1]]])).item()).toBe(applied ? 3 : 1);
    }
  });
});

describe('composition, calling, gradients, errors', () => {
  it('Compose chains transforms and frees the intermediate results', async () => {
    const t = new Compose([new ToTensor(), new Resize([2, 2], { interpolation: 'nearest' }), new CenterCrop(1), new Normalize([0.5], [0.5])]);
    const before = memory().numTensors;
    const y = t({ data: new Uint8Array([255, 0, 0, 0]), width: 2, height: 2, channels: 1 });
    expect(await y.array()).toEqual([[[1]]]);
    expect(memory().numTensors).toBe(before + 1);
    y.dispose();
  });

  it('resize and rotate are differentiable (gradcheck, float64)', () => {
    const x = rand([1, 1, 4, 5], { dtype: 'float64', generator: new Generator(0) });
    expect(gradcheck((v: Tensor) => resize(v, [3, 3]), [x])).toBe(true);
    expect(gradcheck((v: Tensor) => resize(v, [5, 6], { interpolation: 'bicubic', antialias: false }), [x])).toBe(true);
    expect(gradcheck((v: Tensor) => rotate(v, 25, { interpolation: 'bilinear', fill: 0.3 }), [x])).toBe(true);
    // hue away from the sector boundaries (distinct channels, r > g > b), where it is smooth
    const rgb = tensor([[[[0.9]], [[0.5]], [[0.2]]]], { dtype: 'float64' });
    expect(gradcheck((v: Tensor) => adjustHue(v, 0.1), [rgb])).toBe(true);
  });

  it('functional holds the image functionals (F.pad is the image pad)', async () => {
    expect(await functional.pad(tensor([[[1]]]), 1, { paddingMode: 'edge' }).array()).toEqual([
      [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
      ],
    ]);
  });

  it('refuses unknown options (naming the nearest), integer images where interpolating, and bad values', () => {
    const x = rand([3, 4, 4]);
    expect(() => resize(x, 2, { interpolaton: 'nearest' } as never)).toThrow(/interpolation/);
    expect(() => new RandomCrop(2, { paddingMod: 'edge' } as never)).toThrow(/paddingMode/);
    expect(() => resize(x.int(), 2)).toThrow(/floating point image.*toTensor/);
    expect(() => resize(x, 2, { interpolation: 'nearest', antialias: true })).toThrow(/antialias is supported for 'bilinear' and 'bicubic'/);
    expect(() => resize(x, [2, 3], { maxSize: 5 })).toThrow(/maxSize is only allowed/);
    expect(() => resize(x, 4, { maxSize: 4 })).toThrow(/strictly greater/);
    expect(() => pad(x, 4, { paddingMode: 'reflect' })).toThrow(/reflect padding must be smaller/);
    expect(() => adjustHue(x, 0.7)).toThrow(/\[-0.5, 0.5\]/);
    expect(() => rotate(x, 10, { fill: [1, 2] })).toThrow(/fill has 2 values but the image has 3 channels/);
    expect(() => new RandomHorizontalFlip(2)).toThrow(/probability/);
    expect(() => new ColorJitter({ hue: 0.7 })).toThrow(/hue/);
    expect(() => new RandomResizedCrop(4, { scale: [1, 0.5] })).toThrow(/ranges/);
    expect(() => resize(tensor([1, 2]), 2)).toThrow(/at least 2 dims|shape/);
  });

  it('size semantics: an int is the smaller edge (trunc of the other), capped by maxSize', () => {
    expect(resize(rand([1, 10, 15]), 4).shape).toEqual([1, 4, 6]);
    expect(resize(rand([1, 15, 10]), 4).shape).toEqual([1, 6, 4]);
    expect(resize(rand([1, 10, 30]), 4, { maxSize: 9 }).shape).toEqual([1, 3, 9]);
    expect(new Resize([5]).forward(rand([1, 10, 15])).shape).toEqual([1, 5, 7]);
  });
});
