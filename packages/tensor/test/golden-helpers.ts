// Shared access to the PyTorch golden cases of packages/conformance/fixtures/pytorch/ops.json for
// the tensor package's tests: the fixture types, case selection, tensor construction on the
// current backend, a synchronous comparison (DESIGN.md §6 semantics: NaN meets NaN, ±Infinity
// exact, int32/bool exact, dtype and shape must match) and a forward + backward case runner.
import { expect } from 'vitest';
import {
  compareHost,
  goldenData,
  goldenToTensor,
  loadGolden,
  toleranceFor,
  type GoldenCase,
  type GoldenTensor,
  type GoldenValuesIndices,
  type Tolerance,
} from '@tensorgrad/conformance';
import { getBackend, memory, tidy, type DType, type Tensor } from '@tensorgrad/tensor';

export { decodeGoldenScalar, goldenData, type GoldenCase, type GoldenTensor, type Tolerance } from '@tensorgrad/conformance';

/** A golden case whose output is a single tensor (every op but `max`/`min` with a `dim`). */
export type GoldenTensorCase = Omit<GoldenCase, 'output'> & { output: GoldenTensor };

/** A set of op names: an array, a `Set`, or the keys of a record of op runners. */
export type OpNames = readonly string[] | ReadonlySet<string> | Readonly<Record<string, unknown>>;

function hasOp(ops: OpNames, op: string): boolean {
  if (Array.isArray(ops)) return (ops as readonly string[]).includes(op);
  if (ops instanceof Set) return ops.has(op);
  return Object.prototype.hasOwnProperty.call(ops, op);
}

const isGoldenTensor = (o: GoldenTensor | GoldenValuesIndices): o is GoldenTensor => !('values' in o);

/** Every case of `ops.json` whose op is in `ops`, whatever its output (tensor or `{values, indices}`). */
export function goldenCasesAnyOutput(ops: OpNames): GoldenCase[] {
  return loadGolden('ops.json').cases.filter((c) => hasOp(ops, c.op));
}

/** The cases of `ops.json` whose op is in `ops`; throws if one of them has a `{values, indices}` output. */
export function goldenCases(ops: OpNames): GoldenTensorCase[] {
  return goldenCasesAnyOutput(ops).map((c) => {
    if (!isGoldenTensor(c.output)) throw new Error(`golden case ${c.id} has a {values, indices} output; use goldenCasesAnyOutput`);
    return c as GoldenTensorCase;
  });
}

/** A tensor on the current backend holding a fixture tensor (bit-exact for float32). */
export function fromGolden(g: GoldenTensor): Tensor {
  return goldenToTensor(g, getBackend());
}

/** A tolerance per dtype, or one for every dtype (int32 and bool are always compared exactly). */
export type GoldenTolerance = Tolerance | ((dtype: DType) => Tolerance);

/** The float64 tolerance of DESIGN.md §6. */
export const FLOAT64_TOL: Tolerance = { rtol: 1e-10, atol: 1e-10 };

/** `float32` for float32 results, `float64` (default {@link FLOAT64_TOL}) for float64 ones. */
export function tolPerDtype(float32: Tolerance, float64: Tolerance = FLOAT64_TOL): (dtype: DType) => Tolerance {
  return (dtype) => (dtype === 'float64' ? float64 : float32);
}

/** DESIGN.md §6 element-wise: float32 rtol 1e-5 / atol 1e-6, float64 1e-10. */
const elementwiseTol = (dtype: DType): Tolerance => toleranceFor(dtype, 'elementwise');

/**
 * Asserts that `actual` has the dtype, shape and (within `tol`, chosen by the expected dtype)
 * the values of the fixture tensor `expected`; the failure names `what` and the first mismatch.
 */
export function expectGoldenClose(actual: Tensor, expected: GoldenTensor, what: string, tol: GoldenTolerance = elementwiseTol): void {
  const t = typeof tol === 'function' ? tol(expected.dtype) : tol;
  const msg = compareHost(
    { shape: actual.shape, dtype: actual.dtype, data: actual.dataSync() },
    { shape: expected.shape, dtype: expected.dtype, data: goldenData(expected) },
    t,
  );
  expect(msg, what).toBeNull();
}

/** A {@link runGoldenCase} caller for functional ops: fn(...inputs, attrs) (cat/stack: fn(inputs, attrs)). */
export function callOp(fns: Record<string, (...a: never[]) => Tensor>): (inputs: (Tensor | null)[], c: GoldenTensorCase) => Tensor {
  return (inputs, c) => {
    const fn = fns[c.op] as unknown as (...a: unknown[]) => Tensor;
    return c.op === 'cat' || c.op === 'stack' ? fn(inputs, c.attrs) : fn(...inputs, c.attrs);
  };
}

/**
 * Runs a golden case inside `tidy`: builds its inputs (those with an expected gradient require
 * grad), calls `call(inputs, c)`, checks the output, the `inputsAfter` (in-place updates) and,
 * when the case has them, the gradients after `backward(gradOutput)`; then checks for leaks.
 */
export function runGoldenCase(
  c: GoldenTensorCase,
  call: (inputs: (Tensor | null)[], c: GoldenTensorCase) => Tensor,
  tol: GoldenTolerance = elementwiseTol,
): void {
  const before = memory().numTensors;
  tidy(() => {
    const inputs = c.inputs.map((t) => (t ? fromGolden(t) : null));
    const diff = c.grads?.map((g) => g !== null) ?? [];
    inputs.forEach((t, i) => {
      if (t && diff[i]) t.requiresGrad_();
    });
    const out = call(inputs, c);
    expectGoldenClose(out, c.output, `${c.id} output`, tol);
    c.inputsAfter?.forEach((g, i) => {
      if (g) expectGoldenClose(inputs[i]!, g, `${c.id} inputsAfter[${i}]`, tol);
    });
    if (c.gradOutput && c.grads) {
      out.backward(fromGolden(c.gradOutput));
      c.grads.forEach((g, i) => {
        if (!g) return;
        const actual = inputs[i]!.grad;
        expect(actual, `${c.id} grad ${i}`).not.toBeNull();
        expectGoldenClose(actual!, g, `${c.id} grad ${i}`, tol);
      });
    }
    inputs.forEach((t) => t?.dispose());
  });
  expect(memory().numTensors, `${c.id} leaks`).toBe(before);
}
