/**
 * Maps a golden case (`inputs`, `attrs` as in shared/golden/README.md) to a tensorgrad call:
 * tensor arguments positionally, then one options object with the case's attrs (ARCHITECTURE.md).
 */
import type { Tensor } from '@tensorgrad/tensor';
import { decodeGoldenScalar } from './golden.js';

/**
 * What an op returns: a tensor, or `{ values, indices }` for `max`/`min` with a `dim` (vision ops
 * such as `sort` and `topk` may also return the pair `[values, indices]`).
 */
export type OpOutput = Tensor | { values: Tensor; indices: Tensor } | [Tensor, Tensor];

type AnyFn = (...args: unknown[]) => unknown;
type Call = (fn: AnyFn, inputs: (Tensor | null)[], attrs: Record<string, unknown>) => unknown;

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * Fixture attrs with non-finite numbers decoded (`maskedFill`'s `value: "-Infinity"`).
 *
 * @example
 * ```ts
 * import { decodeAttrs } from '@tensorgrad/conformance';
 * decodeAttrs({ value: '-Infinity', approximate: 'tanh' }); // { value: -Infinity, approximate: 'tanh' }
 * ```
 */
export function decodeAttrs(attrs: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    out[k] = typeof v === 'string' && NON_FINITE.has(v) ? decodeGoldenScalar(v) : v;
  }
  return out;
}

const standard: Call = (fn, inputs, attrs) => (Object.keys(attrs).length > 0 ? fn(...inputs, attrs) : fn(...inputs));

/** `add(a, b)` or `add(a, other)` with a number operand (the attr `other`; `pow`'s `exponent`). */
const scalarOperand =
  (key: string): Call =>
  (fn, inputs, attrs) => {
    if (inputs.length >= 2) return fn(inputs[0], inputs[1]);
    const rest = { ...attrs };
    const v = rest[key];
    delete rest[key];
    if (typeof v !== 'number') throw new TypeError(`golden case: expected a second tensor input or a number attr '${key}'`);
    return Object.keys(rest).length > 0 ? fn(inputs[0], v, rest) : fn(inputs[0], v);
  };

const tensorList: Call = (fn, inputs, attrs) => fn(inputs, attrs);

/** `layerNorm(input, normalizedShape, weight?, bias?, { eps })`: the shape is positional in PyTorch. */
const layerNorm: Call = (fn, inputs, attrs) => {
  const { normalizedShape, ...rest } = attrs;
  return fn(inputs[0], normalizedShape, inputs[1] ?? undefined, inputs[2] ?? undefined, rest);
};

/** `maxPool2dWithIndices` (vision.json): `maxPool2d(x, { ...options, returnIndices: true })`. */
const withIndices: Call = (fn, inputs, attrs) => fn(inputs[0], { ...attrs, returnIndices: true });

/**
 * Ops whose result size depends on the data, with their asynchronous forms (same arguments, a
 * promise of the result) for backends that cannot read synchronously.
 */
const ASYNC_FORMS: Readonly<Record<string, string>> = {
  nonzero: 'nonzeroAsync',
  maskedSelect: 'maskedSelectAsync',
  // detection (Vision II): the number of kept boxes
  nms: 'nmsAsync',
  batchedNms: 'batchedNmsAsync',
};

/** Golden op names that are a call of another tensorgrad function. */
const ALIASES: Readonly<Record<string, string>> = { maxPool2dWithIndices: 'maxPool2d' };

const special: Readonly<Record<string, Call>> = {
  layerNorm,
  maxPool2dWithIndices: withIndices,
  add: scalarOperand('other'),
  sub: scalarOperand('other'),
  mul: scalarOperand('other'),
  div: scalarOperand('other'),
  pow: scalarOperand('exponent'),
  cat: tensorList,
  stack: tensorList,
};

/**
 * Calls tensorgrad's free function `op` (from `ops`, e.g. the `@tensorgrad/tensor` namespace)
 * the way the golden README specifies for that op.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { callGoldenOp } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const x = tg.tensor([1, 2]);
 * const y = callGoldenOp(tg, 'mul', [x], { other: 2.5 }) as tg.Tensor;
 * y.dataSync(); // Float32Array [2.5, 5]
 * ```
 */
export function callGoldenOp(
  ops: Readonly<Record<string, unknown>>,
  op: string,
  inputs: (Tensor | null)[],
  attrs: Record<string, unknown>,
): OpOutput {
  const name = ALIASES[op] ?? op;
  const fn = ops[name];
  if (typeof fn !== 'function') throw new Error(`conformance: '${name}' is not a function exported by @tensorgrad/tensor`);
  const call = special[op] ?? standard;
  return call(fn as AnyFn, inputs, decodeAttrs(attrs)) as OpOutput;
}

/**
 * {@link callGoldenOp} for any backend: `nonzero` and `maskedSelect` (whose result size depends on
 * the data) call `nonzeroAsync`/`maskedSelectAsync` when their input's backend cannot read
 * synchronously (WebGPU); every other op is called as by {@link callGoldenOp}.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { callGoldenOpAsync } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const y = (await callGoldenOpAsync(tg, 'nonzero', [tg.tensor([0, 1, 1])], {})) as tg.Tensor;
 * y.dataSync(); // Int32Array [1, 2]
 * ```
 */
export async function callGoldenOpAsync(
  ops: Readonly<Record<string, unknown>>,
  op: string,
  inputs: (Tensor | null)[],
  attrs: Record<string, unknown>,
): Promise<OpOutput> {
  const first = inputs.find((t): t is Tensor => t !== null);
  const asyncName = ASYNC_FORMS[op];
  if (asyncName !== undefined && first !== undefined && !first.backendInstance.readSync) {
    const fn = ops[asyncName];
    if (typeof fn !== 'function') throw new Error(`conformance: '${asyncName}' is not a function exported by @tensorgrad/tensor`);
    const options = decodeAttrs(attrs);
    return (await (Object.keys(options).length > 0 ? (fn as AnyFn)(...inputs, options) : (fn as AnyFn)(...inputs))) as OpOutput;
  }
  return callGoldenOp(ops, op, inputs, attrs);
}
