// The page's side of the example runner: one Web Worker per page (a module-level singleton, so it
// and the backends it started survive VitePress's client-side navigation), runs queued in order,
// and a timeout that terminates a runaway worker and starts a fresh one for the next run.
import type { WorkerReply, WorkerRequest } from './protocol.js';
import type { BackendName, ExampleRunner, RunOptions, RunResult } from './types.js';

/** How long a run may take before its worker is terminated, unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How the runner gets its worker; tests substitute their own. */
export interface ExampleRunnerOptions {
  createWorker?: () => Worker;
}

function startWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tensorgrad-examples' });
}

function failed(backend: BackendName, ms: number, name: string, message: string): RunResult {
  return { status: 'error', output: [], error: { name, message }, ms, backend, memory: { tensorsBefore: 0, tensorsAfter: 0, bytesAfter: 0, freed: 0 } };
}

/** A runner with its own worker (started at the first request). Pages use {@link getExampleRunner}. */
export function createExampleRunner(options: ExampleRunnerOptions = {}): ExampleRunner {
  const create = options.createWorker ?? startWorker;
  let worker: Worker | null = null;
  let nextId = 1;
  let disposed = false;
  // the reply handlers of the requests the current worker has not answered yet
  const waiting = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void }>();
  let queue: Promise<unknown> = Promise.resolve();
  let backends: Promise<BackendName[]> | undefined;

  const failAll = (e: Error): void => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const stopWorker = (): void => {
    worker?.terminate();
    worker = null;
  };
  const ensureWorker = (): Worker => {
    if (disposed) throw new Error('the example runner was disposed; get a new one with createExampleRunner()');
    if (worker) return worker;
    const w = create();
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const handler = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      handler?.resolve(event.data);
    };
    w.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      // a worker that failed to load or crashed answers nothing more: start afresh next time
      if (worker === w) stopWorker();
      failAll(new Error(`the example worker failed: ${event.message || 'it could not be loaded (see the browser console)'}`));
    };
    worker = w;
    return w;
  };
  const request = (req: WorkerRequest): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      waiting.set(req.id, { resolve, reject });
      try {
        ensureWorker().postMessage(req);
      } catch (e) {
        waiting.delete(req.id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });

  const runNow = async (code: string, opts: RunOptions): Promise<RunResult> => {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const id = nextId++;
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<RunResult>((resolve) => {
      timer = setTimeout(() => {
        waiting.delete(id);
        // the only way to stop code that does not return is to end its thread
        stopWorker();
        failAll(new Error('the example worker was restarted after a run timed out'));
        resolve(
          failed(
            opts.backend,
            performance.now() - started,
            'TimeoutError',
            `the example was still running after ${timeoutMs} ms and was stopped; its worker was restarted (tensors and backends it held are gone)`,
          ),
        );
      }, timeoutMs);
    });
    const answer = request({ type: 'run', id, code, backend: opts.backend }).then(
      (reply) => (reply.type === 'result' ? reply.result : failed(opts.backend, 0, 'Error', `unexpected reply '${reply.type}' to a run`)),
      (e: Error) => failed(opts.backend, performance.now() - started, 'WorkerError', e.message),
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    run(code, opts) {
      const result = queue.then(() => runNow(code, opts));
      queue = result.catch(() => undefined);
      return result;
    },
    availableBackends() {
      backends ??= request({ type: 'backends', id: nextId++ }).then(
        (reply) => (reply.type === 'backends' ? reply.backends : ['cpu', 'tfjs']),
        (e: unknown) => {
          backends = undefined;
          throw e;
        },
      );
      return backends;
    },
    dispose() {
      disposed = true;
      stopWorker();
      failAll(new Error('the example runner was disposed'));
    },
  };
}

let shared: ExampleRunner | undefined;

/**
 * The page's runner, created at the first call (in the browser only: it starts a Web Worker);
 * after its `dispose()` the next call creates a new one.
 */
export function getExampleRunner(): ExampleRunner {
  if (!shared) {
    const runner = createExampleRunner();
    const page: ExampleRunner = {
      ...runner,
      dispose() {
        if (shared === page) shared = undefined;
        runner.dispose();
      },
    };
    shared = page;
  }
  return shared;
}
