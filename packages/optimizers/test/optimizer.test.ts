import { describe, expect, it } from 'vitest';
import { memory, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { Adam, AdamW, Adagrad, RMSprop, SGD, StepLR, ReduceLROnPlateau, clipGradNorm_, clipGradValue_, type Optimizer } from '@tensorgrad/optimizers';

function quadStep(opt: Optimizer<object>, params: Tensor[]): void {
  opt.zeroGrad();
  tidy(() => {
    let l = params[0]!.mul(params[0]!).sum();
    for (const p of params.slice(1)) l = l.add(p.sin().mul(p).sum());
    l.backward();
  });
  opt.step();
}

describe('Optimizer', () => {
  it('step() refuses a parameter disposed after the optimizer took it, instead of skipping it silently', () => {
    // what model.to(...) does to the parameters of an optimizer created before it: dispose()
    // also drops .grad, so the parameter looks like one without a gradient
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new Adam([w], { lr: 0.1 });
    w.grad = tensor([1, 1]);
    w.dispose();
    expect(() => opt.step()).toThrow(/Adam\.step: a parameter \(shape \[2\]\) was disposed.*create the optimizer after moving the model/);
    opt.dispose();
  });

  it('param groups use their own options, others fall back to defaults', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect(a.itemSync()).toBeCloseTo(0.9, 6);
    expect(b.itemSync()).toBeCloseTo(0.5, 6);
    expect(opt.paramGroups[1]!.momentum).toBe(0);
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  it('skips parameters without a gradient and updates in place (identity kept)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const alias = a.detach(); // shares a's storage
    const opt = new Adam([a]);
    opt.step();
    expect(a.arraySync()).toEqual([1, 2]);
    a.grad = tensor([1, 1]);
    opt.step();
    expect(Array.from(alias.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(a.arraySync()).not.toEqual([1, 2]);
    alias.dispose();
    expect(a.requiresGrad).toBe(true);
    opt.dispose();
    a.dispose();
  });

  for (const [name, make] of [
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.1, amsgrad: true })],
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.1 })],
    ['RMSprop', (p: Tensor[]) => new RMSprop(p, { momentum: 0.5, centered: true })],
    ['Adagrad', (p: Tensor[]) => new Adagrad(p, { lrDecay: 0.1 })],
  ] as const) {
    it(`${name}: stateDict round-trip resumes with identical steps, no leaks`, () => {
      const before = memory().numTensors;
      const p1 = [tensor([0.5, -1.5], { requiresGrad: true }), tensor([[2, 1]], { requiresGrad: true })];
      const opt1 = make(p1);
      quadStep(opt1, p1);
      quadStep(opt1, p1);
      const p2 = p1.map((p) => {
        const c = tidy(() => p.detach().clone());
        c.requiresGrad = true;
        return c;
      });
      const opt2 = make(p2);
      opt2.paramGroups[0]!.lr = 123;
      opt2.loadStateDict(opt1.stateDict());
      expect(opt2.paramGroups[0]!.lr).toBe(opt1.paramGroups[0]!.lr);
      for (let i = 0; i < 3; i++) {
        quadStep(opt1, p1);
        quadStep(opt2, p2);
      }
      p1.forEach((p, i) => expect(Array.from(p2[i]!.dataSync())).toEqual(Array.from(p.dataSync())));
      opt1.dispose();
      opt2.dispose();
      for (const p of [...p1, ...p2]) p.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }

  it("loadStateDict(opt.stateDict()) into the same optimizer keeps its state (the dict holds the state tensors themselves)", () => {
    // PyTorch: opt.load_state_dict(opt.state_dict()) is a no-op; it used to free the state first and then copy from it
    const before = memory().numTensors;
    const w = tensor([1, -2], { requiresGrad: true });
    const sgd = new SGD([w], { lr: 0.1, momentum: 0.9 });
    const adam = new Adam([w], { lr: 0.1 });
    w.grad = tensor([1, 2]);
    sgd.step();
    adam.step();
    sgd.loadStateDict(sgd.stateDict());
    adam.loadStateDict(adam.stateDict());
    // PyTorch's rules after one step with gradient g = [1, 2]: momentum_buffer = g, exp_avg = (1 - 0.9)·g, exp_avg_sq = (1 - 0.999)·g²
    const sgdState = sgd.stateDict().state[0]!;
    const adamState = adam.stateDict().state[0]!;
    expect(Array.from((sgdState.momentumBuffer as Tensor).dataSync())).toEqual([1, 2]);
    Array.from((adamState.expAvg as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(0.1 * [1, 2][i]!, 6));
    Array.from((adamState.expAvgSq as Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(0.001 * [1, 4][i]!, 7));
    sgd.step(); // and it keeps working: buf = 0.9·buf + g
    expect(Array.from((sgd.stateDict().state[0]!.momentumBuffer as Tensor).dataSync())).toEqual([1.9, 3.8].map((v) => Math.fround(v)));
    sgd.dispose();
    adam.dispose();
    w.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('loadStateDict rejects mismatched groups and shapes', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 2, 3], { requiresGrad: true });
    const oa = new SGD([a], { lr: 0.1, momentum: 0.9 });
    a.grad = tensor([1, 1]);
    oa.step();
    const ob = new SGD([b], { lr: 0.1, momentum: 0.9 });
    expect(() => ob.loadStateDict(oa.stateDict())).toThrow(/shape \[2\].*parameter has shape \[3\]/);
    const two = new SGD([{ params: [b] }, { params: [tensor([1], { requiresGrad: true })] }], { lr: 0.1 });
    expect(() => two.loadStateDict(oa.stateDict())).toThrow(/1 parameter group\(s\) but this optimizer has 2/);
    expect(() => ob.loadStateDict(null as never)).toThrow(/expected an object/);
    for (const o of [oa, ob, two]) o.dispose();
    for (const p of [...two.paramGroups[1]!.params, a, b]) p.dispose();
  });

  it("accepts frozen parameters (requiresGrad false) and leaves them alone, as PyTorch does", async () => {
    // PyTorch 1.13: Adam([p_frozen, q]) steps q only; p keeps its value (its .grad stays None)
    const frozen = tensor([0, 0]);
    const q = tensor([1, 1], { requiresGrad: true });
    const opt = new Adam([frozen, q], { lr: 0.1 });
    q.mul(2).sum().backward();
    opt.step();
    expect(Array.from(await frozen.data())).toEqual([0, 0]);
    const got = Array.from(await q.data());
    for (const v of got) expect(v).toBeCloseTo(0.9, 6);
    for (const t of [frozen, q]) t.dispose();
  });

  it('gives clear errors for bad arguments', () => {
    const a = tensor([1], { requiresGrad: true });
    expect(() => new SGD([a], {} as never)).toThrow(/learning rate is required/);
    expect(() => new SGD([a], { lr: -1 })).toThrow(/invalid learning rate -1/);
    expect(() => new SGD([], { lr: 1 })).toThrow(/empty parameter list/);
    expect(() => new SGD([], { lr: 1 })).toThrow(RangeError); // a wrong value (PyTorch: ValueError)
    expect(() => new SGD(a as never, { lr: 1 })).toThrow(/single Tensor/);
    expect(() => new SGD([a, a], { lr: 1 }).addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
    expect(() => new SGD([a], { lr: 1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new Adam([a], { betas: [1.5, 0.9] })).toThrow(/beta parameter at index 0/);
    expect(() => new StepLR(new SGD([a], { lr: 1 }), { stepSize: 0 })).toThrow(/stepSize/);
    expect(() => new ReduceLROnPlateau(new SGD([a], { lr: 1 }), { factor: 2 })).toThrow(/factor should be < 1/);
    a.dispose();
  });

  it('zeroGrad frees or zeroes gradients', () => {
    const a = tensor([1], { requiresGrad: true });
    const opt = new SGD([a], { lr: 1 });
    a.grad = tensor([2]);
    opt.zeroGrad({ setToNone: false });
    expect(a.grad!.arraySync()).toEqual([0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    a.dispose();
  });
});

describe('schedulers', () => {
  it('stateDict round-trip', () => {
    const a = tensor([1], { requiresGrad: true });
    const opt = new SGD([a], { lr: 1 });
    const s = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    s.step();
    s.step();
    const sd = s.stateDict();
    const opt2 = new SGD([a], { lr: 1 });
    const s2 = new StepLR(opt2, { stepSize: 5 });
    s2.loadStateDict(sd);
    expect(s2.lastEpoch).toBe(2);
    expect(s2.stepSize).toBe(2);
    expect(() => s2.loadStateDict({ foo: 1 })).toThrow(/unexpected key 'foo'/);
    const r = new ReduceLROnPlateau(opt, { patience: 0 });
    r.step(1);
    const r2 = new ReduceLROnPlateau(opt2);
    r2.loadStateDict(r.stateDict());
    expect(r2.best).toBe(1);
    a.dispose();
  });
});

describe('clipping', () => {
  it('clipGradNorm_ over several tensors, with inf and p norms', () => {
    const before = memory().numTensors;
    const a = tensor([3, 0], { requiresGrad: true, dtype: 'float64' });
    const b = tensor([[4]], { requiresGrad: true, dtype: 'float64' });
    a.grad = tensor([3, 0], { dtype: 'float64' });
    b.grad = tensor([[4]], { dtype: 'float64' });
    const n = clipGradNorm_([a, b], 10);
    expect(n.itemSync()).toBeCloseTo(5, 12);
    expect(a.grad!.arraySync()).toEqual([3, 0]);
    const n2 = clipGradNorm_([a, b], 1, { normType: Infinity });
    expect(n2.itemSync()).toBe(4);
    expect(b.grad!.itemSync()).toBeCloseTo(4 / (4 + 1e-6), 12);
    const n3 = clipGradNorm_([a, b], 100, { normType: 1 });
    expect(n3.itemSync()).toBeCloseTo((3 + 4) / (4 + 1e-6), 10);
    const noGradParam = tensor([1]);
    const empty = clipGradNorm_([noGradParam], 1);
    expect(empty.itemSync()).toBe(0);
    a.grad = tensor([NaN, 0], { dtype: 'float64' });
    expect(() => clipGradNorm_([a], 1, { errorIfNonfinite: true })).toThrow(/non-finite/);
    clipGradValue_(b, 0.5);
    expect(b.grad!.arraySync()).toEqual([[0.5]]);
    for (const t of [n, n2, n3, empty, noGradParam, a, b]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
