// Runs one example to completion and describes what happened: the part of the runtime that needs
// no Worker, so that Node tests can run real doc examples through exactly the code the page uses
// (worker.ts only adds the message plumbing and the backends' one-time set-up).
//
// The example runs inside an async `tidy` of the bundled `@tensorgrad/tensor`, so every tensor it
// creates is freed when it ends, also those it keeps in variables; console output and promised
// values are formatted while the tensors are still alive (webgpu reads back asynchronously).
import type * as TensorModule from '@tensorgrad/tensor';
import { __docCheck } from '../../../scripts/doc-examples-runtime.mjs';
import { formatLogArgs, inspect, readTensors, type TensorTexts } from './format.js';
import { startTracking, trackedModules } from './track.js';
import { ExampleSyntaxError, transformExample, VALUE_HOOK } from './transform.js';
import type { BackendName, OutputLine, RunResult } from './types.js';

/** The modules an example may import, by specifier, as namespace objects (see modules.ts). */
export type ExampleModules = Readonly<Record<string, object>>;

/** What an example's `console` calls and promised values become, in the order they happened. */
interface PendingLine {
  kind: OutputLine['kind'];
  line?: number;
  args: readonly unknown[];
  tensors: TensorTexts;
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => AsyncFn;
const PARAMS = ['require', 'exports', 'module', 'console', VALUE_HOOK, 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] as const;

let runCounter = 0;

/** The most output lines a run shows (console calls and promised values); later ones are counted. */
export const MAX_OUTPUT_LINES = 1000;
/** The most characters an output line shows. */
export const MAX_LINE_CHARS = 10_000;

function clip(text: string): string {
  if (text.length <= MAX_LINE_CHARS) return text;
  return `${text.slice(0, MAX_LINE_CHARS)}… (${text.length - MAX_LINE_CHARS} more characters)`;
}

// The run in progress, for errors that escape it asynchronously (a rejected promise nobody
// awaited, a throw in a timer callback): the worker hands them to reportUncaught.
let active: { record: (e: unknown) => void } | null = null;

/**
 * Attributes an uncaught error (the worker's `unhandledrejection` and `error` events) to the run
 * in progress: it becomes an error line of its output and fails the run. Returns false when no
 * run is in progress (the error then stays the environment's).
 */
export function reportUncaught(error: unknown): boolean {
  if (!active) return false;
  active.record(error);
  return true;
}
let headerLines: number | undefined;

// How many lines the engine puts before the body of `new AsyncFunction(…)` in its stack traces
// (V8: 2, `async function anonymous(…\n) {\n`), measured once with a probe rather than assumed.
async function functionHeaderLines(): Promise<number> {
  if (headerLines === undefined) {
    const probe = new AsyncFunction(...PARAMS, 'return new Error().stack;\n//# sourceURL=tg-probe.js');
    const m = /tg-probe\.js:(\d+)/.exec(String(await probe()));
    headerLines = m ? Number(m[1]) - 1 : 0;
  }
  return headerLines;
}

/** The 1-based example line of the innermost stack frame inside the example, if any. */
function exampleLine(stack: string | undefined, sourceName: string, lineCount: number): number | undefined {
  if (!stack) return undefined;
  const escaped = sourceName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  if (!m) return undefined;
  const line = Number(m[1]) - (headerLines ?? 0);
  return line >= 1 && line <= lineCount ? line : undefined;
}

type TimerId = ReturnType<typeof setTimeout>;

/** setTimeout and setInterval for one run, remembering what is still pending so `stop()` can clear it. */
function runTimers(): { api: readonly unknown[]; stop(): number } {
  const pending = new Set<TimerId>();
  const api = [
    (fn: unknown, ms?: number, ...args: unknown[]): TimerId => {
      const id: TimerId = setTimeout(() => {
        pending.delete(id);
        if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
      }, ms);
      pending.add(id);
      return id;
    },
    (fn: unknown, ms?: number, ...args: unknown[]): TimerId => {
      const id: TimerId = setInterval(() => {
        if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
      }, ms);
      pending.add(id);
      return id;
    },
    (id: TimerId | undefined): void => {
      if (id === undefined) return;
      pending.delete(id);
      clearTimeout(id);
    },
    (id: TimerId | undefined): void => {
      if (id === undefined) return;
      pending.delete(id);
      clearInterval(id);
    },
  ];
  return {
    api,
    stop() {
      const n = pending.size;
      for (const id of pending) {
        clearTimeout(id);
        clearInterval(id);
      }
      pending.clear();
      return n;
    },
  };
}

function describeError(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: `the example threw a non-Error value: ${inspect(e)}` };
}

/**
 * Runs `code` (TypeScript, importing only the specifiers in `modules`) on `backend`, and reports
 * its output, promised values, error with the example's line, wall time and memory. `modules`
 * must contain `@tensorgrad/tensor` and whatever registers `backend`.
 */
export async function runExample(code: string, options: { backend: BackendName }, modules: ExampleModules): Promise<RunResult> {
  const lib = modules['@tensorgrad/tensor'] as typeof TensorModule | undefined;
  if (!lib) throw new Error("runExample: `modules` has no '@tensorgrad/tensor'; pass the bundled packages (see modules.ts)");
  const backend = options.backend;
  const output: PendingLine[] = [];
  const reads: Promise<void>[] = [];
  const lineCount = code.split('\n').length;
  const sourceName = `tg-example-${++runCounter}.js`;
  // a backend that failed to start leaves memory() nothing to ask: the run then reports zeros
  const memoryNow = (): { numTensors: number; numBytes: number } => {
    try {
      return lib.memory();
    } catch {
      return { numTensors: 0, numBytes: 0 };
    }
  };
  // for a run that ends before the example starts: nothing was created, nothing freed
  const notStarted = (error: RunResult['error']): RunResult => {
    const now = memoryNow().numTensors;
    return result('error', 0, now, now, error);
  };
  const result = (status: RunResult['status'], ms: number, before: number, inside: number, error?: RunResult['error']): RunResult => {
    const after = memoryNow();
    const lines = output.map(({ kind, line, args, tensors }): OutputLine => {
      const text = clip(kind === 'value' ? inspect(args[0], tensors) : formatLogArgs(args, tensors));
      return line === undefined ? { kind, text } : { kind, text, line };
    });
    return {
      status,
      output: lines,
      ...(error ? { error } : {}),
      ms,
      backend,
      memory: { tensorsBefore: before, tensorsAfter: after.numTensors, bytesAfter: after.numBytes, freed: Math.max(0, inside - after.numTensors) },
    };
  };

  let js: string;
  let promised: Map<number, string>;
  try {
    ({ js, promised } = transformExample(code));
  } catch (e) {
    const err = e instanceof ExampleSyntaxError ? e : new ExampleSyntaxError(describeError(e).message, undefined);
    return notStarted({ name: err.name, message: err.message, ...(err.line ? { line: err.line } : {}) });
  }

  try {
    // the picker's names are the backends' registered names
    await lib.setBackend(backend);
  } catch (e) {
    const { message } = describeError(e);
    return notStarted({ name: 'BackendError', message: `the '${backend}' backend could not start here: ${message}` });
  }

  await functionHeaderLines();
  let fn: AsyncFn;
  try {
    // the body in a block of its own, so that an example may declare `const module = new Linear(…)`
    // (or its own console, require, exports) without colliding with the function's parameters;
    // the block opens on the example's first line, which keeps every line where it was
    fn = new AsyncFunction(...PARAMS, `'use strict';{${js}\n}\n//# sourceURL=${sourceName}`);
  } catch (e) {
    // sucrase accepted it but the engine did not (syntax newer than this browser): no line known
    return notStarted(describeError(e));
  }

  const visible = trackedModules(modules);
  const require = (specifier: string): object => {
    const m = visible[specifier];
    if (m) return m;
    throw new Error(
      `cannot import '${specifier}' in the page: examples here can import ${Object.keys(modules)
        .map((k) => `'${k}'`)
        .join(', ')}; run this one in Node instead`,
    );
  };
  // a run that prints in a long loop keeps its first lines only: the rest would cost the worker
  // memory, the page a node per line, and the reader nothing
  let dropped = 0;
  const record = (kind: OutputLine['kind'], args: readonly unknown[], line: number | undefined | (() => number | undefined)): void => {
    if (output.length >= MAX_OUTPUT_LINES) {
      dropped++;
      return;
    }
    if (typeof line === 'function') line = line();
    const tensors: TensorTexts = new Map();
    reads.push(readTensors(args, lib, tensors));
    output.push({ kind, args, tensors, ...(line !== undefined ? { line } : {}) });
  };
  // the console methods a snippet is likely to call; timers and counters print as Node's do
  const timers = new Map<string, number>();
  const counts = new Map<string, number>();
  const here = (): number | undefined => exampleLine(new Error().stack, sourceName, lineCount);
  const logger = (kind: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) => record(kind, args, here);
  const elapsed = (label: string): string => {
    const t0 = timers.get(label);
    return t0 === undefined ? `Warning: No such label '${label}'` : `${label}: ${(performance.now() - t0).toFixed(3)}ms`;
  };
  const exampleConsole = {
    log: logger('log'),
    info: logger('info'),
    warn: logger('warn'),
    error: logger('error'),
    debug: logger('log'),
    trace: logger('log'),
    table: logger('log'),
    dir: logger('log'),
    group: logger('log'),
    groupEnd: () => {},
    time: (label = 'default') => void timers.set(label, performance.now()),
    timeLog: (label = 'default', ...rest: unknown[]) => record('log', [elapsed(label), ...rest], here),
    timeEnd: (label = 'default') => {
      record('log', [elapsed(label)], here);
      timers.delete(label);
    },
    count: (label = 'default') => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      record('log', [`${label}: ${n}`], here);
    },
    assert: (condition: unknown, ...rest: unknown[]) => {
      if (!condition) record('error', rest.length ? ['Assertion failed:', ...rest] : ['Assertion failed'], here);
    },
  };
  const valueHook = <T>(line: number, value: T): T => {
    record('value', [value], line);
    // the same comparison as the doc-example tests (one unit in the last printed digit): on
    // another backend, or after an edit, the reader sees where the result left the comment
    const literal = promised.get(line);
    if (literal !== undefined) {
      try {
        __docCheck(value, literal, `line ${line}`);
      } catch (e) {
        const problem = (e instanceof Error ? e.message : String(e)).split('\n').pop()!.trim();
        record('warn', [`differs from the comment // ${literal}: ${problem}`], line);
      }
    }
    return value;
  };
  const exportsObject = {};
  const clock = runTimers();

  const before = memoryNow().numTensors;
  let inside = before;
  let failure: unknown;
  let failed = false;
  const uncaught: unknown[] = [];
  const run = {
    record: (e: unknown) => {
      uncaught.push(e);
      const line = exampleLine(e instanceof Error ? e.stack : undefined, sourceName, lineCount);
      const { name, message } = describeError(e);
      output.push({ kind: 'error', args: [`Uncaught ${name}: ${message}`], tensors: new Map(), ...(line !== undefined ? { line } : {}) });
    },
  };
  active = run;
  const tracker = startTracking((modules['@tensorgrad/layers'] as { Module?: Function } | undefined)?.Module);
  const start = performance.now();
  let stopped = 0;
  try {
    await lib.tidy(async () => {
      try {
        await fn(require, exportsObject, { exports: exportsObject }, exampleConsole, valueHook, ...clock.api);
      } finally {
        // a timer the example left behind would run into later runs (printing nowhere, making tensors
        // outside any scope, failing in no run): the run ends when its code does, and so do its
        // timers — stopped inside the scope, so that no tick runs between its end and the stop
        stopped = clock.stop();
        // the tensors printed must be read before the scope frees them
        await Promise.allSettled(reads);
        inside = memoryNow().numTensors;
      }
    });
  } catch (e) {
    failed = true;
    failure = e;
  }
  const ms = performance.now() - start;
  if (active === run) active = null;
  if (!failed && uncaught.length) {
    failed = true;
    failure = uncaught[0];
  }
  if (stopped > 0) {
    output.push({
      kind: 'warn',
      args: [`after the run: stopped ${stopped} timer${stopped > 1 ? 's' : ''} (setTimeout/setInterval) the example left running; await what should finish within the run`],
      tensors: new Map(),
    });
  }
  if (dropped > 0) {
    output.push({
      kind: 'warn',
      args: [`… and ${dropped} more line${dropped > 1 ? 's' : ''} of output, not shown (the page keeps the first ${MAX_OUTPUT_LINES})`],
      tensors: new Map(),
    });
  }
  // what the library kept out of the scope (module parameters, keep()): freed now
  for (const problem of tracker.dispose()) output.push({ kind: 'warn', args: [`after the run: ${problem}`], tensors: new Map() });
  const left = memoryNow().numTensors - before;
  if (left > 0) {
    output.push({
      kind: 'warn',
      args: [`${left} tensor${left > 1 ? 's' : ''} this run created could not be freed by the page (made by code the runner does not see, e.g. kept by a library object); they are released when garbage-collected (cpu) or when the worker restarts`],
      tensors: new Map(),
    });
  }
  if (failed) {
    const line = exampleLine(failure instanceof Error ? failure.stack : undefined, sourceName, lineCount);
    return result('error', ms, before, inside, { ...describeError(failure), ...(line !== undefined ? { line } : {}) });
  }
  return result('ok', ms, before, inside);
}
