// Layer initialisation against PyTorch 1.13, bit for bit: after manualSeed(seed), creating the
// layers of a random.json case (conformance's fixtures/generated, written with PyTorch by
// scripts/fixtures/generate.sh) gives PyTorch's parameters, and the book's chapter 2 network
// (seed 10: Linear(2, 8), ReLU, Linear(8, 1)) starts from book.json's initialState.
import { describe, expect, it } from 'vitest';
import { goldenData, loadGenerated, loadGolden, type GoldenTensor, type RandomStreamCase } from '@tensorgrad/conformance';
import { manualSeed, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { Conv2d, Embedding, Linear, Module, ReLU, type AnyModule } from '@tensorgrad/layers';

const random = loadGenerated<RandomStreamCase>('random');

/** Named parameters of layers created in order, prefixed `0.`, `1.`, … when there are several. */
function params(...layers: AnyModule[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  layers.forEach((m, i) => {
    for (const [name, p] of m.namedParameters()) out[layers.length > 1 ? `${i}.${name}` : name] = p;
  });
  return out;
}

/** How tensorgrad builds each layer case of random.json, in the order of its PyTorch `code`. */
const RUNNERS: Record<string, () => Record<string, Tensor>> = {
  'Linear/seed0/3-2': () => {
    const l = new Linear(3, 2);
    return { '0.weight': l.weight, '0.bias': l.bias! };
  },
  'Linear/seed10/2-8-1': () => params(new Linear(2, 8), new Linear(8, 1)),
  'Conv2d/seed0/1-2-3': () => params(new Conv2d(1, 2, 3)),
  'Embedding/seed0/10-4': () => params(new Embedding(10, 4)),
};

function expectSame(got: Tensor | undefined, want: GoldenTensor, what: string): void {
  expect(got, what).toBeDefined();
  expect(got!.shape, `${what} shape`).toEqual(want.shape);
  const g = Array.from(got!.dataSync() as Float32Array);
  const w = Array.from(goldenData(want) as Float32Array);
  const i = g.findIndex((v, k) => !Object.is(v, w[k]));
  expect(i === -1 ? 'all equal' : `element ${i}: got ${g[i]}, PyTorch ${w[i]}`, what).toBe('all equal');
}

describe('default initialisation is PyTorch’s (random.json)', () => {
  it('has a runner for every layer case', () => {
    const layerCases = random.cases.filter((c) => /^[A-Z]/.test(c.id)).map((c) => c.id);
    expect(layerCases.filter((id) => !(id in RUNNERS))).toEqual([]);
  });

  for (const c of random.cases.filter((k) => k.id in RUNNERS)) {
    it(`${c.id}: ${c.code}`, () => {
      manualSeed(c.seed);
      const got = RUNNERS[c.id]!();
      expect(Object.keys(got).sort()).toEqual(Object.keys(c.values).sort());
      for (const [name, want] of Object.entries(c.values)) expectSame(got[name], want, `${c.id} ${name}`);
    });
  }
});

describe("the book's chapter 2 network (book.json ch2/intermediate-layer-seed10)", () => {
  it("manualSeed(10); Linear(2, 8), ReLU, Linear(8, 1) starts from PyTorch's initialState", () => {
    const book = loadGolden<{ id: string; torchManualSeed: string; initialState: Record<string, GoldenTensor> }>('book.json').cases.find(
      (c) => c.id === 'ch2/intermediate-layer-seed10',
    );
    expect(book, 'book.json case ch2/intermediate-layer-seed10').toBeDefined();
    manualSeed(Number(book!.torchManualSeed));
    // the book's MyNeuralNet: its three submodules are created in this order
    const model = new Module();
    model.registerModule('input_to_hidden_layer', new Linear(2, 8));
    model.registerModule('hidden_layer_activation', new ReLU());
    model.registerModule('hidden_to_output_layer', new Linear(8, 1));
    const got = Object.fromEntries(model.namedParameters());
    expect(Object.keys(got).sort()).toEqual(Object.keys(book!.initialState).sort());
    for (const [name, want] of Object.entries(book!.initialState)) expectSame(got[name], want, name);
  });
});
