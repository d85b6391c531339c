/**
 * `tensorgrad`: the umbrella package. Re-exports tensors, ops, autodiff, optimizers, data loading,
 * safetensors IO and the CPU backend,
 * and makes `cpu` the default backend.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';

export * from '@tensorgrad/tensor';
export { grad, gradcheck, sumToShape, rules, type GradcheckOptions } from '@tensorgrad/autodiff';
export { CpuBackend } from '@tensorgrad/backend-cpu';
export * from '@tensorgrad/optimizers';
export * from '@tensorgrad/data';
export * from '@tensorgrad/io';

// the CPU backend is the default everywhere: highest priority among the built-in backends
registerBackend('cpu', () => new CpuBackend('cpu'), { priority: 100 });
