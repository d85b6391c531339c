import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findBackend, listBackends } from 'tensorgrad';
import { DEFAULT_OPTIONS, type CrossCheckOptions } from './args.js';
import { crossCheckOps, formatOpsReport, type OpsReport } from './ops.js';
import { crossCheckTraining, formatTrainingReport, type TrainingReport } from './train.js';

/** Where the cross-check writes: stdout for the report, stderr for progress and errors. */
export interface CrossCheckIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** What {@link runCrossCheck} returns (and `--json` writes). */
export interface CrossCheckResult {
  options: CrossCheckOptions;
  ops: OpsReport;
  /** `null` with `--no-train`. */
  training: TrainingReport | null;
  /** Whether both parts agree within tolerance. */
  ok: boolean;
}

async function requireBackend(flag: string, name: string): Promise<void> {
  if (!listBackends().includes(name)) {
    throw new Error(`${flag} ${name}: no backend '${name}' is registered; registered here: ${listBackends().join(', ')}`);
  }
  try {
    await findBackend(name);
  } catch (e) {
    throw new Error(`${flag} ${name}: backend '${name}' failed to start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Runs the whole cross-check with `options` (see {@link parseCrossCheckArgs}): the ops table, then
 * (unless `train` is false) the training comparison; prints both to `io.stdout`, writes the JSON
 * report when `options.json` is set, and returns the result (`ok` false on any disagreement).
 * Both backends must be registered (import their packages first).
 *
 * @example
 * ```ts
 * import { runCrossCheck, DEFAULT_OPTIONS, registerCrossCheckBackends } from '@tensorgrad/crosscheck';
 * registerCrossCheckBackends();
 * let out = '';
 * const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
 * const r = await runCrossCheck({ ...DEFAULT_OPTIONS, b: 'cpu-nosimd', sample: 1, random: 0, train: false }, io);
 * [r.ok, out.includes('matmul')]; // [true, true]
 * ```
 */
export async function runCrossCheck(options: CrossCheckOptions, io: CrossCheckIO): Promise<CrossCheckResult> {
  const o = { ...DEFAULT_OPTIONS, ...options };
  await requireBackend('--a', o.a);
  await requireBackend('--b', o.b);
  io.stderr.write(`cross-checking backend '${o.b}' against '${o.a}': ops${o.sample ? ` (${o.sample} case(s) per op)` : ''}, ${o.random} random variant(s) per case, seed ${o.seed}...\n`);
  const ops = await crossCheckOps(o.a, o.b, { sample: o.sample, random: o.random, seed: o.seed });
  io.stdout.write(`${formatOpsReport(ops)}\n`);
  let training: TrainingReport | null = null;
  if (o.train) {
    io.stdout.write('\n');
    training = await crossCheckTraining(o.a, o.b, { steps: o.steps, seed: o.seed, dataRoot: o.dataRoot, log: (line) => io.stderr.write(`${line}\n`) });
    io.stdout.write(`${formatTrainingReport(training)}\n`);
  }
  const ok = ops.ok && (training?.ok ?? true);
  const result: CrossCheckResult = { options: o, ops, training, ok };
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, `${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`);
    io.stderr.write(`wrote ${o.json}\n`);
  }
  io.stdout.write(`\ncrosscheck ${o.b} vs ${o.a}: ${ok ? 'PASS' : 'FAIL'}${ok ? '' : ` (${[!ops.ok ? `${ops.disagreements.length} op disagreement(s)` : '', training && !training.ok ? 'training steps differ' : ''].filter(Boolean).join(', ')})`}\n`);
  return result;
}
