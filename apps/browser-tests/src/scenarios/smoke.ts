// The smallest scenario: proves the page loads, the bundle runs and arguments and results cross
// over. Used by the harness's own tests and examples.
import { tensor } from 'tensorgrad';

/** Arguments of the smoke scenario. */
export interface SmokeArgs {
  /** Values to add up with a tensor op (default [1, 2, 3]). */
  values?: number[];
  /** A message to log with `console.error` (to test that the harness reports it). */
  error?: string;
  /** A message a Web Worker logs with `console.error`. */
  workerError?: string;
  /** Wait this long before answering (to test the harness's timeout). */
  delayMs?: number;
}

/** Adds up `values` with `tensor(values).sum()` and reports what the page is. */
export async function run(args: SmokeArgs = {}): Promise<{ sum: number; crossOriginIsolated: boolean; sharedArrayBuffer: boolean; userAgent: string }> {
  if (args.error !== undefined) console.error(args.error);
  if (args.workerError !== undefined) {
    const url = URL.createObjectURL(new Blob([`console.error(${JSON.stringify(args.workerError)}); postMessage(0);`], { type: 'text/javascript' }));
    const worker = new Worker(url);
    await new Promise((resolve) => (worker.onmessage = resolve));
    worker.terminate();
    URL.revokeObjectURL(url);
  }
  if (args.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, args.delayMs));
  const t = tensor(args.values ?? [1, 2, 3], { dtype: 'float64' });
  const sum = Number(await t.sum().item());
  t.dispose();
  return { sum, crossOriginIsolated: globalThis.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer === 'function', userAgent: navigator.userAgent };
}
