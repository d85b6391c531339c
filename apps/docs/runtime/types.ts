// The contract between the in-page runtime and the site's components (Vue, branch `docsite`) and
// the Chromium test of the built site (branch `docs-e2e`). Kept free of imports so that the page's
// main bundle can depend on these shapes without pulling the library into it.

/** Where an example's tensors live for one run; the backend picker offers these. */
export type BackendName = 'cpu' | 'webgpu' | 'tfjs';

/** The backends an example may run on, in the order the picker lists them. */
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'webgpu', 'tfjs'];

/**
 * One line an example printed (`console.*`) or a value it promised in a `// <literal>` comment
 * (`kind: 'value'`). `line` is 1-based in the example's own source, when known.
 */
export interface OutputLine {
  kind: 'log' | 'info' | 'warn' | 'error' | 'value';
  text: string;
  line?: number;
}

/** What one run of an example produced. */
export interface RunResult {
  status: 'ok' | 'error';
  output: OutputLine[];
  /** Set when the example threw (or could not be transformed); `line` is 1-based in the example. */
  error?: { name: string; message: string; line?: number };
  /** Wall time of the run itself (transform excluded), in milliseconds. */
  ms: number;
  backend: BackendName;
  /**
   * Live tensors on the run's backend before and after the run (after freeing what it created),
   * the bytes the backend still holds afterwards, and how many tensors the runtime freed.
   */
  memory: { tensorsBefore: number; tensorsAfter: number; bytesAfter: number; freed: number };
}

/** Options of {@link ExampleRunner.run}. */
export interface RunOptions {
  backend: BackendName;
  /** A run still going after this many milliseconds is stopped (its worker terminated). Default 30 000. */
  timeoutMs?: number;
}

/** Runs examples one at a time in a Web Worker; one per page. */
export interface ExampleRunner {
  run(code: string, options: RunOptions): Promise<RunResult>;
  /** The backends this browser can run: `webgpu` only when `navigator.gpu` gives an adapter in the worker. */
  availableBackends(): Promise<BackendName[]>;
  /** Terminates the worker; pending runs end with an error. */
  dispose(): void;
}

/** Whether an example gets a Run button, and if not, why (shown as a badge). */
export type Classification = { runnable: true } | { runnable: false; kind: 'node' | 'excerpt' | 'other'; reason: string };
