// Tests resolve workspace packages to their TypeScript sources, so no build is needed before
// `vitest` and test-only dependencies between packages create no cycle in the package graph.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./packages/', import.meta.url));
const apps = fileURLToPath(new URL('./apps/', import.meta.url));

// subpaths first: an alias also matches `<key>/…`, and the first match wins
export const workspaceAliases: Record<string, string> = {
  '@tensorgrad/tensor/backend': `${root}tensor/src/plugin.ts`,
  '@tensorgrad/tensor': `${root}tensor/src/index.ts`,
  '@tensorgrad/autodiff': `${root}autodiff/src/index.ts`,
  '@tensorgrad/backend-cpu': `${root}backend-cpu/src/index.ts`,
  '@tensorgrad/backend-webgpu': `${root}backend-webgpu/src/index.ts`,
  '@tensorgrad/backend-tfjs': `${root}backend-tfjs/src/index.ts`,
  '@tensorgrad/optimizers': `${root}optimizers/src/index.ts`,
  '@tensorgrad/io': `${root}io/src/index.ts`,
  '@tensorgrad/conformance': `${root}conformance/src/index.ts`,
  '@tensorgrad/data': `${root}data/src/index.ts`,
  '@tensorgrad/layers': `${root}layers/src/index.ts`,
  '@tensorgrad/losses': `${root}losses/src/index.ts`,
  '@tensorgrad/vision': `${root}vision/src/index.ts`,
  tensorgrad: `${root}tensorgrad/src/index.ts`,
  '@tensorgrad/fashion-mnist': `${apps}fashion-mnist/src/index.ts`,
  '@tensorgrad/crosscheck': `${apps}crosscheck/src/index.ts`,
  '@tensorgrad/fuzz': `${apps}fuzz/src/index.ts`,
  '@tensorgrad/browser-tests': `${apps}browser-tests/src/index.ts`,
};

/**
 * Test options every package's vitest.config.ts spreads into `test`: the usual console output plus
 * a JSON report (`test-results.json` in the package) that scripts/summarize-tests.mjs adds up.
 * `test/**` also matches the generated `test/.doc-examples/` (vitest globs dot directories).
 */
export const sharedTestOptions = {
  include: ['test/**/*.test.ts'],
  testTimeout: 60_000,
  // setup hooks load data sets (Fashion-MNIST) and start backends: slow on a loaded 2-core machine
  hookTimeout: 60_000,
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results.json' },
};
