/**
 * Shared by the WebGPU tests: the backend, or the reason it cannot be had (the tests then register
 * one skipped test whose title prints it). When VK_ICD_FILENAMES is unset but
 * scripts/ensure-webgpu.sh already unpacked lavapipe into the repository's cache, that driver is
 * used, so `pnpm test` in this package works without exporting anything first. With
 * TENSORGRAD_REQUIRE_WEBGPU=1 (set by scripts/test.sh once a driver is set up) a missing adapter
 * fails the tests instead of skipping them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findBackend } from '@tensorgrad/tensor';
import { WebGPUBackend } from '@tensorgrad/backend-webgpu';

const icd = fileURLToPath(new URL('../../../.cache/webgpu/lavapipe/lvp_icd.json', import.meta.url));
if (!process.env.VK_ICD_FILENAMES && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;

/** The registered 'webgpu' backend, or why there is none. */
export async function webgpuOrReason(): Promise<{ backend: WebGPUBackend; reason: null } | { backend: null; reason: string }> {
  try {
    const backend = await findBackend('webgpu');
    return { backend: backend as WebGPUBackend, reason: null };
  } catch (err) {
    const reason = (err as Error).message;
    // scripts/test.sh sets this once it has set up a driver: from then on, no adapter is a failure
    if (process.env.TENSORGRAD_REQUIRE_WEBGPU === '1') {
      throw new Error(`TENSORGRAD_REQUIRE_WEBGPU=1 (scripts/test.sh set up a Vulkan driver) but the WebGPU backend is unavailable: ${reason}`);
    }
    return { backend: null, reason };
  }
}
