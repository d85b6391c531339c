import { defineConfig } from 'vitest/config';
import { sharedTestOptions, workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: { ...sharedTestOptions },
});
