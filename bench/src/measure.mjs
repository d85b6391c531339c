// Timing of one case in one library: warm-up, then several timed runs; median and min–max.

/** Run settings of the two modes. `singleRunMs`: a first run this slow is the only one. */
export const MODES = {
  full: { budgetMs: 3000, minRuns: 5, maxRuns: 100, warmupRuns: 2, singleRunMs: 10_000 },
  quick: { budgetMs: 600, minRuns: 3, maxRuns: 30, warmupRuns: 1, singleRunMs: 3_000 },
  // the harness test: as little as possible
  tiny: { budgetMs: 0, minRuns: 1, maxRuns: 1, warmupRuns: 0, singleRunMs: 10_000 },
};

async function timeOnce(run) {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** The median, fastest and slowest of `times` (ms). */
export function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs: median, minMs: sorted[0], maxMs: sorted[sorted.length - 1], runs: sorted.length };
}

/**
 * Times `run` (sync or async; it must finish its work, results included, before returning):
 * warm-up runs first (the JIT and wasm tier-up, buffer pools), then as many timed runs as fit
 * in the budget, within [minRuns, maxRuns]. A first run slower than `singleRunMs` is reported as
 * the only run (warm-up included) instead of repeating a case that takes tens of seconds.
 * `live` (optional) counts the library's live tensors: a count that grows across the timed
 * runs is reported as `leakPerRun`.
 */
export async function measure(run, mode, live = null) {
  const first = await timeOnce(run);
  if (first >= mode.singleRunMs) return { ...stats([first]), single: true };
  let last = first;
  for (let i = 1; i < mode.warmupRuns; i++) last = await timeOnce(run);
  const runs = Math.max(mode.minRuns, Math.min(mode.maxRuns, Math.round(mode.budgetMs / Math.max(last, 0.01))));
  const before = live?.();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(run));
  const result = stats(times);
  if (live) {
    const grown = live() - before;
    if (grown > 0) result.leakPerRun = grown / runs;
  }
  return result;
}
