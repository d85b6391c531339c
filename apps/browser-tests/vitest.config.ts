import { defineConfig } from 'vitest/config';
import { sharedTestOptions, workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // one browser at a time: the machine has few cores and the threaded-GEMM checks time nothing
  test: { ...sharedTestOptions, fileParallelism: false, testTimeout: 120_000, hookTimeout: 60_000 },
});
