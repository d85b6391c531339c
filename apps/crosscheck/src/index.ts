/**
 * `@tensorgrad/crosscheck` (private app): compares two tensorgrad backends with each other —
 * every op of the conformance suite forward and backward on the golden cases' inputs and on
 * random inputs of the same shapes, and the first training steps of the Fashion-MNIST CNN — and
 * its CLI (`node apps/crosscheck/dist/cli.js --b tfjs`, or `pnpm crosscheck -- --b tfjs`).
 *
 * @packageDocumentation
 */
export * from './args.js';
export * from './compare.js';
export * from './perturb.js';
export * from './ops.js';
export * from './train.js';
export * from './backends.js';
export * from './run.js';
export { main, loadBackends } from './cli.js';
