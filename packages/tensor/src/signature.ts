/**
 * PyTorch signatures, declared once per function or constructor: the parameter names in
 * PyTorch's positional order (camelCase), so that the book's code ports line by line —
 * `new Conv2d(1, 3, 3, 2, 1)` ≡ `new Conv2d(1, 3, 3, { stride: 2, padding: 1 })` — and anything
 * not understood is refused instead of silently ignored: an unknown option key (with the nearest
 * valid spelling: `batch_size` → `batchSize`, `axis` → `dim`, `keep_dim` → `keepdim`), a
 * positional argument too many, a parameter given twice, a missing required one.
 */
import { Tensor } from './tensor.js';

/** What a {@link signature} declares. */
export interface Signature<P extends string = string> {
  /** How errors name the callee: `'conv2d'`, `'new Conv2d'`, `'Conv2d.forward'`. */
  readonly name: string;
  /** Every parameter in PyTorch's positional order (camelCase). */
  readonly params: readonly P[];
  /** How many leading parameters are required (PyTorch's parameters without a default). */
  readonly required: number;
  /** Parameters PyTorch accepts by keyword only (after `*`): valid option keys, never positional. */
  readonly keywordOnly: readonly P[];
  /**
   * PyTorch parameters tensorgrad does not implement, each with what to do instead: passing one
   * (by name, or positionally where it is in `params`) throws a "not supported" error naming it
   * rather than ignoring it.
   */
  readonly unsupported: Readonly<Record<string, string>>;
}

/**
 * Declares a PyTorch signature: `params` in PyTorch's positional order, the first `required` of
 * them required, `keywordOnly` names accepted only in the options object, and `unsupported` the
 * PyTorch parameters that are refused with a "not supported" error (name → what to do instead).
 *
 * @example
 * ```ts
 * import { signature, parseArgs } from '@tensorgrad/tensor/backend';
 * const CONV = signature('new Conv2d', ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding'], { required: 3 });
 * parseArgs(CONV, [1, 3, 3, 2, { padding: 1 }]); // { inChannels: 1, outChannels: 3, kernelSize: 3, stride: 2, padding: 1 }
 * ```
 */
export function signature<P extends string>(
  name: string,
  params: readonly P[],
  options: { required?: number; keywordOnly?: readonly P[]; unsupported?: Readonly<Record<string, string>> } = {},
): Signature<P> {
  return { name, params, required: options.required ?? 0, keywordOnly: options.keywordOnly ?? [], unsupported: options.unsupported ?? {} };
}

/**
 * Whether `value` is an options object: a plain object (`{ … }`), not a tensor, array, function,
 * class instance or null.
 *
 * @example
 * ```ts
 * import { isOptionsObject } from '@tensorgrad/tensor/backend';
 * [isOptionsObject({ dim: 1 }), isOptionsObject([1]), isOptionsObject(null)]; // [true, false, false]
 * ```
 */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// spellings PyTorch users and TF.js users bring, mapped to the parameter they mean
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  axis: ['dim'],
  axes: ['dim'],
  keepDims: ['keepdim'],
  keepDim: ['keepdim'],
  keep_dims: ['keepdim'],
  dims: ['dim'],
  learningRate: ['lr'],
  learning_rate: ['lr'],
  size: ['outputSize', 'shape'],
  shape: ['size'],
  kernel: ['kernelSize'],
  strides: ['stride'],
  dtype: ['dtype'],
  device: ['backend'],
};

function camel(key: string): string {
  return key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The valid key closest to `key`: its camelCase form, a known alias (`axis` → `dim`,
 * `keep_dim` → `keepdim`), a case-insensitive match, or the one within a small edit distance;
 * `null` when nothing is close.
 *
 * @example
 * ```ts
 * import { nearestKey } from '@tensorgrad/tensor/backend';
 * nearestKey('batch_size', ['batchSize', 'shuffle']); // 'batchSize'
 * nearestKey('axis', ['dim', 'keepdim']); // 'dim'
 * nearestKey('keep_dim', ['dim', 'keepdim']); // 'keepdim'
 * nearestKey('zzz', ['dim']); // null
 * ```
 */
export function nearestKey(key: string, valid: readonly string[]): string | null {
  const c = camel(key);
  if (valid.includes(c)) return c;
  const lower = c.toLowerCase();
  const ci = valid.find((v) => v.toLowerCase() === lower);
  if (ci) return ci;
  for (const k of [key, c]) {
    const alias = ALIASES[k]?.find((a) => valid.includes(a));
    if (alias) return alias;
  }
  let best: string | null = null;
  let bestD = Infinity;
  for (const v of valid) {
    const dist = distance(lower, v.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = v;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return Object.getPrototypeOf(v) === Function.prototype ? 'a function' : `a ${(v as object).constructor?.name ?? 'function'}`;
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === 'object' && v !== null) return `a ${(v as object).constructor?.name ?? 'object'}`;
  return String(v);
}

/**
 * Throws unless every key of `options` is one of `valid`; the error names the unknown key, the
 * nearest valid spelling and every valid key.
 *
 * @example
 * ```ts
 * import { checkOptionKeys } from '@tensorgrad/tensor/backend';
 * checkOptionKeys('sum', { dim: 1 }, ['dim', 'keepdim']);
 * const message = (() => {
 *   try {
 *     checkOptionKeys('sum', { axis: 1 }, ['dim', 'keepdim']);
 *     return '';
 *   } catch (e) {
 *     return (e as Error).message;
 *   }
 * })();
 * message; // "sum: unknown option 'axis'; did you mean 'dim'? Valid options: dim, keepdim"
 * ```
 */
export function checkOptionKeys(name: string, options: object, valid: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const near = nearestKey(key, valid);
    throw new TypeError(
      `${name}: unknown option '${key}'${near ? `; did you mean '${near}'?` : ';'} ` +
        `Valid options: ${valid.length ? valid.join(', ') : 'none (this takes no options)'}`,
    );
  }
}

function notSupported(sig: Signature, name: string, given: string): TypeError {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return new TypeError(
    `${sig.name}: PyTorch's argument '${snake}'${given !== name ? ` (given as '${given}')` : ` ('${name}')`} is not supported by tensorgrad; ${sig.unsupported[name]}`,
  );
}

/**
 * Binds `args` to `sig` like a Python call: positional values in PyTorch's order, optionally
 * followed by one options object (a plain object in last place) with the other parameters by
 * name. Returns the parameters given (absent ones are missing; `undefined` values count as
 * absent). Throws a `TypeError` naming the problem for an unknown option key (with the nearest
 * valid one), a positional argument too many, a parameter given both ways, a missing required
 * parameter, or a PyTorch parameter the signature declares `unsupported`.
 *
 * @example
 * ```ts
 * import { signature, parseArgs } from '@tensorgrad/tensor/backend';
 * const POOL = signature('maxPool2d', ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);
 * parseArgs(POOL, [3, 1]); // { kernelSize: 3, stride: 1 }
 * parseArgs(POOL, [{ kernelSize: 2, ceilMode: true }]); // { kernelSize: 2, ceilMode: true }
 * ```
 */
export function parseArgs<P extends string>(sig: Signature<P>, args: readonly unknown[]): Partial<Record<P, unknown>> {
  const out: Partial<Record<P, unknown>> = {};
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const last = n > 0 ? args[n - 1] : undefined;
  const options = isOptionsObject(last) ? last : null;
  const positional = options ? n - 1 : n;
  const slots = sig.params.filter((p) => !sig.keywordOnly.includes(p));
  if (positional > slots.length) {
    const extra = args.slice(slots.length, positional);
    throw new TypeError(
      `${sig.name}: takes at most ${slots.length} positional argument${slots.length === 1 ? '' : 's'} (${slots.join(', ') || 'none'}) but ${positional} were given; ` +
        `the extra ${extra.length === 1 ? 'value is' : 'values are'} ${extra.map(describe).join(', ')}. Pass options by name, e.g. { ${sig.params[0] ?? 'name'}: … }`,
    );
  }
  for (let i = 0; i < positional; i++) {
    if (args[i] !== undefined) out[slots[i]!] = args[i];
  }
  if (options) {
    for (const key of Object.keys(options)) {
      const name = camel(key);
      if (options[key] !== undefined && Object.hasOwn(sig.unsupported, name)) throw notSupported(sig, name, key);
    }
    checkOptionKeys(sig.name, options, sig.params);
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (key in out) {
        throw new TypeError(`${sig.name}: got ${key} twice, as positional argument ${slots.indexOf(key as P) + 1} and in the options object; pass it once`);
      }
      out[key as P] = value;
    }
  }
  for (const key of Object.keys(out)) {
    if (Object.hasOwn(sig.unsupported, key)) throw notSupported(sig, key, key);
  }
  const missing = sig.params.slice(0, sig.required).filter((p) => !(p in out));
  if (missing.length) {
    const given = Object.keys(out);
    throw new TypeError(
      `${sig.name}: missing required argument${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(got ${given.length ? given.join(', ') : 'none'}); pass ${sig.params.slice(0, sig.required).join(', ')} in this order, or by name in the options object`,
    );
  }
  return out;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return 'a function';
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? JSON.stringify(v) : `a ${(v as object).constructor?.name ?? 'object'}`;
  return String(v);
}

/**
 * Refuses a PyTorch argument tensorgrad does not implement unless it is absent or one of
 * `accepted` (its PyTorch default, which changes nothing): nothing is silently ignored. The error
 * names the callee, the parameter, the value given, what is accepted and `fix`.
 *
 * @example
 * ```ts
 * import { refuseUnsupported } from '@tensorgrad/tensor/backend';
 * refuseUnsupported('new ReLU', 'inplace', false, [false], 'drop it');
 * const message = (() => {
 *   try {
 *     refuseUnsupported('new ReLU', 'inplace', true, [false], 'drop it');
 *     return '';
 *   } catch (e) {
 *     return (e as Error).message;
 *   }
 * })();
 * message; // "new ReLU: inplace = true is not supported by tensorgrad (PyTorch's inplace is accepted only as false); drop it"
 * ```
 */
export function refuseUnsupported(name: string, param: string, value: unknown, accepted: readonly unknown[], fix: string): void {
  if (value === undefined || accepted.some((a) => Object.is(a, value))) return;
  throw new TypeError(
    `${name}: ${param} = ${show(value)} is not supported by tensorgrad (PyTorch's ${param} is accepted only as ${accepted.map(show).join(' or ')}); ${fix}`,
  );
}
