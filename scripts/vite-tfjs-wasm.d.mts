// Types of vite-tfjs-wasm.mjs, for the TypeScript configs that import it. Structural rather than
// vite's `Plugin` type: vite is not installed at the repository root, where this file resolves
// its imports; the shape below is assignable to vite's `Plugin`.

/** The binaries emitted, as tfjs-backend-wasm names them. */
export declare const TFJS_WASM_FILES: readonly string[];

/** The vite plugin that emits tfjs-backend-wasm's binaries into the build's assets folder. */
export declare function tfjsWasmBinaries(): {
  name: string;
  apply: 'build';
  configResolved(config: { build: { assetsDir: string; ssr?: unknown } }): void;
  generateBundle(this: { emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string }): void;
};
