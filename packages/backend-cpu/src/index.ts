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
export { matmulInto, type MatmulOperand } from './matmul-core.js';
export { cpuSimdEnabled, setCpuSimd } from './wasm/simd-switch.js';
export { cpuThreads, cpuThreadsReady, setCpuThreads } from './wasm/gemm-threads.js';
export { cpuThreadStats, type CpuThreadStats } from './thread-stats.js';

registerBackend('cpu', () => new CpuBackend('cpu'), { priority: 1 });
