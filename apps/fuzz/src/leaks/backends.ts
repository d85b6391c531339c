import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findBackend } from 'tensorgrad';
import '@tensorgrad/backend-tfjs';

/**
 * The backends every leak test runs on.
 *
 * @example
 * ```ts
 * import { LEAK_BACKENDS } from '@tensorgrad/fuzz';
 * LEAK_BACKENDS.join(', '); // 'cpu, tfjs, webgpu'
 * ```
 */
export const LEAK_BACKENDS = ['cpu', 'tfjs', 'webgpu'] as const;

/** One of {@link LEAK_BACKENDS}. */
export type LeakBackend = (typeof LEAK_BACKENDS)[number];

/**
 * Why `name` cannot run on this machine (no WebGPU adapter), or `null` when it can. The webgpu
 * backend is loaded on first use; when `VK_ICD_FILENAMES` is unset and `scripts/ensure-webgpu.sh`
 * already unpacked lavapipe into the repository's cache, that software driver is used. With
 * `TENSORGRAD_REQUIRE_WEBGPU=1` (set by `scripts/test.sh` once a driver is set up) a missing
 * adapter throws instead.
 *
 * @example
 * ```ts
 * import { leakBackendUnavailable } from '@tensorgrad/fuzz';
 * await leakBackendUnavailable('cpu'); // null
 * ```
 */
export async function leakBackendUnavailable(name: LeakBackend): Promise<string | null> {
  if (name === 'webgpu') {
    const icd = fileURLToPath(new URL('../../../../.cache/webgpu/lavapipe/lvp_icd.json', import.meta.url));
    if (!process.env.VK_ICD_FILENAMES && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
    await import('@tensorgrad/backend-webgpu');
  }
  try {
    await findBackend(name);
    return null;
  } catch (err) {
    const reason = `the '${name}' backend is unavailable: ${(err as Error).message}`;
    if (name === 'webgpu' && process.env.TENSORGRAD_REQUIRE_WEBGPU === '1') {
      throw new Error(`TENSORGRAD_REQUIRE_WEBGPU=1 (scripts/test.sh set up a Vulkan driver) but ${reason}`);
    }
    return reason;
  }
}
