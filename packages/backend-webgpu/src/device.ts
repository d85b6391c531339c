/**
 * Finding a GPU: `navigator.gpu` in browsers, the optional `webgpu` package (Dawn) in Node. Every
 * failure says what is missing and how to fix it.
 */

/** Options of {@link requestWebGPU} and `WebGPUBackend.create`. */
export interface WebGPUOptions {
  /** A `GPU` object to use instead of `navigator.gpu` / Dawn (e.g. one you created yourself). */
  gpu?: GPU;
  /** Passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /** Whether to ask for a fallback (software) adapter only. Fallback adapters are always accepted. */
  forceFallbackAdapter?: boolean;
  /** Flags for Dawn's `create()` in Node, e.g. `['backend=vulkan']` (default none). */
  dawnFlags?: string[];
}

/** A GPU device with what must stay referenced while it lives. */
export interface AcquiredDevice {
  /** The `GPU` object the adapter came from (Dawn's must outlive every device it made). */
  readonly gpu: GPU;
  /** The adapter the device came from. */
  readonly adapter: GPUAdapter;
  /** The device. */
  readonly device: GPUDevice;
  /** `'browser'`, `'node (webgpu/Dawn)'` or `'custom'`. */
  readonly environment: string;
}

/** How to get a software driver, quoted by every "no adapter" error. */
export const SETUP_HINT =
  'On a machine without a GPU, provide a software Vulkan driver: in the tensorgrad repository run ' +
  '`eval "$(bash scripts/ensure-webgpu.sh)"` (it unpacks Mesa\'s lavapipe on Debian and prints VK_ICD_FILENAMES), ' +
  "or set VK_ICD_FILENAMES to a Vulkan ICD json yourself (e.g. Chromium's /usr/lib/chromium/vk_swiftshader_icd.json)";

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

interface DawnModule {
  create(flags: string[]): GPU;
}

async function dawnGpu(flags: string[]): Promise<GPU> {
  // a variable specifier keeps bundlers from trying to bundle the native module for browsers
  const specifier = 'webgpu';
  let mod: DawnModule;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (err) {
    throw new Error(
      `webgpu: WebGPU is not available in this Node process: the optional peer dependency 'webgpu' (Dawn for Node) ` +
        `could not be loaded (${(err as Error).message}). Install it next to @tensorgrad/backend-webgpu ` +
        `(npm install webgpu@0.6.2, or pnpm add webgpu@0.6.2). ${SETUP_HINT}.`,
    );
  }
  return mod.create(flags);
}

/**
 * Finds a GPU, an adapter (fallback/software adapters accepted) and a device with the adapter's
 * larger buffer and workgroup limits. Throws an error naming what is missing: no `navigator.gpu`,
 * the `webgpu` package not installed, or `requestAdapter()` returning null (no driver). In Node,
 * keep the returned `gpu` referenced for as long as the device lives: Dawn crashes when it is
 * garbage-collected first (`WebGPUBackend` does this for you).
 *
 * @example
 * ```ts
 * import { requestWebGPU } from '@tensorgrad/backend-webgpu';
 * // const { gpu, adapter, device } = await requestWebGPU();   (rejects with a how-to-fix message where WebGPU is missing)
 * typeof requestWebGPU; // 'function'
 * ```
 */
export async function requestWebGPU(options: WebGPUOptions = {}): Promise<AcquiredDevice> {
  let gpu: GPU;
  let environment: string;
  if (options.gpu) {
    gpu = options.gpu;
    environment = 'custom';
  } else {
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) {
      gpu = nav.gpu;
      environment = 'browser';
    } else if (isNode()) {
      gpu = await dawnGpu(options.dawnFlags ?? []);
      environment = 'node (webgpu/Dawn)';
    } else {
      throw new Error(
        'webgpu: this environment has no navigator.gpu: use a browser with WebGPU enabled (Chrome/Edge 113+, or Chromium with ' +
          '--enable-unsafe-webgpu), or Node with the `webgpu` package installed',
      );
    }
  }
  const adapterOptions: GPURequestAdapterOptions = {};
  if (options.powerPreference) adapterOptions.powerPreference = options.powerPreference;
  if (options.forceFallbackAdapter) adapterOptions.forceFallbackAdapter = true;
  const adapter = await gpu.requestAdapter(adapterOptions);
  if (!adapter) {
    const icd = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.VK_ICD_FILENAMES;
    throw new Error(
      `webgpu: requestAdapter() returned null in ${environment}: no usable GPU adapter. ` +
        (environment === 'browser'
          ? 'Enable WebGPU in the browser (chrome://flags, or launch Chromium with --enable-unsafe-webgpu) or use a machine with a supported GPU.'
          : `Dawn found no Vulkan/Metal/D3D12 driver it can use (VK_ICD_FILENAMES=${icd ?? '(unset)'}). ${SETUP_HINT}; ` +
            "note that Debian bookworm's own lavapipe (Mesa 22.3) is too old for Dawn."),
    );
  }
  const device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter.limits) });
  return { gpu, adapter, device, environment };
}

// The defaults (128 MiB bindings, 256 invocations, 16 KiB workgroup memory) are lower than what
// most adapters offer; tensors and tiled kernels want the adapter's maxima.
function wantedLimits(l: GPUSupportedLimits): Record<string, number> {
  return {
    maxBufferSize: l.maxBufferSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
    maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  };
}
