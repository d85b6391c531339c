import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as Losses from '@tensorgrad/losses';
import { CrossEntropyLoss, MSELoss, crossEntropy, mseLoss, nllLoss, BCEWithLogitsLoss } from '@tensorgrad/losses';

type Bad = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const X = Losses as unknown as Record<string, Any>;
const x = () => tensor([[0.2, 0.8], [0.6, 0.4]]);
const p = () => tensor([[1, 0], [0, 1]]);
const idx = () => tensor([1, 0], { dtype: 'int32' });

class Custom extends Losses.LossModule<{ scale?: number }> {
  constructor(options: Bad = {}) {
    super(options, ['scale']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return input.sub(target).sum();
  }
}

// Every class and function @tensorgrad/losses exports, with a minimal valid call ending with the
// options object `o`; an export missing here fails the first test.
const CALLS: Record<string, (o: Bad) => unknown> = {
  checkReduction: (o) => X.checkReduction('mseLoss', { reduction: 'sum', ...o }),
  applyReduction: (o) => X.applyReduction(x(), { reduction: 'sum', ...o }),
  mseLoss: (o) => X.mseLoss(x(), p(), o),
  l1Loss: (o) => X.l1Loss(x(), p(), o),
  smoothL1Loss: (o) => X.smoothL1Loss(x(), p(), o),
  huberLoss: (o) => X.huberLoss(x(), p(), o),
  binaryCrossEntropy: (o) => X.binaryCrossEntropy(x(), p(), o),
  binaryCrossEntropyWithLogits: (o) => X.binaryCrossEntropyWithLogits(x(), p(), o),
  crossEntropy: (o) => X.crossEntropy(x(), idx(), o),
  nllLoss: (o) => X.nllLoss(x(), idx(), o),
  klDiv: (o) => X.klDiv(x(), p(), o),
  LossModule: (o) => new Custom(o),
  MSELoss: (o) => new X.MSELoss(o),
  L1Loss: (o) => new X.L1Loss(o),
  SmoothL1Loss: (o) => new X.SmoothL1Loss(o),
  HuberLoss: (o) => new X.HuberLoss(o),
  BCELoss: (o) => new X.BCELoss(o),
  BCEWithLogitsLoss: (o) => new X.BCEWithLogitsLoss(o),
  CrossEntropyLoss: (o) => new X.CrossEntropyLoss(o),
  NLLLoss: (o) => new X.NLLLoss(o),
  KLDivLoss: (o) => new X.KLDivLoss(o),
};

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('every constructor and function of @tensorgrad/losses refuses an unknown option key', () => {
  const exported = Object.entries(Losses)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort();
  it('the table lists every exported class and function', () => {
    expect(exported.filter((n) => !(n in CALLS))).toEqual([]);
    expect(Object.keys(CALLS).filter((n) => !exported.includes(n))).toEqual([]);
  });
  for (const name of Object.keys(CALLS)) {
    it(name, () => {
      expect(() => CALLS[name]!({})).not.toThrow();
      expect(() => CALLS[name]!({ bogus_key: 1 })).toThrow(TypeError);
      expect(() => CALLS[name]!({ bogus_key: 1 })).toThrow(/bogus_key/);
    });
  }
});

describe("PyTorch's spellings", () => {
  it('label_smoothing is refused with its camelCase spelling (it was silently ignored)', async () => {
    expect(message(() => crossEntropy(x(), idx(), { label_smoothing: 0.1 } as Any))).toMatch(/unknown option 'label_smoothing'; did you mean 'labelSmoothing'\?/);
    expect(message(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as Any))).toMatch(/new CrossEntropyLoss: unknown option 'label_smoothing'; did you mean 'labelSmoothing'\?/);
    expect(message(() => nllLoss(x(), idx(), { ignore_index: 0 } as Any))).toMatch(/did you mean 'ignoreIndex'/);
    expect(message(() => new BCEWithLogitsLoss({ pos_weight: tensor([1, 1]) } as Any))).toMatch(/did you mean 'posWeight'/);
  });
  it("positional arguments bind in PyTorch's order", async () => {
    const logits = tensor([[2, 0], [0, 2]]);
    const t = tensor([0, 1], { dtype: 'int32' });
    const named = Number(await crossEntropy(logits, t, { labelSmoothing: 0.2, reduction: 'sum' }).item());
    expect(await crossEntropy(logits, t, null, null, -100, null, 'sum', 0.2).item()).toBeCloseTo(named, 6);
    expect(await new CrossEntropyLoss(null, null, -100, null, 'sum', 0.2).call(logits, t).item()).toBeCloseTo(named, 6);
    expect(named).not.toBeCloseTo(Number(await crossEntropy(logits, t, { reduction: 'sum' }).item()), 3);
    expect(await crossEntropy(logits, t, tensor([1, 3]), null, 0, null, 'none').array()).toEqual([0, expect.closeTo(3 * 0.126928, 5)]);
    expect(await mseLoss(tensor([1, 2]), tensor([0, 0]), null, null, 'sum').item()).toBe(5);
    expect(await new MSELoss(null, null, 'none').call(tensor([1, 2]), tensor([0, 0])).array()).toEqual([1, 4]);
  });
  it('sizeAverage and reduce are accepted as null and refused otherwise, naming the reduction to use', () => {
    expect(message(() => new CrossEntropyLoss(null, false as Any))).toMatch(/sizeAverage = false: sizeAverage and reduce are deprecated in PyTorch.*\{ reduction: 'sum' \}/);
    expect(message(() => new MSELoss({ reduce: false } as Any))).toMatch(/reduce = false.*deprecated in PyTorch.*\{ reduction: 'none' \}/);
    expect(message(() => mseLoss(x(), p(), { sizeAverage: true } as Any))).toMatch(/mseLoss: sizeAverage = true.*\{ reduction: 'mean' \}/);
    // PyTorch's MSELoss('sum') binds 'sum' to size_average: refused, not silently a mean
    expect(message(() => new (MSELoss as Any)('sum'))).toMatch(/sizeAverage = sum.*deprecated/);
  });
  it('a positional argument too many, and a missing target', () => {
    expect(message(() => (mseLoss as Any)(x(), p(), null, null, 'sum', 1))).toMatch(/mseLoss: takes at most 5 positional arguments/);
    expect(message(() => (mseLoss as Any)(x()))).toMatch(/mseLoss: missing required argument target/);
  });
});
