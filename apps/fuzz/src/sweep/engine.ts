/**
 * The property-sweep engine: runs one {@link SweepCase} on a backend under test and on the CPU
 * backend in float64 (the reference: the CPU backend is held to PyTorch by the conformance suite,
 * and its float64 run to `@tensorgrad/conformance`'s independent references where a case has one),
 * compares the outputs at the float32 tolerances, the gradients with the CPU backend's, and
 * gradchecks the float64 run on small cases with finite inputs away from kinks.
 */
import { gradcheck } from '@tensorgrad/autodiff';
import { permuteNd, seededRng, sizeOf, toleranceFor, type HostTensor, type Nd, type Rng, type ToleranceKind } from '@tensorgrad/conformance';
import { discrepancy, randomGradient } from '@tensorgrad/crosscheck';
import { fromArray } from '@tensorgrad/tensor/backend';
import { allocArray, findBackend, isFloating, memory, NotSupportedError, setBackend, Tensor, tidy, type Backend, type DType } from 'tensorgrad';
import type { SweepCase, SweepInput, SweepLayout, SweepOutput, SweepValues } from './types.js';

/** What {@link runSweepCase} resolves with: the case passed, or the backend cannot do it. */
export type SweepOutcome =
  | { status: 'pass'; summary: string }
  | {
      status: 'unsupported';
      summary: string;
      /** The `NotSupportedError`'s message. */
      reason: string;
    };

/**
 * What {@link runSweepCase} rejects with: a wrong value, a wrong gradient, an error other than
 * `NotSupportedError`, or a leak. `key` (`<backend>:<op>:<what>`) is what `KNOWN_FAILURES` lists.
 *
 * @example
 * ```ts
 * import { SweepFailure } from '@tensorgrad/fuzz';
 * const e = new SweepFailure('webgpu', 'exp', 'forward', 'exp: output element 0: …');
 * [e.key, e instanceof Error]; // ['webgpu:exp:forward', true]
 * ```
 */
export class SweepFailure extends Error {
  override readonly name = 'SweepFailure';
  /** `<backend>:<op>:<what>`. */
  readonly key: string;

  constructor(
    readonly backend: string,
    readonly op: string,
    /**
     * `forward`, `grad`, `reference`, `gradcheck`, `error` or `leak`, with `-special` when the
     * inputs hold ±Inf, NaN, denormals or huge values, and `@<tag>` for a tagged sub-case.
     */
    readonly what: string,
    message: string,
  ) {
    super(message);
    this.key = `${backend}:${op}:${what}`;
  }
}

// ±1e18: large, yet its square fits float32 (so float32 intermediates overflow only where the result does)
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 1e18, -1e18, 88.7, -88.7];
// sums cancel ±1e18 in an order-dependent way (float32 or float64, compensated or not: 0 or ±128),
// an error relative to the summands that no tolerance relative to the result can judge
const SPECIALS_FOR_SUMS = SPECIALS.filter((v) => Math.abs(v) !== 1e18);
const TIES = [-1, -0.5, 0, 0.5, 1];

function defaultValues(dtype: DType): SweepValues {
  return dtype === 'bool' ? 'bools' : dtype === 'int32' ? 'integers' : 'normal';
}

function draw(mode: SweepValues, rng: Rng, sums: boolean): number {
  switch (mode) {
    case 'normal':
      return -3 + 6 * rng();
    case 'positive':
      return 0.25 + 2.75 * rng();
    case 'nonzero':
      return (rng() < 0.5 ? -1 : 1) * (0.25 + 2.75 * rng());
    case 'special':
      return rng() < 0.5 ? (sums ? SPECIALS_FOR_SUMS : SPECIALS)[Math.floor(rng() * (sums ? SPECIALS_FOR_SUMS : SPECIALS).length)]! : -3 + 6 * rng();
    case 'ties':
      return TIES[Math.floor(rng() * TIES.length)]!;
    case 'integers':
      return Math.floor(rng() * 11) - 5;
    case 'bools':
      return rng() < 0.5 ? 0 : 1;
    case 'explicit':
      throw new Error('sweep: explicit values need SweepInput.data');
  }
}

function castValue(v: number, dtype: DType): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (dtype === 'int32') return Math.trunc(v) | 0;
  return Math.fround(v);
}

/** The layout an input is actually built with: the requested one where its shape allows it, else contiguous. */
function usableLayout(input: SweepInput): SweepLayout {
  const layout = input.layout ?? 'contiguous';
  if (layout === 'permuted' && input.shape.length < 2) return 'contiguous';
  if (layout === 'expanded' && !input.shape.some((s) => s > 1)) return 'contiguous';
  if (layout === 'sliced' && input.shape.length < 1) return 'contiguous';
  return layout;
}

/**
 * The logical values of one input (float values rounded to float32, so the run under test and the
 * float64 reference see the same numbers); an `expanded` input repeats along its first dim of
 * size > 1. `sums` leaves ±1e18 out of the `special` values (for reductions, whose cancellation of
 * huge values depends on the summation order).
 *
 * @example
 * ```ts
 * import { drawInput } from '@tensorgrad/fuzz';
 * import { seededRng } from '@tensorgrad/conformance';
 * const x = drawInput({ shape: [2, 3], dtype: 'float32', layout: 'expanded' }, seededRng('demo'));
 * [x.shape, x.data[0] === x.data[3]]; // [[2, 3], true]
 * ```
 */
export function drawInput(input: SweepInput, rng: Rng, sums = false): Nd {
  const n = sizeOf(input.shape);
  const mode = input.values ?? defaultValues(input.dtype);
  if (mode === 'explicit') {
    if (!input.data || input.data.length !== n) {
      throw new Error(`sweep: an explicit input of shape [${input.shape.join(', ')}] needs ${n} values in SweepInput.data, got ${input.data?.length ?? 'none'}`);
    }
    return { shape: [...input.shape], data: Float64Array.from(input.data, (v) => castValue(v, input.dtype)) };
  }
  const data = new Float64Array(n);
  const layout = usableLayout(input);
  if (layout === 'expanded') {
    const d = input.shape.findIndex((s) => s > 1);
    const inner = sizeOf(input.shape.slice(d + 1));
    const outer = sizeOf(input.shape.slice(0, d));
    const size = input.shape[d]!;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const v = castValue(draw(mode, rng, sums), input.dtype);
        for (let k = 0; k < size; k++) data[(o * size + k) * inner + i] = v;
      }
    }
  } else {
    for (let i = 0; i < n; i++) data[i] = castValue(draw(mode, rng, sums), input.dtype);
  }
  return { shape: [...input.shape], data };
}

function typed(dtype: DType, values: ArrayLike<number>): ReturnType<typeof allocArray> {
  const out = allocArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/** Builds `nd` on `backend` as a `dtype` tensor with `layout`; every tensor made is pushed on `owned`. */
function buildTensor(backend: Backend, nd: Nd, dtype: DType, layout: SweepLayout, owned: Tensor[]): Tensor {
  const make = (x: Nd): Tensor => {
    const t = fromArray(backend, typed(dtype, x.data), [...x.shape], dtype);
    owned.push(t);
    return t;
  };
  const shape = nd.shape;
  let t: Tensor;
  if (layout === 'permuted') {
    const rev = shape.map((_, i) => shape.length - 1 - i);
    t = make(permuteNd(nd, rev)).permute(rev);
  } else if (layout === 'expanded') {
    const d = shape.findIndex((s) => s > 1);
    const inner = sizeOf(shape.slice(d + 1));
    const outer = sizeOf(shape.slice(0, d));
    const base = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) base[o * inner + i] = nd.data[o * shape[d]! * inner + i]!;
    t = make({ shape: shape.map((s, i) => (i === d ? 1 : s)), data: base }).expand([...shape]);
  } else if (layout === 'sliced') {
    const last = shape[shape.length - 1]!;
    const outer = sizeOf(shape.slice(0, -1));
    const wide = 2 * last + 1;
    const base = new Float64Array(outer * wide).fill(dtype === 'bool' ? 1 : 77);
    for (let o = 0; o < outer; o++) for (let k = 0; k < last; k++) base[o * wide + 2 * k + 1] = nd.data[o * last + k]!;
    t = make({ shape: [...shape.slice(0, -1), wide], data: base }).slice(-1, 1, wide, 2);
  } else {
    return make(nd);
  }
  owned.push(t);
  return t;
}

function namedOutputs(out: SweepOutput): [string, Tensor][] {
  if (out instanceof Tensor) return [['output', out]];
  if (Array.isArray(out)) return (out as readonly Tensor[]).map((t, i) => [`output ${i}`, t] as [string, Tensor]);
  const vi = out as { values: Tensor; indices: Tensor };
  return [
    ['values', vi.values],
    ['indices', vi.indices],
  ];
}

interface RunResult {
  outputs: [string, HostTensor][];
  grads: [string, HostTensor][];
}

type RunOutcome = { ok: true; result: RunResult } | { ok: false; error: unknown };

/**
 * Runs `c` on `backend` with the inputs' logical values `values`, each input in `dtypeOf(its dtype)`
 * and its layout; then `backward` with the seeded upstream gradient. Reads everything, disposes
 * everything, and throws a leak error when the backend holds more tensors afterwards.
 */
async function runOn(backend: Backend, c: SweepCase, values: Nd[], dtypeOf: (d: DType) => DType, gradSeed: string): Promise<RunOutcome> {
  await setBackend(backend.name);
  const before = memory(backend.name).numTensors;
  const owned: Tensor[] = [];
  let outcome: RunOutcome;
  try {
    const xs = c.inputs.map((input, i) => buildTensor(backend, values[i]!, dtypeOf(input.dtype), usableLayout(input), owned));
    const gradInputs = c.grad ? c.inputs.map((input, i) => (input.grad && isFloating(xs[i]!.dtype) ? i : -1)).filter((i) => i >= 0) : [];
    for (const i of gradInputs) xs[i]!.requiresGrad_();
    const backward = (outs: [string, Tensor][]): [string, Tensor][] => {
      const primary = outs.find(([, t]) => isFloating(t.dtype))?.[1];
      if (gradInputs.length && primary) {
        const g = randomGradient(primary.shape, primary.dtype === 'float64' ? 'float64' : 'float32', seededRng(gradSeed));
        primary.backward(fromArray(backend, typed(primary.dtype, g.data), [...primary.shape], primary.dtype));
      }
      return outs;
    };
    const callAsync = c.callAsync;
    const named = callAsync ? await tidy(async () => backward(namedOutputs(await callAsync(xs)))) : tidy(() => backward(namedOutputs(c.call(xs))));
    for (const [, t] of named) owned.push(t);
    const outputs: [string, HostTensor][] = [];
    for (const [name, t] of named) outputs.push([name, { shape: t.shape, dtype: t.dtype, data: await t.data() }]);
    const grads: [string, HostTensor][] = [];
    for (const i of gradInputs) {
      const g = xs[i]!.grad;
      if (!g) throw new Error(`backward() left the gradient of input ${i} null`);
      grads.push([`grad of input ${i}`, { shape: g.shape, dtype: g.dtype, data: await g.data() }]);
    }
    outcome = { ok: true, result: { outputs, grads } };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    for (const t of owned) t.dispose();
  }
  const after = memory(backend.name).numTensors;
  if (outcome.ok && after !== before) {
    return { ok: false, error: new LeakError(`${after - before} tensor(s) leaked on backend '${backend.name}' (numTensors ${before} before the case, ${after} after disposing its inputs, outputs and gradients)`) };
  }
  return outcome;
}

class LeakError extends Error {}

function castHost(ref: HostTensor, dtype: DType): HostTensor {
  if (ref.dtype === dtype) return ref;
  if (isFloating(ref.dtype) && isFloating(dtype)) return { shape: ref.shape, dtype, data: dtype === 'float32' ? Float32Array.from(ref.data) : Float64Array.from(ref.data) };
  return ref;
}

/** Whether a float input holds ±Inf, NaN, a denormal or a huge value (where float32 and float64 gradients may part legitimately). */
function hasSpecial(values: Nd[], c: SweepCase): boolean {
  return c.inputs.some((input, i) => isFloating(input.dtype) && values[i]!.data.some((v) => !Number.isFinite(v) || (v !== 0 && Math.abs(v) < 1.2e-38) || Math.abs(v) >= 1e15));
}

function describeInputs(c: SweepCase, values: Nd[]): string {
  return c.inputs
    .map((input, i) => {
      const v = values[i]!.data;
      const first = Array.from(v.slice(0, 6), (x) => (Object.is(x, -0) ? '-0' : Number.isInteger(x) ? String(x) : x.toPrecision(4)));
      return `#${i} ${input.dtype} [${input.shape.join(', ')}] ${usableLayout(input)} ${input.values ?? defaultValues(input.dtype)}${input.grad && c.grad ? ' (grad)' : ''} = [${first.join(', ')}${v.length > 6 ? ', …' : ''}]`;
    })
    .join('; ');
}

function gradKind(c: SweepCase, input: SweepInput, outShape: readonly number[] | undefined): ToleranceKind {
  if (c.tolerance === 'reduction') return 'reduction';
  return outShape && sizeOf(input.shape) !== sizeOf(outShape) ? 'reduction' : 'elementwise';
}

/**
 * Whether every grad input of `c` draws smooth values (`normal`, `positive`, `nonzero`) and is not
 * expanded (an expanded input repeats its values: ties, where max/min/norm/std have kinks).
 */
function smoothCase(c: SweepCase): boolean {
  return c.inputs.every((input) => !input.grad || (['normal', 'positive', 'nonzero'].includes(input.values ?? defaultValues(input.dtype)) && usableLayout(input) !== 'expanded'));
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The largest input (elements) and output the float64 run is gradchecked on. */
const GRADCHECK_MAX_ELEMENTS = 24;

/**
 * Runs one case on backend `backendName` and on the CPU backend in float64, and compares:
 * forward outputs at the float32 tolerances of `c.tolerance` (NaN must meet NaN, infinities
 * exact); the CPU float64 outputs with `c.reference` at the float64 tolerance; for differentiable
 * cases the gradients with the CPU backend's gradient in the same dtype (on `cpu` itself, with the
 * float64 gradient when the inputs are finite and smooth); and on `cpu`, `gradcheck` of the float64 run when
 * the case is small and its grad inputs are `normal`, `positive` or `nonzero` values (not expanded). Resolves
 * `unsupported` when the backend under test throws `NotSupportedError`; rejects with a
 * {@link SweepFailure} naming op, backend, dtype, shapes, layouts, the first bad element and the seed.
 *
 * @example
 * ```ts
 * import { exp } from 'tensorgrad';
 * import { runSweepCase } from '@tensorgrad/fuzz';
 * const c = { op: 'exp', inputs: [{ shape: [2, 3], dtype: 'float32' as const, layout: 'permuted' as const, grad: true }],
 *   call: ([x]: any[]) => exp(x), tolerance: 'elementwise' as const, grad: true, describe: 'exp' };
 * (await runSweepCase('cpu', c, 1)).status; // 'pass'
 * ```
 */
export async function runSweepCase(backendName: string, c: SweepCase, seed: number): Promise<SweepOutcome> {
  const rng = seededRng(`sweep-values:${c.op}:${seed}`);
  const values = c.inputs.map((input) => drawInput(input, rng, c.tolerance === 'reduction'));
  const special = hasSpecial(values, c);
  const gradSeed = `sweep-grad:${c.op}:${seed}`;
  const dtypes = [...new Set(c.inputs.map((x) => x.dtype))].join('/') || 'no inputs';
  const context = (): string => `${c.op} on '${backendName}' (${dtypes}; ${c.describe}); inputs ${describeInputs(c, values)}; seed ${seed} (replay: ops/${backendName}:${seed})`;
  const tag = c.tag ? `@${c.tag}` : '';
  const fail = (what: string, message: string): SweepFailure => new SweepFailure(backendName, c.op, `${special ? `${what}-special` : what}${tag}`, `${context()}: ${message}`);

  const backend = await findBackend(backendName);
  const cpu = await findBackend('cpu');
  const toRef = (d: DType): DType => (d === 'float32' ? 'float64' : d);
  const tested = await runOn(backend, c, values, (d) => d, gradSeed);
  if (!tested.ok) {
    if (tested.error instanceof NotSupportedError) return { status: 'unsupported', summary: `${c.op} (${dtypes}; ${c.describe}) unsupported on '${backendName}'`, reason: tested.error.message };
    throw fail(tested.error instanceof LeakError ? 'leak' : 'error', `threw ${errorText(tested.error)}`);
  }
  const reference = await runOn(cpu, c, values, toRef, gradSeed);
  if (!reference.ok) {
    if (reference.error instanceof NotSupportedError) {
      return { status: 'unsupported', summary: `${c.op} (${dtypes}; ${c.describe}): no float64 reference on 'cpu'`, reason: reference.error.message };
    }
    throw fail(reference.error instanceof LeakError ? 'leak' : 'error', `passed on '${backendName}' but the CPU float64 reference threw ${errorText(reference.error)}`);
  }
  const { outputs, grads } = tested.result;
  const ref = reference.result;
  if (outputs.length !== ref.outputs.length) throw fail('forward', `${outputs.length} outputs, the reference has ${ref.outputs.length}`);
  for (const [k, [name, out]] of outputs.entries()) {
    const expected = castHost(ref.outputs[k]![1], out.dtype);
    const d = discrepancy(expected, out, toleranceFor(out.dtype, c.tolerance));
    if (d.message !== null) throw fail('forward', `${name}: ${d.message} (a = CPU float64 reference, b = '${backendName}')`);
  }
  if (c.reference) {
    const independent = c.reference(values);
    const list = independent === null ? [] : Array.isArray(independent) ? independent : [independent];
    for (const [k, nd] of list.entries()) {
      const [name, cpuOut] = ref.outputs[k]!;
      const d = discrepancy({ shape: nd.shape, dtype: cpuOut.dtype, data: nd.data }, cpuOut, toleranceFor(cpuOut.dtype, c.tolerance));
      if (d.message !== null) throw new SweepFailure('cpu', c.op, `${special ? 'reference-special' : 'reference'}${tag}`, `${context()}: CPU float64 ${name} against the independent reference: ${d.message} (a = reference.ts, b = CPU float64)`);
    }
  }
  const done = ['forward'];
  const outShape = outputs.find(([, t]) => isFloating(t.dtype))?.[1].shape;
  if (grads.length && (c.gradAtTies !== false || (!special && smoothCase(c)))) {
    let against = ref.grads;
    let from = 'the CPU float64 gradient';
    if (backendName !== 'cpu') {
      const cpu32 = await runOn(cpu, c, values, (d) => d, gradSeed);
      if (!cpu32.ok) throw fail('error', `passed on '${backendName}' but the CPU run in the same dtypes threw ${errorText(cpu32.error)}`);
      against = cpu32.result.grads;
      from = "the CPU backend's gradient";
    } else if (special || !smoothCase(c)) {
      // at ±Inf, NaN, huge values and kinks (ties, zero variance of an expanded input) float32 and
      // float64 gradients part legitimately (PyTorch's float32 std of three equal values has an
      // O(1) gradient, its float64 one 0): the float64 run is gradchecked instead
      against = [];
    }
    for (const [k, [name, g]] of grads.entries()) {
      const expectedGrad = against[k];
      if (!expectedGrad) continue;
      const input = c.inputs[Number(name.slice('grad of input '.length))]!;
      const d = discrepancy(castHost(expectedGrad[1], g.dtype), g, toleranceFor(g.dtype, gradKind(c, input, outShape)));
      if (d.message !== null) throw fail('grad', `${name}: ${d.message} (a = ${from}, b = '${backendName}')`);
    }
    done.push('grad');
  }
  if (backendName === 'cpu' && grads.length && c.gradcheck !== false && !special) {
    const smooth = smoothCase(c);
    const small = c.inputs.reduce((n, x) => n + (x.grad ? sizeOf(x.shape) : 0), 0) <= GRADCHECK_MAX_ELEMENTS;
    const finiteOut = ref.outputs.every(([, t]) => Array.from(t.data).every(Number.isFinite)) && (!outShape || sizeOf(outShape) <= GRADCHECK_MAX_ELEMENTS);
    if (smooth && small && finiteOut) {
      await setBackend('cpu');
      const owned: Tensor[] = [];
      try {
        const xs = c.inputs.map((input, i) => {
          const t = fromArray(cpu, typed(toRef(input.dtype), values[i]!.data), [...input.shape], toRef(input.dtype));
          owned.push(t);
          return t;
        });
        const vars = c.inputs.map((input, i) => (input.grad && isFloating(input.dtype) ? i : -1)).filter((i) => i >= 0);
        const fn = (...vs: Tensor[]): Tensor => {
          const all = xs.map((x, i) => (vars.includes(i) ? vs[vars.indexOf(i)]! : x));
          return namedOutputs(c.call(all)).find(([, t]) => isFloating(t.dtype))![1];
        };
        gradcheck(fn, vars.map((i) => xs[i]!));
      } catch (e) {
        throw new SweepFailure('cpu', c.op, `gradcheck${tag}`, `${context()}: gradcheck of the CPU float64 run: ${errorText(e)}`);
      } finally {
        for (const t of owned) t.dispose();
      }
      done.push('gradcheck');
    }
  }
  return { status: 'pass', summary: `${c.op} (${dtypes}; ${c.describe}) [${c.inputs.map((x) => x.shape.join('×') || 'scalar').join(', ')}]: ${done.join(', ')} ok` };
}
