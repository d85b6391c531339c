// The hostile-file fuzzers in CI: each reader's target over a fixed seed list (the case counts are
// printed), plus the explicit guarantee that loading a PyTorch checkpoint never runs code: every
// forbidden global is refused with an error naming it, and the command it carries never runs.
// Longer runs: `pnpm fuzz -- --targets files --seconds N`. Imported from src/files/ directly, not the
// package index, so that this file does not load the op sweeps and every backend.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorgrad/backend-cpu';
import { loadTorch, loadTorchObject } from '@tensorgrad/io';
import { memory } from '@tensorgrad/tensor';
import {
  checkpointFileTarget,
  FILE_KNOWN_FAILURES,
  FORBIDDEN_GLOBALS,
  forbiddenGlobalPickle,
  idxFileTarget,
  jpegFileTarget,
  pngFileTarget,
  pthFileTarget,
  safetensorsFileTarget,
} from '../src/files/index.js';
import type { FuzzTarget } from '../src/target.js';

/** Seeds per target: about 2.5 s of CPU in all (the file parsers are fast, the codecs less so). */
const SEEDS: ReadonlyArray<[FuzzTarget, number]> = [
  [idxFileTarget, 1000],
  [safetensorsFileTarget, 250],
  [checkpointFileTarget, 30],
  [pthFileTarget, 200],
  [pngFileTarget, 100],
  [jpegFileTarget, 40],
];

const counts: string[] = [];
afterAll(() => {
  console.log(`hostile files fuzzed in CI: ${counts.join(', ')}; known failures: ${FILE_KNOWN_FAILURES.length}`);
  for (const k of FILE_KNOWN_FAILURES) console.log(`  known failure ${k.target}: ${k.reason}`);
});

describe('hostile-file fuzzers (fixed seeds)', () => {
  for (const [target, n] of SEEDS) {
    it(`${target.name}: seeds 0–${n - 1} are read consistently or refused with a clear error`, async () => {
      const tensorsBefore = memory().numTensors;
      const failures: string[] = [];
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let seed = 0; seed < n; seed++) {
        try {
          await target.run(seed);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
      const cpu = process.cpuUsage(cpu0);
      counts.push(`${target.name} ${n} cases (${(performance.now() - t0).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU)`);
      expect(failures, failures.slice(0, 3).join('\n')).toEqual([]);
      expect(memory().numTensors).toBe(tensorsBefore);
    });
  }
});

describe('loading a PyTorch checkpoint never runs code', () => {
  const marker = join(tmpdir(), `tensorgrad-fuzz-pwned-${process.pid}`);
  for (const via of ['GLOBAL', 'STACK_GLOBAL', 'nested'] as const) {
    it(`refuses every forbidden global called through ${via}, naming it, and runs nothing`, async () => {
      for (const [module, name] of FORBIDDEN_GLOBALS) {
        const bytes = forbiddenGlobalPickle(module, name, via, `touch ${marker}`);
        for (const load of [loadTorch, loadTorchObject]) {
          const err = await load(bytes).then(() => null, (e: unknown) => e);
          expect(err, `${module}.${name}`).toBeInstanceOf(Error);
          expect((err as Error).message).toMatch(new RegExp(`^load(Torch|TorchObject): the file's pickle refers to the global '${module.replace(/\./g, '\\.')}\\.${name}', which is not allowed`));
        }
      }
      expect(existsSync(marker)).toBe(false);
    });
  }
});
