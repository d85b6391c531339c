import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  loadCheckpoint,
  manualSeed,
  saveCheckpoint,
  saveSafetensors,
  setBackend,
  summary,
  Tensor,
  type AnyOptimizer,
  type OptimizerStateDict,
  type Sequential,
} from 'tensorgrad';
import { UsageError, type ModelKind, type OptimizerKind, type TrainOptions } from './args.js';
import { loadFashionData, type EnsureDeps, type FashionData } from './dataset.js';
import { modelFileOptions } from './model-file.js';
import { buildModel, buildOptimizer, modelInputShape } from './models.js';
import { ProgressBar, type ProgressStream } from './progress.js';
import { confusionTable, metricsHeader, metricsRow } from './report.js';
import { confusionSvg, curvesSvg } from './svg.js';
import { fit, type EpochMetrics } from './train.js';

/** Where the CLI writes: stdout for results and progress, stderr for notes and errors. */
export interface CliIO {
  /** Results, tables and progress bars. */
  stdout: ProgressStream;
  /** Notes (dataset installation) and errors. */
  stderr: { write(text: string): unknown };
}

/** The options a checkpoint records and `--resume` must agree with. */
export interface RunSettings {
  /** Architecture. */
  model: ModelKind;
  /** Training batch size. */
  batchSize: number;
  /** Learning rate. */
  lr: number;
  /** Optimizer. */
  optimizer: OptimizerKind;
  /** Training subset size, or `null` for all. */
  limit: number | null;
  /** Test subset size, or `null` for all. */
  testLimit: number | null;
  /** Seed. */
  seed: number;
}

/** The files a training run writes into its output folder. */
export interface RunFiles {
  /** Model, optimizer, epoch, settings and history (`saveCheckpoint`). */
  checkpoint: string;
  /** The model's state dict alone (`saveSafetensors`, PyTorch's key names). */
  model: string;
  /** The settings and the per-epoch metrics (with every batch's loss). */
  metrics: string;
  /** Loss and accuracy curves. */
  curves: string;
  /** The last epoch's confusion matrix on the test images. */
  confusion: string;
}

/** What {@link runTrain} returns. */
export interface TrainRunResult {
  /** Every epoch's metrics, those of a resumed checkpoint included. */
  history: EpochMetrics[];
  /** The settings trained with (after merging a resumed checkpoint's). */
  settings: RunSettings;
  /** The files written. */
  files: RunFiles;
  /** The last confusion matrix, or `null` when no epoch ran. */
  confusion: number[][] | null;
}

const APP = 'tensorgrad-fashion-mnist';

/**
 * The paths of the files a run with output folder `out` writes.
 *
 * @example
 * ```ts
 * import { runFiles } from '@tensorgrad/fashion-mnist';
 * runFiles('runs/cnn').checkpoint; // 'runs/cnn/checkpoint.safetensors'
 * ```
 */
export function runFiles(out: string): RunFiles {
  return {
    checkpoint: join(out, 'checkpoint.safetensors'),
    model: join(out, 'model.safetensors'),
    metrics: join(out, 'metrics.json'),
    curves: join(out, 'curves.svg'),
    confusion: join(out, 'confusion.svg'),
  };
}

/**
 * The temporary files of a run's writes: `saveSafetensors`/`saveCheckpoint` write
 * `.<name>.<pid>.<random>.tmp`, {@link writeAtomic} `<name>.<pid>.tmp`, each renamed over `<name>`
 * when complete. A run killed midway leaves its temporary file behind (as large as a checkpoint).
 */
const TEMP_FILE = /^(?:\.(?:checkpoint|model)\.safetensors\.(\d+)\.[a-z0-9]+|(?:metrics\.json|curves\.svg|confusion\.svg)\.(\d+))\.tmp$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that killed runs left in `out` (those of processes no longer
 * running; a live writer's are kept). Returns their names.
 */
async function removeStaleTemps(out: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch {
    return []; // no folder yet
  }
  const stale = names.filter((name) => {
    const m = TEMP_FILE.exec(name);
    const pid = m ? Number(m[1] ?? m[2]) : null;
    return pid !== null && pid !== process.pid && !processAlive(pid);
  });
  for (const name of stale) await rm(join(out, name), { force: true });
  return stale;
}

/**
 * Writes `text` to `path` atomically: to `<path>.<pid>.tmp`, flushed to disk, then renamed over
 * `path` (flushed first, so that after a power loss the checkpoint renamed after it never finds it
 * older than itself).
 */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Disposes every tensor inside plain data (a loaded checkpoint's optimizer state, …). */
function disposeTensors(value: unknown): void {
  if (value instanceof Tensor) {
    if (!value.isDisposed) value.dispose();
  } else if (Array.isArray(value)) value.forEach(disposeTensors);
  else if (value instanceof Map) value.forEach(disposeTensors);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(disposeTensors);
}

const SETTING_FLAGS: Readonly<Record<keyof RunSettings, string>> = {
  model: 'model',
  batchSize: 'batch-size',
  lr: 'lr',
  optimizer: 'optimizer',
  limit: 'limit',
  testLimit: 'test-limit',
  seed: 'seed',
};

function settingsOf(o: TrainOptions): RunSettings {
  return { model: o.model, batchSize: o.batchSize, lr: o.lr, optimizer: o.optimizer, limit: o.limit, testLimit: o.testLimit, seed: o.seed };
}

/**
 * The settings of a resumed run: those recorded in the checkpoint, which flags given on the
 * command line must repeat (a different `--model`, `--lr`, … would not continue the same run).
 * Throws a {@link UsageError} naming every disagreement.
 *
 * @example
 * ```ts
 * import { parseArgs, resumeSettings } from '@tensorgrad/fashion-mnist';
 * const saved = { model: 'mlp' as const, batchSize: 16, lr: 0.001, optimizer: 'adam' as const, limit: 256, testLimit: null, seed: 0 };
 * const cmd = parseArgs(['--model', 'mlp', '--resume']);
 * if (cmd.command === 'train') resumeSettings(saved, cmd.options).batchSize; // 16
 * ```
 */
export function resumeSettings(saved: RunSettings, options: TrainOptions, where = 'the checkpoint'): RunSettings {
  const wanted = settingsOf(options);
  const clashes: string[] = [];
  for (const [key, flag] of Object.entries(SETTING_FLAGS) as [keyof RunSettings, string][]) {
    if (options.given.has(flag) && wanted[key] !== saved[key]) clashes.push(`--${flag} ${wanted[key] ?? '(none)'} but ${where} was trained with ${saved[key] ?? 'no --' + flag}`);
  }
  if (clashes.length) {
    throw new UsageError(`--resume: the flags disagree with ${where}:\n  ${clashes.join('\n  ')}\nDrop these flags to continue that run, or use another --out to start a new one.`);
  }
  return { ...saved };
}

function parseSaved(x: unknown, path: string): RunSettings {
  const s = x as Partial<RunSettings> | undefined;
  const ok =
    s &&
    (s.model === 'cnn' || s.model === 'mlp') &&
    typeof s.batchSize === 'number' &&
    typeof s.lr === 'number' &&
    typeof s.optimizer === 'string' &&
    typeof s.seed === 'number' &&
    (s.limit === null || typeof s.limit === 'number') &&
    (s.testLimit === null || typeof s.testLimit === 'number');
  if (!ok) throw new Error(`${path}: the checkpoint has no valid training settings; it was not written by this app (start a new run without --resume)`);
  return s as RunSettings;
}

interface Resumed {
  settings: RunSettings;
  /** The fingerprint of the data trained on ({@link dataFingerprint}), or `null` in an older checkpoint. */
  data: string | null;
  epoch: number;
  history: EpochMetrics[];
  model: Record<string, Tensor>;
  optimizer: OptimizerStateDict;
}

async function readResume(path: string, options: TrainOptions): Promise<Resumed> {
  if (!existsSync(path)) {
    throw new Error(`--resume: there is no checkpoint at ${path}; run without --resume to start training, or pass the --out of the run to continue`);
  }
  const ckpt = await loadCheckpoint(path);
  try {
    if (ckpt.app !== APP) throw new Error(`${path}: the checkpoint was not written by this app (no "app": "${APP}" entry); start a new run without --resume`);
    const settings = resumeSettings(parseSaved(ckpt.settings, path), options, `the checkpoint ${path}`);
    if (typeof ckpt.epoch !== 'number' || !Array.isArray(ckpt.history)) throw new Error(`${path}: the checkpoint has no epoch or history; it is corrupt`);
    const data = typeof ckpt.data === 'string' ? ckpt.data : null;
    return { settings, data, epoch: ckpt.epoch, history: ckpt.history as EpochMetrics[], model: ckpt.model, optimizer: ckpt.optimizer as OptimizerStateDict };
  } catch (e) {
    disposeTensors(ckpt);
    throw e;
  }
}

/**
 * A fingerprint of the training and test examples (their counts and labels): the checkpoint
 * records it, so that `--resume` with other data (another `--data-root`, which the settings do not
 * record) is an error instead of a silently different run.
 */
async function dataFingerprint(train: FashionData, test: FashionData): Promise<string> {
  const hash = createHash('sha256');
  for (const d of [train, test]) {
    const labels = (await d.labels.data()) as Int32Array;
    hash.update(`${d.length}:`).update(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The metrics file: readable settings, then one line per epoch (its batch losses make it long). */
function metricsJson(head: Record<string, unknown>, history: readonly EpochMetrics[]): string {
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "epochs": [\n${history.map((h) => `    ${JSON.stringify(h)}`).join(',\n')}\n  ]\n}\n`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The `train` command: loads Fashion-MNIST (installing it where it can), builds the model,
 * trains it with a progress bar per epoch, evaluates on the test images after every epoch and
 * prints a table row, and after every epoch saves `model.safetensors`, `metrics.json`,
 * `curves.svg`, `confusion.svg` and, last, `checkpoint.safetensors` into `options.out`, each
 * atomically (a temporary file renamed into place), so a run killed at any point leaves a complete
 * checkpoint — the previous one or the new one — and the next run removes the temporary files it
 * left. With `resume` it continues from the checkpoint at the next epoch, with the exact batches
 * and numbers an uninterrupted run would have had.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { encodeIdx } from 'tensorgrad';
 * import { parseArgs, runTrain } from '@tensorgrad/fashion-mnist';
 * // a tiny stand-in for the real files (Debian's dataset-fashion-mnist puts them in /usr/share/datasets)
 * const root = mkdtempSync(join(tmpdir(), 'fmnist-'));
 * for (const [split, n] of [['train', 64], ['t10k', 16]] as const) {
 *   writeFileSync(join(root, `${split}-images-idx3-ubyte`), encodeIdx(new Uint8Array(n * 784).map((_, i) => (i * 7) % 256), [n, 28, 28]));
 *   writeFileSync(join(root, `${split}-labels-idx1-ubyte`), encodeIdx(new Uint8Array(n).map((_, i) => (i * 3) % 10), [n]));
 * }
 * const cmd = parseArgs(['--model', 'mlp', '--epochs', '2', '--batch-size', '16', '--data-root', root, '--out', join(root, 'run')]);
 * const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
 * if (cmd.command === 'train') {
 *   const { history, confusion } = await runTrain(cmd.options, quiet);
 *   history.map((h) => h.batchLosses.length); // [4, 4]
 *   confusion!.flat().reduce((a, b) => a + b); // 16
 * }
 * ```
 */
export async function runTrain(options: TrainOptions, io: CliIO, deps: EnsureDeps = {}): Promise<TrainRunResult> {
  const say = (line = ''): void => void io.stdout.write(`${line}\n`);
  await setBackend(options.backend);
  const files = runFiles(options.out);
  const stale = await removeStaleTemps(options.out);
  if (stale.length) io.stderr.write(`note: removed ${stale.length} temporary file(s) that an interrupted run left in ${options.out}\n`);
  let resumed: Resumed | null = null;
  if (options.resume) resumed = await readResume(files.checkpoint, options);
  else if (existsSync(files.checkpoint)) {
    io.stderr.write(`note: starting a new run in ${options.out}, replacing its checkpoint after the first epoch (pass --resume to continue it instead)\n`);
  }
  const settings = resumed ? resumed.settings : settingsOf(options);
  const startEpoch = resumed ? resumed.epoch + 1 : 1;
  const history: EpochMetrics[] = resumed ? [...resumed.history] : [];
  if (resumed && startEpoch > options.epochs) {
    disposeTensors(resumed);
    say(`${files.checkpoint} has already been trained for ${resumed.epoch} epoch(s), and --epochs is ${options.epochs}: nothing to do. Pass --epochs ${resumed.epoch + 1} or more to train further.`);
    return { history, settings, files, confusion: null };
  }

  let train: FashionData | null = null;
  let test: FashionData | null = null;
  let model: Sequential | null = null;
  let optimizer: AnyOptimizer | null = null;
  try {
    const log = (line: string): void => void io.stderr.write(`${line}\n`);
    const load = async (train: boolean): Promise<FashionData> => {
      try {
        return await loadFashionData({ train, limit: train ? settings.limit : settings.testLimit, root: options.dataRoot, log, deps });
      } catch (e) {
        // a --limit larger than the split is a bad flag value
        if (e instanceof RangeError && /expected a limit/.test(e.message)) throw new UsageError(`${train ? '--limit' : '--test-limit'}: ${e.message}`);
        throw e;
      }
    };
    // the data sets stay on the cpu backend (a GPU cannot bind 60,000 images as one buffer); the
    // training loop moves each batch to the training backend
    await setBackend('cpu');
    try {
      train = await load(true);
      test = await load(false);
    } finally {
      await setBackend(options.backend);
    }

    const data = await dataFingerprint(train, test);
    if (resumed?.data != null && resumed.data !== data) {
      throw new UsageError(
        `--resume: the training data differ from those ${files.checkpoint} was trained on (the examples' fingerprint is ${data}, the checkpoint's ${resumed.data}); ` +
          'pass the --data-root that run used (it is not recorded in the checkpoint), or use another --out to start a new run',
      );
    }

    manualSeed(settings.seed);
    model = buildModel(settings.model);
    optimizer = buildOptimizer(settings.optimizer, model.parameters(), settings.lr);
    if (resumed) {
      model.loadStateDict(resumed.model);
      optimizer.loadStateDict(resumed.optimizer);
      disposeTensors(resumed);
      resumed = null;
    }
    const inputShape = modelInputShape(settings.model);

    say(
      `Fashion-MNIST: ${settings.model} on the ${options.backend} backend; ${count(train.length)} training and ${count(test.length)} test images; ` +
        `${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}, seed ${settings.seed}, ${options.epochs} epoch(s)` +
        (startEpoch > 1 ? `; resuming at epoch ${startEpoch} from ${files.checkpoint}` : ''),
    );
    say(summary(model, inputShape).text);
    say();
    say(metricsHeader());
    for (const h of history) say(metricsRow(h));

    await mkdir(options.out, { recursive: true });
    const batches = Math.ceil(train.length / settings.batchSize);
    let bar: ProgressBar | null = null;
    let seen = 0;
    let lossSum = 0;
    let lastConfusion: number[][] | null = null;
    const classes = train.classes;
    const currentModel = model;
    const currentOptimizer = optimizer;
    await fit(model, optimizer, train, test, {
      epochs: options.epochs,
      startEpoch,
      batchSize: settings.batchSize,
      seed: settings.seed,
      inputShape,
      onEpochStart: (epoch) => {
        bar = new ProgressBar({ total: batches, label: `epoch ${epoch}/${options.epochs}`, stream: io.stdout });
        seen = 0;
        lossSum = 0;
      },
      onBatch: (b) => {
        seen += b.size;
        lossSum += b.loss * b.size;
        bar!.update(b.batch, { loss: lossSum / seen, examples: seen });
      },
      onEvaluate: (epoch) => {
        bar?.finish();
        bar = new ProgressBar({ total: test!.length, label: `epoch ${epoch}/${options.epochs} test`, stream: io.stdout });
      },
      onEvaluateBatch: (done) => bar!.update(done, { examples: done }),
      onEpoch: async (metrics, evaluation) => {
        bar?.finish();
        bar = null;
        say(metricsRow(metrics));
        history.push(metrics);
        lastConfusion = evaluation.confusion;
        // the checkpoint last: it is what --resume continues from, so every other file of this
        // epoch is on disk before it (a run killed in between redoes the epoch and rewrites them,
        // and a checkpoint that has every epoch means the other files have them too)
        const stateDict = currentModel.stateDict();
        try {
          await saveSafetensors(stateDict, files.model, modelFileOptions(settings.model));
          await writeAtomic(files.metrics, metricsJson({ app: APP, backend: options.backend, settings }, history));
          await writeAtomic(files.curves, curvesSvg(history, `Fashion-MNIST ${settings.model}: ${settings.optimizer} lr ${settings.lr}, batch ${settings.batchSize}`));
          await writeAtomic(files.confusion, confusionSvg(evaluation.confusion, classes, `${settings.model}, epoch ${metrics.epoch}: ${count(test!.length)} test images`));
          await saveCheckpoint(files.checkpoint, {
            model: stateDict,
            optimizer: currentOptimizer.stateDict(),
            epoch: metrics.epoch,
            app: APP,
            settings,
            data,
            history,
          });
        } finally {
          for (const t of Object.values(stateDict)) t.dispose();
        }
      },
    });
    if (lastConfusion) {
      say();
      say(`Confusion matrix on the ${count(test.length)} test images after epoch ${history[history.length - 1]!.epoch} (rows: true class, columns: predicted class):`);
      say(confusionTable(lastConfusion, classes));
    }
    say();
    say(`Wrote into ${resolve(options.out)}:`);
    say(`  ${files.checkpoint}  (model + optimizer + history; continue with --resume)`);
    say(`  ${files.model}  (the model's state dict)`);
    say(`  ${files.metrics}  ${files.curves}  ${files.confusion}`);
    return { history, settings, files, confusion: lastConfusion };
  } finally {
    if (resumed) disposeTensors(resumed);
    optimizer?.dispose();
    model?.dispose();
    train?.dispose();
    test?.dispose();
  }
}
