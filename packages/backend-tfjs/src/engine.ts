/**
 * The tfjs engines (tfjs-core backends) this package drives: loading their packages on demand,
 * initialising them, and making the right one active before every kernel (tfjs-core has a single,
 * global active backend).
 */
import * as tf from '@tensorflow/tfjs-core';

/** A tfjs-core engine: `'cpu'` (`@tensorflow/tfjs-backend-cpu`) or `'wasm'` (`@tensorflow/tfjs-backend-wasm`). */
export type TfjsEngine = 'cpu' | 'wasm';

/** The npm package that provides each engine. */
export const ENGINE_PACKAGES: Readonly<Record<TfjsEngine, string>> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** Where the wasm engine finds its `.wasm` binaries: a folder prefix, or a map from file name to URL/path. */
export type WasmPaths = string | Record<string, string>;

function isModuleNotFound(err: unknown, pkg: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const message = String(e?.message ?? err);
  if (!message.includes(pkg)) return false;
  return (
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    /cannot find (package|module)|failed to (load|resolve)|could not resolve|not found/i.test(message)
  );
}

/**
 * Runs `load` (a dynamic `import()` of the optional package `pkg`) and turns "module not found"
 * into an error that names the package to install and why it is needed; other errors pass
 * through unchanged.
 *
 * @internal
 */
export async function importOptional<T>(pkg: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isModuleNotFound(err, pkg)) {
      throw new Error(
        `backend-tfjs: ${purpose} needs the package ${pkg}, which is not installed; ` +
          `install it next to @tensorflow/tfjs-core (e.g. \`npm install ${pkg}@4.22.0\`)`,
        { cause: err },
      );
    }
    throw err;
  }
}

function importEngine(engine: TfjsEngine): Promise<unknown> {
  const purpose = `the tfjs '${engine}' engine`;
  // literal specifiers, so that bundlers see (and can split out) each engine package
  return engine === 'cpu'
    ? importOptional(ENGINE_PACKAGES.cpu, purpose, () => import('@tensorflow/tfjs-backend-cpu'))
    : importOptional(ENGINE_PACKAGES.wasm, purpose, () => import('@tensorflow/tfjs-backend-wasm'));
}

// In Node the .wasm binaries are read from the installed package's dist folder (next to its main
// file); elsewhere tfjs's own default (next to the bundled script) or the user's wasmPaths apply.
async function nodeWasmFolder(): Promise<string | null> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return null;
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const require = createRequire(import.meta.url);
  return `${path.dirname(require.resolve(ENGINE_PACKAGES.wasm))}${path.sep}`;
}

// Each engine's initialisation, once per process: module-level because tfjs-core registers and
// initialises its engines globally (one `tf.findBackend('wasm')` for the whole process), so every
// TfjsBackend on an engine shares that engine's one initialisation. Nothing per backend lives here.
const ready = new Map<TfjsEngine, Promise<void>>();

/**
 * Loads and initialises a tfjs engine once (later calls share the first one's promise). The
 * wasm engine is forced single-threaded (its SIMD binary where the runtime has SIMD, which Node
 * 20+ and current browsers do).
 *
 * @internal
 */
export function initEngine(engine: TfjsEngine, options: { wasmPaths?: WasmPaths } = {}): Promise<void> {
  let p = ready.get(engine);
  if (!p) {
    p = initEngineOnce(engine, options).catch((err: unknown) => {
      ready.delete(engine);
      throw err;
    });
    ready.set(engine, p);
  }
  return p;
}

async function initEngineOnce(engine: TfjsEngine, options: { wasmPaths?: WasmPaths }): Promise<void> {
  const mod = await importEngine(engine);
  // not `tf.findBackend('wasm') === null`: findBackend starts a registered engine's initialisation,
  // which reads the thread flag and the .wasm location before they are set here (a browser then
  // fetched the threaded binary, and the paths came too late)
  if (engine === 'wasm' && !('wasm' in tf.engine().registry)) {
    // the threaded binary needs cross-origin isolation in browsers and is not supported in Node:
    // the single-threaded (SIMD) one runs everywhere and gives reproducible timings
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const paths = options.wasmPaths ?? (await nodeWasmFolder());
    if (paths !== null) (mod as { setWasmPaths(p: WasmPaths): void }).setWasmPaths(paths);
  }
  const previous = tf.getBackend() as string | undefined;
  if (tf.findBackend(engine) === null) {
    // initialises it (asynchronously for wasm): setBackend is the only public way that awaits it
    const ok = await tf.setBackend(engine);
    if (!ok) throw new Error(`backend-tfjs: the tfjs '${engine}' engine failed to initialise`);
  }
  const instance = tf.findBackend(engine);
  if (instance === null) throw new Error(`backend-tfjs: the tfjs '${engine}' engine is not registered after importing ${ENGINE_PACKAGES[engine]}`);
  // tensorgrad is the one talking to this engine: tfjs's "install tfjs-node" hint does not apply
  if (engine === 'cpu') (instance as unknown as { firstUse?: boolean }).firstUse = false;
  if (previous && previous !== engine && tf.findBackend(previous) !== null) activateEngine(previous);
}

/**
 * Makes `engine` tfjs-core's active backend, synchronously (it must be initialised). tfjs-core's
 * `setBackend` is asynchronous only while a backend initialises; for an initialised one it
 * switches before returning its promise, which is checked here rather than assumed.
 *
 * @internal
 */
export function activateEngine(engine: string): void {
  if (tf.getBackend() === engine) return;
  if (tf.findBackend(engine) === null) {
    throw new Error(`backend-tfjs: the tfjs '${engine}' engine is not initialised; create the backend with \`await setBackend(...)\` first`);
  }
  void tf.setBackend(engine);
  if (tf.getBackend() !== engine) {
    throw new Error(
      `backend-tfjs: could not make the tfjs '${engine}' engine active (tfjs-core's active backend is '${tf.getBackend()}'); ` +
        'another library may be switching tfjs backends concurrently',
    );
  }
}
