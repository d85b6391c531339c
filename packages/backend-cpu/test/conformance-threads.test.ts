// The conformance suite again with every float matrix product of more than one row tile, however
// small, split among three threads on the shared-memory WebAssembly SIMD kernels, so the golden
// PyTorch values check the threaded GEMM behind matmul, conv2d and the convolution gradients.
import { CpuBackend, setCpuSimd, setCpuThreads } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { cpuTolerance } from './cpu-tolerance.js';
import { findBackendSync } from '@tensorgrad/tensor';

if (!setCpuSimd(true)) throw new Error('conformance-threads: this engine has no WebAssembly SIMD, so the threaded GEMM cannot be tested here');
if (setCpuThreads(3) !== 3) throw new Error('conformance-threads: SharedArrayBuffer or worker_threads are unavailable here, so the threaded GEMM cannot be tested');
(findBackendSync('cpu') as CpuBackend).gemm.threads.force(true);
runConformance('cpu', { tolerance: cpuTolerance });
