/**
 * `@tensorgrad/backend-cpu`: the pure-TypeScript reference backend; its matrix multiplies run on
 * WebAssembly SIMD kernels emitted at run time where the engine supports them (see
 * `setCpuSimd`). Importing this package registers it as `'cpu'`.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { CpuBackend } from './backend.js';

export { CpuBackend, type CpuBuffer } from './backend.js';
export type { MatmulOperand } from './matmul-core.js';
export { cpuSimdEnabled, cpuThreads, cpuThreadsReady, matmulInto, setCpuSimd, setCpuThreads } from './settings.js';

registerBackend('cpu', () => new CpuBackend('cpu'), { priority: 1 });
