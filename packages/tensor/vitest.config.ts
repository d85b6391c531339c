import { defineConfig } from 'vitest/config';
import { sharedTestOptions, workspaceAliases } from '../../vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  // --expose-gc lets the debug-mode test observe FinalizationRegistry warnings
  test: { ...sharedTestOptions, execArgv: ['--expose-gc'] },
});
