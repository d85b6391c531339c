import type { FuzzTarget } from './target.js';
import { SEED_LIMIT } from './args.js';

/** Where the runner writes: the CLI passes `process.stdout`/`process.stderr`, tests a capture. */
export interface FuzzIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** How one case ended. */
export type CaseOutcome =
  | { kind: 'pass'; summary: string; ms: number }
  | { kind: 'fail'; message: string; ms: number }
  | { kind: 'hang'; ms: number };

/**
 * Runs `target.run(seed)` against a timer: resolves with `pass` (and the case's summary), `fail`
 * (the message of what it threw, or of the non-string it resolved with) or `hang` when it has not
 * settled after `timeoutMs`. A hung case is left running — a promise cannot be cancelled — and
 * its late outcome is swallowed; a case stuck in a synchronous loop blocks the process and the
 * timer never fires (the documented limit of an in-process runner).
 *
 * @example
 * ```ts
 * import { runCase } from '@tensorgrad/fuzz';
 * const t = { name: 'demo/odd', run: async (s: number) => { if (s % 2 === 0) throw new Error(`${s} is even`); return 'odd'; } };
 * (await runCase(t, 3, 1000)).kind; // 'pass'
 * const o = await runCase(t, 4, 1000);
 * o.kind === 'fail' ? o.message : null; // '4 is even'
 * ```
 */
export async function runCase(target: FuzzTarget, seed: number, timeoutMs: number): Promise<CaseOutcome> {
  const t0 = performance.now();
  const ms = (): number => performance.now() - t0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  let work: Promise<unknown>;
  try {
    work = Promise.resolve(target.run(seed));
  } catch (e) {
    work = Promise.reject(e); // a run() that throws before returning its promise
  }
  work.catch(() => undefined); // a hung case that fails later must not become an unhandled rejection
  try {
    const r = await Promise.race([work, hang]);
    if (r === 'hang') return { kind: 'hang', ms: ms() };
    if (typeof r !== 'string') return { kind: 'fail', message: `the case resolved with ${String(r)} instead of its summary string (a FuzzTarget's run() must resolve with a string)`, ms: ms() };
    return { kind: 'pass', summary: r, ms: ms() };
  } catch (e) {
    return { kind: 'fail', message: e instanceof Error ? e.message : `threw a non-Error: ${String(e)}`, ms: ms() };
  } finally {
    clearTimeout(timer);
  }
}

/** One case that failed or hung. */
export interface FailedCase {
  /** The target's name. */
  target: string;
  /** The seed that replays it. */
  seed: number;
  /** `fail` (it threw) or `hang` (it ran past the time limit). */
  kind: 'fail' | 'hang';
  /** What it threw, or how long it had run when reported as a hang. */
  message: string;
}

/** The counts of one target in a run. */
export interface TargetReport {
  /** The target's name. */
  name: string;
  /** Why it did not run (from its `unavailable()`), or `null` when it ran. */
  unavailable: string | null;
  /** Cases started. */
  cases: number;
  /** Cases that threw. */
  failures: number;
  /** Cases reported as hangs. */
  hangs: number;
  /** Seconds spent in its cases. */
  seconds: number;
}

/** What {@link runFuzz} and {@link replayFuzzCase} return (and `--json` writes). */
export interface FuzzReport {
  /** The first seed of every target. */
  baseSeed: number;
  /** One entry per selected target, in the order given. */
  targets: TargetReport[];
  /** Every failed or hung case, in the order they happened. */
  failed: FailedCase[];
  /** `true` when no case failed or hung. */
  ok: boolean;
}

/** The options of {@link runFuzz}. */
export interface RunFuzzOptions {
  /** Stop starting new cases after this many seconds. */
  seconds: number;
  /** The first seed of every target. */
  baseSeed: number;
  /** A case running longer than this is a hang. */
  caseTimeoutMs: number;
  /** Print every passing case too. */
  verbose?: boolean;
  /** The clock in milliseconds (tests pass a fake one); default `performance.now`. */
  now?: () => number;
}

/**
 * The command that replays a case, as printed under a `FAIL` line.
 *
 * @example
 * ```ts
 * import { replayCommand } from '@tensorgrad/fuzz';
 * replayCommand('ops/cpu', 12); // 'pnpm fuzz -- --replay ops/cpu:12'
 * ```
 */
export function replayCommand(target: string, seed: number): string {
  return `pnpm fuzz -- --replay ${target}:${seed}`;
}

async function availability(t: FuzzTarget): Promise<string | null> {
  if (!t.unavailable) return null;
  try {
    return await t.unavailable();
  } catch (e) {
    return `its availability check threw: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function report(io: FuzzIO, r: TargetReport, failed: FailedCase[], target: string, seed: number, outcome: CaseOutcome, verbose: boolean, timeoutMs: number): void {
  r.cases++;
  r.seconds += outcome.ms / 1000;
  if (outcome.kind === 'pass') {
    if (verbose) io.stdout.write(`ok   ${target}:${seed}  ${outcome.ms.toFixed(0)} ms  ${outcome.summary}\n`);
    return;
  }
  const message = outcome.kind === 'fail' ? outcome.message : `no result after ${timeoutMs} ms (--case-timeout-ms); the case may still be running in the background`;
  if (outcome.kind === 'fail') r.failures++;
  else r.hangs++;
  failed.push({ target, seed, kind: outcome.kind, message });
  io.stdout.write(`${outcome.kind === 'fail' ? 'FAIL' : 'HANG'} ${target}:${seed}  ${message.replace(/\n/g, '\n    ')}\n  replay: ${replayCommand(target, seed)}\n`);
}

/**
 * Formats the per-target summary table (cases, failures, hangs, cases/s; or why a target did
 * not run).
 *
 * @example
 * ```ts
 * import { formatFuzzSummary } from '@tensorgrad/fuzz';
 * const s = formatFuzzSummary({ baseSeed: 0, ok: true, failed: [], targets: [{ name: 'demo/x', unavailable: null, cases: 10, failures: 0, hangs: 0, seconds: 2 }] });
 * s.includes('5.0'); // true
 * ```
 */
export function formatFuzzSummary(r: FuzzReport): string {
  const w = Math.max(6, ...r.targets.map((t) => t.name.length));
  const lines = [`${'target'.padEnd(w)}  ${'cases'.padStart(7)}  ${'failures'.padStart(8)}  ${'hangs'.padStart(5)}  ${'cases/s'.padStart(8)}`];
  for (const t of r.targets) {
    if (t.unavailable !== null) {
      lines.push(`${t.name.padEnd(w)}  not run: ${t.unavailable}`);
      continue;
    }
    const rate = t.seconds > 0 ? (t.cases / t.seconds).toFixed(1) : '-';
    lines.push(`${t.name.padEnd(w)}  ${String(t.cases).padStart(7)}  ${String(t.failures).padStart(8)}  ${String(t.hangs).padStart(5)}  ${rate.padStart(8)}`);
  }
  const bad = r.failed.length;
  lines.push(bad === 0 ? 'every case passed' : `${bad} case(s) failed or hung; replay each with the command under its FAIL/HANG line`);
  return `${lines.join('\n')}\n`;
}

async function prepare(io: FuzzIO, targets: readonly FuzzTarget[]): Promise<{ runnable: FuzzTarget[]; reports: TargetReport[] }> {
  const reports: TargetReport[] = [];
  const runnable: FuzzTarget[] = [];
  for (const t of targets) {
    const why = await availability(t);
    reports.push({ name: t.name, unavailable: why, cases: 0, failures: 0, hangs: 0, seconds: 0 });
    if (why === null) runnable.push(t);
    else io.stdout.write(`SKIP ${t.name}  ${why}\n`);
  }
  return { runnable, reports };
}

/**
 * The timed loop of `pnpm fuzz`: every available target runs seed `baseSeed`, `baseSeed + 1`, …
 * (modulo 2^31), in turn with the others, until `seconds` have passed (a case started before the
 * deadline finishes or times out). Unavailable targets are printed with their reason and not run;
 * a failing case prints `FAIL <target>:<seed>  <message>` and its replay command; a case past
 * its time limit prints `HANG …` and the loop goes on. Ends with the summary per target.
 *
 * @example
 * ```ts
 * import { runFuzz } from '@tensorgrad/fuzz';
 * const t = { name: 'demo/seven', run: async (s: number) => { if (s % 7 === 0) throw new Error('multiple of 7'); return 'ok'; } };
 * let out = '';
 * const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
 * let clock = 0;
 * const r = await runFuzz([t], io, { seconds: 1, baseSeed: 5, caseTimeoutMs: 100, now: () => (clock += 100) });
 * r.failed.map((f) => `${f.target}:${f.seed} ${f.message}`); // ['demo/seven:7 multiple of 7']
 * out.includes('pnpm fuzz -- --replay demo/seven:7'); // true
 * ```
 */
export async function runFuzz(targets: readonly FuzzTarget[], io: FuzzIO, options: RunFuzzOptions): Promise<FuzzReport> {
  const now = options.now ?? (() => performance.now());
  const { runnable, reports } = await prepare(io, targets);
  const failed: FailedCase[] = [];
  const deadline = now() + options.seconds * 1000;
  const byName = new Map(reports.map((r) => [r.name, r] as const));
  for (let k = 0; runnable.length > 0; k++) {
    const seed = (options.baseSeed + k) % SEED_LIMIT;
    let stop = false;
    for (const t of runnable) {
      if (now() >= deadline) {
        stop = true;
        break;
      }
      const outcome = await runCase(t, seed, options.caseTimeoutMs);
      report(io, byName.get(t.name)!, failed, t.name, seed, outcome, options.verbose ?? false, options.caseTimeoutMs);
    }
    if (stop) break;
  }
  if (runnable.length === 0) io.stdout.write('no selected target can run here (see the SKIP lines)\n');
  const result: FuzzReport = { baseSeed: options.baseSeed, targets: reports, failed, ok: failed.length === 0 };
  io.stdout.write(formatFuzzSummary(result));
  return result;
}

/**
 * Runs exactly one case (`--replay <target>:<seed>`) and prints `PASS`, `FAIL` or `HANG` with
 * the message. A target that is unavailable here is a failure of the replay (it did not run).
 *
 * @example
 * ```ts
 * import { replayFuzzCase } from '@tensorgrad/fuzz';
 * let runs = 0;
 * const t = { name: 'demo/count', run: async (s: number) => `ran ${s} (${++runs})` };
 * const io = { stdout: { write: () => true }, stderr: { write: () => true } };
 * (await replayFuzzCase(t, 9, io, 1000)).ok; // true
 * runs; // 1
 * ```
 */
export async function replayFuzzCase(target: FuzzTarget, seed: number, io: FuzzIO, caseTimeoutMs: number): Promise<FuzzReport> {
  const { runnable, reports } = await prepare(io, [target]);
  const failed: FailedCase[] = [];
  const r = reports[0]!;
  if (runnable.length === 0) {
    failed.push({ target: target.name, seed, kind: 'fail', message: `not run: ${r.unavailable}` });
  } else {
    const outcome = await runCase(target, seed, caseTimeoutMs);
    report(io, r, failed, target.name, seed, outcome, true, caseTimeoutMs);
    if (outcome.kind === 'pass') io.stdout.write(`PASS ${target.name}:${seed}\n`);
  }
  return { baseSeed: seed, targets: reports, failed, ok: failed.length === 0 };
}
