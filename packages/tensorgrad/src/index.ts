/**
 * `tensorgrad`: the umbrella package. Re-exports tensors, ops, autodiff, layers, losses, optimizers, data loading,
 * safetensors IO, vision (transforms, image IO, models) and the CPU backend,
 * and makes `cpu` the default backend.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';

export * from '@tensorgrad/tensor';
export { grad, gradcheck, sumToShape, rules, type GradcheckOptions } from '@tensorgrad/autodiff';
export { CpuBackend, setCpuSimd, cpuSimdEnabled, setCpuThreads, cpuThreads, cpuThreadsReady } from '@tensorgrad/backend-cpu';
export * from '@tensorgrad/layers';
export * from '@tensorgrad/losses';
export * from '@tensorgrad/optimizers';
export * from '@tensorgrad/data';
export * from '@tensorgrad/io';
export * from '@tensorgrad/vision';
// layers and optimizers both define this (identical) options type; `export *` would drop it
export type { ZeroGradOptions } from '@tensorgrad/layers';
// tensor's pad is torch.nn.functional.pad; vision's image pad (transforms.functional.pad) stays
// reachable as functional.pad and from @tensorgrad/vision
export { pad } from '@tensorgrad/tensor';

// the CPU backend is the default everywhere: highest priority among the built-in backends
registerBackend('cpu', () => new CpuBackend('cpu'), { priority: 100 });
