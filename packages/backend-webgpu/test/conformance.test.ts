import { describe, it } from 'vitest';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-webgpu';
import { runConformance } from '@tensorgrad/conformance';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
if (gpu.backend) {
  const skip: Record<string, string> = {
    // a WebGPU limitation, not a missing kernel: inferring the class count reads the tensor synchronously
    'oneHot/infer-classes': 'oneHot without numClasses reads its input synchronously, which webgpu cannot (pass { numClasses })',
  };
  // That webgpu has every kernel is a type check now: WebGPUBackend.kernels is a full KernelMap.
  runConformance('webgpu', { skip });
} else {
  console.log(`conformance[webgpu]: skipped, no WebGPU adapter: ${gpu.reason}`);
  describe('conformance[webgpu]', () => {
    it.skip(`skipped: no WebGPU adapter: ${gpu.reason}`, () => {});
  });
}
