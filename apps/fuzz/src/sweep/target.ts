/**
 * The `ops/<backend>` fuzz targets: a seed picks a generator and draws its case, the engine runs
 * it on the backend against the CPU float64 reference.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRng } from '@tensorgrad/conformance';
import { loadBackends } from '@tensorgrad/crosscheck';
import { findBackend, type DType } from 'tensorgrad';
import type { FuzzTarget } from '../target.js';
import { runSweepCase, SweepFailure } from './engine.js';
import { KNOWN_FAILURES } from './known-failures.js';
import { SWEEP_GENERATORS } from './registry.js';
import type { OpGenerator, SweepCase } from './types.js';

/** The counts of one sweep target since it was made. */
export interface SweepStats {
  /** Cases run (passed, unsupported, known failures and failures). */
  tried: number;
  passed: number;
  /** Unsupported cases by op and reason. */
  unsupported: Map<string, number>;
  /** Known failures by `KNOWN_FAILURES` key. */
  known: Map<string, number>;
  /** Cases that failed (rejected). */
  failed: number;
}

/** An `ops/<backend>` target, with its counts and the case a seed draws. */
export interface SweepTarget extends FuzzTarget {
  /** The backend under test. */
  readonly backend: string;
  readonly stats: SweepStats;
  /** The generator, dtype and case of `seed` (without running it). */
  caseFor(seed: number): Promise<{ generator: OpGenerator; dtype: DType; case: SweepCase }>;
}

const ICD = fileURLToPath(new URL('../../../../.cache/webgpu/lavapipe/lvp_icd.json', import.meta.url));

/**
 * The `ops/<backend>` target: seed `s` runs generator `SWEEP_GENERATORS[s % n]` with a dtype of
 * the op the backend supports and a case drawn from `seededRng('ops:<s>')`; failures listed in
 * `KNOWN_FAILURES` and `NotSupportedError`s resolve (counted in `stats`), every other failure
 * rejects with the `SweepFailure`.
 *
 * @example
 * ```ts
 * import { sweepTarget } from '@tensorgrad/fuzz';
 * const t = sweepTarget('cpu');
 * [t.name, await t.unavailable!()]; // ['ops/cpu', null]
 * ```
 */
export function sweepTarget(backendName: string): SweepTarget {
  const stats: SweepStats = { tried: 0, passed: 0, unsupported: new Map(), known: new Map(), failed: 0 };
  let loading: Promise<string[]> | null = null;
  // the backend packages register their backends when imported (once, whichever call comes first)
  const load = (): Promise<string[]> => {
    if (backendName === 'webgpu' && !process.env.VK_ICD_FILENAMES && existsSync(ICD)) process.env.VK_ICD_FILENAMES = ICD;
    loading ??= loadBackends();
    return loading;
  };
  const caseFor = async (seed: number): Promise<{ generator: OpGenerator; dtype: DType; case: SweepCase }> => {
    await load();
    const backend = await findBackend(backendName);
    const generator = SWEEP_GENERATORS[seed % SWEEP_GENERATORS.length]!;
    const dtypes = generator.dtypes.filter((d) => backend.dtypes.includes(d));
    const rng = seededRng(`ops:${seed}`);
    const dtype = dtypes.length ? dtypes[Math.floor(rng() * dtypes.length)]! : generator.dtypes[0]!;
    return { generator, dtype, case: generator.generate(rng, dtype) };
  };
  return {
    name: `ops/${backendName}`,
    backend: backendName,
    stats,
    caseFor,
    async unavailable() {
      const problems = await load();
      try {
        await findBackend(backendName);
        return null;
      } catch (e) {
        return [`backend '${backendName}' is unavailable: ${e instanceof Error ? e.message : String(e)}`, ...problems].join('; ');
      }
    },
    async run(seed) {
      const { case: c } = await caseFor(seed);
      stats.tried++;
      try {
        const outcome = await runSweepCase(backendName, c, seed);
        if (outcome.status === 'unsupported') {
          const key = `${c.op}: ${outcome.reason}`;
          stats.unsupported.set(key, (stats.unsupported.get(key) ?? 0) + 1);
          return `unsupported: ${outcome.summary}: ${outcome.reason}`;
        }
        stats.passed++;
        return outcome.summary;
      } catch (e) {
        if (e instanceof SweepFailure && KNOWN_FAILURES[e.key] !== undefined) {
          stats.known.set(e.key, (stats.known.get(e.key) ?? 0) + 1);
          return `known failure ${e.key} (${KNOWN_FAILURES[e.key]}): ${e.message}`;
        }
        stats.failed++;
        throw e;
      }
    },
  };
}

/**
 * The counts of a sweep target in a few lines: cases tried, passed, unsupported (by op and
 * reason) and known failures (by key, with the reason).
 *
 * @example
 * ```ts
 * import { formatSweepStats, sweepTarget } from '@tensorgrad/fuzz';
 * formatSweepStats(sweepTarget('cpu')).split('\n')[0]; // 'ops/cpu: 0 cases tried, 0 passed, 0 unsupported, 0 known failures, 0 failed'
 * ```
 */
export function formatSweepStats(t: SweepTarget): string {
  const s = t.stats;
  const count = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const lines = [`${t.name}: ${s.tried} cases tried, ${s.passed} passed, ${count(s.unsupported)} unsupported, ${count(s.known)} known failures, ${s.failed} failed`];
  for (const [reason, n] of s.unsupported) lines.push(`  unsupported ${n} × ${reason}`);
  for (const [key, n] of s.known) lines.push(`  known failure ${n} × ${key}: ${KNOWN_FAILURES[key]}`);
  return lines.join('\n');
}
