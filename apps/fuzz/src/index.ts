/**
 * `@tensorgrad/fuzz` (private app): the reliability sweeps — every op on seeded random shapes,
 * layouts and special values on every backend, a hostile-file fuzzer for every reader — and the
 * `pnpm fuzz` command that runs them for a given time and prints the seed of any failure.
 *
 * @packageDocumentation
 */
export * from './target.js';
export * from './files/index.js';
