// The conformance suite again with every float matrix product, however small, sent through the
// WebAssembly SIMD kernels (by default the tiniest stay on the TypeScript path), so the golden
// PyTorch values check the wasm GEMM behind matmul, conv2d and the convolution gradients.
import { CpuBackend, setCpuSimd } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { cpuTolerance } from './cpu-tolerance.js';
import { findBackendSync } from '@tensorgrad/tensor';

if (!setCpuSimd(true)) throw new Error('conformance-simd: this engine has no WebAssembly SIMD, so the SIMD GEMM cannot be tested here');
(findBackendSync('cpu') as CpuBackend).gemm.simdSwitch.force(true);
runConformance('cpu', { tolerance: cpuTolerance });
