import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memory, mul, sum, tensor, tidy, type DType, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import * as losses from '@tensorgrad/losses';

const dir = fileURLToPath(new URL('../../conformance/fixtures/pytorch/', import.meta.url));
interface J { shape: number[]; dtype: DType; data: (number | string)[] }
const cases = (JSON.parse(readFileSync(dir + 'losses.json', 'utf8')) as { cases: Array<Record<string, any>> }).cases;
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));
const fromJ = (j: J): Tensor =>
  tidy(() => tensor(Float64Array.from(j.data.map(num)) as never, { dtype: j.dtype }).reshape(j.shape).clone());
const isJ = (v: unknown): v is J => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;

function close(actual: ArrayLike<number>, expected: (number | string)[], rtol: number, atol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = num(expected[i]!);
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
    }
  }
}

type LossFn = (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor;

describe('losses.json (PyTorch 1.13 golden values)', () => {
  it('has the 172 cases', () => expect(cases.length).toBe(172));
  for (const c of cases) {
    it(c.id, () => {
      const before = memory().numTensors;
      const [rtol, atol] = c.dtype === 'float32' ? [1e-4, 1e-6] : [1e-10, 1e-12];
      const fn = (losses as unknown as Record<string, LossFn>)[c.op];
      expect(fn, `loss function ${c.op}`).toBeTypeOf('function');
      const owned: Tensor[] = [];
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.attrs as Record<string, unknown>)) {
        if (isJ(v)) {
          const t = fromJ(v);
          owned.push(t);
          options[k] = t;
        } else options[k] = v;
      }
      const input = fromJ(c.inputs[0]);
      const target = fromJ(c.inputs[1]);
      owned.push(input, target);
      const differentiate = c.gradOutput !== undefined;
      if (differentiate) input.requiresGrad = true;
      tidy(() => {
        const out = fn(input, target, options);
        expect(out.shape, `${c.id} output shape`).toEqual(c.output.shape);
        expect(out.dtype).toBe(c.dtype);
        close(out.dataSync() as never, c.output.data, rtol, atol, `${c.id} output`);
        if (differentiate) {
          const g = fromJ(c.gradOutput);
          sum(mul(out, g)).backward();
          g.dispose();
          const grad = input.grad;
          expect(grad, `${c.id} input gradient`).not.toBeNull();
          close(grad!.dataSync() as never, c.grads[0].data, rtol, atol, `${c.id} grad`);
          expect(c.grads[1]).toBeNull();
        }
      });
      for (const t of owned) t.dispose();
      expect(memory().numTensors, `${c.id} leaked tensors`).toBe(before);
    });
  }
});
