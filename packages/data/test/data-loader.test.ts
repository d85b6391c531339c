import { arange, Generator, manualSeed, memory, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { describe, expect, it } from 'vitest';
import { DataLoader, Dataset, defaultCollate, epochPermutation, randomSplit, Subset, TensorDataset } from '@tensorgrad/data';

function disposeAll(v: unknown): void {
  if (Array.isArray(v)) v.forEach(disposeAll);
  else if (v && typeof v === 'object' && 'dispose' in v) (v as Tensor).dispose();
  else if (v && typeof v === 'object') Object.values(v).forEach(disposeAll);
}

describe('TensorDataset', () => {
  it('returns the rows of each tensor', async () => {
    const before = memory().numTensors;
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([7, 8, 9], { dtype: 'int32' });
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [a, b] = ds.get(-1);
    expect(await a.array()).toEqual([5, 6]);
    expect(await b.item()).toBe(9);
    a.dispose();
    b.dispose();
    expect(() => ds.get(3)).toThrow(/index 3 is out of range for a dataset of length 3/);
    x.dispose();
    y.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects tensors whose first dimensions differ', () => {
    const x = tensor([[1], [2], [3]]);
    const y = tensor([1, 2]);
    expect(() => new TensorDataset(x, y)).toThrow(/tensor 0 has 3 samples .* tensor 1 has 2/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    x.dispose();
    y.dispose();
  });
});

describe('defaultCollate', () => {
  it('stacks tensors and turns numbers into tensors, keeping tuple and object structure', async () => {
    const before = memory().numTensors;
    const s = (v: number[]): Tensor => tensor(v);
    const samples = [
      { img: s([1, 2]), label: 3, w: 0.5, name: 'a', flag: true },
      { img: s([4, 5]), label: 6, w: 1.5, name: 'b', flag: false },
    ];
    const b = defaultCollate(samples);
    expect(await b.img.array()).toEqual([[1, 2], [4, 5]]);
    expect(b.label.dtype).toBe('int32');
    expect(await b.label.array()).toEqual([3, 6]);
    expect(b.w.dtype).toBe('float64');
    expect(await b.w.array()).toEqual([0.5, 1.5]);
    expect(b.name).toEqual(['a', 'b']);
    expect(b.flag.dtype).toBe('bool');
    const t = defaultCollate([[new Float32Array([1, 2]), [1, 2]], [new Float32Array([3, 4]), [3, 4]]]);
    expect(await (t[0] as Tensor).array()).toEqual([[1, 2], [3, 4]]);
    expect(await (t[1] as Tensor[])[1]!.array()).toEqual([2, 4]); // lists are transposed, like PyTorch
    disposeAll([b, t, samples]);
    expect(memory().numTensors).toBe(before);
  });

  it('rejects mismatched samples without leaking', () => {
    const before = memory().numTensors;
    const a = tensor([1]);
    expect(() => defaultCollate([[a, 1], [a, 'x']] as unknown[])).toThrow(/sample 0 has a number at \[1\] but sample 1 has string/);
    expect(() => defaultCollate([[a], [a, a]])).toThrow(/equal size/);
    expect(() => defaultCollate([null])).toThrow(/found null/);
    expect(() => defaultCollate([])).toThrow(/non-empty/);
    a.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('DataLoader', () => {
  const make = (n: number): { ds: TensorDataset<[Tensor, Tensor]>; free: () => void } => {
    const x = tidy(() => arange(n * 2, { dtype: 'float32' }).reshape([n, 2]));
    const y = arange(n, { dtype: 'int32' });
    return { ds: new TensorDataset(x, y), free: () => (x.dispose(), y.dispose()) };
  };

  it('batches in order, with length and dropLast', async () => {
    const before = memory().numTensors;
    const { ds, free } = make(7);
    const loader = new DataLoader(ds, { batchSize: 3 });
    expect(loader.length).toBe(3);
    const ys: number[][] = [];
    for await (const [xb, yb] of loader) {
      ys.push((await yb.array()) as number[]);
      expect(await xb.array()).toEqual(((await yb.array()) as number[]).map((i) => [2 * i, 2 * i + 1]));
      xb.dispose();
      yb.dispose();
    }
    expect(ys).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const dropped = new DataLoader(ds, { batchSize: 3, dropLast: true });
    expect(dropped.length).toBe(2);
    let count = 0;
    for (const b of dropped) {
      expect(b[0].shape).toEqual([3, 2]);
      disposeAll(b);
      count++;
    }
    expect(count).toBe(2);
    free();
    expect(memory().numTensors).toBe(before);
  });

  it('shuffles deterministically with a seed, each index once per epoch, new order per epoch', async () => {
    const before = memory().numTensors;
    const { ds, free } = make(23);
    const epoch = async (loader: DataLoader<[Tensor, Tensor]>): Promise<number[]> => {
      const out: number[] = [];
      for await (const [xb, yb] of loader) {
        out.push(...((await yb.array()) as number[]));
        xb.dispose();
        yb.dispose();
      }
      return out;
    };
    const a = new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 7 });
    const b = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(7) });
    const a1 = await epoch(a);
    const a2 = await epoch(a);
    expect(await epoch(b)).toEqual(a1);
    expect(await epoch(b)).toEqual(a2);
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect([...a2].sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(a1).not.toEqual(a2);
    expect(a1).not.toEqual(Array.from({ length: 23 }, (_, i) => i));
    free();
    expect(memory().numTensors).toBe(before);
  });

  it('the indexSelect fast path gives the same batches as stacking rows, without leaks', async () => {
    const before = memory().numTensors;
    const { ds, free } = make(10);
    const fast = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1 });
    const slow = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1, collateFn: (s) => defaultCollate(s) });
    const fastIt = fast[Symbol.iterator]();
    for (const [xs, ys] of slow) {
      const [xf, yf] = fastIt.next().value as Tensor[];
      expect(await xf!.array()).toEqual(await xs.array());
      expect(await yf!.array()).toEqual(await ys.array());
      expect(yf!.dtype).toBe('int32');
      disposeAll([xs, ys, xf, yf]);
    }
    free();
    expect(memory().numTensors).toBe(before);
  });

  it('collates tuples of a custom dataset and frees the samples', async () => {
    class Pairs extends Dataset<[Tensor, number]> {
      get length(): number {
        return 5;
      }
      get(i: number): [Tensor, number] {
        return [tensor([i, -i]), i % 2];
      }
    }
    const before = memory().numTensors;
    const loader = new DataLoader(new Pairs(), { batchSize: 2 });
    const batches = [];
    for await (const [x, y] of loader) {
      batches.push([await x.array(), await y.array()]);
      x.dispose();
      y.dispose();
    }
    expect(batches).toEqual([
      [[[0, -0], [1, -1]], [0, 1]],
      [[[2, -2], [3, -3]], [0, 1]],
      [[[4, -4]], [0]],
    ]);
    expect(memory().numTensors).toBe(before);
    // a plain object with length and get works too; a custom collate receives the samples
    const plain = { length: 3, get: (i: number) => i * 10 };
    const sums = [...new DataLoader(plain, { batchSize: 2, collateFn: (s) => s.reduce((p, q) => p + q, 0) })];
    expect(sums).toEqual([10, 20]);
  });

  it('rejects bad options', () => {
    const plain = { length: 3, get: (i: number) => i };
    expect(() => new DataLoader(plain, { batchSize: 0 })).toThrow(/batchSize should be a positive integer, got 0/);
    expect(() => new DataLoader(plain, { seed: 1, generator: new Generator(1) })).toThrow(/either generator or seed/);
    expect(() => new DataLoader({} as never)).toThrow(/expected a dataset/);
  });
});

describe('randomSplit', () => {
  it('splits by counts and by fractions into disjoint subsets covering the dataset', () => {
    const before = memory().numTensors;
    const x = arange(10);
    const ds = new TensorDataset(x);
    const parts = randomSplit(ds, [3, 7], { generator: new Generator(0) });
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    const all = parts.flatMap((p) => [...p.indices]);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(all).toEqual(new Generator(0).permutation(10));
    // fractions: floor then round-robin remainder (PyTorch: 10 * [0.33, 0.33, 0.34] -> [4, 3, 3])
    expect(randomSplit(ds, [0.33, 0.33, 0.34]).map((p) => p.length)).toEqual([4, 3, 3]);
    expect(() => randomSplit(ds, [3, 3])).toThrow(/sum to 6 but the dataset has 10 samples/);
    expect(() => randomSplit(ds, [2.5, 7.5])).toThrow(/not an integer/);
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('subsets read through to the dataset and keep the fast path', async () => {
    const before = memory().numTensors;
    const x = arange(6);
    const sub = new Subset(new TensorDataset(x), [5, 0, 2]);
    const [[b]] = [[...new DataLoader(sub, { batchSize: 3 })][0]!];
    expect(await b!.array()).toEqual([5, 0, 2]);
    b!.dispose();
    const [r] = sub.get(-1);
    expect(await r.item()).toBe(2);
    r.dispose();
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('DataLoader epochs: reproducible from the seed and the epoch number', () => {
  const ds = new TensorDataset(arange(50));
  const isPermutation = (order: number[]) => expect([...order].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  const epochOrder = (loader: DataLoader<[Tensor]>): number[] => {
    const out: number[] = [];
    for (const [x] of loader) {
      out.push(...(x.arraySync() as number[]));
      x.dispose();
    }
    return out;
  };
  const run = (loader: DataLoader<[Tensor]>, epochs: number) => Array.from({ length: epochs }, () => epochOrder(loader));

  it('the same seed gives the same sequence of epochs; every epoch is a permutation and they differ', () => {
    const a = run(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42 }), 4);
    const b = run(new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(42) }), 4);
    expect(b).toEqual(a);
    a.forEach(isPermutation);
    expect(new Set(a.map((o) => o.join())).size).toBe(4);
    expect(run(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 43 }), 1)[0]).not.toEqual(a[0]);
  });

  it('resuming at epoch k (option or setEpoch) gives epoch k of an uninterrupted run without replaying', () => {
    const full = run(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 5 }), 5);
    const resumed = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 5, epoch: 3 });
    expect(resumed.epoch).toBe(3);
    expect(run(resumed, 2)).toEqual([full[3], full[4]]);
    expect(resumed.epoch).toBe(5);
    const set = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 5 });
    set.setEpoch(2);
    expect(epochOrder(set)).toEqual(full[2]);
    expect(set.batchIndices(4).flat()).toEqual(full[4]);
    // batchIndices does not advance the epoch
    expect(set.epoch).toBe(3);
    expect(set.batchIndices().flat()).toEqual(full[3]);
    // the order is the permutation of (shuffle seed, epoch)
    expect(full[1]).toEqual(epochPermutation(50, set.shuffleSeed, 1));
  });

  it('without a seed the orders come from the global generator: loaders and epochs vary, manualSeed fixes them', () => {
    const a = run(new DataLoader(ds, { batchSize: 8, shuffle: true }), 2);
    const b = run(new DataLoader(ds, { batchSize: 8, shuffle: true }), 2);
    expect(a[0]).not.toEqual(a[1]);
    expect(b[0]).not.toEqual(a[0]);
    a.forEach(isPermutation);
    manualSeed(11);
    const c = run(new DataLoader(ds, { batchSize: 8, shuffle: true }), 2);
    manualSeed(11);
    expect(run(new DataLoader(ds, { batchSize: 8, shuffle: true }), 2)).toEqual(c);
  });

  it('without shuffle the order is 0..n-1 every epoch', () => {
    expect(run(new DataLoader(ds, { batchSize: 8 }), 2)).toEqual([0, 1].map(() => Array.from({ length: 50 }, (_, i) => i)));
  });

  it('bad epochs and seeds are clear errors', () => {
    expect(() => new DataLoader(ds, { epoch: -1 })).toThrow('DataLoader: expected the epoch to be a non-negative integer, got -1');
    expect(() => new DataLoader(ds).setEpoch(1.5)).toThrow('DataLoader.setEpoch: expected the epoch to be a non-negative integer, got 1.5');
    expect(() => new DataLoader(ds, { seed: -3 })).toThrow('DataLoader: seed should be a non-negative integer (number or bigint), got -3');
  });
});

describe('shuffling with the global PyTorch-compatible generator', () => {
  it('draws a 64-bit shuffle seed and still builds every epoch order (seeds wrap into [0, 2^64))', async () => {
    const { manualSeed, arange } = await import('@tensorgrad/tensor');
    const { DataLoader, TensorDataset, epochPermutation } = await import('@tensorgrad/data');
    manualSeed(0);
    const x = arange(10);
    const loader = new DataLoader(new TensorDataset(x), { batchSize: 10, shuffle: true });
    const seen: number[] = [];
    for await (const [batch] of loader) {
      seen.push(...((await batch!.array()) as number[]));
      batch!.dispose();
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochPermutation(5, 2n ** 64n - 1n, 3).length).toBe(5);
    x.dispose();
  });
});
