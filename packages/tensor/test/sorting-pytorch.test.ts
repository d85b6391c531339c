// sort, argsort, topk, cumsum and unique against PyTorch 1.13.1 (conformance's
// fixtures/generated/sorting.json, written by scripts/fixtures/generate.sh sorting): ties with
// stable sorting, NaN and infinities, int32/bool inputs, strided views, 0-d and empty tensors,
// cumsum's dtype; then what the fixture cannot hold (unique with NaN, where PyTorch 1.13 is
// wrong), gradients, argument forms and errors.
import { describe, expect, it } from 'vitest';
import { loadGenerated, sortingSuite, type SortingCase } from '@tensorgrad/conformance';
import { NotSupportedError, Tensor, argsort, cumsum, sort, tensor, topk, unique, uniqueAsync } from '@tensorgrad/tensor';
import type { Backend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

const file = loadGenerated<SortingCase>('sorting');

describe('sorting.json (PyTorch 1.13.1) on cpu', () => {
  it('has cases for every op', () => {
    expect(new Set(file.cases.map((c) => c.op))).toEqual(new Set(['sort', 'argsort', 'topk', 'cumsum', 'unique']));
  });
  // every dtype, the synchronous unique, cumsum exact (the CPU adds in double precision)
  sortingSuite('cpu', { float64: true, syncUnique: true, exactCumsum: true });
});

describe('unique', () => {
  it('treats every NaN as a value of its own, after the numbers (PyTorch 1.13 mis-sorts these; later versions agree)', async () => {
    const x = tensor([1, NaN, 0, NaN, 1]);
    const [values, inverse, counts] = unique(x, { returnInverse: true, returnCounts: true });
    expect(Array.from(values.dataSync())).toEqual([0, 1, NaN, NaN]);
    expect(await inverse.array()).toEqual([1, 2, 0, 3, 1]);
    expect(await counts.array()).toEqual([1, 2, 1, 1]);
  });

  it('agrees with a Set-based count on random integers, sync and async', async () => {
    const data = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 37) - 18);
    const x = tensor(data, { dtype: 'int32' }).reshape([10, 20]);
    const distinct = [...new Set(data)].sort((a, b) => a - b);
    const [values, inverse, counts] = unique(x, { returnInverse: true, returnCounts: true });
    expect(await values.array()).toEqual(distinct);
    expect(await counts.array()).toEqual(distinct.map((v) => data.filter((d) => d === v).length));
    expect((await inverse.reshape([200]).array()) as number[]).toEqual(data.map((d) => distinct.indexOf(d)));
    const again = await uniqueAsync(x);
    expect(await again.array()).toEqual(distinct);
  });

  it('accepts PyTorch positional forms and the method form', async () => {
    const x = tensor([2, 2, 1]);
    expect(await x.unique().array()).toEqual([1, 2]);
    const r = unique(x, true, false, true);
    expect(r).toHaveLength(2);
    expect(await (r as readonly Tensor[])[1]!.array()).toEqual([1, 2]);
  });

  it('refuses dim with a message saying what to do, and unknown options with the nearest key', () => {
    expect(() => unique(tensor([1, 2]), { dim: 0 } as never)).toThrow(/'dim'.*not supported.*without dim/);
    expect(() => unique(tensor([1, 2]), { return_counts: true } as never)).toThrow(/did you mean 'returnCounts'/);
  });

  it('names the async form on a backend that cannot read synchronously', () => {
    const x = tensor([1, 2]);
    const b = x.backendInstance as Backend & { readSync?: unknown };
    const saved = b.readSync;
    b.readSync = undefined;
    try {
      expect(() => unique(x)).toThrow(NotSupportedError);
      expect(() => unique(x)).toThrow(/uniqueAsync/);
    } finally {
      b.readSync = saved;
    }
  });
});

describe('sort, argsort, topk, cumsum', () => {
  it('accept PyTorch positional forms', async () => {
    const x = tensor([[1, 9, 3], [4, 0, 8]]);
    expect(await topk(x, 1, 1, false).indices.array()).toEqual([[0], [1]]);
    expect(await sort(x, 0, true).values.array()).toEqual([[4, 9, 8], [1, 0, 3]]);
    expect(await sort(x, 1, false, { stable: true }).indices.array()).toEqual([[0, 2, 1], [1, 0, 2]]);
    expect(await argsort(x, 1, true).array()).toEqual([[1, 2, 0], [2, 0, 1]]);
    expect(await cumsum(x, -1).array()).toEqual([[1, 10, 13], [4, 4, 12]]);
    const [v, i] = x.topk(2);
    expect([await v.array(), await i.array()]).toEqual([[[9, 3], [8, 4]], [[1, 2], [2, 0]]]);
  });

  it('refuse bad arguments saying what was expected', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => topk(x, 3)).toThrow(RangeError);
    expect(() => topk(x, 3)).toThrow(/k to be an integer in \[0, 2\]/);
    expect(() => sort(x, 2)).toThrow(/dimension out of range/);
    expect(() => sort(x, { axis: 0 } as never)).toThrow(/did you mean 'dim'/);
    expect(() => cumsum(x, {} as never)).toThrow(/dim/);
    expect(() => cumsum(x, 0, { dtype: 'bool' as never })).toThrow(TypeError);
  });

  it('send gradients back to where the values came from', () => {
    const x = tensor([[0.5, -1, 2], [3, 0.25, -2]], { requiresGrad: true });
    const { values } = topk(x, 2, { dim: 1 });
    values.mul(tensor([[1, 10], [100, 1000]])).sum().backward();
    expect(x.grad!.arraySync()).toEqual([[10, 0, 1], [100, 1000, 0]]);
    const y = tensor([1, 2, 3], { requiresGrad: true });
    cumsum(y, 0).mul(tensor([1, 10, 100])).sum().backward();
    expect(y.grad!.arraySync()).toEqual([111, 110, 100]);
    const z = tensor([3, 1, 2], { requiresGrad: true });
    sort(z, { descending: true }).values.mul(tensor([1, 10, 100])).sum().backward();
    expect(z.grad!.arraySync()).toEqual([1, 100, 10]);
  });

  it('gives int and bool inputs no gradient node', () => {
    expect(cumsum(tensor([true, false]), 0).requiresGrad).toBe(false);
    expect(sort(tensor([2, 1], { dtype: 'int32' })).values.dtype).toBe('int32');
  });
});
