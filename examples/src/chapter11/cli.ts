/**
 * Shared command-line helpers of the chapter 11 programs: `node:util`'s `parseArgs` with the
 * values checked and turned into numbers, and errors that name the option and show the usage.
 */

/**
 * A positive integer option value, or `undefined` when the option was not given; throws a
 * `RangeError` naming the option otherwise.
 *
 * @example
 * ```ts
 * import { positiveInt } from './cli.js';
 * positiveInt('--epochs', '3', 'usage'); // 3
 * positiveInt('--epochs', undefined, 'usage'); // undefined
 * ```
 */
export function positiveInt(name: string, value: string | undefined, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}: expected a positive integer, got ${value}\n${usage}`);
  return n;
}

/**
 * A comma-separated list of positive integers (`--latents 2,3,5`); throws a `RangeError` naming the
 * option for anything else.
 *
 * @example
 * ```ts
 * import { positiveIntList } from './cli.js';
 * positiveIntList('--latents', '2,3, 50', 'usage'); // [2, 3, 50]
 * ```
 */
export function positiveIntList(name: string, value: string | undefined, usage: string): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const out = parts.map((s) => Number(s));
  if (parts.length === 0 || parts.some((s) => s === '') || out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`${name}: expected comma-separated positive integers such as 2,3,5,10,50, got ${value}\n${usage}`);
  }
  return out;
}

/**
 * Runs `parse`, turning `node:util` `parseArgs`' own errors (unknown option, missing value) into a
 * `RangeError` with the usage appended.
 *
 * @example
 * ```ts
 * import { withUsage } from './cli.js';
 * withUsage(() => 1, 'usage'); // 1
 * ```
 */
export function withUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) throw e;
    throw new RangeError(`${(e as Error).message}\n${usage}`, { cause: e });
  }
}
