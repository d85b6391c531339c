import { defineConfig } from 'vitest/config';
import { sharedTestOptions } from '../vitest.shared.js';

export default defineConfig({
  test: { ...sharedTestOptions, testTimeout: 180_000 },
});
