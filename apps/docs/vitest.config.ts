import { defineConfig } from 'vitest/config';
import { sharedTestOptions, workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // one file at a time: the in-page runtime's tests run real examples and the Chromium test of the
  // built site starts a browser; the CI machine has two cores
  test: { ...sharedTestOptions, fileParallelism: false },
});
