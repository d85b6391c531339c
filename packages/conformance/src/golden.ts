/**
 * Reading the PyTorch golden fixtures (`fixtures/pytorch/*.json`, a byte-identical copy of
 * `shared/golden/`): the JSON tensor format and its conversion to tensors on a backend.
 */
import { readFixtureJson } from './fixture-files.js';
import { allocArray, findBackendSync, type Backend, type DType, type Tensor, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';

/** One element as written in a fixture: non-finite floats are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`. */
export type GoldenScalar = number | boolean | 'NaN' | 'Infinity' | '-Infinity';

/** A tensor as written in a fixture: shape, dtype and the row-major elements. */
export interface GoldenTensor {
  shape: number[];
  dtype: DType;
  data: GoldenScalar[];
}

/** The `{values, indices}` output of `max`/`min` with a `dim`. */
export interface GoldenValuesIndices {
  values: GoldenTensor;
  indices: GoldenTensor;
}

/** One case of an op-like fixture (`ops.json`, `layers.json`, `losses.json`). */
export interface GoldenCase {
  id: string;
  op: string;
  dtype: DType;
  inputs: (GoldenTensor | null)[];
  attrs: Record<string, unknown>;
  output: GoldenTensor | GoldenValuesIndices;
  gradOutput?: GoldenTensor;
  grads?: (GoldenTensor | null)[];
  inputsAfter?: (GoldenTensor | null)[];
}

/** A fixture file: the generator's description and its cases. */
export interface GoldenFile<C = GoldenCase> {
  generator: string;
  cases: C[];
}

/**
 * Loads (and caches) a fixture of `fixtures/pytorch/` by file name, with or without `.json`.
 *
 * @example
 * ```ts
 * import { loadGolden } from '@tensorgrad/conformance';
 * const ops = loadGolden('ops.json');
 * ops.cases[0].id; // 'add/same-shape/float32'
 * ```
 */
export function loadGolden<C = GoldenCase>(file: string): GoldenFile<C> {
  return readFixtureJson('pytorch', file, 'loadGolden', 'one of the files of shared/golden/') as GoldenFile<C>;
}

/**
 * Decodes one fixture element to a number (`true`/`false` → 1/0, `"NaN"` → NaN, …).
 *
 * @example
 * ```ts
 * import { decodeGoldenScalar } from '@tensorgrad/conformance';
 * decodeGoldenScalar('-Infinity'); // -Infinity
 * decodeGoldenScalar(true); // 1
 * ```
 */
export function decodeGoldenScalar(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new TypeError(`decodeGoldenScalar: expected a number, a boolean or "NaN"/"Infinity"/"-Infinity", got ${JSON.stringify(v)}`);
}

/**
 * The elements of a fixture tensor as a typed array of its dtype (float32 values come back
 * bit-exact, as the README promises).
 *
 * @example
 * ```ts
 * import { goldenData } from '@tensorgrad/conformance';
 * goldenData({ shape: [2], dtype: 'float32', data: [0.5, 'NaN'] }); // Float32Array [0.5, NaN]
 * ```
 */
export function goldenData(t: GoldenTensor): TypedArray {
  const out = allocArray(t.dtype, t.data.length);
  for (let i = 0; i < t.data.length; i++) out[i] = decodeGoldenScalar(t.data[i]);
  return out;
}

/**
 * Creates a tensor on `backend` (a name or an instance) from a fixture tensor.
 *
 * @example
 * ```ts
 * import { goldenToTensor } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const t = goldenToTensor({ shape: [2], dtype: 'float64', data: [1, 'Infinity'] }, 'cpu');
 * t.dtype; // 'float64'
 * t.dispose();
 * ```
 */
export function goldenToTensor(obj: GoldenTensor, backend: string | Backend): Tensor {
  const b = typeof backend === 'string' ? findBackendSync(backend) : backend;
  const n = obj.shape.reduce((a, d) => a * d, 1);
  if (n !== obj.data.length) {
    throw new RangeError(`goldenToTensor: shape [${obj.shape.join(', ')}] holds ${n} elements but data has ${obj.data.length}`);
  }
  return fromArray(b, goldenData(obj), obj.shape, obj.dtype);
}
