/**
 * `@tensorgrad/backend-cpu`: the pure-TypeScript reference backend. Importing this package
 * registers it as `'cpu'`.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { CpuBackend } from './backend.js';

export { CpuBackend, type CpuBuffer } from './backend.js';
export { matmulInto, type MatmulOperand } from './matmul-core.js';

registerBackend('cpu', () => new CpuBackend('cpu'), { priority: 1 });
