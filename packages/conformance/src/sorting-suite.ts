/**
 * The `sorting.json` replay (scripts/fixtures/tgfixtures/sorting.py: sort, argsort, topk, cumsum and
 * unique against PyTorch 1.13.1 — ties, NaN and infinities, strided views, 0-d and empty tensors)
 * and a larger many-ties check against the CPU kernels, as vitest cases for one backend. The
 * float32 backends' test files call it inside their own `describe`.
 */
import { expect, it } from 'vitest';
import { Tensor, argsort, cumsum, fromTypedArray, sort, topk, unique, uniqueAsync } from '@tensorgrad/tensor';
import { goldenData, goldenToTensor, type GoldenTensor } from './golden.js';
import { loadGenerated, type GeneratedCase } from './generated.js';

/** A case of `sorting.json`. */
export interface SortingCase extends GeneratedCase {
  op: 'sort' | 'argsort' | 'topk' | 'cumsum' | 'unique';
  code: string;
  inputs: [GoldenTensor];
  view?: 't';
  attrs: Record<string, unknown>;
  outputs: Record<string, GoldenTensor>;
}

const file = loadGenerated<SortingCase>('sorting');

function viewOf(c: SortingCase, x: Tensor): Tensor {
  return c.view === 't' ? x.transpose(0, 1) : x;
}

async function run(c: SortingCase, input: Tensor, syncUnique: boolean): Promise<Record<string, Tensor>> {
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
      const r = syncUnique ? unique(input, a) : await uniqueAsync(input, a);
      const parts = r instanceof Tensor ? [r] : [...r];
      const names = ['values', ...(c.attrs.returnInverse ? ['inverse'] : []), ...(c.attrs.returnCounts ? ['counts'] : [])];
      return Object.fromEntries(names.map((n, i) => [n, parts[i]!]));
    }
  }
}

async function numbers(t: Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>, Number);
}

/** Exact, except float32 running sums (the float32 reduction tolerance of ARCHITECTURE.md). */
async function expectMatches(got: Tensor, want: GoldenTensor, what: string, exact: boolean): Promise<void> {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  expect(got.dtype, `${what} dtype`).toBe(want.dtype);
  const g = await numbers(got);
  const w = Array.from(goldenData(want) as ArrayLike<number>, Number);
  const i = g.findIndex((v, k) => !(Object.is(v, w[k]) || v === w[k] || (!exact && Math.abs(v - w[k]!) <= 1e-5 + 1e-4 * Math.abs(w[k]!))));
  expect(i === -1 ? 'all equal' : `element ${i}: got ${g[i]}, PyTorch ${w[i]}`, what).toBe('all equal');
}

/** PyTorch's topk leaves equal values in no defined order: its indices must select the values, once each. */
async function expectSelects(x: Tensor, indices: Tensor, values: Tensor, dim = -1): Promise<void> {
  expect(indices.shape).toEqual(values.shape);
  if (indices.numel() === 0) return;
  expect(await numbers(x.gather(indices, dim))).toEqual(await numbers(values));
  const d = dim < 0 ? dim + x.ndim : dim;
  const rows = (await indices.transpose(d, x.ndim - 1).contiguous().reshape([-1, indices.shape[d]!]).array()) as number[][];
  for (const row of rows) expect(new Set(row).size).toBe(row.length);
}

function replay(backend: string, o: Required<SortingSuiteOptions>): void {
  for (const c of file.cases) {
    const skip = !o.float64 && [c.inputs[0], ...Object.values(c.outputs)].some((t) => t.dtype === 'float64');
    it.skipIf(skip)(`${c.id}: ${c.code}`, async () => {
      expect(c.code).toContain(`torch.${c.op}(`);
      const x = viewOf(c, goldenToTensor(c.inputs[0], backend));
      const got = await run(c, x, o.syncUnique);
      expect(Object.keys(got).sort()).toEqual(Object.keys(c.outputs).sort());
      for (const [name, want] of Object.entries(c.outputs)) {
        if (c.op === 'topk' && name === 'indices') await expectSelects(x, got.indices!, got.values!, c.attrs.dim as number | undefined);
        else await expectMatches(got[name]!, want, `${c.id} ${name}`, o.exactCumsum || c.op !== 'cumsum');
      }
    });
  }
}

/** A larger tensor with many ties and a NaN, sorted along each dim, against the CPU kernel. */
async function expectSortLikeCpu(backend: string): Promise<void> {
  const data = Float32Array.from({ length: 6 * 70 }, (_, i) => (i === 77 ? NaN : Math.round(Math.sin(i * 12.9898) * 8) / 2));
  const onCpu = fromTypedArray(data, [6, 70], { backend: 'cpu' });
  const here = fromTypedArray(data, [6, 70], { backend });
  for (const [dim, descending] of [[1, false], [0, true], [1, true]] as const) {
    const want = sort(onCpu, { dim, descending });
    const got = sort(here, { dim, descending });
    expect(await numbers(got.values), `values dim ${dim}`).toEqual(await numbers(want.values));
    expect(await numbers(got.indices), `indices dim ${dim}`).toEqual(await numbers(want.indices));
    // half-integers: every running sum is exact in float32, whatever the order of additions
    // (up to the sign of a zero sum, which tfjs's scan may give as -0)
    const unsigned = async (t: Tensor) => (await numbers(t)).map((v) => v + 0);
    expect(await unsigned(cumsum(here, dim)), `cumsum dim ${dim}`).toEqual(await unsigned(cumsum(onCpu, dim)));
  }
}

/** Options of {@link sortingSuite}. */
export interface SortingSuiteOptions {
  /** Also replay the float64 cases (default false: the float32 backends skip them, counted). */
  float64?: boolean;
  /** Call `unique` rather than `uniqueAsync` (default false; needs a backend that reads synchronously). */
  syncUnique?: boolean;
  /** Compare `cumsum` exactly instead of at the float32 reduction tolerance (default false). */
  exactCumsum?: boolean;
}

/**
 * Registers, for `backend`, one vitest case per case of `sorting.json` (float64 cases only with
 * `float64: true`, otherwise skipped and counted), plus — on a backend other than `cpu` — a
 * many-ties comparison with the CPU kernels. Call it inside a `describe` of a backend's test
 * file; the CPU backend must be registered too.
 *
 * @example
 * ```ts
 * import { sortingSuite } from '@tensorgrad/conformance';
 * typeof sortingSuite; // 'function'
 * // in a test file:  describe('sorting on tfjs', () => sortingSuite('tfjs'));
 * ```
 */
export function sortingSuite(backend: string, options: SortingSuiteOptions = {}): void {
  replay(backend, { float64: false, syncUnique: false, exactCumsum: false, ...options });
  if (backend !== 'cpu') it('sorts a tensor with many ties and a NaN like the CPU kernel', () => expectSortLikeCpu(backend));
}
