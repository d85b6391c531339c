import { describe, expect, it } from 'vitest';
import { memory, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import * as L from '@tensorgrad/layers';
import { compare, fromFixture, loadFixture, type FixtureTensor } from './helpers.js';

interface LayerCase {
  id: string;
  op: string;
  dtype: 'float32' | 'float64';
  inputs: FixtureTensor[];
  attrs: Record<string, unknown>;
  params: Record<string, FixtureTensor>;
  train: boolean;
  output: FixtureTensor;
  gradOutput?: FixtureTensor;
  grads?: (FixtureTensor | null)[];
  paramGrads?: Record<string, FixtureTensor>;
  paramsAfter?: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: LayerCase[] }>('layers.json');

/** Builds the layer of a case with the calling convention: required args positional, the rest in options. */
function build(op: string, attrs: Record<string, unknown>): L.AnyModule {
  const a = { ...attrs };
  const take = <T>(k: string): T => {
    const v = a[k] as T;
    delete a[k];
    return v;
  };
  switch (op) {
    case 'Linear':
      return new L.Linear(take('inFeatures'), take('outFeatures'), a);
    case 'Conv2d':
      return new L.Conv2d(take('inChannels'), take('outChannels'), take('kernelSize'), a);
    case 'ConvTranspose2d':
      return new L.ConvTranspose2d(take('inChannels'), take('outChannels'), take('kernelSize'), a);
    case 'BatchNorm1d':
      return new L.BatchNorm1d(take('numFeatures'), a);
    case 'BatchNorm2d':
      return new L.BatchNorm2d(take('numFeatures'), a);
    case 'LayerNorm':
      return new L.LayerNorm(take('normalizedShape'), a);
    case 'Embedding':
      return new L.Embedding(take('numEmbeddings'), take('embeddingDim'), a);
    case 'MaxPool2d':
      return new L.MaxPool2d(take('kernelSize'), a);
    case 'AvgPool2d':
      return new L.AvgPool2d(take('kernelSize'), a);
    case 'AdaptiveAvgPool2d':
      return new L.AdaptiveAvgPool2d(take('outputSize'));
    case 'Flatten':
      return new L.Flatten(a);
    case 'Upsample':
      return new L.Upsample(a);
    case 'ReLU':
      return new L.ReLU();
    case 'LeakyReLU':
      return new L.LeakyReLU(a);
    case 'Sigmoid':
      return new L.Sigmoid();
    case 'Tanh':
      return new L.Tanh();
    case 'GELU':
      return new L.GELU(a);
    case 'Softmax':
      return new L.Softmax(take('dim'));
    case 'LogSoftmax':
      return new L.LogSoftmax(take('dim'));
    case 'Identity':
      return new L.Identity();
    case 'Dropout':
      return new L.Dropout(a);
    default:
      throw new Error(`no builder for ${op}`);
  }
}

describe('layers.json golden fixtures', () => {
  it('has cases', () => expect(cases.length).toBe(96));
  for (const c of cases) {
    it(c.id, () => {
      const [rtol, atol] = c.dtype === 'float64' ? [1e-10, 1e-10] : [1e-4, 1e-5];
      const before = memory().numTensors;
      const model = build(c.op, c.attrs);
      if (c.dtype === 'float64') model.to('float64');
      const problems: string[] = [];
      tidy(() => {
        const sd = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, fromFixture(v)]));
        expect(model.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
        model.train(c.train);
        const x = fromFixture(c.inputs[0]!);
        const differentiable = x.dtype === 'float32' || x.dtype === 'float64';
        if (differentiable) x.requiresGrad_();
        const y = model.call(x) as Tensor;
        const check = (name: string, t: Tensor | null, e: FixtureTensor): void => {
          if (!t) {
            problems.push(`${name}: missing`);
            return;
          }
          const p = compare(t, e, rtol, atol);
          if (p) problems.push(`${name}: ${p}`);
        };
        check('output', y, c.output);
        if (c.gradOutput) {
          y.backward(fromFixture(c.gradOutput));
          const g0 = c.grads?.[0];
          if (g0) check('input grad', x.grad, g0);
          const named = new Map(model.namedParameters());
          for (const [k, e] of Object.entries(c.paramGrads ?? {})) check(`grad of ${k}`, named.get(k)?.grad ?? null, e);
        }
        if (c.paramsAfter) {
          const after = model.stateDict();
          for (const [k, e] of Object.entries(c.paramsAfter)) check(`after ${k}`, after[k] ?? null, e);
        }
      });
      model.dispose();
      expect(problems).toEqual([]);
      expect(memory().numTensors).toBe(before);
    });
  }
});
