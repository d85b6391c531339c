import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromTypedArray, type DType, type Tensor } from '@tensorgrad/tensor';

/** A fixture tensor (see packages/conformance/fixtures/pytorch/README.md). */
export interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data: (number | string | boolean)[];
}

const dir = fileURLToPath(new URL('../../conformance/fixtures/pytorch/', import.meta.url));

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as T;
}

function num(v: number | string | boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v);
}

export function fromFixture(f: FixtureTensor): Tensor {
  const vals = f.data.map(num);
  const arr = f.dtype === 'float64' ? Float64Array.from(vals) : f.dtype === 'int32' ? Int32Array.from(vals) : f.dtype === 'bool' ? Uint8Array.from(vals) : Float32Array.from(vals);
  return fromTypedArray(arr, f.shape, { dtype: f.dtype });
}

/** Element-wise `|a - e| <= atol + rtol |e|`; returns a message for the first failure, or null. */
export function compare(actual: Tensor, expected: FixtureTensor, rtol: number, atol: number): string | null {
  if (actual.shape.join(',') !== expected.shape.join(',')) return `shape [${actual.shape.join(', ')}] != expected [${expected.shape.join(', ')}]`;
  const a = actual.dataSync();
  const e = expected.data.map(num);
  for (let i = 0; i < e.length; i++) {
    const x = Number(a[i]);
    const y = e[i]!;
    if (Number.isNaN(y) ? !Number.isNaN(x) : Math.abs(x - y) > atol + rtol * Math.abs(y)) return `element ${i}: got ${x}, expected ${y}`;
  }
  return null;
}
