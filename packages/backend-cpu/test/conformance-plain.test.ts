// The conformance suite again with the WebAssembly SIMD kernels switched off, so the plain
// TypeScript GEMM (the fallback on engines without wasm SIMD) keeps passing it too.
import { setCpuSimd } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { cpuTolerance } from './cpu-tolerance.js';

setCpuSimd(false);
runConformance('cpu', { tolerance: cpuTolerance });
