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
