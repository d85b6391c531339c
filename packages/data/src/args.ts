import { checkOptionKeys, isOptionsObject, parseArgs, signature, type Signature } from '@tensorgrad/tensor/backend';

export { checkOptionKeys, isOptionsObject, parseArgs, signature, type Signature };

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return 'a function';
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? JSON.stringify(v) : `a ${(v as object).constructor?.name ?? 'object'}`;
  return String(v);
}

/**
 * @internal Refuses a PyTorch argument tensorgrad does not implement, unless it is absent or one
 * of `accepted` (its PyTorch default, which changes nothing): nothing is silently ignored.
 */
export function refuseUnsupported(name: string, param: string, value: unknown, accepted: readonly unknown[], fix: string): void {
  if (value === undefined || accepted.some((a) => Object.is(a, value))) return;
  throw new TypeError(
    `${name}: ${param} = ${show(value)} is not supported by tensorgrad (PyTorch's ${param} is accepted only as ${accepted.map(show).join(' or ')}); ${fix}`,
  );
}

// A dataset may be a plain object `{ length, get(i) }`, which parseArgs would take for the options
// object: it is boxed while the arguments are bound (an options object is told apart by its
// `dataset` key).
class Boxed {
  constructor(readonly value: unknown) {}
}

/** @internal Binds `args` to `sig` where argument `at` is a dataset that may be a plain object. */
export function bindWithDataset<P extends string>(sig: Signature<P>, args: readonly unknown[], at: number): Partial<Record<P, unknown>> {
  const v = args[at];
  const box = isOptionsObject(v) && !('dataset' in v);
  const a = parseArgs(sig, box ? args.map((x, i) => (i === at ? new Boxed(x) : x)) : args) as Partial<Record<string, unknown>>;
  for (const [k, x] of Object.entries(a)) if (x instanceof Boxed) a[k] = x.value;
  return a as Partial<Record<P, unknown>>;
}
