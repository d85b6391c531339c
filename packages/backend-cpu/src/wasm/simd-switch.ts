/**
 * Whether a CPU backend's GEMM runs on the WebAssembly SIMD kernels or the plain TypeScript ones.
 * On by default where the engine supports wasm SIMD; the environment variable
 * `TENSORGRAD_CPU_SIMD=0` turns it off for new backend instances, `setCpuSimd` at run time.
 */
import { simdSupported } from './gemm-simd.js';

/** Whether a value of `TENSORGRAD_CPU_SIMD` leaves SIMD on: anything but `0`, `false`, `off`, `no`. */
export function parseSimdEnv(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'off' || v === 'no');
}

/** The SIMD setting of one backend instance. */
export class SimdSwitch {
  // `process` only exists in Node-like hosts; browsers get the default
  private requested = parseSimdEnv((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TENSORGRAD_CPU_SIMD);
  // tests set this to send every product, however small, through wasm
  private forced = false;

  /** Requests the SIMD kernels on or off; returns whether they are in use now (see `setCpuSimd`). */
  set(enabled: boolean): boolean {
    if (typeof enabled !== 'boolean') throw new TypeError(`setCpuSimd: expected a boolean, got ${typeof enabled} (${String(enabled)})`);
    this.requested = enabled;
    return this.enabled();
  }

  /** Whether the SIMD kernels are requested and the engine supports WebAssembly SIMD. */
  enabled(): boolean {
    return this.requested && simdSupported();
  }

  /**
   * Whether an `m×k · k×n` product should run on the SIMD kernels: they are enabled and, unless
   * forced, the product is not tiny. Measured on V8: from about 8³ multiply-adds the SIMD path wins
   * (packing, the wasm call and the copy-out cost about as much as a few hundred scalar
   * multiply-adds); a dot product (`m·n < 4`) stays faster in plain TypeScript.
   */
  use(m: number, n: number, k: number): boolean {
    return (this.forced || (m * n >= 4 && m * n * k >= 512)) && this.enabled();
  }

  /** Sends every float product through the SIMD kernels regardless of size (internal, for tests). */
  force(on: boolean): void {
    this.forced = on;
  }
}
