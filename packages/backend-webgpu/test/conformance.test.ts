import { describe, expect, it } from 'vitest';
import '@tensorgrad/autodiff';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-webgpu';
import { runConformance } from '@tensorgrad/conformance';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
if (gpu.backend) {
  const skip: Record<string, string> = {
    // a WebGPU limitation, not a missing kernel: inferring the class count reads the tensor synchronously
    'oneHot/infer-classes': 'oneHot without numClasses reads its input synchronously, which webgpu cannot (pass { numClasses })',
  };
  describe('webgpu kernels', () => {
    it('cover every kernel of the cpu backend (every op runs on the GPU)', () => {
      const cpu = Object.keys(new CpuBackend('cpu-kernels').kernels);
      expect(cpu.filter((k) => !(k in gpu.backend!.kernels))).toEqual([]);
    });
  });
  runConformance('webgpu', { skip });
} else {
  console.log(`conformance[webgpu]: skipped, no WebGPU adapter: ${gpu.reason}`);
  describe('conformance[webgpu]', () => {
    it.skip(`skipped: no WebGPU adapter: ${gpu.reason}`, () => {});
  });
}
