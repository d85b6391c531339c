import { CpuBackend, cpuSimdEnabled, listBackends, registerBackend, setCpuSimd } from 'tensorgrad';
import { type KernelMap } from '@tensorgrad/tensor/backend';

type AnyKernel = (...args: unknown[]) => unknown;

/**
 * A CPU backend whose kernels run with the WebAssembly SIMD GEMM switched off (the plain
 * TypeScript GEMM, which accumulates float32 products in float64): the same kernels as `cpu`
 * with a different summation, so `cpu` against it measures float32 rounding noise.
 *
 * @example
 * ```ts
 * import { NoSimdCpuBackend } from '@tensorgrad/crosscheck';
 * new NoSimdCpuBackend().name; // 'cpu-nosimd'
 * ```
 */
export class NoSimdCpuBackend extends CpuBackend {
  override readonly kernels: Partial<KernelMap>;

  constructor(name = 'cpu-nosimd') {
    super(name);
    const base = new CpuBackend(name).kernels as Record<string, AnyKernel>;
    const wrapped: Record<string, AnyKernel> = {};
    for (const [k, fn] of Object.entries(base)) {
      wrapped[k] = (...args: unknown[]) => {
        const was = cpuSimdEnabled();
        if (was) setCpuSimd(false);
        try {
          return fn(...args);
        } finally {
          if (was) setCpuSimd(true);
        }
      };
    }
    this.kernels = wrapped as Partial<KernelMap>;
  }
}

/**
 * Registers the cross-check's extra backends when they are not registered yet: `cpu-nosimd`
 * ({@link NoSimdCpuBackend}). Returns the registered backend names.
 *
 * @example
 * ```ts
 * import { registerCrossCheckBackends } from '@tensorgrad/crosscheck';
 * registerCrossCheckBackends().includes('cpu-nosimd'); // true
 * ```
 */
export function registerCrossCheckBackends(): string[] {
  if (!listBackends().includes('cpu-nosimd')) registerBackend('cpu-nosimd', () => new NoSimdCpuBackend('cpu-nosimd'), { priority: -10 });
  return listBackends();
}
