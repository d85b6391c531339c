import { checkOptionKeys, isOptionsObject, parseArgs, refuseUnsupported, signature, type Signature } from '@tensorgrad/tensor/backend';

export { checkOptionKeys, isOptionsObject, parseArgs, refuseUnsupported, signature, type Signature };

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
