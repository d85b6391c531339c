/** The cases of fixtures/generated/vision_utils.json for the tests of this package. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromTypedArray, type Tensor } from '@tensorgrad/tensor';

// torchvision 0.14's values, written by scripts/fixtures/tgfixtures/vision_utils.py
// (bash scripts/fixtures/generate.sh vision_utils)
export interface GT { shape: number[]; dtype: 'float32' | 'float64' | 'int32'; data: (number | string)[] }
export interface Case { id: string; fn: string; inputs: (GT | GT[])[]; options: Record<string, unknown>; output: GT }
const file = fileURLToPath(new URL('../../conformance/fixtures/generated/vision_utils.json', import.meta.url));
const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] }).cases;

export function toTensor(t: GT): Tensor {
  const data = t.data.map(Number);
  const array = t.dtype === 'float32' ? Float32Array.from(data) : t.dtype === 'float64' ? Float64Array.from(data) : Int32Array.from(data);
  return fromTypedArray(array, t.shape);
}
export function casesOf(fn: string): Case[] {
  const list = cases.filter((c) => c.fn === fn);
  if (list.length === 0) throw new Error(`no ${fn} cases in ${file}`);
  return list;
}

