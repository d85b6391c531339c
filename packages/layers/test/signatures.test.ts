import { describe, expect, it } from 'vitest';
import { zeros, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as L from '@tensorgrad/layers';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  LayerNorm,
  LeakyReLU,
  Linear,
  MaxPool2d,
  AvgPool2d,
  ReLU,
  Upsample,
  init,
} from '@tensorgrad/layers';

type Bad = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const C = L as unknown as Record<string, new (...args: Any[]) => unknown>;

// Every export of @tensorgrad/layers that is a class or function, with a minimal valid call that
// ends with the options object `o`. An export missing here fails the test below, so a new
// constructor or function cannot skip the unknown-key check.
const CALLS: Record<string, (o: Bad) => unknown> = {
  Parameter: (o) => new C.Parameter!(zeros([1]), o),
  Module: (o) => new C.Module!(o),
  Sequential: (o) => new C.Sequential!(new ReLU(), o),
  ModuleList: (o) => new C.ModuleList!(o),
  ModuleDict: (o) => new C.ModuleDict!(o),
  summary: (o) => L.summary(new Linear(2, 2), [1, 2], o as Any),
  Linear: (o) => new C.Linear!(2, 2, o),
  Conv2d: (o) => new C.Conv2d!(1, 1, 3, o),
  ConvTranspose2d: (o) => new C.ConvTranspose2d!(1, 1, 3, o),
  MaxPool2d: (o) => new C.MaxPool2d!(2, o),
  MaxUnpool2d: (o) => new C.MaxUnpool2d!(2, o),
  AvgPool2d: (o) => new C.AvgPool2d!(2, o),
  AdaptiveAvgPool2d: (o) => new C.AdaptiveAvgPool2d!({ outputSize: 1, ...o }),
  BatchNorm1d: (o) => new C.BatchNorm1d!(2, o),
  BatchNorm2d: (o) => new C.BatchNorm2d!(2, o),
  LayerNorm: (o) => new C.LayerNorm!(2, o),
  ReLU: (o) => new C.ReLU!(o),
  LeakyReLU: (o) => new C.LeakyReLU!(o),
  Sigmoid: (o) => new C.Sigmoid!(o),
  Tanh: (o) => new C.Tanh!(o),
  GELU: (o) => new C.GELU!(o),
  Softmax: (o) => new C.Softmax!({ dim: 1, ...o }),
  LogSoftmax: (o) => new C.LogSoftmax!({ dim: 1, ...o }),
  Dropout: (o) => new C.Dropout!(o),
  Flatten: (o) => new C.Flatten!(o),
  Identity: (o) => new C.Identity!(o),
  Upsample: (o) => new C.Upsample!({ scaleFactor: 2, ...o }),
  Embedding: (o) => new C.Embedding!(3, 2, o),
  // vision layers
  InstanceNorm2d: (o) => new C.InstanceNorm2d!(2, o),
  GroupNorm: (o) => new C.GroupNorm!(2, 4, o),
  ReflectionPad2d: (o) => new C.ReflectionPad2d!({ padding: 1, ...o }),
  ReplicationPad2d: (o) => new C.ReplicationPad2d!({ padding: 1, ...o }),
  ZeroPad2d: (o) => new C.ZeroPad2d!({ padding: 1, ...o }),
  ConstantPad2d: (o) => new C.ConstantPad2d!({ padding: 1, value: 0, ...o }),
  PixelShuffle: (o) => new C.PixelShuffle!({ upscaleFactor: 2, ...o }),
  PixelUnshuffle: (o) => new C.PixelUnshuffle!({ downscaleFactor: 2, ...o }),
  Dropout2d: (o) => new C.Dropout2d!(o),
  // chapter 13 (SRGAN)
  PReLU: (o) => new C.PReLU!(o),
  'init.calculateGain': (o) => init.calculateGain('relu', o as Any),
  'init.calculateFanInAndFanOut': (o) => (init.calculateFanInAndFanOut as Any)(zeros([2, 2]), o),
  'init.uniform_': (o) => init.uniform_(zeros([2]), o),
  'init.normal_': (o) => init.normal_(zeros([2]), o),
  'init.constant_': (o) => init.constant_(zeros([2]), { val: 1, ...o }),
  'init.zeros_': (o) => (init.zeros_ as Any)(zeros([2]), o),
  'init.ones_': (o) => (init.ones_ as Any)(zeros([2]), o),
  'init.kaimingUniform_': (o) => init.kaimingUniform_(zeros([2, 2]), o),
  'init.kaimingNormal_': (o) => init.kaimingNormal_(zeros([2, 2]), o),
  'init.xavierUniform_': (o) => init.xavierUniform_(zeros([2, 2]), o),
  'init.xavierNormal_': (o) => init.xavierNormal_(zeros([2, 2]), o),
};

function exported(): string[] {
  const names: string[] = [];
  for (const [k, v] of Object.entries(L)) {
    if (typeof v === 'function') names.push(k);
    else if (k === 'init') for (const [f, g] of Object.entries(v as object)) if (typeof g === 'function') names.push(`init.${f}`);
  }
  return names.sort();
}

describe('every constructor and function of @tensorgrad/layers refuses an unknown option key', () => {
  it('the table lists every exported class and function', () => {
    expect(exported().filter((n) => !(n in CALLS))).toEqual([]);
    expect(Object.keys(CALLS).filter((n) => !exported().includes(n))).toEqual([]);
  });
  for (const name of Object.keys(CALLS)) {
    it(name, () => {
      expect(() => CALLS[name]!({})).not.toThrow();
      expect(() => CALLS[name]!({ bogus_key: 1 })).toThrow(TypeError);
      expect(() => CALLS[name]!({ bogus_key: 1 })).toThrow(/bogus_key/);
    });
  }
});

describe("PyTorch's positional forms (silently wrong before)", () => {
  it('new Conv2d(1, 3, 3, 2, 1) is stride 2, padding 1', () => {
    const conv = new Conv2d(1, 3, 3, 2, 1);
    expect(conv.options).toEqual({ stride: 2, padding: 1 });
    expect(conv.call(zeros([1, 1, 8, 8])).shape).toEqual([1, 3, 4, 4]);
    const all = new Conv2d(4, 4, 3, 1, 2, 2, 2, false);
    expect(all.options).toEqual({ stride: 1, padding: 2, dilation: 2, groups: 2 });
    expect(all.weight.shape).toEqual([4, 2, 3, 3]);
    expect(all.bias).toBeNull();
  });
  it('new Conv2d(1, 1, { kernelSize: 3 }) takes kernelSize by name', () => {
    const conv = new Conv2d(1, 1, { kernelSize: 3 });
    expect(conv.weight.shape).toEqual([1, 1, 3, 3]);
    expect(new Conv2d({ inChannels: 2, outChannels: 4, kernelSize: [1, 2] }).weight.shape).toEqual([4, 2, 1, 2]);
  });
  it('new MaxPool2d(3, 1) is stride 1 (6×6 on 8×8)', () => {
    expect(new MaxPool2d(3, 1).call(zeros([1, 1, 8, 8])).shape).toEqual([1, 1, 6, 6]);
    expect(new MaxPool2d(3, 1, 1).call(zeros([1, 1, 8, 8])).shape).toEqual([1, 1, 8, 8]);
    expect(new MaxPool2d(2, null, 0, 1, false, true).call(zeros([1, 1, 7, 7])).shape).toEqual([1, 1, 4, 4]);
    expect(new AvgPool2d(3, 1).call(zeros([1, 1, 8, 8])).shape).toEqual([1, 1, 6, 6]);
  });
  it('new LeakyReLU(0.2) uses slope 0.2', async () => {
    const act = new LeakyReLU(0.2);
    expect(act.negativeSlope).toBe(0.2);
    expect(await act.call(tensor([-5, 5])).array()).toEqual([-1, 5]);
  });
  it('new Linear(2, 2, false) has no bias', () => {
    expect(new Linear(2, 2, false).bias).toBeNull();
    expect(new Linear(2, 2, true).bias).not.toBeNull();
  });
  it('new BatchNorm2d(3, 1e-3) uses eps 1e-3; momentum, affine, trackRunningStats follow', () => {
    expect(new BatchNorm2d(3, 1e-3).eps).toBe(1e-3);
    const bn = new BatchNorm1d(3, 1e-3, 0.5, false, false);
    expect([bn.eps, bn.momentum, bn.affine, bn.trackRunningStats, bn.weight, bn.running_mean]).toEqual([1e-3, 0.5, false, false, null, null]);
  });
  it('the other layers take their PyTorch positions', () => {
    expect(new Dropout(0.3).p).toBe(0.3);
    expect(new Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new GELU('tanh').approximate).toBe('tanh');
    expect(new LayerNorm([2, 3], 1e-3, false).weight).toBeNull();
    expect(new Embedding(5, 2, 1).paddingIdx).toBe(1);
    expect(new Upsample(null, 2).call(zeros([1, 1, 2, 2])).shape).toEqual([1, 1, 4, 4]);
    const up = new ConvTranspose2d(2, 2, 3, 2, 1, 1);
    expect(up.options).toEqual({ stride: 2, padding: 1, outputPadding: 1 });
    expect(up.call(zeros([1, 2, 4, 4])).shape).toEqual([1, 2, 8, 8]);
    const w = init.uniform_(zeros([50]), 2, 3);
    expect((w.arraySync() as number[]).every((v) => v >= 2 && v < 3)).toBe(true);
  });
});

describe('refused instead of silently ignored', () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  it('an unknown key names the nearest valid spelling', () => {
    expect(message(() => new Conv2d(1, 1, 3, { padding_mode: 'zeros' } as Any))).toMatch(/unknown option 'padding_mode'; did you mean 'paddingMode'\?/);
    expect(message(() => new Linear(2, 2, { Bias: false } as Any))).toMatch(/did you mean 'bias'/);
    expect(message(() => new LeakyReLU({ negative_slope: 0.2 } as Any))).toMatch(/did you mean 'negativeSlope'/);
    expect(message(() => new MaxPool2d(2, { strides: 1 } as Any))).toMatch(/did you mean 'stride'/);
  });
  it('a positional argument too many', () => {
    expect(message(() => new (Linear as Any)(2, 2, true, null, 'float32', 7))).toMatch(/new Linear: takes at most 5 positional arguments/);
    expect(message(() => new (ReLU as Any)(false, 3))).toMatch(/new ReLU: takes at most 1 positional argument/);
  });
  it('an argument given twice, and a missing one', () => {
    expect(message(() => new (Conv2d as Any)(1, 1, 3, 2, { stride: 2 }))).toMatch(/got stride twice/);
    expect(message(() => new (Conv2d as Any)(1, 1))).toMatch(/missing required argument kernelSize/);
  });
  it("PyTorch arguments tensorgrad does not implement are refused unless at their default", () => {
    expect(message(() => new ConvTranspose2d(1, 1, 3, { paddingMode: 'reflect' } as Any))).toMatch(/paddingMode = 'reflect' is not supported/);
    expect(message(() => new Conv2d(1, 1, 3, { paddingMode: 'wrap' as Any }))).toMatch(/paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got "wrap"/);
    expect(() => new Conv2d(1, 1, 3, 1, 0, 1, 1, true, 'zeros')).not.toThrow();
    expect(message(() => new ReLU(true as Any))).toMatch(/inplace = true is not supported/);
    expect(message(() => new Dropout(0.5, true as Any))).toMatch(/inplace = true is not supported/);
    expect(message(() => new LeakyReLU(0.1, true as Any))).toMatch(/inplace = true is not supported/);
    expect(message(() => new Linear(2, 2, { device: 'cuda' }))).toMatch(/device = 'cuda' is not supported/);
    expect(() => new Linear(2, 2, { device: 'cpu' })).not.toThrow();
    expect(message(() => new MaxPool2d(2, { returnIndices: 1 as Any }))).toMatch(/expected returnIndices to be a boolean, got 1/);
    expect(message(() => new Embedding(3, 2, { sparse: true as Any }))).toMatch(/sparse = true is not supported/);
    expect(message(() => new Upsample({ scaleFactor: 2, recomputeScaleFactor: true as Any }))).toMatch(/recomputeScaleFactor = true is not supported/);
  });
  it('a subclass without a constructor of its own refuses arguments', () => {
    class Net extends L.Module {
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(message(() => new (Net as Any)(5))).toMatch(/new Net: takes at most 0 positional arguments/);
    expect(message(() => new (L.Sequential as Any)(new ReLU(), 3))).toMatch(/Sequential: expected a Module as argument 1/);
  });
});
