// sort, argsort, topk, cumsum and unique against PyTorch 1.13.1 (conformance's
// fixtures/generated/sorting.json, written by scripts/fixtures/generate.sh sorting): ties with
// stable sorting, NaN and infinities, int32/bool inputs, strided views, 0-d and empty tensors,
// cumsum's dtype; then what the fixture cannot hold (unique with NaN, where PyTorch 1.13 is
// wrong), gradients, argument forms and errors.
import { describe, expect, it } from 'vitest';
import { goldenData, goldenToTensor, loadGenerated, type GeneratedCase, type GoldenTensor } from '@tensorgrad/conformance';
import { NotSupportedError, Tensor, argsort, cumsum, sort, tensor, topk, unique, uniqueAsync } from '@tensorgrad/tensor';
import type { Backend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

interface SortingCase extends GeneratedCase {
  op: 'sort' | 'argsort' | 'topk' | 'cumsum' | 'unique';
  code: string;
  inputs: [GoldenTensor];
  view?: 't';
  attrs: Record<string, unknown>;
  outputs: Record<string, GoldenTensor>;
}

const file = loadGenerated<SortingCase>('sorting');

function input(c: SortingCase, x: Tensor): Tensor {
  return c.view === 't' ? x.transpose(0, 1) : x;
}

/** `indices` are distinct positions along `dim` and pick exactly `values` out of `x`. */
function expectSelects(x: Tensor, indices: Tensor, values: Tensor, dim = -1): void {
  expect(indices.shape).toEqual(values.shape);
  if (indices.numel() === 0) return;
  const picked = Array.from(x.gather(indices, dim).dataSync() as ArrayLike<number>, Number);
  expect(picked).toEqual(Array.from(values.dataSync() as ArrayLike<number>, Number));
  const d = dim < 0 ? dim + x.ndim : dim;
  const rows = indices.transpose(d, x.ndim - 1).contiguous().reshape([-1, indices.shape[d]!]).arraySync() as number[][];
  for (const row of rows) expect(new Set(row).size).toBe(row.length);
}

async function run(c: SortingCase, x: Tensor, async: boolean): Promise<Record<string, Tensor>> {
  const input = c.view === 't' ? x.transpose(0, 1) : x;
  const a = c.attrs as never;
  switch (c.op) {
    case 'sort': {
      const r = sort(input, a);
      return { values: r.values, indices: r.indices };
    }
    case 'argsort':
      return { out: argsort(input, a) };
    case 'topk': {
      const r = topk(input, a);
      return { values: r.values, indices: r.indices };
    }
    case 'cumsum':
      return { out: cumsum(input, a) };
    case 'unique': {
      const r = async ? await uniqueAsync(input, a) : unique(input, a);
      const parts = r instanceof Tensor ? [r] : [...r];
      const names = ['values', ...(c.attrs.returnInverse ? ['inverse'] : []), ...(c.attrs.returnCounts ? ['counts'] : [])];
      return Object.fromEntries(names.map((n, i) => [n, parts[i]!]));
    }
  }
}

/** Exact, except float32 running sums off the CPU (the reduction tolerance of ARCHITECTURE.md). */
function expectMatches(got: Tensor, want: GoldenTensor, what: string, exact: boolean): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  expect(got.dtype, `${what} dtype`).toBe(want.dtype);
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  const w = Array.from(goldenData(want) as ArrayLike<number>, Number);
  const i = g.findIndex((v, k) => (exact ? !(Object.is(v, w[k]) || v === w[k]) : !(Object.is(v, w[k]) || Math.abs(v - w[k]!) <= 1e-5 + 1e-4 * Math.abs(w[k]!))));
  expect(i === -1 ? 'all equal' : `element ${i}: got ${g[i]}, PyTorch ${w[i]}`, what).toBe('all equal');
}

/** Replays every case of sorting.json on `backend` (exported for nothing: the backends' tests have their own copy). */
function replay(backend: string, opts: { async: boolean; exact: boolean; dtypes: readonly string[] }): void {
  for (const c of file.cases) {
    const skip = !opts.dtypes.includes(c.inputs[0].dtype) || Object.values(c.outputs).some((t) => !opts.dtypes.includes(t.dtype));
    it.skipIf(skip)(`${c.id}: ${c.code}`, async () => {
      const x = goldenToTensor(c.inputs[0], backend);
      expect(c.code).toContain(`torch.${c.op}(`);
      const got = await run(c, x, opts.async);
      expect(Object.keys(got).sort()).toEqual(Object.keys(c.outputs).sort());
      for (const [name, want] of Object.entries(c.outputs)) {
        // PyTorch's topk orders equal values as its selection happens to leave them (not by
        // position), so its indices are checked by what they select instead
        if (c.op === 'topk' && name === 'indices') expectSelects(input(c, x), got.indices!, got.values!, c.attrs.dim as number | undefined);
        else expectMatches(got[name]!, want, `${c.id} ${name}`, opts.exact || c.op !== 'cumsum');
      }
    });
  }
}

describe('sorting.json (PyTorch 1.13.1) on cpu', () => {
  it('has cases for every op', () => {
    expect(new Set(file.cases.map((c) => c.op))).toEqual(new Set(['sort', 'argsort', 'topk', 'cumsum', 'unique']));
  });
  replay('cpu', { async: false, exact: true, dtypes: ['float32', 'float64', 'int32', 'bool'] });
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
