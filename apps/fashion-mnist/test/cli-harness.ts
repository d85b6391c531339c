// Runs the CLI in-process with captured output, and reads what a run wrote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type CliIO, type EpochMetrics } from '@tensorgrad/fashion-mnist';

/** A CliIO that records stdout and stderr. */
export function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } },
    out: () => out,
    err: () => err,
  };
}

/** `main(argv)` with its exit code and output. */
export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** The metrics.json a run writes. */
export interface Metrics {
  settings: Record<string, unknown>;
  epochs: EpochMetrics[];
}

/** Reads `<dir>/metrics.json`. */
export const metricsOf = (dir: string): Metrics => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Metrics;
