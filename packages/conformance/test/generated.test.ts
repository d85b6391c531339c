// The fixtures written by scripts/fixtures/generate.sh load through loadGenerated and have the
// structure their generator module documents. The values are PyTorch's; matching them is the
// job of the tests of whatever implements the feature (here: tensorgrad's random generator).
import { describe, expect, it } from 'vitest';
import { goldenData, loadGenerated, loadGolden, type GoldenTensor, type RandomStreamCase, type TransformCase } from '@tensorgrad/conformance';

const DTYPES = ['float32', 'float64', 'int32', 'bool'];

function expectWellFormed(t: GoldenTensor, what: string): void {
  expect(DTYPES, `${what} dtype`).toContain(t.dtype);
  expect(t.shape.every((d) => Number.isInteger(d) && d >= 0), `${what} shape`).toBe(true);
  expect(t.data.length, `${what}: data length = product of the shape`).toBe(t.shape.reduce((a, d) => a * d, 1));
}

describe('random.json (PyTorch CPU random streams)', () => {
  const file = loadGenerated<RandomStreamCase>('random.json');
  const byId = new Map(file.cases.map((c) => [c.id, c]));
  const out = (id: string, name = 'out'): GoldenTensor => {
    const c = byId.get(id);
    if (!c) throw new Error(`random.json has no case '${id}'`);
    const t = c.values[name];
    if (!t) throw new Error(`random.json ${id} has no value '${name}' (has ${Object.keys(c.values).join(', ')})`);
    return t;
  };

  it('records the generator and its versions', () => {
    expect(file.generator).toMatch(/^tensorgrad scripts\/fixtures \(tgfixtures\.random_streams\); PyTorch .*1\.13\.1.* CPU, torchvision .*numpy .*single-threaded$/);
    expect(file.description.length).toBeGreaterThan(0);
  });

  it('has unique ids and well-formed cases', () => {
    expect(byId.size).toBe(file.cases.length);
    for (const c of file.cases) {
      expect(c.code.startsWith(`torch.manual_seed(${c.seed}); `), c.id).toBe(true);
      expect(Object.keys(c.values).length, c.id).toBeGreaterThan(0);
      for (const [name, t] of Object.entries(c.values)) expectWellFormed(t, `${c.id} ${name}`);
    }
  });

  it('holds the streams the issue asks for, with their shapes and dtypes', () => {
    const shapeDtype = (t: GoldenTensor): [number[], string] => [t.shape, t.dtype];
    expect(shapeDtype(out('rand/seed0/5'))).toEqual([[5], 'float32']);
    expect(shapeDtype(out('rand/seed0/5/float64'))).toEqual([[5], 'float64']);
    expect(shapeDtype(out('randn/seed0/20'))).toEqual([[20], 'float32']);
    expect(shapeDtype(out('randn/seed0/16'))).toEqual([[16], 'float32']);
    expect(shapeDtype(out('randn/seed0/17'))).toEqual([[17], 'float32']);
    expect(shapeDtype(out('randint/seed0/0-10/6'))).toEqual([[6], 'int32']);
    expect(shapeDtype(out('randperm/seed0/6'))).toEqual([[6], 'int32']);
    expect(shapeDtype(out('rand-then-randn/seed0/3', 'a'))).toEqual([[3], 'float32']);
    expect(shapeDtype(out('rand-then-randn/seed0/3', 'b'))).toEqual([[3], 'float32']);
    expect(shapeDtype(out('normal_/seed0/5'))).toEqual([[5], 'float32']);
    expect(shapeDtype(out('uniform_/seed0/5'))).toEqual([[5], 'float32']);
    expect(shapeDtype(out('Linear/seed0/3-2', '0.weight'))).toEqual([[2, 3], 'float32']);
    expect(shapeDtype(out('Linear/seed0/3-2', '0.bias'))).toEqual([[2], 'float32']);
    expect(Object.keys(byId.get('Linear/seed10/2-8-1')!.values)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('has values in the ranges of their distributions', () => {
    for (const id of ['rand/seed0/5', 'rand/seed0/5/float64', 'rand/seed42/5']) {
      for (const v of goldenData(out(id))) expect(v >= 0 && v < 1, `${id} ${v}`).toBe(true);
    }
    // float32 values are exact float32s, as the tensor format promises
    for (const v of out('randn/seed0/20').data) expect(Math.fround(v as number)).toBe(v);
    for (const v of goldenData(out('uniform_/seed0/5'))) expect(v >= -1 && v < 1).toBe(true);
    for (const v of goldenData(out('randint/seed0/0-10/6'))) expect(Number.isInteger(v) && v >= 0 && v < 10).toBe(true);
    expect([...goldenData(out('randperm/seed0/6'))].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Linear init: kaiming_uniform_(a=√5) gives a bound of 1/√fan_in for the weight, as for the bias
    for (const name of ['0.weight', '0.bias']) for (const v of goldenData(out('Linear/seed0/3-2', name))) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(3));
  });

  it("Linear(2,8), Linear(8,1) after manual_seed(10) is book.json's initialState (two PyTorch runs agree)", () => {
    const book = loadGolden<{ id: string; initialState?: Record<string, GoldenTensor> }>('book.json').cases.find((c) => c.id === 'ch2/intermediate-layer-seed10')!;
    const v = byId.get('Linear/seed10/2-8-1')!.values;
    expect(v['0.weight']).toEqual(book.initialState!['input_to_hidden_layer.weight']);
    expect(v['0.bias']).toEqual(book.initialState!['input_to_hidden_layer.bias']);
    expect(v['1.weight']).toEqual(book.initialState!['hidden_to_output_layer.weight']);
    expect(v['1.bias']).toEqual(book.initialState!['hidden_to_output_layer.bias']);
  });

  it('a missing generated file fails with how to make it', () => {
    expect(() => loadGenerated('no-such-file')).toThrow(/cannot read fixture 'no-such-file.json'.*expected a file written by `bash scripts\/fixtures\/generate.sh`/);
  });
});

// vision transforms (torchvision.transforms): transforms.json's structure
describe('transforms.json (torchvision 0.14.1 tensor transforms)', () => {
  const file = loadGenerated<TransformCase>('transforms');

  it('records the generator and its versions', () => {
    expect(file.generator).toMatch(/^tensorgrad scripts\/fixtures \(tgfixtures\.transforms\); PyTorch .*1\.13\.1.* CPU, torchvision .*0\.14\.1.*single-threaded$/);
  });

  it('has named input images, then functional and seeded class cases on them', () => {
    const images = new Set(file.cases.filter((c) => c.image).map((c) => c.id.slice('image/'.length)));
    expect([...images]).toEqual(['img', 'tall', 'batch', 'big', 'gray']);
    expect(new Set(file.cases.map((c) => c.id)).size).toBe(file.cases.length);
    for (const c of file.cases) {
      if (c.image) {
        expectWellFormed(c.image, c.id);
        for (const v of goldenData(c.image)) expect(v >= 0 && v < 1).toBe(true);
        continue;
      }
      expect(images.has(c.input!), `${c.id} input`).toBe(true);
      expect((c.fn === undefined) !== (c.cls === undefined), `${c.id}: fn or cls`).toBe(true);
      if (c.cls) expect(Number.isInteger(c.seed), `${c.id} seed`).toBe(true);
      expectWellFormed(c.output!, `${c.id} output`);
    }
    const fns = new Set(file.cases.map((c) => c.fn).filter(Boolean));
    for (const f of ['resize', 'crop', 'centerCrop', 'resizedCrop', 'hflip', 'vflip', 'pad', 'rotate', 'affine', 'adjustBrightness', 'adjustContrast', 'adjustSaturation', 'adjustHue', 'rgbToGrayscale']) {
      expect(fns.has(f), f).toBe(true);
    }
  });
});
