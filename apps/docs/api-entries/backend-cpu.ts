/**
 * The parts of `@tensorgrad/backend-cpu` that the `tensorgrad` umbrella does not re-export: the
 * CPU buffer type and the matrix-multiply kernel other backends may reuse. `CpuBackend` and the
 * SIMD/thread settings are documented under Backends.
 *
 * @module @tensorgrad/backend-cpu
 */
export { type CpuBuffer, type MatmulOperand, matmulInto } from '@tensorgrad/backend-cpu';
