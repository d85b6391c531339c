// A vite plugin shared by the builds that bundle @tensorgrad/backend-tfjs for the browser (the docs
// site, apps/docs/.vitepress/config.ts; the Fashion-MNIST page, apps/fashion-mnist/vite.config.ts).
// tfjs's wasm engine (`'tfjs-wasm'`, `TfjsBackend.create({ engine: 'wasm' })`) fetches its binary at
// run time from the folder of the script that runs it: a worker in the build's assets folder.
// Nothing imports the .wasm files, so the bundler would not emit them: this copies the
// single-threaded binaries (SIMD and plain; backend-tfjs never starts the threaded one) there under
// the names tfjs asks for, which also serves wasm backends an app creates itself.
// Plain ESM JavaScript (with scripts/vite-tfjs-wasm.d.mts for TypeScript) so that both configs load
// it without a build step.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The binaries emitted, as tfjs-backend-wasm names them. */
export const TFJS_WASM_FILES = Object.freeze(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']);

// resolved from backend-tfjs, the package that depends on tfjs-backend-wasm (pnpm installs it there)
const backendTfjs = new URL('../packages/backend-tfjs/package.json', import.meta.url);

/**
 * The vite plugin: on a client build (not SSR), emits {@link TFJS_WASM_FILES} into the build's
 * assets folder. Throws, naming the package to install, when tfjs-backend-wasm cannot be found.
 */
export function tfjsWasmBinaries() {
  let assetsDir = 'assets';
  let ssr = false;
  return {
    name: 'tensorgrad:tfjs-wasm-binaries',
    apply: 'build',
    configResolved(config) {
      assetsDir = config.build.assetsDir;
      ssr = Boolean(config.build.ssr);
    },
    generateBundle() {
      if (ssr) return;
      let wasmDir;
      try {
        wasmDir = dirname(createRequire(backendTfjs).resolve('@tensorflow/tfjs-backend-wasm'));
      } catch (e) {
        throw new Error(
          `tfjs-wasm-binaries: expected @tensorflow/tfjs-backend-wasm installed for packages/backend-tfjs, but it could not be resolved (${e instanceof Error ? e.message : String(e)}); run \`pnpm install\``,
        );
      }
      for (const file of TFJS_WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `${assetsDir}/${file}`, source: readFileSync(join(wasmDir, file)) });
      }
    },
  };
}
