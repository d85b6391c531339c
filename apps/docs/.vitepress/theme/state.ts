// Page-wide state shared by every <TgExample> and the backend picker: which backend runs examples
// and which ones this browser offers. The runner itself (a Web Worker with the library in it) is
// created on first need through a dynamic import, so nothing browser-only runs during SSR and a
// reader who never runs an example downloads only this module.
import { ref } from 'vue';
import type { BackendName, ExampleRunner } from '../../runtime/types.js';

const STORAGE_KEY = 'tensorgrad-docs-backend';

/** The backend every example on the page runs on; the picker writes it, localStorage keeps it. */
export const backend = ref<BackendName>('cpu');
/** What the picker offers. webgpu joins once the runner has found an adapter in its worker. */
export const availableBackends = ref<BackendName[]>(['cpu', 'tfjs']);

let runnerPromise: Promise<ExampleRunner> | undefined;

/** The page's one runner; the worker behind it survives client-side navigation. */
export function loadRunner(): Promise<ExampleRunner> {
  runnerPromise ??= import('../../runtime/index.js').then((runtime) => runtime.getExampleRunner());
  return runnerPromise;
}

function storedBackend(): BackendName | undefined {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'cpu' || stored === 'webgpu' || stored === 'tfjs' ? stored : undefined;
}

/**
 * Applies the stored choice at once (client only) when it needs no probing (cpu, tfjs); a stored
 * webgpu waits for initBackends, since the picker offers webgpu only once an adapter is found.
 */
export function restoreBackend(): void {
  const stored = storedBackend();
  if (stored && availableBackends.value.includes(stored)) backend.value = stored;
}

/** Asks the runner which backends work here; a stored choice this browser cannot run falls back to cpu. */
export async function initBackends(runner: ExampleRunner): Promise<void> {
  availableBackends.value = await runner.availableBackends();
  const stored = storedBackend();
  if (stored && availableBackends.value.includes(stored)) backend.value = stored;
  if (!availableBackends.value.includes(backend.value)) backend.value = 'cpu';
}

export function chooseBackend(name: BackendName): void {
  backend.value = name;
  localStorage.setItem(STORAGE_KEY, name);
}
