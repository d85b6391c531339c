/**
 * `@tensorgrad/backend-tfjs`: tensorgrad's kernels delegated to `@tensorflow/tfjs-core`, on its
 * `cpu` engine (`@tensorflow/tfjs-backend-cpu`) or its `wasm` engine
 * (`@tensorflow/tfjs-backend-wasm`, SIMD, single-threaded) — an independent implementation to
 * cross-check tensorgrad's numbers against. Importing this package registers two backends, both
 * created asynchronously: `'tfjs'` (cpu engine) and `'tfjs-wasm'` (wasm engine). Only the engine
 * package you use needs to be installed.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { TfjsBackend, type TfjsBackendOptions } from './backend.js';

export { TfjsBackend, TfjsStorage, type TfjsBackendOptions } from './backend.js';
export { ENGINE_PACKAGES, type TfjsEngine, type WasmPaths } from './engine.js';

/** Options of {@link registerTfjsBackend}. */
export interface RegisterTfjsOptions extends TfjsBackendOptions {
  /** Registry priority (default -1: never the implicit default backend). */
  priority?: number;
}

/**
 * Registers a tfjs backend under `options.name` (default `'tfjs'` for the cpu engine,
 * `'tfjs-wasm'` for the wasm engine) and returns the name. The engine package is loaded when the
 * backend is first created (`await setBackend(name)`), so registering costs nothing.
 *
 * @example
 * ```ts
 * import { setBackend, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { registerTfjsBackend } from '@tensorgrad/backend-tfjs';
 * const name = registerTfjsBackend({ name: 'tfjs-wasm-2', engine: 'wasm' }); // 'tfjs-wasm-2'
 * await setBackend(name);
 * await tensor([[1, 2], [3, 4]]).matmul(tensor([[1], [1]])).array(); // [[3], [7]]
 * await setBackend('cpu');
 * ```
 */
export function registerTfjsBackend(options: RegisterTfjsOptions = {}): string {
  const engine = options.engine ?? 'cpu';
  const name = options.name ?? (engine === 'cpu' ? 'tfjs' : `tfjs-${engine}`);
  const { priority, ...rest } = options;
  registerBackend(name, () => TfjsBackend.create({ ...rest, engine, name }), { priority: priority ?? -1 });
  return name;
}

registerTfjsBackend({ name: 'tfjs', engine: 'cpu' });
registerTfjsBackend({ name: 'tfjs-wasm', engine: 'wasm' });
