// sort, argsort, topk, cumsum and unique on WebGPU: conformance's sortingSuite (sorting.json from
// PyTorch 1.13.1, and a many-ties check against the CPU kernels), plus the WebGPU-only paths (the
// bitonic network for rows over 1024, compensated cumsum).
import { describe, expect, it } from 'vitest';
import { sortingSuite } from '@tensorgrad/conformance';
import { Tensor, cumsum, fromTypedArray, sort } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
const suite = gpu.backend ? describe : describe.skip;
const title = gpu.backend ? 'sorting.json (PyTorch 1.13.1) on webgpu' : `sorting on webgpu [skipped: no WebGPU adapter: ${gpu.reason}]`;

async function numbers(t: Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>, Number);
}

suite(title, () => {
  sortingSuite('webgpu');
  it('sorts lanes longer than 1024 (the bitonic network) like the CPU kernel, ties, NaN and -0 included', async () => {
    const data = Float32Array.from({ length: 3 * 3000 }, (_, i) => (i % 401 === 7 ? NaN : Math.round(Math.sin(i * 78.233) * 40) / 4));
    data[5] = -0;
    for (const [shape, dim, descending] of [[[3, 3000], 1, false], [[3, 3000], 1, true], [[3000, 3], 0, false], [[9000], 0, true]] as const) {
      const want = sort(fromTypedArray(data, [...shape], { backend: 'cpu' }), { dim, descending });
      const got = sort(fromTypedArray(data, [...shape], { backend: 'webgpu' }), { dim, descending });
      expect(await numbers(got.values), `values ${shape} dim ${dim}`).toEqual(await numbers(want.values));
      expect(await numbers(got.indices), `indices ${shape} dim ${dim}`).toEqual(await numbers(want.indices));
    }
  });
  it('cumsum keeps float32 running sums close on a long row (compensated summation)', async () => {
    const n = 50000;
    const data = Float32Array.from({ length: n }, (_, i) => 0.1 + ((i * 7) % 13) * 1e-3);
    let acc = 0;
    const exact = Array.from(data, (v) => (acc += v));
    const got = await numbers(cumsum(fromTypedArray(data, [n], { backend: 'webgpu' }), 0));
    const worst = Math.max(...got.map((g, i) => Math.abs(g - exact[i]!) / exact[i]!));
    expect(worst).toBeLessThan(1e-6);
  });
  it('cumsum keeps ±Inf running sums infinite (found by the property sweeps: the compensation made them NaN)', async () => {
    // torch.cumsum(torch.tensor([-1.25, -inf, -2.5, inf, 1.0]), 0) == [-1.25, -inf, -inf, nan, nan]
    const data = Float32Array.of(-1.25, -Infinity, -2.5, Infinity, 1, 3, Infinity, 2, NaN, 1);
    const got = await numbers(cumsum(fromTypedArray(data, [2, 5], { backend: 'webgpu' }), 1));
    expect(got).toEqual([-1.25, -Infinity, -Infinity, NaN, NaN, 3, Infinity, Infinity, NaN, NaN]);
  });
});
