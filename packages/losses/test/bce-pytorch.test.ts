// binaryCrossEntropy against PyTorch 1.13 where its backward is special (conformance's
// fixtures/generated/bce.json, written by `bash scripts/fixtures/generate.sh bce`): inputs exactly
// 0 and 1, 1e-30, 0.5, 1 - 1e-7, soft targets, with and without weights, every reduction, float32
// and float64 — the values (logs clamped at -100) and the gradient wrt the input, PyTorch's
// weight·(p - y) / max(p(1 - p), 1e-12) with the float 1e-12 in float64 too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memory, tensor, tidy, type DType, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { binaryCrossEntropy } from '@tensorgrad/losses';

interface Golden {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
interface Case {
  id: string;
  dtype: 'float32' | 'float64';
  inputs: Golden[];
  attrs: { reduction: 'none' | 'mean' | 'sum' };
  output: Golden;
  gradOutput: Golden;
  grads: Golden[];
}

const file = JSON.parse(readFileSync(new URL('../../conformance/fixtures/generated/bce.json', import.meta.url), 'utf8')) as { generator: string; cases: Case[] };
const num = (v: number | string): number => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : (v as number));
const toTensor = (g: Golden): Tensor => tidy(() => tensor(g.data.map(num), { dtype: g.dtype }).reshape(g.shape));

function expectClose(actual: Tensor, want: Golden, what: string): void {
  expect(actual.shape, what).toEqual(want.shape);
  const got = Array.from(actual.dataSync() as Float64Array);
  // float32: a few ulps; float64: PyTorch's formula to rounding (1e-12 itself, instead of the
  // float 1e-12 PyTorch clamps with, is 4e-9 off)
  const rtol = want.dtype === 'float64' ? 1e-12 : 1e-6;
  want.data.map(num).forEach((w, i) => {
    const ok = got[i] === w || Math.abs(got[i]! - w) <= rtol * Math.abs(w) + (want.dtype === 'float64' ? 1e-15 : 1e-7);
    expect(ok, `${what}[${i}]: got ${got[i]}, PyTorch ${w}`).toBe(true);
  });
}

describe('binaryCrossEntropy matches F.binary_cross_entropy (bce.json)', () => {
  it('holds saturated inputs, weights and every reduction in both dtypes, by PyTorch 1.13', () => {
    expect(file.generator).toMatch(/tgfixtures\.bce\); PyTorch 1\.13/);
    expect(file.cases.length).toBe(18);
    // PyTorch's gradients there are ±1e12-scale and finite
    const none = file.cases.find((c) => c.id === 'binaryCrossEntropy/weight/none/float64')!;
    expect(none.grads[0]!.data.slice(0, 3).map(num).map((v) => Math.round(v / 1e9))).toEqual([-2000, 3000, -500]);
  });
  for (const c of file.cases) {
    it(c.id, () => {
      const before = memory().numTensors;
      const [p, y, w] = c.inputs.map(toTensor);
      p!.requiresGrad_();
      const out = binaryCrossEntropy(p!, y!, { reduction: c.attrs.reduction, ...(w ? { weight: w } : {}) });
      expectClose(out, c.output, `${c.id} output`);
      const g = toTensor(c.gradOutput);
      out.backward(g);
      expectClose(p!.grad!, c.grads[0]!, `${c.id} input grad`);
      for (const t of [p!.grad, p!, y!, w, out, g]) t?.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }
});
