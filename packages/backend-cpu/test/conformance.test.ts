// The shared op suite (golden PyTorch values, float64-reference properties, gradcheck) on the
// reference CPU backend, with its default settings (see conformance-simd and conformance-plain
// for the two GEMM paths forced one way each).
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { runConformance } from '@tensorgrad/conformance';
import { cpuTolerance } from './cpu-tolerance.js';

runConformance('cpu', { tolerance: cpuTolerance });
