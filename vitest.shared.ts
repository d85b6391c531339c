// Tests resolve workspace packages to their TypeScript sources, so no build is needed before
// `vitest` and test-only dependencies between packages create no cycle in the package graph.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./packages/', import.meta.url));

export const workspaceAliases: Record<string, string> = {
  '@tensorgrad/tensor': `${root}tensor/src/index.ts`,
  '@tensorgrad/autodiff': `${root}autodiff/src/index.ts`,
  '@tensorgrad/backend-cpu': `${root}backend-cpu/src/index.ts`,
  '@tensorgrad/conformance': `${root}conformance/src/index.ts`,
  tensorgrad: `${root}tensorgrad/src/index.ts`,
};
