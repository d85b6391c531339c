import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, zeros, Generator } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as D from '@tensorgrad/data';
import { DataLoader, TensorDataset, randomSplit, encodeIdx } from '@tensorgrad/data';

type Bad = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const X = D as unknown as Record<string, Any>;
const ds = () => new TensorDataset(tensor([1, 2, 3, 4]));
const images = () => zeros([2, 2, 2], { dtype: 'int32' });
const labels = () => tensor([0, 1], { dtype: 'int32' });
const idxFile = join(mkdtempSync(join(tmpdir(), 'sig-')), 'x-idx1-ubyte');
writeFileSync(idxFile, encodeIdx(new Uint8Array([1, 2]), [2]));

class Numbers extends D.Dataset<number> {
  get length(): number {
    return 3;
  }
  get(i: number): number {
    return i;
  }
}

// Every class and function @tensorgrad/data exports (and the static loaders), with a minimal
// valid call ending with the options object `o`; `valid: false` marks calls that would read the
// data set from disk, checked for the refusal only. An export missing here fails the first test.
const CALLS: Record<string, { call: (o: Bad) => unknown; valid?: false }> = {
  Dataset: { call: (o) => new (Numbers as Any)(o) },
  TensorDataset: { call: (o) => new X.TensorDataset(tensor([1, 2]), o) },
  Subset: { call: (o) => new X.Subset(ds(), [0, 1], o) },
  DataLoader: { call: (o) => new X.DataLoader(ds(), o) },
  randomSplit: { call: (o) => X.randomSplit(ds(), [2, 2], o) },
  defaultCollate: { call: (o) => X.defaultCollate([1, 2], o) },
  epochPermutation: { call: (o) => X.epochPermutation(4, 1n, 0, o) },
  checkIndex: { call: (o) => X.checkIndex('ds', 0, 2, o) },
  checkDataset: { call: (o) => X.checkDataset('op', ds(), o) },
  parseIdx: { call: (o) => X.parseIdx(encodeIdx(new Uint8Array([1]), [1]), o) },
  encodeIdx: { call: (o) => X.encodeIdx(new Uint8Array([1]), [1], o) },
  readIdxFile: { call: (o) => X.readIdxFile(idxFile, o) },
  MNIST: { call: (o) => new X.MNIST(images(), labels(), o) },
  FashionMNIST: { call: (o) => new X.FashionMNIST(images(), labels(), o) },
  'MNIST.load': { call: (o) => X.MNIST.load({ root: '/nonexistent', ...o }), valid: false },
  'FashionMNIST.load': { call: (o) => X.FashionMNIST.load({ root: '/nonexistent', ...o }), valid: false },
};

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('every constructor and function of @tensorgrad/data refuses an unknown option key', () => {
  const exported = Object.entries(D)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort();
  it('the table lists every exported class and function', () => {
    expect(exported.filter((n) => !(n in CALLS))).toEqual([]);
    expect(Object.keys(CALLS).filter((n) => !exported.includes(n) && !n.endsWith('.load'))).toEqual([]);
  });
  for (const [name, { call, valid }] of Object.entries(CALLS)) {
    it(name, async () => {
      if (valid !== false) await expect((async () => call({}))()).resolves.not.toThrow();
      await expect((async () => call({ bogus_key: 1 }))()).rejects.toThrow(TypeError);
      await expect((async () => call({ bogus_key: 1 }))()).rejects.toThrow(/bogus_key/);
    });
  }
});

describe("PyTorch's DataLoader forms", () => {
  it('batch_size is refused with its camelCase spelling (it silently gave batches of 1)', () => {
    expect(message(() => new DataLoader(ds(), { batch_size: 2 } as Any))).toMatch(/new DataLoader: unknown option 'batch_size'; did you mean 'batchSize'\?/);
    expect(message(() => new DataLoader(ds(), { drop_last: true } as Any))).toMatch(/did you mean 'dropLast'/);
  });
  it('binds positionally in PyTorch order, with a plain-object dataset too', () => {
    const loader = new DataLoader(ds(), 2, false, null, null, 0, null, false, true);
    expect([loader.batchSize, loader.shuffle, loader.dropLast, loader.length]).toEqual([2, false, true, 2]);
    expect(new DataLoader(ds(), 3).batchIndices()).toEqual([[0, 1, 2], [3]]);
    const plain = { length: 3, get: (i: number) => i };
    expect(new DataLoader(plain, 2).batchIndices()).toEqual([[0, 1], [2]]);
    expect(new DataLoader({ dataset: plain, batchSize: 3 } as Any).batchIndices()).toEqual([[0, 1, 2]]);
    const g = new Generator(3);
    expect(new DataLoader(ds(), 4, true, null, null, 0, null, false, false, 0, null, null, g).generator).toBe(g);
    expect(randomSplit(plain, [1, 2], new Generator(0)).map((s) => s.length)).toEqual([1, 2]);
  });
  it('seed and epoch (tensorgrad extensions) are keyword-only', () => {
    expect(new DataLoader(ds(), 2, { seed: 1, shuffle: true }).shuffleSeed).toBeTypeOf('bigint');
    expect(message(() => new (DataLoader as Any)(ds(), 1, false, null, null, 0, null, false, false, 0, null, null, null, 2))).toMatch(
      /takes at most 13 positional arguments/,
    );
  });
  it('worker and sampler arguments are accepted at their defaults and refused otherwise', () => {
    expect(() => new DataLoader(ds(), { numWorkers: 0, pinMemory: false, sampler: null, prefetchFactor: 2, persistentWorkers: false })).not.toThrow();
    expect(message(() => new DataLoader(ds(), { numWorkers: 4 as Any }))).toMatch(/DataLoader: numWorkers = 4 is not supported/);
    expect(message(() => new DataLoader(ds(), { pinMemory: true as Any }))).toMatch(/pinMemory = true is not supported/);
    expect(message(() => new DataLoader(ds(), { sampler: [0, 1] as Any }))).toMatch(/sampler = \[0,1\] is not supported/);
  });
});
