// The in-page runtime of the documentation site's examples: which fenced blocks get a Run button,
// and (client.ts) the runner that executes them in a Web Worker on the picked backend. The Vue
// components import only this module; the library itself is loaded by the worker alone, so pages
// that nobody runs an example on do not download it.
export { classifyExample, importedModules, BROWSER_MODULES } from './classify.js';
export { BACKEND_NAMES } from './types.js';
export type { BackendName, Classification, ExampleRunner, OutputLine, RunOptions, RunResult } from './types.js';
export { createExampleRunner, getExampleRunner, DEFAULT_TIMEOUT_MS, type ExampleRunnerOptions } from './client.js';
