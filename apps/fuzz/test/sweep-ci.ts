/**
 * Shared by the per-backend sweep tests: registers one test per seed of the fixed CI seed list
 * (titled with the op and the seed, replayable with `pnpm fuzz -- --replay ops/<backend>:<seed>`)
 * and prints the target's counts at the end. A backend that cannot run registers one skipped test
 * whose title says why; with TENSORGRAD_REQUIRE_WEBGPU=1 a missing WebGPU adapter fails instead.
 */
import { afterAll, describe, it } from 'vitest';
import { formatSweepStats, SWEEP_GENERATORS, sweepTarget } from '../src/index.js';

/**
 * The CI seeds: `perGenerator` seeds for each generator (seed `s` runs generator `s % n`), from
 * `offset` on, so every op of the registry is tried the same number of times.
 */
export function ciSeeds(perGenerator: number, offset = 0): number[] {
  const n = SWEEP_GENERATORS.length;
  return Array.from({ length: n * perGenerator }, (_, i) => offset + i);
}

/** Registers the sweep tests of `backend` for `seeds`. */
export async function registerSweepTests(backend: string, seeds: readonly number[]): Promise<void> {
  const target = sweepTarget(backend);
  const reason = await target.unavailable!();
  if (reason !== null) {
    if (backend === 'webgpu' && process.env.TENSORGRAD_REQUIRE_WEBGPU === '1') {
      throw new Error(`TENSORGRAD_REQUIRE_WEBGPU=1 (scripts/test.sh set up a Vulkan driver) but ${reason}`);
    }
    describe(`ops/${backend}`, () => it.skip(`skipped: ${reason}`, () => {}));
    return;
  }
  describe(`ops/${backend}: ${seeds.length} seeded cases against the CPU float64 reference`, () => {
    for (const seed of seeds) {
      const op = SWEEP_GENERATORS[seed % SWEEP_GENERATORS.length]!.op;
      it(`${op} seed ${seed}`, async () => {
        await target.run(seed);
      });
    }
    afterAll(() => {
      console.log(formatSweepStats(target));
    });
  });
}
