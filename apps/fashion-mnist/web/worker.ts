// The training worker's entry: wires web/trainer.ts to the page's messages. Kept thin so that
// all the logic runs under Node in test/web-trainer.test.ts.
/// <reference lib="webworker" />
import type { Event as WorkerEvent, Request } from './protocol.js';
import { Trainer } from './trainer.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent, transfer: Transferable[] = []): void => scope.postMessage(event, transfer);
const trainer = new Trainer({ post });

// not awaited: a run's promise lasts until it ends, and pause/stop/predict must get through meanwhile
scope.onmessage = (e: MessageEvent<Request>) => void trainer.handle(e.data);

// whatever escapes a request's handler (a throw in a timer, a promise nobody awaited) still
// reaches the page as an error instead of only the worker's console
const report = (error: unknown): void => post({ type: 'error', id: null, message: error instanceof Error ? error.message : String(error) });
scope.addEventListener('error', (event) => {
  report(event.error ?? event.message);
  event.preventDefault();
});
scope.addEventListener('unhandledrejection', (event) => {
  report(event.reason);
  event.preventDefault();
});
