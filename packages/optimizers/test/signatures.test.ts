import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as Optim from '@tensorgrad/optimizers';
import { Adam, Optimizer, SGD, StepLR, LRScheduler, type ParamGroup, type ParamState } from '@tensorgrad/optimizers';

type Bad = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const X = Optim as unknown as Record<string, Any>;
const w = () => tensor([1, 2], { requiresGrad: true });
const sgd = () => new SGD([w()], { lr: 0.1, momentum: 0.9 });

class Plain extends Optimizer<{ lr: number }> {
  constructor(params: Iterable<Tensor> | Iterable<{ params: Tensor[] }>) {
    super('Plain', params as Any, { lr: 0.1 });
  }
  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<{ lr: number }>): void {
    void state;
    param.sub_(grad.mul(group.lr));
  }
}
class Constant extends LRScheduler {
  constructor(optimizer: Any, o: Bad) {
    super('Constant', optimizer, o as Any);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.groupLrs();
  }
}

// Every class and function @tensorgrad/optimizers exports, with a minimal valid call ending with
// the options object `o` (for the Optimizer base: a parameter group's options); an export
// missing here fails the first test.
const CALLS: Record<string, (o: Bad) => unknown> = {
  Optimizer: (o) => new Plain([{ params: [w()], ...o }]),
  SGD: (o) => new X.SGD([w()], { lr: 0.1, ...o }),
  Adam: (o) => new X.Adam([w()], o),
  AdamW: (o) => new X.AdamW([w()], o),
  RMSprop: (o) => new X.RMSprop([w()], o),
  Adagrad: (o) => new X.Adagrad([w()], o),
  LBFGS: (o) => new X.LBFGS([w()], o),
  LRScheduler: (o) => new Constant(sgd(), o),
  StepLR: (o) => new X.StepLR(sgd(), { stepSize: 2, ...o }),
  MultiStepLR: (o) => new X.MultiStepLR(sgd(), { milestones: [2], ...o }),
  ExponentialLR: (o) => new X.ExponentialLR(sgd(), { gamma: 0.5, ...o }),
  CosineAnnealingLR: (o) => new X.CosineAnnealingLR(sgd(), { tMax: 2, ...o }),
  LambdaLR: (o) => new X.LambdaLR(sgd(), { lrLambda: () => 1, ...o }),
  OneCycleLR: (o) => new X.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, ...o }),
  ReduceLROnPlateau: (o) => new X.ReduceLROnPlateau(sgd(), o),
  clipGradNorm_: (o) => X.clipGradNorm_([w()], 1, o),
  clipGradValue_: (o) => X.clipGradValue_([w()], 1, o),
};

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('every constructor and function of @tensorgrad/optimizers refuses an unknown option key', () => {
  const exported = Object.entries(Optim)
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

describe("PyTorch's forms", () => {
  it('weight_decay is refused with its camelCase spelling, in the options and in a parameter group (it was silently ignored)', () => {
    expect(message(() => new SGD([w()], { lr: 0.1, weight_decay: 1e-4 } as Any))).toMatch(/new SGD: unknown option 'weight_decay'; did you mean 'weightDecay'\?/);
    expect(message(() => new Adam([{ params: [w()], weight_decay: 1e-4 } as Any]))).toMatch(/Adam parameter group: unknown option 'weight_decay'; did you mean 'weightDecay'\?/);
    expect(message(() => new StepLR(sgd(), { step_size: 2 } as Any))).toMatch(/did you mean 'stepSize'/);
  });
  it("SGD(params, lr, momentum, dampening, weightDecay, nesterov, *, maximize) binds positionally", () => {
    const g = new SGD([w()], 0.1, 0.9, 0, 1e-4, true).paramGroups[0]!;
    expect([g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov, g.maximize]).toEqual([0.1, 0.9, 0, 1e-4, true, false]);
    expect(new SGD([w()], 0.1, { maximize: true }).paramGroups[0]!.maximize).toBe(true);
    // maximize is keyword-only, as in PyTorch
    expect(message(() => new (SGD as Any)([w()], 0.1, 0.9, 0, 0, false, true))).toMatch(/new SGD: takes at most 6 positional arguments/);
    expect(message(() => new (SGD as Any)([w()]))).toMatch(/learning rate is required/);
  });
  it('the other optimizers and schedulers bind positionally', () => {
    const a = new Adam([w()], 0.01, [0.8, 0.9], 1e-6, 0.1, true).paramGroups[0]!;
    expect([a.lr, a.betas, a.eps, a.weightDecay, a.amsgrad]).toEqual([0.01, [0.8, 0.9], 1e-6, 0.1, true]);
    expect(new X.RMSprop([w()], 0.1, 0.5, 1e-6, 0, 0.9, true).paramGroups[0].centered).toBe(true);
    expect(new X.Adagrad([w()], 0.1, 0.01).paramGroups[0].lrDecay).toBe(0.01);
    const opt = sgd();
    const s = new StepLR(opt, 1, 0.5);
    s.step();
    expect(s.getLastLr()).toEqual([0.05]);
    expect(new X.OneCycleLR(sgd(), 1, null, 2, 5).totalSteps).toBe(10);
    expect(new X.ReduceLROnPlateau(sgd(), 'max', 0.5, 3).mode).toBe('max');
  });
  it('implementation switches and verbose are accepted at their defaults and refused otherwise', () => {
    expect(() => new SGD([w()], { lr: 0.1, foreach: null, differentiable: false })).not.toThrow();
    expect(message(() => new SGD([w()], { lr: 0.1, foreach: true }))).toMatch(/new SGD: foreach = true is not supported/);
    expect(message(() => new Adam([w()], { fused: true }))).toMatch(/fused = true is not supported/);
    expect(message(() => new Adam([w()], { capturable: true }))).toMatch(/capturable = true is not supported/);
    expect(message(() => new StepLR(sgd(), { stepSize: 1, verbose: true as Any }))).toMatch(/new StepLR: verbose = true is not supported/);
    expect(message(() => X.clipGradNorm_([w()], 1, { foreach: true }))).toMatch(/clipGradNorm_: foreach = true is not supported/);
  });
});
