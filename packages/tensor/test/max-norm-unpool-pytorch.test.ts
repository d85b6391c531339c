// maximum/minimum, norm, maxPool2d's indices and maxUnpool2d against PyTorch 1.13 on the edge
// cases vision.json leaves out (NaN, ties, every order of linalg.vector_norm, the zero vector,
// overlapping windows, output sizes): conformance's fixtures/generated/max-norm-unpool.json,
// written with PyTorch by `bash scripts/fixtures/generate.sh max-norm-unpool`. Values and
// gradients, float32 and float64, on the CPU backend.
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { Tensor } from '@tensorgrad/tensor';
import { callGoldenOp, goldenData, goldenToTensor, loadGenerated, type GeneratedCase, type GoldenTensor } from '@tensorgrad/conformance';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

interface OpCase extends GeneratedCase {
  op: string;
  dtype: 'float32' | 'float64';
  attrs: Record<string, unknown>;
  inputs: GoldenTensor[];
  output: GoldenTensor | { values: GoldenTensor; indices: GoldenTensor };
  gradOutput?: GoldenTensor;
  grads?: (GoldenTensor | null)[];
}

const file = loadGenerated<OpCase>('max-norm-unpool');
const ops = tg as unknown as Readonly<Record<string, unknown>>;

function expectClose(actual: Tensor, expected: GoldenTensor, dtype: string, what: string): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  const got = Array.from(actual.dataSync() as ArrayLike<number>, Number);
  const want = Array.from(goldenData(expected) as ArrayLike<number>, Number);
  const tol = dtype === 'float64' ? 1e-10 : 2e-5;
  want.forEach((w, i) => {
    const g = got[i]!;
    if (Number.isNaN(w)) expect(g, `${what}[${i}]`).toBeNaN();
    else if (!Number.isFinite(w)) expect(g, `${what}[${i}]`).toBe(w);
    else expect(Math.abs(g - w), `${what}[${i}]: got ${g}, expected ${w}`).toBeLessThanOrEqual(tol * (1 + Math.abs(w)));
  });
}

describe('max-norm-unpool.json (PyTorch)', () => {
  it('has the cases of every op', () => {
    expect(new Set(file.cases.map((c) => c.op))).toEqual(new Set(['maximum', 'minimum', 'norm', 'maxPool2dWithIndices', 'maxUnpool2d']));
  });

  for (const c of file.cases) {
    it(c.id, () => {
      const inputs = c.inputs.map((t) => {
        const x = goldenToTensor(t, 'cpu');
        return tg.isFloating(x.dtype) ? x.requiresGrad_() : x;
      });
      const out = callGoldenOp(ops, c.op, inputs, c.attrs) as Tensor | { values: Tensor; indices: Tensor };
      const values = out instanceof Tensor ? out : out.values;
      if (out instanceof Tensor) expectClose(out, c.output as GoldenTensor, c.dtype, 'output');
      else {
        const want = c.output as { values: GoldenTensor; indices: GoldenTensor };
        expectClose(out.values, want.values, c.dtype, 'values');
        expect(Array.from(out.indices.dataSync() as Int32Array)).toEqual(want.indices.data);
        expect(out.indices.dtype).toBe('int32');
      }
      if (!c.gradOutput || !c.grads) return;
      values.backward(goldenToTensor(c.gradOutput, 'cpu'));
      c.grads.forEach((g, i) => {
        if (g === null) return;
        expect(inputs[i]!.grad, `grad ${i}`).not.toBeNull();
        expectClose(inputs[i]!.grad!, g, c.dtype, `grad ${i}`);
      });
    });
  }
});
