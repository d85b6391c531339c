// PReLU / prelu against PyTorch 1.13 (fixtures/generated/prelu.json, written by
// scripts/fixtures/generate.sh prelu): output and gradients wrt the input and the slopes, one slope
// and one per channel, 0-d to 4-D inputs with exact zeros, float32 and float64; and the errors.
import { describe, expect, it } from 'vitest';
import { getBackend, prelu, tensor, zeros } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { assertClose, goldenData, goldenToTensor, loadGenerated, toleranceFor, type LayersVisionCase } from '@tensorgrad/conformance';
import { PReLU } from '@tensorgrad/layers';

const file = loadGenerated<LayersVisionCase>('prelu');

describe('PReLU matches nn.PReLU (prelu.json)', () => {
  it('holds single-slope and per-channel cases with zeros in the input', () => {
    expect(file.cases.length).toBe(14);
    for (const c of file.cases) expect(goldenData(c.inputs![0]!).some((v) => v === 0), c.id).toBe(true);
  });
  for (const c of file.cases) {
    it(c.id, async () => {
      const tol = toleranceFor(c.dtype);
      const layer = new PReLU({ numParameters: c.attrs.numParameters as number, init: c.attrs.init as number, dtype: c.dtype });
      expect(layer.weight.shape).toEqual([c.attrs.numParameters]);
      expect(layer.weight.arraySync()).toEqual(new Array(c.attrs.numParameters as number).fill(0.25));
      const result = layer.loadStateDict({ weight: goldenToTensor(c.params!.weight!, getBackend()) });
      expect(result.missingKeys).toEqual([]);
      const x = goldenToTensor(c.inputs![0]!, getBackend()).requiresGrad_();
      const y = layer.call(x);
      await assertClose(y, c.output!, tol, `${c.id} output`);
      y.backward(goldenToTensor(c.gradOutput!, getBackend()));
      await assertClose(x.grad!, c.grads![0]!, tol, `${c.id} input grad`);
      await assertClose(layer.weight.grad!, c.paramGrads!.weight!, toleranceFor(c.dtype, 'reduction'), `${c.id} weight grad`);
    });
  }
});

describe('prelu and PReLU refuse what PyTorch refuses, saying how to fix it', () => {
  it('a slope count that is neither 1 nor the channels', () => {
    expect(() => prelu(zeros([2, 4]), tensor([0.1, 0.2, 0.3]))).toThrow(/prelu: expected weight with 1 element or one per channel \(dim 1 of input \[2, 4\]: 4\), got 3; build PReLU with numParameters: 4 or 1/);
    // PyTorch 1.13: a 0-d or 1-D input has one channel ("Found parameter numbers = 3 and channel size = 1"; 0-d: "Not allow zero-dim input tensor")
    expect(() => new PReLU(3).call(zeros([5]))).toThrow(/prelu: expected weight with 1 element for a 1-d input \[5\] \(it has no channel dim.*\), got 3; build PReLU with numParameters: 1, or pass the input as \[N, C, …\] with its 3 channels in dim 1/);
    expect(() => prelu(zeros([]), tensor([0.1, 0.2]))).toThrow(/1 element for a 0-d input \[\].*got 2/);
  });
  it('a 2-D weight, an integer input, mixed dtypes', () => {
    expect(() => prelu(zeros([2, 3]), zeros([1, 3]))).toThrow(/expected weight to be 0-d or 1-D .*got shape \[1, 3\]/);
    expect(() => prelu(zeros([2], { dtype: 'int32' }), tensor([0.25]))).toThrow(/expected a floating-point input, got int32/);
    expect(() => prelu(zeros([2, 3]), tensor([0.1, 0.2, 0.3], { dtype: 'float64' }))).toThrow(/expected weight of the input's dtype float32, got float64/);
  });
  it('bad constructor arguments', () => {
    expect(() => new PReLU(0)).toThrow(/PReLU: expected numParameters to be a positive integer, got 0/);
    expect(() => new PReLU({ num_parameters: 3 } as never)).toThrow(/did you mean 'numParameters'/);
    expect(() => new PReLU(1, 'a' as never)).toThrow(/PReLU: expected init to be a number, got 'a'/);
  });
  it('a 0-d weight is one slope and keeps a 0-d input 0-d', async () => {
    const y = prelu(tensor(-2), tensor(0.5));
    expect(y.shape).toEqual([]);
    expect(y.arraySync()).toBe(-1);
  });
});
