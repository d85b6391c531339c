/**
 * The generator contract of the property sweeps: an {@link OpGenerator} draws a random valid case
 * of its op ({@link SweepCase}) from a seeded random source; the engine (`runSweepCase`) builds the
 * inputs on the backend under test and on the CPU backend in float64, runs both and compares.
 */
import type { Nd, Rng, ToleranceKind } from '@tensorgrad/conformance';
import type { DType, Tensor } from 'tensorgrad';

/**
 * How an input is laid out in storage: `contiguous`; `permuted` (a permute of a contiguous tensor
 * of the reversed shape, rank ≥ 2); `expanded` (a size-1 dim broadcast with `expand`: the values
 * repeat along the first dim of size > 1); `sliced` (every other element of a larger tensor along
 * the last dim, with an offset: `slice(-1, 1, 2n + 1, 2)`). Inputs whose rank or shape does not
 * allow the layout are built contiguous (the case description says which layout was used).
 */
export type SweepLayout = 'contiguous' | 'permuted' | 'expanded' | 'sliced';

/**
 * Where an input's values come from:
 * - `normal`: uniform in [−3, 3), rounded to float32 (no ties, no kinks: gradcheck-able);
 * - `positive`: uniform in [0.25, 3) (domains of log, sqrt, pow bases);
 * - `nonzero`: magnitude in [0.25, 3) with a random sign (divisors, abs/sign away from 0);
 * - `special`: a mix of normal values with ±0, ±Inf, NaN, denormals (±1e-40), ±1e18 (not in
 *   cases judged as reductions) and ±88.7;
 * - `ties`: drawn from {−1, −0.5, 0, 0.5, 1} (repeats for max/argmax/sort, relu and sign at 0);
 * - `integers`: integers in [−5, 5] (int32 inputs, exponents);
 * - `bools`: 0 or 1 (bool inputs, masks);
 * - `explicit`: {@link SweepInput.data}.
 */
export type SweepValues = 'normal' | 'positive' | 'nonzero' | 'special' | 'ties' | 'integers' | 'bools' | 'explicit';

/**
 * One input of a case.
 *
 * @example
 * ```ts
 * import type { SweepInput } from '@tensorgrad/fuzz';
 * const x: SweepInput = { shape: [2, 0, 3], dtype: 'float32', layout: 'permuted', values: 'special', grad: true };
 * x.shape.includes(0); // true
 * ```
 */
export interface SweepInput {
  /** The logical shape (0-d `[]`, size-1 and zero-size dims welcome). */
  shape: number[];
  /** The dtype on the backend under test (float32 inputs run as float64 in the reference). */
  dtype: DType;
  /** Default `contiguous`. */
  layout?: SweepLayout;
  /** Default `normal` for floats, `integers` for int32, `bools` for bool. */
  values?: SweepValues;
  /** The logical values, row-major, when `values` is `explicit` (indices, exponents). */
  data?: number[];
  /** Whether the gradient with respect to this input is checked (float inputs of differentiable cases). */
  grad?: boolean;
}

/** What a case's call returns: one tensor, several, or `{ values, indices }` (max/min along a dim). */
export type SweepOutput = Tensor | readonly Tensor[] | { values: Tensor; indices: Tensor };

/**
 * One random case of one op: the inputs, the call, how float32 results are judged, and (when
 * `@tensorgrad/conformance` has one) an independent float64 reference of the outputs.
 *
 * @example
 * ```ts
 * import { exp } from 'tensorgrad';
 * import type { SweepCase } from '@tensorgrad/fuzz';
 * const c: SweepCase = {
 *   op: 'exp',
 *   inputs: [{ shape: [3], dtype: 'float32', grad: true }],
 *   call: ([x]) => exp(x!),
 *   tolerance: 'elementwise',
 *   grad: true,
 *   describe: 'exp of float32 [3]',
 * };
 * c.inputs.length; // 1
 * ```
 */
export interface SweepCase {
  /** The front-end op swept (a file of `packages/tensor/src/ops/` or a method of `Tensor`). */
  op: string;
  inputs: SweepInput[];
  /** Calls the op on the inputs (made on the current backend, in input order). */
  call: (inputs: Tensor[]) => SweepOutput;
  /**
   * The op's asynchronous form, when the case sweeps that instead (`maskedSelectAsync`,
   * `nonzeroAsync`, `uniqueAsync`: ops whose result size depends on the data, which backends without
   * a synchronous read — webgpu — run only this way). The engine then awaits it inside an
   * asynchronous `tidy`; `call` (the synchronous form, same result) serves the float64 gradcheck.
   */
  callAsync?: (inputs: Tensor[]) => Promise<SweepOutput>;
  /** How float32 outputs are judged (`toleranceFor`): element-wise ops or reductions/matmul. */
  tolerance: ToleranceKind;
  /** Whether `backward` runs (seeded random upstream gradient of the first floating output). */
  grad: boolean;
  /** The case in a few words: op, attributes (the shapes, dtypes and layouts are added by the engine). */
  describe: string;
  /**
   * The outputs in float64 from the inputs' logical values, by an implementation that shares no
   * code with any backend (`@tensorgrad/conformance`'s `reference.ts`); the CPU float64 run is
   * compared with it at the float64 tolerance. Absent when there is none; returns `null` for
   * inputs it does not model (e.g. NaN propagation).
   */
  reference?: (inputs: Nd[]) => Nd | Nd[] | null;
  /**
   * `false` when the float64 run must not be gradchecked even with finite inputs (a kink the
   * drawn values may sit on, e.g. clamp at a bound drawn from the inputs). Default `true`.
   */
  gradcheck?: boolean;
  /**
   * `false` when a tie or a special value makes the op's gradient depend on rounding (std of a
   * constant lane: 0/0 resolved by the float32 rounding of its mean, different on every backend
   * and in PyTorch): gradients are then compared on smooth inputs only. Default `true`.
   */
  gradAtTies?: boolean;
  /**
   * A sub-case name appended to the failure key (`<backend>:<op>:<what>@<tag>`), so that
   * `KNOWN_FAILURES` can list one corner of an op without hiding its other failures.
   */
  tag?: string;
}

/**
 * A generator of random cases of one op.
 *
 * @example
 * ```ts
 * import { neg } from 'tensorgrad';
 * import type { OpGenerator } from '@tensorgrad/fuzz';
 * const gen: OpGenerator = {
 *   op: 'neg',
 *   dtypes: ['float32', 'int32'],
 *   generate: (rng, dtype) => ({
 *     op: 'neg',
 *     inputs: [{ shape: [1 + Math.floor(rng() * 3)], dtype, grad: dtype === 'float32' }],
 *     call: ([x]) => neg(x!),
 *     tolerance: 'elementwise',
 *     grad: dtype === 'float32',
 *     describe: 'neg',
 *   }),
 * };
 * gen.generate(() => 0.5, 'float32').inputs[0]!.shape; // [2]
 * ```
 */
export interface OpGenerator {
  /** The op (as in {@link SweepCase.op}); several generators may sweep one op. */
  op: string;
  /** The dtypes of the backend under test the op is swept in (a backend's dtypes filter them). */
  dtypes: readonly DType[];
  /** Draws one valid case in `dtype` from `rng`. */
  generate(rng: Rng, dtype: DType): SweepCase;
}
