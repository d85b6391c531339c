/**
 * `@tensorgrad/fuzz` (private app): the reliability sweeps — every op on seeded random shapes,
 * layouts and special values on every backend, a hostile-file fuzzer for every reader — and the
 * `pnpm fuzz` command that runs them for a given time and prints the seed of any failure.
 *
 * @packageDocumentation
 */
export * from './target.js';
export * from './args.js';
export * from './runner.js';
export * from './targets.js';
export * from './main.js';
export * from './sweep/types.js';
export * from './sweep/draw.js';
export * from './sweep/engine.js';
export * from './sweep/generators-core.js';
export * from './sweep/generators-nn.js';
export * from './sweep/generators-indexing.js';
export * from './sweep/registry.js';
export * from './sweep/known-failures.js';
export * from './sweep/target.js';
export * from './sweep/coverage.js';
export * from './leaks/index.js';
export * from './files/index.js';
