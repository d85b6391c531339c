import { describe, expect, it } from 'vitest';
import { memory, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  KLDivLoss,
  L1Loss,
  MSELoss,
  NLLLoss,
  SmoothL1Loss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  klDiv,
  l1Loss,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from '@tensorgrad/losses';

const int = (v: number[]) => tensor(v, { dtype: 'int32' });
function noLeak(fn: () => void): void {
  const before = memory().numTensors;
  tidy(fn);
  expect(memory().numTensors).toBe(before);
}
const logSoftmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
  return r.map((v) => v - lse);
};

describe('numerical stability', () => {
  it('crossEntropy is finite for huge logits, with finite gradients', () =>
    noLeak(() => {
      const x = tensor([[1e4, -1e4, 0], [-3e4, 3e4, 1]], { dtype: 'float32', requiresGrad: true });
      const loss = crossEntropy(x, int([1, 1]), { reduction: 'none' });
      expect(Array.from(loss.dataSync(), (v) => v + 0)).toEqual([2e4, 0]);
      loss.sum().backward();
      const g = Array.from(x.grad!.dataSync());
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g).toEqual([1, -1, 0, 0, 0, 0]);
    }));
  it('binaryCrossEntropyWithLogits is finite for huge logits, with finite gradients', () =>
    noLeak(() => {
      const x = tensor([1e4, -1e4, 1e4, -1e4], { requiresGrad: true });
      const loss = binaryCrossEntropyWithLogits(x, tensor([1, 0, 0, 1]), { reduction: 'none', posWeight: tensor([2]) });
      expect(Array.from(loss.dataSync())).toEqual([0, 0, 1e4, 2e4]);
      loss.sum().backward();
      expect(Array.from(x.grad!.dataSync())).toEqual([0, 0, 1, -2]);
    }));
  it('binaryCrossEntropy clamps log(0) to -100', () =>
    noLeak(() => {
      expect(Array.from(binaryCrossEntropy(tensor([0, 1]), tensor([1, 0]), { reduction: 'none' }).dataSync())).toEqual([100, 100]);
    }));
  it('klDiv treats 0·log(0) as 0', () =>
    noLeak(() => {
      expect(klDiv(tensor([-1, -2]), tensor([0, 0]), { reduction: 'sum' }).itemSync()).toBe(0);
    }));
});

describe('semantics checked against independent computations', () => {
  it('crossEntropy with labelSmoothing and ignored targets (mean over non-ignored)', () =>
    noLeak(() => {
      const rows = [[0.5, -1, 2], [1, 1, 0], [-2, 0.5, 0.25]];
      const targets = [2, -100, 0];
      const w = [0.5, 2, 1.5];
      const eps = 0.2;
      const lp = rows.map(logSoftmaxRow);
      let nll = 0;
      let wsum = 0;
      let smooth = 0;
      let count = 0;
      lp.forEach((r, i) => {
        const t = targets[i]!;
        if (t === -100) return;
        nll += -w[t]! * r[t]!;
        wsum += w[t]!;
        smooth += -r.reduce((s, v, c) => s + w[c]! * v, 0);
        count++;
      });
      const expectedW = (1 - eps) * (nll / wsum) + (eps / 3) * (smooth / wsum);
      const got = crossEntropy(tensor(rows, { dtype: 'float64' }), int(targets), { weight: tensor(w, { dtype: 'float64' }), labelSmoothing: eps });
      expect(got.itemSync()).toBeCloseTo(expectedW, 12);
      let nllU = 0;
      let smoothU = 0;
      lp.forEach((r, i) => {
        const t = targets[i]!;
        if (t === -100) return;
        nllU += -r[t]!;
        smoothU += -r.reduce((s, v) => s + v, 0);
      });
      const expectedU = (1 - eps) * (nllU / count) + (eps / 3) * (smoothU / count);
      expect(crossEntropy(tensor(rows, { dtype: 'float64' }), int(targets), { labelSmoothing: eps }).itemSync()).toBeCloseTo(expectedU, 12);
    }));
  it('crossEntropy with class probabilities and a weight divides the mean by N', () =>
    noLeak(() => {
      const rows = [[0.5, -1], [1, 3]];
      const p = [[0.25, 0.75], [1, 0]];
      const w = [2, 0.5];
      const lp = rows.map(logSoftmaxRow);
      const per = lp.map((r, i) => -r.reduce((s, v, c) => s + v * p[i]![c]! * w[c]!, 0));
      const got = crossEntropy(tensor(rows, { dtype: 'float64' }), tensor(p, { dtype: 'float64' }), { weight: tensor(w, { dtype: 'float64' }) });
      expect(got.itemSync()).toBeCloseTo((per[0]! + per[1]!) / 2, 12);
    }));
  it('unbatched [C] input with a 0-d target', () =>
    noLeak(() => {
      const r = [0.5, -1, 2];
      const lp = logSoftmaxRow(r);
      const none = crossEntropy(tensor(r, { dtype: 'float64' }), tensor(1, { dtype: 'int32' }), { reduction: 'none' });
      expect(none.shape).toEqual([]);
      expect(none.itemSync()).toBeCloseTo(-lp[1]!, 12);
      expect(nllLoss(tensor(r), tensor(2, { dtype: 'int32' })).itemSync()).toBeCloseTo(-2, 6);
    }));
  it('nllLoss mean is NaN when every target is ignored (0/0, as PyTorch)', () =>
    noLeak(() => {
      expect(nllLoss(tensor([[-1, -2]]), int([-100])).itemSync()).toBeNaN();
    }));
  it('smoothL1Loss with beta 0 is the L1 loss', () =>
    noLeak(() => {
      const a = tensor([0.5, -2, 3]);
      const b = tensor([0, 0, 0]);
      expect(smoothL1Loss(a, b, { beta: 0 }).itemSync()).toBeCloseTo(l1Loss(a, b).itemSync() as number, 6);
    }));
});

describe('module forms', () => {
  it('compute the same as the functions and are differentiable', () =>
    noLeak(() => {
      const x = tensor([[0.2, 0.7], [0.9, 0.4]], { requiresGrad: true });
      const y = tensor([[0, 1], [1, 0]]);
      const idx = int([1, 0]);
      const pairs: [number, number][] = [
        [new MSELoss({ reduction: 'sum' }).call(x, y).itemSync() as number, mseLoss(x, y, { reduction: 'sum' }).itemSync() as number],
        [new L1Loss().forward(x, y).itemSync() as number, l1Loss(x, y).itemSync() as number],
        [new SmoothL1Loss({ beta: 0.5 }).call(x, y).itemSync() as number, smoothL1Loss(x, y, { beta: 0.5 }).itemSync() as number],
        [new HuberLoss({ delta: 0.5 }).call(x, y).itemSync() as number, huberLoss(x, y, { delta: 0.5 }).itemSync() as number],
        [new BCELoss().call(x, y).itemSync() as number, binaryCrossEntropy(x, y).itemSync() as number],
        [new BCEWithLogitsLoss().call(x, y).itemSync() as number, binaryCrossEntropyWithLogits(x, y).itemSync() as number],
        [new CrossEntropyLoss({ labelSmoothing: 0.1 }).call(x, idx).itemSync() as number, crossEntropy(x, idx, { labelSmoothing: 0.1 }).itemSync() as number],
        [new NLLLoss({ ignoreIndex: 0 }).call(x, idx).itemSync() as number, nllLoss(x, idx, { ignoreIndex: 0 }).itemSync() as number],
        [new KLDivLoss({ reduction: 'batchmean' }).call(x, y).itemSync() as number, klDiv(x, y, { reduction: 'batchmean' }).itemSync() as number],
      ];
      for (const [a, b] of pairs) expect(a).toBe(b);
      new CrossEntropyLoss().call(x, idx).backward();
      expect(x.grad).not.toBeNull();
    }));
});

describe('argument validation', () => {
  const x = () => tensor([[0.1, 0.2], [0.3, 0.4]]);
  const cases: [string, () => unknown, RegExp][] = [
    ['shape mismatch', () => mseLoss(x(), tensor([1, 2])), /mseLoss: expected target to have the same shape as input \[2,2\], got \[2\]/],
    ['integer target for mse', () => l1Loss(x(), tensor([[1, 2], [3, 4]], { dtype: 'int32' })), /l1Loss: expected target to have a floating dtype.*got int32/],
    ['integer input', () => mseLoss(tensor([1], { dtype: 'int32' }), tensor([1])), /expected input to have a floating dtype/],
    ['unknown reduction', () => mseLoss(x(), x(), { reduction: 'avg' as never }), /unknown reduction "avg"; expected one of 'mean', 'sum', 'none'/],
    ['batchmean only for klDiv', () => l1Loss(x(), x(), { reduction: 'batchmean' as never }), /unknown reduction "batchmean"/],
    ['class index out of range', () => crossEntropy(x(), int([1, 7])), /crossEntropy: target 7 .*out of bounds; expected class indices in \[0, 1\]/],
    ['negative class index', () => nllLoss(x(), int([-1, 0])), /nllLoss: target -1 .*out of bounds/],
    ['target dtype', () => nllLoss(x(), tensor([0, 1])), /nllLoss: expected target to hold class indices \(an int32 tensor\), got float32/],
    ['bool target', () => crossEntropy(x(), tensor([true, false])), /expected target to be an int32 tensor/],
    ['index target shape', () => crossEntropy(x(), int([0, 1, 1])), /expected class-index target of shape \[2\] for input of shape \[2,2\]/],
    ['probability target shape', () => crossEntropy(x(), tensor([[0.5, 0.5]])), /expected class-probability target to have the input's shape \[2,2\]/],
    ['weight size', () => crossEntropy(x(), int([0, 1]), { weight: tensor([1, 2, 3]) }), /expected weight to be a 1-d tensor of size 2/],
    ['labelSmoothing range', () => crossEntropy(x(), int([0, 1]), { labelSmoothing: 1.5 }), /labelSmoothing to be a number in \[0, 1\], got 1.5/],
    ['bce input outside [0, 1]', () => binaryCrossEntropy(tensor([1.5]), tensor([1])), /probability in \[0, 1\], got 1.5/],
    ['posWeight shape', () => binaryCrossEntropyWithLogits(x(), x(), { posWeight: tensor([1, 2, 3]) }), /posWeight to broadcast to the input shape \[2,2\], got shape \[3\]/],
    ['huber delta', () => huberLoss(x(), x(), { delta: 0 }), /huberLoss: expected delta to be a positive finite number, got 0/],
    ['smoothL1 beta', () => smoothL1Loss(x(), x(), { beta: -1 }), /expected beta to be a non-negative finite number, got -1/],
    ['0-d input to crossEntropy', () => crossEntropy(tensor(1), int([0])), /got a 0-d tensor/],
  ];
  for (const [name, fn, re] of cases) {
    it(name, () => noLeak(() => {
      expect(fn).toThrow(re);
    }));
  }
});

describe('memory', () => {
  it('losses and their backward passes leave no tensors behind', () => {
    const before = memory().numTensors;
    const x = tensor([[0.5, -1, 2], [0.1, 0.2, 0.3]], { requiresGrad: true });
    const t = int([2, -100]);
    const p = tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
    const w = tensor([1, 2, 3]);
    const all: Tensor[] = [
      crossEntropy(x, t, { weight: w, labelSmoothing: 0.1 }),
      crossEntropy(x, p, { labelSmoothing: 0.1, reduction: 'sum' }),
      nllLoss(x, t, { reduction: 'none' }),
      binaryCrossEntropyWithLogits(x, p, { weight: w, posWeight: w }),
      klDiv(x, p, { reduction: 'batchmean' }),
      smoothL1Loss(x, p),
      huberLoss(x, p),
    ];
    for (const l of all) {
      tidy(() => l.sum().backward());
      l.dispose();
    }
    for (const v of [x, t, p, w]) v.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

// Gradients at the exact points where a piecewise formulation switches branches (x = 0 for the
// logit losses, |input - target| = 0 or beta/delta for the regression losses), against the
// derivative written out by hand. A zero-initialised head gives logits of exactly 0.
describe('gradients at kink points match the closed-form derivative', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const gradOf = (x: Tensor, f: (x: Tensor) => Tensor): number[] => {
    f(x).sum().backward();
    return Array.from(x.grad!.dataSync());
  };

  it('binaryCrossEntropyWithLogits at x = 0 with soft targets: sigmoid(x) - y', () =>
    noLeak(() => {
      const ys = [0, 0.3, 0.5, 1];
      const x = tensor([0, 0, 0, 0], { dtype: 'float64', requiresGrad: true });
      const y = tensor(ys, { dtype: 'float64' });
      const g = gradOf(x, (v) => binaryCrossEntropyWithLogits(v, y, { reduction: 'none' }));
      g.forEach((v, i) => expect(v).toBeCloseTo(sig(0) - ys[i]!, 12));
      // the value at 0 is log 2 whatever the target
      expect(binaryCrossEntropyWithLogits(x, y).itemSync()).toBeCloseTo(Math.LN2, 12);
    }));

  it('binaryCrossEntropyWithLogits with posWeight and weight at x = 0 and around it', () =>
    noLeak(() => {
      // d/dx of -w[p·y·log σ(x) + (1 - y)·log(1 - σ(x))] = w[(1 + (p - 1)·y)·σ(x) - p·y]
      const xs = [0, 0, 0, -0, 1e-9, -1e-9, 2.5, -3];
      const ys = [0.3, 0.7, 1, 0.5, 0.5, 0.5, 0.2, 0.9];
      const p = 3;
      const w = 0.5;
      const x = tensor(xs, { dtype: 'float64', requiresGrad: true });
      const y = tensor(ys, { dtype: 'float64' });
      const g = gradOf(x, (v) =>
        binaryCrossEntropyWithLogits(v, y, { reduction: 'none', posWeight: tensor([p], { dtype: 'float64' }), weight: tensor([w], { dtype: 'float64' }) }),
      );
      g.forEach((v, i) => expect(v).toBeCloseTo(w * ((1 + (p - 1) * ys[i]!) * sig(xs[i]!) - p * ys[i]!), 12));
    }));

  it('BCEWithLogitsLoss (module) at x = 0, float32, mean reduction', () =>
    noLeak(() => {
      const x = tensor([[0, 0], [0, 0]], { requiresGrad: true });
      const y = tensor([[0.25, 0.75], [0, 1]]);
      const g = gradOf(x, (v) => new BCEWithLogitsLoss().call(v, y));
      [0.25, 0.75, 0, 1].forEach((t, i) => expect(g[i]).toBeCloseTo((0.5 - t) / 4, 7));
    }));

  it('binaryCrossEntropy at p = 0.5 (smooth there): (p - y) / (p(1 - p))', () =>
    noLeak(() => {
      const ys = [0, 0.3, 1];
      const x = tensor([0.5, 0.5, 0.5], { dtype: 'float64', requiresGrad: true });
      const g = gradOf(x, (v) => binaryCrossEntropy(v, tensor(ys, { dtype: 'float64' }), { reduction: 'none' }));
      g.forEach((v, i) => expect(v).toBeCloseTo((0.5 - ys[i]!) / 0.25, 12));
    }));

  it('binaryCrossEntropy at p = 0 and p = 1 (a saturated sigmoid): PyTorch’s finite (p - y) / max(p(1 - p), 1e-12), not 0·∞ = NaN', () =>
    noLeak(() => {
      // torch 1.13: x = tensor([1., 0., 1., 0., 0.25]); F.binary_cross_entropy(x, tensor([1., 1., 0., 0., 1.]), reduction='none').backward(ones(5))
      // gives x.grad = [0, -1e12, 1e12, 0, -4]
      const x = tensor([1, 0, 1, 0, 0.25], { requiresGrad: true });
      const g = gradOf(x, (v) => binaryCrossEntropy(v, tensor([1, 1, 0, 0, 1]), { reduction: 'none' }));
      expect(g.every(Number.isFinite)).toBe(true);
      [0, -1e12, 1e12, 0, -4].forEach((want, i) => expect(g[i]! / (Math.abs(want) || 1)).toBeCloseTo(want / (Math.abs(want) || 1), 5));
      // the values are unchanged: the clamped logs
      expect(Array.from(binaryCrossEntropy(x, tensor([1, 1, 0, 0, 1]), { reduction: 'none' }).dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([0, 100, 100, 0, 1.38629]);
      // with a weight and the mean: weight·(p - y) / max(p(1 - p), 1e-12) / n
      const w = tensor([2, 3]);
      const x2 = tensor([0.5, 1], { requiresGrad: true });
      const g2 = gradOf(x2, (v) => new BCELoss({ weight: w }).call(v, tensor([1, 1])));
      expect(g2[0]).toBeCloseTo((2 * (0.5 - 1)) / 0.25 / 2, 6);
      expect(g2[1]).toBe(0);
    }));

  it('l1Loss at input = target: 0 (PyTorch: sign(0) = 0)', () =>
    noLeak(() => {
      const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
      expect(gradOf(x, (v) => l1Loss(v, tensor([1, 0, 5], { dtype: 'float64' }), { reduction: 'none' }))).toEqual([0, 1, -1]);
    }));

  it('smoothL1Loss at d = 0 (0), at |d| = beta (±1, where both pieces agree) and for beta = 0 (sign, 0 at d = 0)', () =>
    noLeak(() => {
      const beta = 0.5;
      const x = tensor([1, 1.5, 0.5, 1.2], { dtype: 'float64', requiresGrad: true });
      const t = tensor([1, 1, 1, 1], { dtype: 'float64' });
      // PyTorch: d < -beta ? -1 : d > beta ? 1 : d / beta
      const expected = [0, 1, -1, 0.2 / beta];
      gradOf(x, (v) => smoothL1Loss(v, t, { beta, reduction: 'none' })).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
      const x0 = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
      expect(gradOf(x0, (v) => smoothL1Loss(v, tensor([1, 1], { dtype: 'float64' }), { beta: 0, reduction: 'none' }))).toEqual([0, 1]);
    }));

  it('huberLoss at d = 0 (0) and at |d| = delta (±delta)', () =>
    noLeak(() => {
      const delta = 2;
      const x = tensor([1, 3, -1, 2], { dtype: 'float64', requiresGrad: true });
      const t = tensor([1, 1, 1, 1], { dtype: 'float64' });
      // PyTorch: d < -delta ? -delta : d > delta ? delta : d
      const expected = [0, delta, -delta, 1];
      gradOf(x, (v) => huberLoss(v, t, { delta, reduction: 'none' })).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    }));

  it('klDiv where the target is 0: d/dx = -t = 0, and log-target form at t = 0', () =>
    noLeak(() => {
      const x = tensor([-1, -2], { dtype: 'float64', requiresGrad: true });
      gradOf(x, (v) => klDiv(v, tensor([0, 0.5], { dtype: 'float64' }), { reduction: 'none' })).forEach((v, i) => expect(v).toBeCloseTo([0, -0.5][i]!, 12));
      const xl = tensor([-1, -2], { dtype: 'float64', requiresGrad: true });
      gradOf(xl, (v) => klDiv(v, tensor([0, -1], { dtype: 'float64' }), { reduction: 'none', logTarget: true })).forEach((v, i) =>
        expect(v).toBeCloseTo(-Math.exp([0, -1][i]!), 12),
      );
    }));
});

describe('loss modules are callable like PyTorch losses', () => {
  it('criterion(pred, y) is criterion.call(pred, y), and stays an instance of its class', async () => {
    const { CrossEntropyLoss, MSELoss, LossModule } = await import('@tensorgrad/losses');
    const { tensor } = await import('@tensorgrad/tensor');
    const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
    const logits = tensor([[2, 0.5, -1], [0, 1, 3]]);
    const y = tensor([0, 2], { dtype: 'int32' });
    expect(await criterion(logits, y).item()).toBe(await criterion.call(logits, y).item());
    expect(criterion).toBeInstanceOf(CrossEntropyLoss);
    expect(criterion).toBeInstanceOf(LossModule);
    expect(criterion.options).toEqual({ labelSmoothing: 0.1 });
    // (1² + 2²) / 2
    expect(await new MSELoss()(tensor([1, 2]), tensor([0, 0])).item()).toBe(2.5);
  });
});
