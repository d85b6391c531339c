// Crash safety of `fashion-mnist train`: the built CLI (dist/cli.js) is SIGKILLed at seeded random
// points — timed kills anywhere in a run, and kills at an exact file-system step of its writes
// (test/crash-failpoints.mjs: inside a checkpoint write, between the checkpoint and the files
// written after it, …) — and resumed, again and again. After every kill the checkpoint must be the
// previous complete one or a newer complete one (it loads, its tensors are those of the
// uninterrupted run at its epoch), never torn, never gone once one existed; at the end `--resume`
// must have produced exactly the uninterrupted run: the same per-epoch losses and accuracies
// (bitwise), the same model.safetensors bytes, and no temporary file left behind.
//
// CI runs TENSORGRAD_CRASH_KILLS kills (default 4) from TENSORGRAD_CRASH_SEED (default 56); a
// longer run, e.g. `TENSORGRAD_CRASH_KILLS=50 npx vitest run test/crash-safety.test.ts`, tries
// more kill points. A failure names the seed and every kill so far, to replay it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, loadCheckpoint, manualSeed, rand, readSafetensorsHeader, Tensor } from 'tensorgrad';
import type { EpochMetrics } from '@tensorgrad/fashion-mnist';
import { metricsOf } from './cli-harness.js';

const KILLS = Number(process.env.TENSORGRAD_CRASH_KILLS ?? 4);
// the default seed's schedule (printed by the test) kills a run midway through a checkpoint
// write, a resumed run at a random time, one after the temporary checkpoint is flushed but before
// its rename, and one after a plot's rename; other seeds draw other points
const SEED = Number(process.env.TENSORGRAD_CRASH_SEED ?? 56);
for (const [name, v] of [['TENSORGRAD_CRASH_KILLS', KILLS], ['TENSORGRAD_CRASH_SEED', SEED]] as const) {
  if (!Number.isInteger(v) || v < 0) throw new Error(`crash-safety: expected ${name} to be a whole number, got '${process.env[name]}'`);
}
// more epochs for more kills: a kill lands in any of the epochs still to run, so the chain moves on
const EPOCHS = Math.max(3, Math.ceil(KILLS / 6));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const FAILPOINTS = new URL('./crash-failpoints.mjs', import.meta.url).href;

const root = mkdtempSync(join(tmpdir(), 'fashion-mnist-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dataRoot = join(root, 'data');
const args = ['--model', 'mlp', '--batch-size', '32', '--limit', '96', '--test-limit', '32', '--seed', '3', '--data-root', dataRoot];
// --resume takes the settings from the checkpoint, but not where the data lives
const resumeArgs = ['--resume', '--data-root', dataRoot, '--epochs', String(EPOCHS)];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the built CLI with the failpoints preloaded; `killAfterMs` SIGKILLs it from outside. */
function runCli(argv: string[], env: Record<string, string>, killAfterMs: number | null = null): Promise<Exit> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', FAILPOINTS, CLI, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      done({ code, signal, stderr });
    });
  });
}

/** A tiny stand-in data set (the real one is not needed to test crash safety): 96 + 32 images. */
function writeData(dir: string, label: (i: number) => number): void {
  for (const [split, n] of [['train', 96], ['t10k', 32]] as const) {
    writeFileSync(join(dir, `${split}-images-idx3-ubyte`), encodeIdx(new Uint8Array(n * 784).map((_, i) => (i * 37 + (i >> 5)) % 256), [n, 28, 28]));
    writeFileSync(join(dir, `${split}-labels-idx1-ubyte`), encodeIdx(new Uint8Array(n).map((_, i) => label(i)), [n]));
  }
}

/** The float32 data of every tensor of a safetensors file: the bytes after its header. */
function tensorBytes(file: string): Buffer {
  const bytes = readFileSync(file);
  return bytes.subarray(8 + Number(bytes.readBigUInt64LE(0)));
}

const withoutSeconds = (h: readonly EpochMetrics[]): Omit<EpochMetrics, 'seconds'>[] => h.map(({ seconds: _, ...rest }) => rest);

/** Loads a checkpoint fully (every tensor read back) and returns its epoch and history. */
async function readCheckpoint(file: string): Promise<{ epoch: number; history: EpochMetrics[] }> {
  const ckpt = await loadCheckpoint(file);
  const dispose = (v: unknown): void => {
    if (v instanceof Tensor) v.dispose();
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(dispose);
  };
  dispose(ckpt.model);
  dispose(ckpt.optimizer);
  return { epoch: ckpt.epoch!, history: ckpt.history as EpochMetrics[] };
}

// the uninterrupted run, traced: its file-system steps and a copy of every file it renamed into place
const reference = join(root, 'reference');
const trace = join(root, 'trace');
/** The trace's steps, in order: [step kind, file name]. */
let steps: [string, string][] = [];
/** The reference checkpoint file of every epoch (index epoch - 1). */
const referenceCheckpoints: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`crash-safety: expected the built CLI at ${CLI}; run \`pnpm --filter @tensorgrad/fashion-mnist build\` first`);
  mkdirSync(dataRoot);
  writeData(dataRoot, (i) => (i * 7) % 10);
  mkdirSync(trace);
  const r = await runCli([...args, '--epochs', String(EPOCHS), '--out', reference], { TENSORGRAD_CRASH_TRACE: trace });
  if (r.code !== 0) throw new Error(`crash-safety: the uninterrupted run failed (exit ${r.code}, signal ${r.signal}):\n${r.stderr}`);
  steps = readFileSync(join(trace, 'events.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t').slice(1) as [string, string]);
  for (const [i, [kind, file]] of steps.entries()) if (kind === 'rename' && file === 'checkpoint.safetensors') referenceCheckpoints.push(join(trace, `${i + 1}-${file}`));
});

describe('fashion-mnist train under SIGKILL', () => {
  it('the uninterrupted run writes one checkpoint per epoch, in the same steps every epoch', async () => {
    expect(referenceCheckpoints).toHaveLength(EPOCHS);
    expect(steps.length % EPOCHS).toBe(0);
    const perEpoch = steps.length / EPOCHS;
    const names = (e: number): string[] => steps.slice(e * perEpoch, (e + 1) * perEpoch).map(([k, f]) => `${k} ${f.replace(/\.\d+\.[a-z0-9]+\.tmp$/, '.*.tmp').replace(/\.\d+\.tmp$/, '.*.tmp')}`);
    for (let e = 1; e < EPOCHS; e++) expect(names(e)).toEqual(names(0));
    // the steps the kills aim at are there: a temporary checkpoint created, written in chunks, flushed, renamed
    expect(names(0)).toEqual(expect.arrayContaining(['open .checkpoint.safetensors.*.tmp', 'write .checkpoint.safetensors.*.tmp', 'sync .checkpoint.safetensors.*.tmp', 'rename checkpoint.safetensors']));
    // the checkpoint is renamed into place last, after every other file of its epoch: a run killed
    // before it redoes the epoch, and one that has it has all the epoch's files
    expect(names(0).at(-1)).toBe('rename checkpoint.safetensors');
    for (const [e, file] of referenceCheckpoints.entries()) expect((await readCheckpoint(file)).epoch).toBe(e + 1);
  });

  it('a run killed after writing the last epoch\'s model file, before its checkpoint, resumes to every epoch', async () => {
    // the checkpoint used to be written first: killed here, --resume found every epoch in it and
    // had "nothing to do", leaving metrics.json, model.safetensors and the plots one epoch behind
    const out = join(root, 'last-epoch');
    const perEpoch = steps.length / EPOCHS;
    const n = (EPOCHS - 1) * perEpoch + 1 + steps.findIndex(([k, f]) => k === 'rename' && f === 'model.safetensors');
    const r = await runCli([...args, '--epochs', String(EPOCHS), '--out', out], { TENSORGRAD_CRASH_AT: String(n) });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect((await readCheckpoint(join(out, 'checkpoint.safetensors'))).epoch).toBe(EPOCHS - 1);
    const resumed = await runCli([...resumeArgs, '--out', out], {});
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(withoutSeconds(metricsOf(out).epochs)).toEqual(withoutSeconds(metricsOf(reference).epochs));
    expect(Buffer.compare(readFileSync(join(out, 'model.safetensors')), readFileSync(join(reference, 'model.safetensors')))).toBe(0);
    expect(readdirSync(out).sort()).toEqual(readdirSync(reference).sort());

    // --data-root is not a recorded setting: resuming on other data (same sizes, other labels) is
    // refused, not a silently different run
    const other = join(root, 'other-data');
    mkdirSync(other);
    writeData(other, (i) => (i * 3 + 1) % 10);
    const wrong = await runCli(['--resume', '--data-root', other, '--epochs', String(EPOCHS + 1), '--out', out], {});
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(wrong.stderr).toContain(`--resume: the training data differ from those ${join(out, 'checkpoint.safetensors')} was trained on`);
    expect(wrong.stderr).toContain('pass the --data-root that run used');
  });

  it(`survives ${KILLS} seeded kills (seed ${SEED}) and resumes to exactly the uninterrupted run`, async () => {
    const perEpoch = steps.length / EPOCHS;
    const out = join(root, 'crashed');
    manualSeed(SEED);
    const draws = rand([KILLS, 3]);
    const u = (await draws.array()) as number[][];
    draws.dispose();
    const log: string[] = [];
    const context = (): string => `seed ${SEED}; kills so far:\n  ${log.join('\n  ')}`;
    let saved: number | null = null; // the checkpoint's epoch, once there is one
    for (const [kind, which, delay] of u as [number, number, number][]) {
      const start = saved === null ? 1 : saved + 1;
      if (start > EPOCHS) break;
      const argv = saved === null ? [...args, '--epochs', String(EPOCHS), '--out', out] : [...resumeArgs, '--out', out];
      let expected: number | null = null;
      let r: Exit;
      // a timed kill only once there is a checkpoint: before, it mostly lands in the start-up
      if (saved === null || kind < 0.7) {
        // at an exact step of this process's writes: step n of its (EPOCHS - start + 1) epochs
        const n = 1 + Math.floor(which * perEpoch * (EPOCHS - start + 1));
        const done = Math.floor((n - 1) / perEpoch);
        const inEpoch = steps.slice(0, ((n - 1) % perEpoch) + 1);
        const renamed = inEpoch.some(([k, f]) => k === 'rename' && f === 'checkpoint.safetensors');
        expected = start - 1 + done + (renamed ? 1 : 0);
        const [k, file] = steps[(n - 1) % perEpoch]!;
        const f = file.replace(/\.\d+(\.[a-z0-9]+)?\.tmp$/, '.*.tmp');
        log.push(`${argv[0] === '--resume' ? '--resume from epoch ' + saved : 'fresh run'}: killed at its step ${n} (${k} ${f} of its epoch ${start + done})`);
        r = await runCli(argv, { TENSORGRAD_CRASH_AT: String(n) });
        expect(r.signal, `${context()}\n${r.stderr}`).toBe('SIGKILL');
      } else {
        // anywhere: start-up, loading, training, evaluation, writing
        const ms = Math.floor(200 + delay * 1200);
        log.push(`${argv[0] === '--resume' ? '--resume from epoch ' + saved : 'fresh run'}: killed after ${ms} ms`);
        r = await runCli(argv, {}, ms);
        if (r.signal === null) {
          log[log.length - 1] += ` (it had finished: exit ${r.code})`;
          expect(r.code, `${context()}\n${r.stderr}`).toBe(0);
        }
      }
      const ckpt = join(out, 'checkpoint.safetensors');
      if (saved !== null) expect(existsSync(ckpt), `the checkpoint vanished; ${context()}`).toBe(true);
      if (!existsSync(ckpt)) {
        expect(expected ?? 0, `no checkpoint; ${context()}`).toBe(0);
        continue;
      }
      // complete: it loads with every tensor, and it is the uninterrupted run's checkpoint of its epoch
      const { epoch, history } = await readCheckpoint(ckpt);
      if (expected !== null) expect(epoch, context()).toBe(expected);
      expect(epoch, context()).toBeGreaterThanOrEqual(saved ?? 1);
      const want = await readCheckpoint(referenceCheckpoints[epoch - 1]!);
      expect(withoutSeconds(history), context()).toEqual(withoutSeconds(want.history));
      expect(Buffer.compare(tensorBytes(ckpt), tensorBytes(referenceCheckpoints[epoch - 1]!)), `checkpoint tensors differ; ${context()}`).toBe(0);
      log[log.length - 1] += ` -> checkpoint of epoch ${epoch}`;
      saved = epoch;
    }

    // then resume to the end (or start, if no checkpoint survived), uninterrupted
    const last = await runCli(saved === null ? [...args, '--epochs', String(EPOCHS), '--out', out] : [...resumeArgs, '--out', out], {});
    expect(last.code, `${context()}\n${last.stderr}`).toBe(0);
    const a = metricsOf(reference).epochs;
    const b = metricsOf(out).epochs;
    expect(b.map((e) => e.epoch), context()).toEqual(a.map((e) => e.epoch));
    for (const [i, e] of b.entries()) {
      const f = a[i]!;
      for (const [j, loss] of e.batchLosses.entries()) expect(Object.is(loss, f.batchLosses[j]), `epoch ${e.epoch} batch ${j + 1}; ${context()}`).toBe(true);
      expect([e.trainLoss, e.trainAcc, e.testLoss, e.testAcc], context()).toEqual([f.trainLoss, f.trainAcc, f.testLoss, f.testAcc]);
    }
    expect(withoutSeconds(b)).toEqual(withoutSeconds(a));
    expect(Buffer.compare(readFileSync(join(out, 'model.safetensors')), readFileSync(join(reference, 'model.safetensors'))), context()).toBe(0);
    expect(Buffer.compare(tensorBytes(join(out, 'checkpoint.safetensors')), tensorBytes(join(reference, 'checkpoint.safetensors')))).toBe(0);
    // and nothing left behind by the killed runs
    expect(readdirSync(out).sort(), context()).toEqual(readdirSync(reference).sort());
    console.log(`crash-safety: seed ${SEED}, ${log.length} kill(s), then --resume to epoch ${EPOCHS}:\n  ${log.join('\n  ')}`);
  }, 60_000 + KILLS * 10_000); // a run takes about a second, ten on a loaded machine
});
