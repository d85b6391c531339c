import { describe, expect, it } from 'vitest';
import { manualSeed, memory, ones, randn, tensor, tidy, zeros, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  init,
  Linear,
  MaxPool2d,
  Module,
  ModuleDict,
  ModuleList,
  Parameter,
  ReLU,
  Sequential,
  summary,
  BatchNorm1d,
} from '@tensorgrad/layers';

function bookCnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 64, 3),
    new MaxPool2d(2),
    new ReLU(),
    new Conv2d(64, 128, 3),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(3200, 256),
    new ReLU(),
    new Linear(256, 10),
  );
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

describe('Module', () => {
  it('the book chapter 4 CNN has 896,522 parameters, PyTorch names and a summary table', () => {
    const before = memory().numTensors;
    const model = bookCnn();
    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(896522);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias', '9.weight', '9.bias']);
    expect(String(model)).toContain('Total params: 896,522');
    const table = summary(model, [1, 28, 28]).text;
    expect(table).toContain('Conv2d-1');
    expect(table).toContain('[-1, 64, 26, 26]');
    expect(table).toContain('[-1, 10]');
    expect(table).toContain('Linear-8');
    expect(table).toContain('819,456'); // 3200 * 256 + 256
    expect(table).toContain('Trainable params: 896,522');
    // summary leaves no output shapes behind; a real call does
    expect(String(model)).toContain('Linear-10                          -           2,570');
    tidy(() => void model(zeros([3, 1, 28, 28])));
    expect(String(model)).toContain('Linear-10                    [3, 10]           2,570');
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('registers fields automatically in declaration order, plus explicit buffers', () => {
    class Net extends Module {
      scale = new Parameter(ones([1]));
      body = new Sequential(new Linear(2, 3), new ReLU());
      head = new Linear(3, 1);
      constructor() {
        super();
        this.registerBuffer('steps', zeros([1]));
      }
      override forward(x: Tensor): Tensor {
        return this.head.call(this.body.call(x)).mul(this.scale);
      }
    }
    const before = memory().numTensors;
    const net = new Net();
    // the ones([1]) wrapped by `scale` is a temporary the caller owns
    expect(net.namedParameters().map(([n]) => n)).toEqual(['scale', 'body.0.weight', 'body.0.bias', 'head.weight', 'head.bias']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['body', 'head']);
    expect(net.modules().length).toBe(5);
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(['scale', 'steps', 'body.0.weight', 'body.0.bias', 'head.weight', 'head.bias']);
    for (const t of Object.values(sd)) t.dispose();
    // reassigning a registered field updates the registry
    const old = net.head;
    net.head = new Linear(3, 2);
    old.dispose();
    expect(net.namedParameters().find(([n]) => n === 'head.weight')![1].shape).toEqual([2, 3]);
    net.dispose();
    expect(memory().numTensors - before).toBe(1); // the temporary ones([1])
  });

  it('train()/eval() propagate; apply visits children first', () => {
    const model = new Sequential(new Linear(2, 2), new Dropout(0.5), new ModuleList([new ReLU()]));
    model.eval();
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
    const order: string[] = [];
    model.apply((m) => order.push(m.typeName));
    expect(order).toEqual(['Linear', 'Dropout', 'ReLU', 'ModuleList', 'Sequential']);
    model.dispose();
  });

  it('state dict round trip, strict and non-strict loading', () => {
    const before = memory().numTensors;
    manualSeed(1);
    const a = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 2));
    manualSeed(2);
    const b = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new Linear(4, 2));
    tidy(() => {
      a.call(randn([5, 3])); // updates a's running stats
      const sd = a.stateDict();
      expect(Object.keys(sd)).toEqual([
        '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '2.weight', '2.bias',
      ]);
      expect(sd['1.num_batches_tracked']!.dtype).toBe('int32');
      expect(sd['1.num_batches_tracked']!.shape).toEqual([]);
      expect(b.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const sb = b.stateDict();
      for (const k of Object.keys(sd)) expect(values(sb[k]!)).toEqual(values(sd[k]!));
      // loading copies: changing a afterwards does not change b
      a.parameters()[0]!.dataSync();
      // strict: missing and unexpected keys throw and nothing is modified
      const partial = { '0.weight': zeros([4, 3]), extra: zeros([1]) };
      expect(() => b.loadStateDict(partial)).toThrow(/missing keys: .*'0.bias'.*unexpected keys: 'extra'/s);
      expect(values(b.stateDict()['0.weight']!)).toEqual(values(sd['0.weight']!));
      // non-strict loads the matching keys and reports the rest
      const r = b.loadStateDict(partial, { strict: false });
      expect(r.unexpectedKeys).toEqual(['extra']);
      expect(r.missingKeys).toContain('0.bias');
      expect(r.missingKeys).not.toContain('0.weight');
      expect(values(b.stateDict()['0.weight']!).every((v) => v === 0)).toBe(true);
      // shape mismatch throws even when not strict, and nothing is modified
      const bad = { '0.bias': ones([4]), '2.weight': zeros([3, 3]) };
      expect(() => b.loadStateDict(bad, { strict: false })).toThrow(/'2.weight': shape \[3, 3\] in the state dict, but the module's is \[2, 4\]/);
      expect(values(b.stateDict()['0.bias']!)).toEqual(values(sd['0.bias']!));
    });
    a.dispose();
    b.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('freezing with requiresGrad_(false) leaves those gradients empty', () => {
    const before = memory().numTensors;
    const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 1));
    for (const p of model.at(0).parameters()) p.requiresGrad_(false);
    tidy(() => model.call(randn([2, 3])).sum().backward());
    const [w0, b0, w2, b2] = model.parameters();
    expect(w0!.grad).toBeNull();
    expect(b0!.grad).toBeNull();
    expect(w2!.grad).not.toBeNull();
    expect(b2!.grad).not.toBeNull();
    expect(String(model)).toMatch(/Non-trainable params: 16/);
    model.zeroGrad();
    expect(w2!.grad).toBeNull();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('zeroGrad({ setToNone: false }) fills the gradients with zeros', () => {
    const fc = new Linear(2, 1);
    tidy(() => fc.call(ones([1, 2])).sum().backward());
    fc.zeroGrad({ setToNone: false });
    expect(values(fc.weight.grad!)).toEqual([0, 0]);
    fc.dispose();
  });

  it('forward hooks see inputs and output, may replace it, and can be removed', () => {
    const before = memory().numTensors;
    const fc = new Linear(2, 3);
    const calls: [number[], number[]][] = [];
    const h1 = fc.registerForwardHook((m, inputs, out) => {
      expect(m).toBe(fc);
      calls.push([[...inputs[0].shape], [...out.shape]]);
    });
    tidy(() => {
      fc.call(ones([4, 2]));
      const h2 = fc.registerForwardHook((_m, _i, out) => out.mul(0).add(1));
      expect(values(fc.call(ones([1, 2])))).toEqual([1, 1, 1]);
      h2.remove();
      h1.remove();
      h1.remove();
      expect(values(fc.call(ones([1, 2]))).some((v) => v !== 1)).toBe(true);
    });
    expect(calls).toEqual([[[4, 2], [4, 3]], [[1, 2], [1, 3]]]);
    fc.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('BatchNorm with momentum null keeps a cumulative average', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    tidy(() => {
      bn.call(tensor([[1], [3]])); // mean 2
      bn.call(tensor([[5], [7]])); // mean 6
    });
    expect(values(bn.running_mean!)[0]).toBeCloseTo(4, 6);
    expect(bn.num_batches_tracked!.itemSync()).toBe(2);
    bn.dispose();
  });

  it('to(dtype) converts floating parameters and buffers, keeps int buffers', () => {
    const before = memory().numTensors;
    const bn = new BatchNorm2d(3).to('float64');
    expect(bn.weight!.dtype).toBe('float64');
    expect(bn.weight!.requiresGrad).toBe(true);
    expect(bn.running_var!.dtype).toBe('float64');
    expect(bn.num_batches_tracked!.dtype).toBe('int32');
    expect(bn.parameters()[0]).toBe(bn.weight);
    bn.to({ backend: 'cpu' });
    expect(bn.weight!.backend).toBe('cpu');
    bn.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('containers', () => {
    const d = new ModuleDict({ b: new Linear(1, 1), a: new ReLU() });
    expect(d.keys()).toEqual(['b', 'a']);
    expect(Object.keys(d.stateDict())).toEqual(['b.weight', 'b.bias']);
    const l = new ModuleList().append(new ReLU()).append(new Linear(1, 2));
    expect(l.at(-1)).toBeInstanceOf(Linear);
    expect([...l].length).toBe(2);
    d.dispose();
    l.dispose();
  });

  it('clear errors', () => {
    const m = new Module();
    expect(() => m.registerParameter('w', zeros([1]) as Parameter)).toThrow(/expected a Parameter.*new Parameter/);
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(/without '\.'/);
    expect(() => new Linear(3, 2).call(zeros([1, 4]))).toThrow(/last dim 3/);
    expect(() => (m.call as () => unknown).call(m)).toThrow(/has no forward\(\): a Module subclass must define it/);
  });

  it('default init is PyTorch\'s: kaiming-uniform(a=√5) weight and U(±1/√fanIn) bias, seeded', async () => {
    manualSeed(0);
    const a = new Linear(400, 300);
    manualSeed(0);
    const b = new Linear(400, 300);
    expect(values(a.weight)).toEqual(values(b.weight));
    const bound = 1 / Math.sqrt(400);
    const w = values(a.weight);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    // U(-b, b): variance b²/3
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(bound * 0.02);
    expect(variance / (bound ** 2 / 3)).toBeCloseTo(1, 1);
    expect(Math.max(...values(a.bias!).map(Math.abs))).toBeLessThanOrEqual(bound);
    const conv = new Conv2d(16, 8, 3);
    expect(Math.max(...values(conv.weight).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(16 * 9));
    a.dispose();
    b.dispose();
    conv.dispose();
  });
});

describe('init', () => {
  const stats = (t: Tensor): [number, number] => {
    const v = values(t);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return [m, Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length)];
  };
  it('calculateGain follows PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as 'relu')).toThrow(/unsupported nonlinearity/);
  });
  it('initialisers have the documented statistics', () => {
    const before = memory().numTensors;
    const t = zeros([500, 200]); // fanIn 200, fanOut 500
    init.kaimingNormal_(t, { nonlinearity: 'relu' });
    let [m, s] = stats(t);
    expect(Math.abs(m)).toBeLessThan(0.005);
    expect(s / Math.sqrt(2 / 200)).toBeCloseTo(1, 1);
    init.kaimingUniform_(t, { mode: 'fan_out', nonlinearity: 'relu' });
    [m, s] = stats(t);
    expect(s / Math.sqrt(2 / 500)).toBeCloseTo(1, 1);
    expect(Math.max(...values(t).map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(2) * Math.sqrt(3 / 500) + 1e-7);
    init.xavierUniform_(t);
    [m, s] = stats(t);
    expect(s / Math.sqrt(2 / 700)).toBeCloseTo(1, 1);
    init.xavierNormal_(t, { gain: 2 });
    [m, s] = stats(t);
    expect(s / (2 * Math.sqrt(2 / 700))).toBeCloseTo(1, 1);
    init.normal_(t, 3, 0.5);
    [m, s] = stats(t);
    expect(m).toBeCloseTo(3, 2);
    expect(s).toBeCloseTo(0.5, 2);
    init.uniform_(t, 2, 4);
    [m, s] = stats(t);
    expect(m).toBeCloseTo(3, 2);
    expect(s).toBeCloseTo(2 / Math.sqrt(12), 2);
    expect(values(init.constant_(t, 0.25)).every((v) => v === 0.25)).toBe(true);
    expect(values(init.zeros_(t)).every((v) => v === 0)).toBe(true);
    expect(values(init.ones_(t)).every((v) => v === 1)).toBe(true);
    const v = zeros([3]);
    expect(() => init.kaimingUniform_(v)).toThrow(/at least 2 dims/);
    v.dispose();
    t.dispose();
    expect(memory().numTensors).toBe(before);
  });
  it('does not record gradients when initialising parameters', () => {
    const p = new Parameter(zeros([2, 2]));
    init.normal_(p);
    expect(p.gradFn).toBeNull();
    expect(p.isLeaf).toBe(true);
    p.dispose();
  });
});
