import { describe, it } from 'vitest';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-webgpu';
import { runConformance } from '@tensorgrad/conformance';
import { webgpuOrReason } from './gpu.js';

const NOT_YET = 'not implemented on webgpu yet';

/**
 * Kernels still being written for WebGPU. While one is missing from the backend's kernels, its
 * checks are skipped with the reason above; once it is registered in src/kernels/index.ts its
 * checks run (nothing to edit here).
 */
const PENDING_KERNELS = [
  'softmax',
  'logSoftmax',
  'cat',
  'gather',
  'scatterAdd',
  'indexSelect',
  'oneHot',
  'pad',
  'conv2d',
  'conv2dInputGrad',
  'conv2dWeightGrad',
  'maxPool2d',
  'avgPool2d',
  'avgPool2dBackward',
  'adaptiveAvgPool2d',
  'adaptiveAvgPool2dBackward',
] as const;

/**
 * Checks of other ops (a conformance id prefix or op name) that run one of those kernels, in the
 * forward pass or in their gradient (autodiff rules: select/narrow → pad, gather/indexSelect/
 * maxPool2d/interpolate → scatterAdd, losses → logSoftmax, gather, indexSelect, ...).
 */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  'select/dim1': ['pad'],
  'select/neg-index': ['pad'],
  'narrow/dim1': ['pad'],
  stack: ['cat'],
  convTranspose2d: ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'],
  interpolate: ['indexSelect', 'scatterAdd'],
  crossEntropy: ['logSoftmax', 'gather', 'indexSelect', 'scatterAdd'],
  nllLoss: ['gather', 'indexSelect', 'scatterAdd'],
  Embedding: ['indexSelect', 'scatterAdd'],
  Upsample: ['indexSelect', 'scatterAdd'],
  Softmax: ['softmax'],
  LogSoftmax: ['logSoftmax'],
  MaxPool2d: ['maxPool2d', 'scatterAdd'],
  AvgPool2d: ['avgPool2d', 'avgPool2dBackward'],
  AdaptiveAvgPool2d: ['adaptiveAvgPool2d', 'adaptiveAvgPool2dBackward'],
  Conv2d: ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'],
  ConvTranspose2d: ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'],
  gather: ['scatterAdd'],
  indexSelect: ['scatterAdd'],
  maxPool2d: ['scatterAdd'],
  avgPool2d: ['avgPool2dBackward'],
  adaptiveAvgPool2d: ['adaptiveAvgPool2dBackward'],
};

const gpu = await webgpuOrReason();
if (gpu.backend) {
  const has = (k: string): boolean => k in gpu.backend.kernels;
  const skip: Record<string, string> = {
    // a WebGPU limitation, not a missing kernel: inferring the class count reads the tensor synchronously
    'oneHot/infer-classes': 'oneHot without numClasses reads its input synchronously, which webgpu cannot (pass { numClasses })',
  };
  for (const k of PENDING_KERNELS) if (!has(k)) skip[k] = NOT_YET;
  for (const [check, kernels] of Object.entries(NEEDS)) {
    const missing = kernels.filter((k) => !has(k));
    if (missing.length) skip[check] = `${NOT_YET} (needs ${missing.join(', ')})`;
  }
  runConformance('webgpu', { skip });
} else {
  console.log(`conformance[webgpu]: skipped, no WebGPU adapter: ${gpu.reason}`);
  describe('conformance[webgpu]', () => {
    it.skip(`skipped: no WebGPU adapter: ${gpu.reason}`, () => {});
  });
}
