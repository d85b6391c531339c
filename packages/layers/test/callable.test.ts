// Modules are callable: `model(x)` is `model.call(x)` (PyTorch's `module(x)`), for every Module,
// built-in or user-defined, while instanceof, fields, printing and the registries keep working.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, noGrad, ones, randn, tensor, tidy, zeros, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { BatchNorm1d, Conv2d, Flatten, Linear, MaxPool2d, Module, ModuleDict, ModuleList, Parameter, ReLU, Sequential, type AnyModule } from '@tensorgrad/layers';


function shapes(t: Tensor): number[] {
  return [...t.shape];
}

describe('callable modules', () => {
  it('every built-in layer and container is callable and gives what call() gives', () => {
    manualSeed(0);
    const fc = new Linear(3, 2);
    const x = randn([4, 3]);
    const a = fc(x);
    const b = fc.call(x);
    expect(shapes(a)).toEqual([4, 2]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const seq = new Sequential(new Conv2d(1, 4, 3), new MaxPool2d(2), new ReLU(), new Flatten(), new Linear(4 * 13 * 13, 10));
    expect(shapes(seq(zeros([2, 1, 28, 28])))).toEqual([2, 10]);
    const list = new ModuleList([new Linear(3, 3), new ReLU()]);
    let h: Tensor = x;
    for (const m of list) h = m(h) as Tensor;
    expect(shapes(h)).toEqual([4, 3]);
    expect(list.at(0)(x).shape).toEqual([4, 3]);
    const dict = new ModuleDict({ fc: new Linear(3, 1) });
    expect(shapes(dict.get('fc')(x) as Tensor)).toEqual([4, 1]);
    for (const m of [fc, seq, list, dict]) m.dispose();
  });

  it('a container without forward (ModuleList) explains itself when called', () => {
    const list = new ModuleList([new Linear(1, 1)]);
    expect(() => (list as unknown as (x: Tensor) => Tensor)(ones([1, 1]))).toThrow(/ModuleList has no forward\(\)/);
    list.dispose();
  });

  it('user subclasses are callable; fields named name/length/call-like work; instanceof and constructor hold', () => {
    class Net extends Module {
      // with noImplicitOverride, TypeScript sees Function's name/length on a callable base: say override
      override name = 'my-net';
      override length = 7;
      fc1 = new Linear(4, 8);
      act = new ReLU();
      fc2 = new Linear(8, 2);
      #calls = 0;
      override forward(x: Tensor): Tensor {
        this.#calls++;
        return this.fc2(this.act(this.fc1(x)));
      }
      get calls(): number {
        return this.#calls;
      }
    }
    const net = new Net();
    const y: Tensor = net(ones([3, 4]));
    expect(shapes(y)).toEqual([3, 2]);
    expect(net.calls).toBe(1);
    expect(net.name).toBe('my-net');
    expect(net.length).toBe(7);
    net.name = 'renamed';
    expect(net.name).toBe('renamed');
    expect(typeof net).toBe('function');
    expect(net instanceof Net && net instanceof Module).toBe(true);
    expect(net instanceof Function).toBe(false);
    expect(net.constructor).toBe(Net);
    expect(Object.getPrototypeOf(net)).toBe(Net.prototype);
    // Module's own `call` and `apply`, not Function.prototype's
    expect(shapes(net.call(ones([1, 4])))).toEqual([1, 2]);
    const visited: string[] = [];
    net.apply((m) => void visited.push(m.constructor.name));
    expect(visited).toEqual(['Linear', 'ReLU', 'Linear', 'Net']);
    expect((net as unknown as { bind?: unknown }).bind).toBeUndefined();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'fc2']);
    expect(Object.keys(net)).toEqual(expect.arrayContaining(['name', 'length', 'fc1', 'act', 'fc2', 'training']));
    net.dispose();
  });

  it('Sequential.length, registration by assignment and subclasses of subclasses keep working', () => {
    const seq = new Sequential(new Linear(2, 2), new ReLU());
    expect(seq.length).toBe(2);
    seq.append(new Linear(2, 1));
    expect(seq.length).toBe(3);
    class Base extends Module {
      body = new Sequential(new Linear(2, 2));
      override forward(x: Tensor): Tensor {
        return this.body(x);
      }
    }
    class Derived extends Base {
      head = new Linear(2, 1);
      override forward(x: Tensor): Tensor {
        return this.head(super.forward(x));
      }
    }
    const d = new Derived();
    expect(shapes(d(ones([5, 2])))).toEqual([5, 1]);
    expect(d.namedParameters().map(([n]) => n)).toEqual(['body.0.weight', 'body.0.bias', 'head.weight', 'head.bias']);
    const m = new Module();
    m.registerModule('inner', seq);
    expect(m.children()[0]).toBe(seq);
    (m as unknown as { inner: AnyModule }).inner = new ReLU();
    expect(m.children()[0]).toBeInstanceOf(ReLU);
    seq.dispose();
    d.dispose();
  });

  it('modules with several inputs and non-tensor outputs are typed from forward', () => {
    class Pair extends Module<[Tensor, Tensor], { sum: Tensor; diff: Tensor }> {
      override forward(a: Tensor, b: Tensor): { sum: Tensor; diff: Tensor } {
        return { sum: a.add(b), diff: a.sub(b) };
      }
    }
    const out = new Pair()(tensor([3]), tensor([1]));
    expect(Array.from(out.sum.dataSync())).toEqual([4]);
    expect(Array.from(out.diff.dataSync())).toEqual([2]);
    class Loose extends Module<any[], any> {
      override forward(a: number, b: number): number {
        return a * b;
      }
    }
    const n: number = new Loose()(6, 7);
    expect(n).toBe(42);
    const fc = new Linear(2, 2);
    // @ts-expect-error a Linear takes a Tensor
    expect(() => fc('not a tensor')).toThrow();
    fc.dispose();
  });

  it('forward hooks run when the module is called', () => {
    const relu = new ReLU();
    const seen: number[][] = [];
    const handle = relu.registerForwardHook((_m, _inputs, out) => void seen.push([...out.shape]));
    relu(tensor([1, -1, 2]));
    const replaced = relu.registerForwardHook((_m, _inputs, out) => out.mul(10));
    expect(Array.from(relu(tensor([1, -1])).dataSync())).toEqual([10, 0]);
    handle.remove();
    replaced.remove();
    relu(tensor([1]));
    expect(seen).toEqual([[3], [2]]);
  });

  it('prints the summary with console.log / util.inspect and String(), not [Function]', () => {
    const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
    const printed = inspect(model);
    expect(printed).not.toContain('[Function');
    expect(printed).toContain('Total params: 58');
    expect(printed).toBe(String(model));
    expect(`${model}`).toBe(model.toString());
    expect(inspect({ model })).toContain('Total params: 58');
    model.dispose();
  });

  it('state dicts, JSON, loadStateDict, to() and train/eval are unchanged', () => {
    const a = new Sequential(new Linear(2, 3), new BatchNorm1d(3), new Linear(3, 1));
    const b = new Sequential(new Linear(2, 3), new BatchNorm1d(3), new Linear(3, 1));
    tidy(() => {
      const sd = a.stateDict();
      expect(Object.keys(sd)).toEqual([
        '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '2.weight', '2.bias',
      ]);
      const json = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.arraySync()])))) as Record<string, unknown>;
      expect(json['2.bias']).toEqual(sd['2.bias']!.arraySync());
      b.loadStateDict(sd);
    });
    expect(Array.from(b.at(0).parameters()[0]!.dataSync())).toEqual(Array.from(a.at(0).parameters()[0]!.dataSync()));
    expect(() => b.loadStateDict(a as never)).toThrow(/got a Sequential module; pass its state dict/);
    b.eval();
    expect(b.modules().every((m) => !m.training)).toBe(true);
    b.to('float64');
    expect(b(ones([2, 2], { dtype: 'float64' })).dtype).toBe('float64');
    a.dispose();
    b.dispose();
  });

  it('an op given a module names it instead of printing it', () => {
    const fc = new Linear(1, 1);
    expect(() => ones([1]).add(fc as never)).toThrow(/got a Linear/);
    fc.dispose();
  });

  it('trains an MLP with model(x) and frees everything it made', () => {
    manualSeed(1);
    const before = memory().numTensors;
    const model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 1));
    const x = randn([32, 8]);
    const target = x.sum(1, true);
    const lossAt = (): number => tidy(() => noGrad(() => model(x).sub(target).square().mean().itemSync() as number));
    const first = lossAt();
    for (let step = 0; step < 60; step++) {
      tidy(() => {
        model(x).sub(target).square().mean().backward();
        noGrad(() => {
          for (const p of model.parameters()) p.sub_(p.grad!.mul(0.05));
        });
        model.zeroGrad();
      });
    }
    expect(lossAt()).toBeLessThan(first * 0.2);
    model.dispose();
    x.dispose();
    target.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

// a Parameter stays a plain tensor, not callable
describe('Parameter', () => {
  it('is not callable', () => {
    const p = new Parameter(ones([1]));
    expect(typeof p).toBe('object');
    p.dispose();
  });
});
