// Grad-CAM and CAM on a tiny CNN against an independent computation: the feature map and its
// gradient come from running the two halves of the network separately and differentiating the
// head with autodiff's grad(); the weighting, ReLU, min-max scaling and the bilinear resize
// (half-pixel centres, as cv2.resize / alignCorners: false) are done here in plain JavaScript.
import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { grad } from '@tensorgrad/autodiff';
import { AdaptiveAvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@tensorgrad/layers';
import { cam, gradCam } from '@tensorgrad/vision';

/** Bilinear resize of one [h, w] map to [H, W] with half-pixel centres (PyTorch/OpenCV). */
function resize(map: number[][], H: number, W: number): number[][] {
  const h = map.length;
  const w = map[0]!.length;
  const coord = (o: number, inSize: number, outSize: number): [number, number, number] => {
    const src = Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    return [i0, i1, Math.min(src - i0, 1)];
  };
  return Array.from({ length: H }, (_, y) => {
    const [y0, y1, ly] = coord(y, h, H);
    return Array.from({ length: W }, (_, x) => {
      const [x0, x1, lx] = coord(x, w, W);
      const top = map[y0]![x0]! * (1 - lx) + map[y0]![x1]! * lx;
      const bottom = map[y1]![x0]! * (1 - lx) + map[y1]![x1]! * lx;
      return top * (1 - ly) + bottom * ly;
    });
  });
}

/** ReLU(Σₖ wₖ·Aₖ) scaled to [0, 1] per image and resized, from plain arrays. */
function expectedHeatmap(acts: number[][][][], weights: number[][], H: number, W: number): number[][][] {
  return acts.map((a, n) => {
    const k = a.length;
    const h = a[0]!.length;
    const w = a[0]![0]!.length;
    const m = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => {
      let s = 0;
      for (let c = 0; c < k; c++) s += weights[n]![c]! * a[c]![y]![x]!;
      return Math.max(s, 0);
    }));
    const flat = m.flat();
    const lo = Math.min(...flat);
    const hi = Math.max(...flat.map((v) => v - lo));
    return resize(m.map((row) => row.map((v) => (v - lo) / (hi + 1e-7))), H, W);
  });
}

function tinyCnn(): { model: Sequential; features: Sequential; head: Sequential; fc: Linear } {
  const features = new Sequential(new Conv2d(3, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Conv2d(4, 5, 3, { padding: 1 }), new ReLU());
  const fc = new Linear(5, 3);
  const head = new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), fc);
  return { model: new Sequential(features, head).eval(), features, head, fc };
}

async function arrays(t: Tensor): Promise<number[][][]> {
  return (await t.array()) as number[][][];
}

function expectClose(got: number[][][], want: number[][][], digits = 5): void {
  expect(got.length).toBe(want.length);
  got.flat(2).forEach((v, i) => expect(v).toBeCloseTo(want.flat(2)[i]!, digits));
}

describe('gradCam', () => {
  it('matches the independent computation, for given classes and for the argmax', async () => {
    manualSeed(3);
    const { model, features, head } = tinyCnn();
    const x = randn([2, 3, 8, 8]);
    const acts = features.call(x);
    const logits = head.call(acts);
    const top = (await logits.argmax(1).array()) as number[];
    for (const classIndex of [[2, 0], undefined]) {
      const cls = classIndex ?? top;
      // d(score of each image's class)/dA, by differentiating the head alone
      const [dA] = grad((a) => head.call(a).gather(tensor(cls, { dtype: 'int32' }).reshape([2, 1]), 1).sum(), [acts]);
      const weights = (await dA!.mean([2, 3]).array()) as number[][];
      const want = expectedHeatmap((await acts.array()) as number[][][][], weights, 8, 8);
      const got = gradCam(model, features, x, classIndex === undefined ? {} : { classIndex });
      expect(got.shape).toEqual([2, 8, 8]);
      expectClose(await arrays(got), want);
      const flat = (await arrays(got)).flat(2);
      expect(Math.min(...flat)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...flat)).toBeLessThanOrEqual(1);
    }
  });

  it('equals CAM on a global-average-pool + linear head, and touches no .grad', async () => {
    manualSeed(4);
    const { model, features, fc } = tinyCnn();
    const x = randn([3, 3, 10, 6]);
    const a = await arrays(gradCam(model, features, x, { classIndex: 1 }));
    const b = await arrays(cam(model, features, fc, x, { classIndex: 1 }));
    // float32: Grad-CAM's weights come through a backward pass, CAM's straight from fc
    expectClose(a, b, 4);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
    // CAM by hand: fc's row of the class as the weights
    const w = (await fc.weight.select(0, 1).array()) as number[];
    const want = expectedHeatmap((await features.call(x).array()) as number[][][][], [w, w, w], 10, 6);
    expectClose(b, want);
  });

  it('works on a frozen model and refuses what it cannot explain', () => {
    const { model, features, fc } = tinyCnn();
    for (const p of model.parameters()) p.requiresGrad_(false);
    const x = randn([1, 3, 8, 8]);
    expect(gradCam(model, features, x).shape).toEqual([1, 8, 8]);
    expect(() => gradCam(model, features, x, { classIndex: 3 })).toThrow(/classIndex to be a class in \[0, 2\]/);
    expect(() => gradCam(model, features, x, { classIndex: [0, 1] })).toThrow(/a list of 1 of them/);
    expect(() => gradCam(model, new ReLU(), x)).toThrow(/the layer never ran/);
    expect(() => gradCam(model, fc, x)).toThrow(/feature map \[N, K, h, w\]/);
    expect(() => gradCam(model, features, x.squeeze(0))).toThrow(/input batch \[N, C, H, W\]/);
    expect(() => gradCam(model, features, x, { classIdx: 1 } as never)).toThrow(/classIndex/);
    expect(() => cam(model, features, new Linear(7, 3), x)).toThrow(/has 5 channels but fc takes 7/);
  });
});
