import { writeFileSync } from 'node:fs';
import { UsageError } from '@tensorgrad/crosscheck';
import { SEED_LIMIT, fuzzUsage, parseFuzzArgs } from './args.js';
import { replayFuzzCase, runFuzz, type FuzzIO, type FuzzReport } from './runner.js';
import { allTargets, selectTargets } from './targets.js';
import type { FuzzTarget } from './target.js';
import { formatSweepStats, type SweepTarget } from './sweep/target.js';

/**
 * Runs `pnpm fuzz` with `argv` (the arguments after the script) over `targets` (default
 * {@link allTargets}) and returns the exit code: 0 when every case passed, 1 on any failure or
 * hang, 2 for a usage error (unknown flag, bad number, a `--targets` prefix or `--replay` target
 * that names no target).
 *
 * @example
 * ```ts
 * import { fuzzMain } from '@tensorgrad/fuzz';
 * let err = '';
 * const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
 * await fuzzMain(['--seconds', 'long'], io); // 2
 * err.includes('--seconds: expected a whole number of seconds'); // true
 * ```
 */
export async function fuzzMain(argv: readonly string[], io: FuzzIO = { stdout: process.stdout, stderr: process.stderr }, targets: readonly FuzzTarget[] = allTargets()): Promise<number> {
  try {
    const o = parseFuzzArgs(argv);
    if (o === 'help') {
      io.stdout.write(fuzzUsage());
      return 0;
    }
    const names = targets.map((t) => t.name);
    let result: FuzzReport;
    if (o.replay) {
      const { target: name, seed } = o.replay;
      const target = targets.find((t) => t.name === name);
      if (!target) throw new UsageError(`--replay: no target named ${JSON.stringify(name)}; expected one of ${names.join(', ') || '(none registered)'}`);
      result = await replayFuzzCase(target, seed, io, o.caseTimeoutMs);
    } else {
      const selected = selectTargets(targets, o.targets);
      const unmatched = (o.targets ?? []).filter((p) => !names.some((n) => n.startsWith(p)));
      if (unmatched.length > 0 || selected.length === 0) {
        if (names.length === 0) throw new Error('no fuzz target is registered; expected allTargets() in apps/fuzz/src/targets.ts to list at least one');
        throw new UsageError(`--targets: no target name starts with ${unmatched.map((p) => JSON.stringify(p)).join(', ')}; expected prefixes of ${names.join(', ')}`);
      }
      const baseSeed = o.seed ?? Date.now() % SEED_LIMIT;
      io.stdout.write(`fuzz: base seed ${baseSeed}${o.seed === null ? ' (from the clock; pass --seed ' + baseSeed + ' to repeat this run)' : ''}; ${selected.length} target(s) for ${o.seconds} s, case time limit ${o.caseTimeoutMs} ms\n`);
      result = await runFuzz(selected, io, { seconds: o.seconds, baseSeed, caseTimeoutMs: o.caseTimeoutMs, verbose: o.verbose });
      // the sweeps' own counts: unsupported cases by op and reason, known failures with their reasons
      for (const t of selected) if (isSweepTarget(t) && t.stats.tried > 0) io.stdout.write(`${formatSweepStats(t)}\n`);
    }
    if (o.json) writeFileSync(o.json, `${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`fuzz: ${e.message}\nRun with --help for the usage.\n`);
      return e.exitCode;
    }
    io.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.TENSORGRAD_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

function isSweepTarget(t: FuzzTarget): t is SweepTarget {
  return 'stats' in t && 'backend' in t;
}
