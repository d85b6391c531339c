// Bundles a scenario entry for the browser with vite, in memory. Workspace packages resolve to
// their TypeScript sources through the same aliases the vitest configs use, so no package has to
// be built first and the page runs exactly the code the unit tests run.
import { isAbsolute, resolve } from 'node:path';
import { build, type Rollup } from 'vite';
import { workspaceAliases } from '../../../vitest.shared.js';

/** A bundled scenario: its files by name (the entry is `scenario.js`). */
export interface Bundle {
  readonly files: ReadonlyMap<string, string | Uint8Array>;
}

/** The name of the bundle's entry file. */
export const ENTRY_FILE = 'scenario.js';

/**
 * Bundles `entry` (a TypeScript or JavaScript module; relative paths are taken from the current
 * directory) into ES modules for the browser, keeping its exports, without writing anything.
 *
 * @example
 * ```ts
 * import { bundleScenario, scenarioEntry } from '@tensorgrad/browser-tests';
 * const bundle = await bundleScenario(scenarioEntry('smoke'));
 * bundle.files.has('scenario.js'); // true
 * ```
 */
export async function bundleScenario(entry: string): Promise<Bundle> {
  const file = isAbsolute(entry) ? entry : resolve(entry);
  const result = await build({
    configFile: false,
    envDir: false,
    logLevel: 'warn',
    resolve: { alias: workspaceAliases },
    // URLs of emitted files (a module worker's `new URL('./worker.ts', import.meta.url)`) relative
    // to the bundle, which is served under /b/<id>/, not at the root
    base: './',
    // module workers, split like the page (a worker with dynamic imports cannot be one IIFE)
    worker: { format: 'es' },
    build: {
      write: false,
      target: 'esnext',
      minify: false,
      sourcemap: 'inline',
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry: file, formats: ['es'], fileName: () => ENTRY_FILE },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const files = new Map<string, string | Uint8Array>();
  for (const out of outputs) {
    if (!('output' in out)) throw new Error('bundleScenario: vite returned a watcher; expected a finished build (build.watch must be off)');
    for (const item of out.output) files.set(item.fileName, item.type === 'chunk' ? item.code : item.source);
  }
  if (!files.has(ENTRY_FILE)) throw new Error(`bundleScenario: vite produced no ${ENTRY_FILE} for ${file} (got ${[...files.keys()].join(', ') || 'nothing'})`);
  return { files };
}
