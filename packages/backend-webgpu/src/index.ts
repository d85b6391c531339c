/**
 * `@tensorgrad/backend-webgpu`: tensors on the GPU through WebGPU — `navigator.gpu` in browsers,
 * the optional `webgpu` package (Dawn) in Node. Importing this package registers the backend as
 * `'webgpu'`; `await setBackend('webgpu')` finds a GPU and makes it current. Dtypes float32,
 * int32 and bool (WGSL has no float64). Reads are asynchronous only: `await t.data()`.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { WebGPUBackend } from './backend.js';

export {
  WebGPUBackend,
  type GpuStorage,
  type Program,
  type ProgramSource,
  type Workgroups,
  type WebGPUStats,
  type WebGPUBackendOptions,
} from './backend.js';
export { requestWebGPU, type WebGPUOptions, type AcquiredDevice } from './device.js';
export { BufferPool, sizeClass, type PoolStats } from './buffer-pool.js';
export { linearIndexing, type LinearIndexing, type ViewLayout, type ViewClass } from './indexing.js';
export { mapElementwise, mapInto, type ElementwiseSpec } from './elementwise.js';
export { reduceSum, reduceWithIndex } from './reduction.js';
export { wgslType, f32Bits, atomicAddWgsl, WGSL_COMMON, WGSL_SINCOS, WGSL_TANH, WGSL_ERF, type WgslType } from './wgsl.js';

registerBackend('webgpu', () => WebGPUBackend.create({ name: 'webgpu' }));
