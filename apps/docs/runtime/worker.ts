// The Web Worker that runs the site's examples, one at a time, so that a long example never
// freezes the page and one that loops forever can be stopped by terminating the worker. It holds
// the bundled library: the backends it starts (the GPU device, the TensorFlow.js engine) live as
// long as the worker, which survives client-side navigation.
/// <reference lib="webworker" />
import { setCpuThreads } from '@tensorgrad/backend-cpu';
import { EXAMPLE_MODULES } from './modules.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { reportUncaught, runExample } from './run-example.js';
import type { BackendName } from './types.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

// Threads need SharedArrayBuffer, which exists only in a cross-origin-isolated page; elsewhere
// asking for more than one would only make the backend try and give up.
setCpuThreads(scope.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1);

// an example's promise that rejects unawaited, or a throw in its timer callback, belongs to the
// run in progress: it is shown there instead of only in the browser console
scope.addEventListener('unhandledrejection', (event) => {
  if (reportUncaught(event.reason)) event.preventDefault();
});
scope.addEventListener('error', (event) => {
  if (reportUncaught(event.error ?? new Error(event.message))) event.preventDefault();
});

let webgpuAdapter: Promise<boolean> | undefined;

/** Whether this worker's `navigator.gpu` gives an adapter; asked once. */
function hasWebGPU(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  webgpuAdapter ??= gpu
    ? gpu.requestAdapter().then(
        (a) => a !== null,
        () => false,
      )
    : Promise.resolve(false);
  return webgpuAdapter;
}

async function availableBackends(): Promise<BackendName[]> {
  return (await hasWebGPU()) ? ['cpu', 'webgpu', 'tfjs'] : ['cpu', 'tfjs'];
}

// one run at a time: runs share the library's global state (current backend, tidy scopes)
let queue: Promise<unknown> = Promise.resolve();

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  queue = queue.then(async () => {
    let reply: WorkerReply;
    if (req.type === 'run') {
      reply = { type: 'result', id: req.id, result: await runExample(req.code, { backend: req.backend }, EXAMPLE_MODULES) };
    } else {
      reply = { type: 'backends', id: req.id, backends: await availableBackends() };
    }
    scope.postMessage(reply);
  });
};
