import { memory, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { describe, expect, it } from 'vitest';
import { DataLoader, Dataset, Subset } from '@tensorgrad/data';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A dataset whose get resolves after a delay, as decoding a file would, counting gets in flight. */
class Slow extends Dataset<Promise<[Tensor, number]>> {
  inFlight = 0;
  maxInFlight = 0;
  started: number[] = [];
  constructor(
    readonly n: number,
    readonly delay: number,
    readonly failAt = -1,
  ) {
    super();
  }
  get length(): number {
    return this.n;
  }
  async get(i: number): Promise<[Tensor, number]> {
    this.started.push(i);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    // a tensor made before the first await, as a label built up front would be
    const label = tensor(i % 3, { dtype: 'int32' });
    try {
      await sleep(this.delay);
      if (i === this.failAt) {
        label.dispose();
        throw new RangeError(`cannot decode image ${i}: truncated file`);
      }
      return [tensor([i, i + 0.5]), i % 3];
    } finally {
      this.inFlight--;
      if (i !== this.failAt) label.dispose();
    }
  }
}

describe('DataLoader over an asynchronous dataset', () => {
  it('awaits the samples and yields the batches in order, freeing the samples', async () => {
    const before = memory().numTensors;
    const ds = new Slow(7, 3);
    const got: [number[][], number[]][] = [];
    for await (const [x, y] of new DataLoader(ds, { batchSize: 3 })) {
      got.push([await x.array() as number[][], await y.array() as number[]]);
      x.dispose();
      y.dispose();
    }
    expect(got).toEqual([
      [[[0, 0.5], [1, 1.5], [2, 2.5]], [0, 1, 2]],
      [[[3, 3.5], [4, 4.5], [5, 5.5]], [0, 1, 2]],
      [[[6, 6.5]], [0]],
    ]);
    expect(memory().numTensors).toBe(before);
  });

  it('prefetches prefetchFactor batches while the loop works: reading overlaps the loop, concurrency is bounded', async () => {
    const ds = new Slow(40, 10);
    const loader = new DataLoader(ds, { batchSize: 2, prefetchFactor: 3 });
    let batches = 0;
    const inFlightDuringWork: number[] = [];
    for await (const [x, y] of loader) {
      // the next batches are being read while the loop works on this one
      inFlightDuringWork.push(ds.inFlight);
      // the loop's work (a training step) takes as long as one read
      await sleep(10);
      x.dispose();
      y.dispose();
      batches++;
    }
    expect(batches).toBe(20);
    // reads were running while the loop worked, never more than (prefetchFactor + 1) batches' worth
    expect(inFlightDuringWork.slice(0, -3).every((n) => n >= 2)).toBe(true);
    expect(ds.maxInFlight).toBeGreaterThanOrEqual(4);
    expect(ds.maxInFlight).toBeLessThanOrEqual(2 * (3 + 1));
    // every read started once, in order
    expect(ds.started).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('with prefetchFactor 1 at most two batches are read at once; a synchronous dataset is read on demand', async () => {
    const ds = new Slow(12, 2);
    for await (const [x, y] of new DataLoader(ds, { batchSize: 3, prefetchFactor: 1 })) {
      await sleep(5);
      x.dispose();
      y.dispose();
    }
    expect(ds.maxInFlight).toBeLessThanOrEqual(6);
    const reads: number[] = [];
    const sync = { length: 6, get: (i: number): number => (reads.push(i), i) };
    const seen: number[] = [];
    for await (const b of new DataLoader(sync, { batchSize: 2 })) {
      // nothing read ahead of the batch being used
      seen.push(reads.length);
      b.dispose();
    }
    expect(seen).toEqual([2, 4, 6]);
  });

  it('a sample that fails makes the loop throw at its batch with the sample index, leaking nothing', async () => {
    const before = memory().numTensors;
    const ds = new Slow(9, 2, 4);
    const seen: number[] = [];
    let error: Error | null = null;
    try {
      for await (const [x, y] of new DataLoader(ds, { batchSize: 2 })) {
        seen.push((await y.array() as number[]).length);
        x.dispose();
        y.dispose();
      }
    } catch (e) {
      error = e as Error;
    }
    expect(seen).toEqual([2, 2]);
    expect(error?.message).toMatch(/DataLoader: dataset\.get\(4\) failed \(sample 0 of the batch\): cannot decode image 4: truncated file/);
    expect(error?.cause).toBeInstanceOf(RangeError);
    expect(ds.inFlight).toBe(0);
    expect(memory().numTensors).toBe(before);
    // a synchronous throw inside an async-answering get is reported the same way
    const mixed = { length: 4, get: (i: number): Promise<number> => { if (i === 3) throw new TypeError('bad index 3'); return Promise.resolve(i); } };
    await expect((async () => {
      for await (const b of new DataLoader(mixed, { batchSize: 2 })) b.dispose();
    })()).rejects.toThrow(/dataset\.get\(3\) failed \(sample 1 of the batch\): bad index 3/);
  });

  it('break stops prefetching and frees the batches read ahead', async () => {
    const before = memory().numTensors;
    const ds = new Slow(100, 5);
    for await (const [x, y] of new DataLoader(ds, { batchSize: 4 })) {
      x.dispose();
      y.dispose();
      break;
    }
    // batch 0 was used and batches 1 and 2 were being read ahead: nothing more started
    expect(ds.started.length).toBe(12);
    expect(ds.inFlight).toBe(0);
    await sleep(30);
    expect(ds.started.length).toBe(12);
    expect(memory().numTensors).toBe(before);
  });

  it("batches read ahead survive the loop's async tidy and go to the scope the loop is in", async () => {
    const before = memory().numTensors;
    const ds = new Slow(8, 3);
    const sums: number[] = [];
    await tidy(async () => {
      for await (const [x] of new DataLoader(ds, { batchSize: 2 })) {
        // a training step in its own async tidy while later batches arrive
        await tidy(async () => {
          sums.push(Number(await x.sum().item()));
          await sleep(5);
        });
      }
    });
    // batch k holds samples 2k and 2k + 1: [i, i + 0.5] each
    expect(sums).toEqual([0, 1, 2, 3].map((k) => [2 * k, 2 * k + 1].reduce((a, i) => a + 2 * i + 0.5, 0)));
    // the outer tidy freed every batch, as it frees batches of a synchronous dataset
    expect(memory().numTensors).toBe(before);
  });

  it('a get that returns promises without being an async function (a Subset of an async dataset) works, leaking nothing', async () => {
    const before = memory().numTensors;
    const ds = new Slow(6, 2);
    const sub = new Subset(ds, [5, 3, 1]);
    const rows: number[] = [];
    for await (const [x, y] of new DataLoader(sub, { batchSize: 2 })) {
      rows.push(...((await x.array()) as number[][]).map((r) => r[0]!));
      x.dispose();
      y.dispose();
    }
    expect(rows).toEqual([5, 3, 1]);
    await sleep(20); // the first, dropped attempt's samples are freed when they arrive
    expect(memory().numTensors).toBe(before);
  });

  it('the synchronous for…of refuses an asynchronous dataset, saying to use for await', () => {
    const before = memory().numTensors;
    expect(() => [...new DataLoader(new Slow(2, 1), { batchSize: 2 })]).toThrow(/returned a Promise.*for await \(const batch of loader\)/);
    void before;
  });

  it('prefetchFactor must be a positive integer', () => {
    const plain = { length: 2, get: (i: number) => i };
    expect(() => new DataLoader(plain, { prefetchFactor: 0 })).toThrow(/prefetchFactor should be a positive integer.*got 0/);
    expect(new DataLoader(plain, { prefetchFactor: null }).prefetchFactor).toBe(2);
    expect(new DataLoader(plain, { prefetchFactor: 4 }).prefetchFactor).toBe(4);
  });
});
