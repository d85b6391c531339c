// The web page's build (`pnpm --filter @tensorgrad/fashion-mnist build`, after the CLI's tsc):
// web/index.html and its module worker into dist-web/, which any static server can host (the
// relative base lets it live under a sub-path, as it does in the docs site's /app/).
// Workspace packages resolve to their TypeScript sources, as in the vitest configs and the docs
// site: the page runs exactly the code the tests run, and the build needs no package's dist/.
import { defineConfig } from 'vite';
import { tfjsWasmBinaries } from '../../scripts/vite-tfjs-wasm.mjs';
import { workspaceAliases } from '../../vitest.shared.js';

// keepNames: the library reads class names at run time (Module.typeName, summary tables, error
// messages), which minification would shorten to single letters
const keepNames = { output: { keepNames: true } };

export default defineConfig({
  root: 'web',
  base: './',
  envDir: false,
  publicDir: false,
  resolve: { alias: workspaceAliases },
  plugins: [tfjsWasmBinaries()],
  // the training worker is a module worker (it imports the backends' chunks lazily)
  worker: { format: 'es', rolldownOptions: keepNames },
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    target: 'es2022',
    // the worker bundles the whole library with three backends: large by nature, loaded once
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
    rolldownOptions: keepNames,
  },
});
