/**
 * Whether the CPU backend's GEMM runs on the WebAssembly SIMD kernels or the plain TypeScript
 * ones. On by default where the engine supports wasm SIMD; the environment variable
 * `TENSORGRAD_CPU_SIMD=0` turns it off at start-up, {@link setCpuSimd} at run time.
 */
import { simdSupported } from './gemm-simd.js';

/** Whether a value of `TENSORGRAD_CPU_SIMD` leaves SIMD on: anything but `0`, `false`, `off`, `no`. */
export function parseSimdEnv(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'off' || v === 'no');
}

// `process` only exists in Node-like hosts; browsers get the default
let requested = parseSimdEnv((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TENSORGRAD_CPU_SIMD);
// tests set this to send every product, however small, through wasm
let forced = false;

/**
 * Turns the WebAssembly SIMD matrix-multiply kernels of the `cpu` backend on or off (they back
 * `matmul`, `conv2d` and the convolution gradients for float32 and float64), and returns whether
 * they are in use now: turning them on has no effect on an engine without WebAssembly SIMD,
 * where the TypeScript kernels always run. The default is on, unless the environment variable
 * `TENSORGRAD_CPU_SIMD` is `0` when the package loads. float32 products accumulate in float32 on
 * the SIMD path (like a BLAS) and in float64 on the TypeScript path, so the two differ in the last
 * bits (well within float32 tolerances); float64 results agree to rounding.
 *
 * @example
 * ```ts
 * import { cpuSimdEnabled, setCpuSimd } from '@tensorgrad/backend-cpu';
 * const before = cpuSimdEnabled();
 * setCpuSimd(false); // false
 * cpuSimdEnabled(); // false
 * setCpuSimd(before);
 * ```
 */
export function setCpuSimd(enabled: boolean): boolean {
  if (typeof enabled !== 'boolean') throw new TypeError(`setCpuSimd: expected a boolean, got ${typeof enabled} (${String(enabled)})`);
  requested = enabled;
  return cpuSimdEnabled();
}

/**
 * Whether the `cpu` backend's matrix multiplies currently run on the WebAssembly SIMD kernels:
 * they are requested (see {@link setCpuSimd}) and the engine supports WebAssembly SIMD.
 *
 * @example
 * ```ts
 * import { cpuSimdEnabled } from '@tensorgrad/backend-cpu';
 * typeof cpuSimdEnabled(); // 'boolean'
 * ```
 */
export function cpuSimdEnabled(): boolean {
  return requested && simdSupported();
}

/**
 * Whether an `m×k · k×n` product should run on the SIMD kernels: they are enabled and, unless
 * forced, the product is not tiny. Measured on V8: from about 8³ multiply-adds the SIMD path wins
 * (packing, the wasm call and the copy-out cost about as much as a few hundred scalar
 * multiply-adds); a dot product (`m·n < 4`) stays faster in plain TypeScript.
 */
export function useSimd(m: number, n: number, k: number): boolean {
  return (forced || (m * n >= 4 && m * n * k >= 512)) && cpuSimdEnabled();
}

/** Sends every float product through the SIMD kernels regardless of size (internal, for tests). */
export function forceSimd(on: boolean): void {
  forced = on;
}
