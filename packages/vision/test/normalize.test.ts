import { describe, expect, it } from 'vitest';
import { tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { normalize } from '@tensorgrad/vision';

describe('normalize', () => {
  it('subtracts the mean and divides by the std per channel, for [C,H,W] and [B,C,H,W]', async () => {
    const x = tensor([[[[0.2, 0.4]], [[0.6, 0.8]], [[1, 0]]]]); // [1,3,1,2]
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const want = [0.2, 0.4, 0.6, 0.8, 1, 0].map((v, i) => (Math.fround(v) - Math.fround(mean[Math.floor(i / 2)]!)) / Math.fround(std[Math.floor(i / 2)]!));
    const got = await normalize(x, { mean, std }).data();
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
    expect(normalize(x.squeeze(0), mean, std).shape).toEqual([3, 1, 2]);
  });
  it('refuses a zero std, a wrong channel count, a non-float image and unknown keys', () => {
    const x = tensor([[[1]], [[2]]]);
    expect(() => normalize(x, { mean: [0, 0], std: [1, 0] })).toThrow(/std is 0 for channel 1/);
    expect(() => normalize(x, { mean: [0, 0, 0], std: [1, 1] })).toThrow(/mean has 3 values but the image has 2 channels/);
    expect(() => normalize(x.int(), { mean: 0, std: 1 })).toThrow(/floating point/);
    expect(() => normalize(x, { mean: 0, std: 1, stdev: 1 } as never)).toThrow(/stdev/);
    expect(() => normalize(tensor([1, 2]), { mean: 0, std: 1 })).toThrow(/at least 3 dims/);
  });
});
