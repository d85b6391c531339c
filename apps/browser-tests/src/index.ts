/**
 * `@tensorgrad/browser-tests` (private): runs scenario pages in headless Chromium (Debian's
 * `chromium`, driven by playwright-core), bundled from the workspace sources with vite and served
 * cross-origin isolated, so that browser-only code paths (Web Workers with shared memory, WebGPU)
 * are tested in a real browser. See the README for adding a scenario.
 *
 * @packageDocumentation
 */
export { CHROMIUM_PATH, chromiumMissingReason, chromiumPath } from './chromium.js';
export { bundleScenario, ENTRY_FILE, type Bundle } from './bundle.js';
export { ISOLATION_HEADERS, startPageServer, type PageServer } from './server.js';
export { BrowserHarness, CHROMIUM_ARGS, runScenario, scenarioEntry, type HarnessOptions, type RunOptions, type ScenarioResult } from './harness.js';
