// summary(model, inputSize | tensor): torchsummary's table, numbers and sizes, without side effects.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memory, randn, zeros, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import {
  AdaptiveAvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  summary,
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

// torchsummary's output for the book's chapter 4 CNN, summary(model, (1, 28, 28)), with `--` for
// layers without parameters
const BOOK_CNN = `----------------------------------------------------------------
        Layer (type)               Output Shape         Param #
================================================================
            Conv2d-1           [-1, 64, 26, 26]             640
         MaxPool2d-2           [-1, 64, 13, 13]              --
              ReLU-3           [-1, 64, 13, 13]              --
            Conv2d-4          [-1, 128, 11, 11]          73,856
         MaxPool2d-5            [-1, 128, 5, 5]              --
              ReLU-6            [-1, 128, 5, 5]              --
           Flatten-7                 [-1, 3200]              --
            Linear-8                  [-1, 256]         819,456
              ReLU-9                  [-1, 256]              --
           Linear-10                   [-1, 10]           2,570
================================================================
Total params: 896,522
Trainable params: 896,522
Non-trainable params: 0
----------------------------------------------------------------
Input size (MB): 0.00
Forward/backward pass size (MB): 0.69
Params size (MB): 3.42
Estimated Total Size (MB): 4.11
----------------------------------------------------------------`;

describe('summary', () => {
  it("prints the book's chapter 4 CNN as torchsummary does (896,522 params, sizes in MB)", () => {
    const before = memory().numTensors;
    const model = bookCnn();
    const s = summary(model, [1, 28, 28]);
    expect(s.text).toBe(BOOK_CNN);
    expect(String(s)).toBe(BOOK_CNN);
    expect(`${s}`).toBe(BOOK_CNN);
    expect(inspect(s)).toBe(BOOK_CNN);
    expect(s.totalParams).toBe(896522);
    expect(s.trainableParams).toBe(896522);
    expect(s.nonTrainableParams).toBe(0);
    expect(s.layers.map((l) => l.name)).toEqual([
      'Conv2d-1', 'MaxPool2d-2', 'ReLU-3', 'Conv2d-4', 'MaxPool2d-5', 'ReLU-6', 'Flatten-7', 'Linear-8', 'ReLU-9', 'Linear-10',
    ]);
    expect(s.layers[3]!.module).toBe(model.at(3));
    expect(s.layers.map((l) => l.params)).toEqual([640, 0, 0, 73856, 0, 0, 0, 819456, 0, 2570]);
    expect(s.inputSizeMB).toBeCloseTo((28 * 28 * 4) / 2 ** 20, 12);
    expect(s.forwardBackwardSizeMB).toBeCloseTo((2 * 90506 * 4) / 2 ** 20, 12);
    expect(s.paramsSizeMB).toBeCloseTo((896522 * 4) / 2 ** 20, 12);
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('accepts the input tensor itself, whose batch is printed as -1, and does not free it', () => {
    const model = bookCnn();
    const x = randn([5, 1, 28, 28]);
    const s = summary(model, x);
    expect(s.text).toBe(BOOK_CNN);
    expect(x.isDisposed).toBe(false);
    x.dispose();
    model.dispose();
  });

  it('leaves the model as it was: modes, BatchNorm statistics, hooks, last output shapes', () => {
    const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU());
    model.train();
    const mean = [...model.at(1).namedBuffers()[0]![1].dataSync()];
    const s = summary(model, [4]);
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['Linear-1', [-1, 3], 15],
      ['BatchNorm1d-2', [-1, 3], 6],
      ['ReLU-3', [-1, 3], 0],
    ]);
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect([...model.at(1).namedBuffers()[0]![1].dataSync()]).toEqual(mean);
    expect(model.modules().every((m) => m._forwardHooks.size === 0 && m._lastOutputShape === null)).toBe(true);
    model.dispose();
  });

  it('counts frozen parameters as non-trainable, a shared layer once in the totals, and rows per call', () => {
    const shared = new Linear(4, 4);
    class Twice extends Module {
      body = shared;
      act = new ReLU();
      override forward(x: Tensor): Tensor {
        return this.act(this.body(this.act(this.body(x))));
      }
    }
    const model = new Twice();
    shared.bias!.requiresGrad_(false);
    const s = summary(model, [4]);
    expect(s.layers.map((l) => l.name)).toEqual(['Linear-1', 'ReLU-2', 'Linear-3', 'ReLU-4']);
    expect(s.totalParams).toBe(20);
    expect(s.trainableParams).toBe(16);
    expect(s.text).toContain('Non-trainable params: 4');
    model.dispose();
  });

  it('takes several inputs as a list of shapes', () => {
    class TwoInputs extends Module<[Tensor, Tensor], Tensor> {
      a = new Linear(3, 2);
      b = new Linear(5, 2);
      override forward(x: Tensor, y: Tensor): Tensor {
        return this.a(x).add(this.b(y));
      }
    }
    const model = new TwoInputs();
    const s = summary(model, [[3], [5]]);
    expect(s.layers.map((l) => l.outputShape)).toEqual([[-1, 2], [-1, 2]]);
    expect(s.inputSizeMB).toBeCloseTo((8 * 4) / 2 ** 20, 12);
    model.dispose();
  });

  it('a VGG-like block and a hand-written ResNet-18 have the published parameter counts', () => {
    class BasicBlock extends Module {
      conv1: Conv2d;
      bn1: BatchNorm2d;
      relu = new ReLU();
      conv2: Conv2d;
      bn2: BatchNorm2d;
      downsample: Sequential | null = null;
      constructor(inC: number, outC: number, stride: number) {
        super();
        this.conv1 = new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false });
        this.bn1 = new BatchNorm2d(outC);
        this.conv2 = new Conv2d(outC, outC, 3, { padding: 1, bias: false });
        this.bn2 = new BatchNorm2d(outC);
        if (stride !== 1 || inC !== outC) this.downsample = new Sequential(new Conv2d(inC, outC, 1, { stride, bias: false }), new BatchNorm2d(outC));
      }
      override forward(x: Tensor): Tensor {
        const out = this.bn2(this.conv2(this.relu(this.bn1(this.conv1(x)))));
        return this.relu(out.add(this.downsample ? this.downsample(x) : x));
      }
    }
    const layer = (inC: number, outC: number, stride: number): Sequential => new Sequential(new BasicBlock(inC, outC, stride), new BasicBlock(outC, outC, 1));
    const resnet18 = new Sequential(
      new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }),
      new BatchNorm2d(64),
      new ReLU(),
      new MaxPool2d(3, { stride: 2, padding: 1 }),
      layer(64, 64, 1),
      layer(64, 128, 2),
      layer(128, 256, 2),
      layer(256, 512, 2),
      new AdaptiveAvgPool2d(1),
      new Flatten(),
      new Linear(512, 1000),
    );
    const s = summary(resnet18, [3, 32, 32]);
    expect(s.totalParams).toBe(11689512); // torchvision's resnet18
    expect(s.layers.at(-1)!.outputShape).toEqual([-1, 1000]);
    expect(s.layers[0]!.outputShape).toEqual([-1, 64, 16, 16]);
    resnet18.dispose();
    const vggBlock = new Sequential(new Conv2d(3, 64, 3, { padding: 1 }), new ReLU(), new Conv2d(64, 64, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
    const v = summary(vggBlock, [3, 8, 8]);
    expect(v.totalParams).toBe(1792 + 36928); // VGG-16's first block
    expect(v.text).toContain('[-1, 64, 4, 4]');
    vggBlock.dispose();
  });

  it('explains misuse: a shape with the batch, a wrong inputSize, arguments swapped', () => {
    const model = bookCnn();
    expect(() => summary(model, [1, 1, 28, 28])).toThrow(
      /summary: the forward pass of Sequential on input\(s\) of shape \[2, 1, 1, 28, 28\] failed: .*\ninputSize is the shape of one sample without the batch dimension/s,
    );
    expect(() => summary(model, 784 as never)).toThrow(/summary: expected inputSize to be the shape of one input sample without the batch dimension .*got number 784/);
    expect(() => summary(model, { shape: [1, 28, 28] } as never)).toThrow(/got an object with keys \{ shape \}/);
    expect(() => summary(model, [1, 0, 28])).toThrow(/positive integer/);
    expect(() => summary(zeros([1]) as never, model as never)).toThrow(/summary: expected a Module as the first argument, got a Tensor of shape \[1\]/);
    expect(() => summary(model, zeros([1, 28, 28]))).toThrow(/The tensor is passed to the model as it is/);
    model.dispose();
  });
});
