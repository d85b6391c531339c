/**
 * The book's chapter 8 single-shot detector program: trains the small SSD ({@link sceneSsd}) on
 * generated Fashion-MNIST scenes, reports mAP@0.5 on held-out scenes and draws predictions as PNG:
 *
 *     node examples/dist/chapter8/main.js [--limit N] [--test-limit N] [--epochs N] [--batch-size N]
 *                                         [--lr X] [--seed N] [--out DIR] [--load FILE] [--save FILE]
 *
 * (`pnpm --filter @tensorgrad/examples ch8 -- --epochs 1` after a build.)
 */
import { loadSafetensors, saveSafetensors } from 'tensorgrad';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from '../run-main.js';
import { drawPredictions, loadScenes, predictScenes, sceneSsd, trainSceneSsd, type EpochRecord, type ScenePrediction } from './ssd.js';
import { sceneMeanAp } from './metrics.js';

/** Where the PNGs go by default: `examples/.generated/chapter8/` (ignored by git). */
export const DEFAULT_CHAPTER8_OUT = resolve(fileURLToPath(new URL('../../.generated/chapter8/', import.meta.url)));

/** What the command line asked for. */
export interface Chapter8Args {
  /** Training scenes (default 2000). */
  limit: number;
  /** Held-out scenes (default 300). */
  testLimit: number;
  /** Epochs (default 4). */
  epochs: number;
  /** Batch size (default 16). */
  batchSize: number;
  /** Adam's learning rate (default 0.002). */
  lr: number;
  /** Seed (default 0). */
  seed: number;
  /** Folder of the PNGs (default examples/.generated/chapter8). */
  out: string;
  /** Skip training and load these weights (a safetensors file written by `--save`). */
  load?: string;
  /** Write the trained weights to this safetensors file. */
  save?: string;
  /** Print the usage and exit. */
  help: boolean;
}

/** The usage text. */
export const USAGE = `usage: node examples/dist/chapter8/main.js [--limit N] [--test-limit N] [--epochs N] [--batch-size N] [--lr X] [--seed N] [--out DIR] [--load FILE] [--save FILE]

--limit N        training scenes (default 2000)
--test-limit N   held-out scenes for mAP@0.5 (default 300)
--epochs N       epochs (default 4)
--batch-size N   scenes per step (default 16)
--lr X           Adam's learning rate (default 0.002)
--seed N         seed of the initialisation and batch order (default 0)
--out DIR        where the prediction PNGs go (default examples/.generated/chapter8)
--load FILE      skip training: load weights written by --save
--save FILE      write the trained weights (safetensors)`;

/**
 * Parses the command line.
 *
 * @example
 * ```ts
 * import { parseChapter8Args } from './main.js';
 * const a = parseChapter8Args(['--epochs', '2', '--limit', '100']);
 * [a.epochs, a.limit, a.testLimit]; // [2, 100, 300]
 * ```
 */
export function parseChapter8Args(argv: readonly string[]): Chapter8Args {
  const a: Chapter8Args = { limit: 2000, testLimit: 300, epochs: 4, batchSize: 16, lr: 0.002, seed: 0, out: DEFAULT_CHAPTER8_OUT, help: false };
  const num = (flag: string, v: string | undefined, int = true): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || (int && (!Number.isInteger(n) || n < 0))) throw new RangeError(`${flag}: expected ${int ? 'a non-negative integer' : 'a number'}, got ${String(v)}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const v = argv[i + 1];
    if (f === '--help' || f === '-h') a.help = true;
    else if (f === '--limit') (a.limit = num(f, v)), i++;
    else if (f === '--test-limit') (a.testLimit = num(f, v)), i++;
    else if (f === '--epochs') (a.epochs = num(f, v)), i++;
    else if (f === '--batch-size') (a.batchSize = num(f, v)), i++;
    else if (f === '--lr') (a.lr = num(f, v, false)), i++;
    else if (f === '--seed') (a.seed = num(f, v)), i++;
    else if (f === '--out') (a.out = v ?? a.out), i++;
    else if (f === '--load') (a.load = v), i++;
    else if (f === '--save') (a.save = v), i++;
    else throw new RangeError(`unknown argument ${f}\n${USAGE}`);
  }
  return a;
}

/** What {@link runChapter8} measured. */
export interface Chapter8Result {
  /** Per epoch (empty with `--load`). */
  epochs: EpochRecord[];
  /** Loss of every step. */
  stepLosses: number[];
  /** mAP@0.5 over the held-out scenes (COCO 101-point interpolation, over the classes with ground truth). */
  map50: number;
  /** Average precision per class label (1–10) at IoU 0.5. */
  apPerClass: Record<number, number>;
  /** Training seconds. */
  trainSeconds: number;
  /** Evaluation seconds. */
  evalSeconds: number;
  /** The PNGs written. */
  pictures: string[];
  /** The held-out predictions. */
  predictions: ScenePrediction[];
}

/** Trains (or loads), evaluates and draws; `log` gets the progress lines. */
export async function runChapter8(args: Partial<Chapter8Args> = {}, log: (line: string) => void = () => {}): Promise<Chapter8Result> {
  const a = { ...parseChapter8Args([]), ...args };
  const { train, test } = await loadScenes(a.limit, a.testLimit);
  let model;
  let epochs: EpochRecord[] = [];
  let stepLosses: number[] = [];
  let trainSeconds = 0;
  if (a.load) {
    model = sceneSsd({ channels: train.channels });
    const { tensors } = await loadSafetensors(a.load);
    model.loadStateDict(tensors, { strict: true });
    model.eval();
  } else {
    const r = await trainSceneSsd(train, {
      epochs: a.epochs,
      batchSize: a.batchSize,
      lr: a.lr,
      seed: a.seed,
      onEpoch: (e) => log(`epoch ${e.epoch}: bbox_regression ${e.bboxRegression.toFixed(4)}, classification ${e.classification.toFixed(4)} (${e.steps} steps, ${e.seconds.toFixed(1)} s)`),
    });
    ({ model, epochs, stepLosses } = r);
    trainSeconds = r.seconds;
    if (a.save) await saveSafetensors(model.stateDict(), a.save);
  }
  const t0 = performance.now();
  const predictions = predictScenes(model, test, test.length);
  const { map, perClass } = sceneMeanAp(predictions, 0.5);
  const evalSeconds = (performance.now() - t0) / 1000;
  log(`mAP@0.5 on ${test.length} held-out scenes: ${map.toFixed(4)} (${evalSeconds.toFixed(1)} s)`);
  const pictures = await drawPredictions(model, test, a.out);
  log(`pictures: ${pictures.join(', ')}`);
  return { epochs, stepLosses, map50: map, apPerClass: perClass, trainSeconds, evalSeconds, pictures, predictions };
}

if (isMain(import.meta.url)) {
  const args = parseChapter8Args(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
  } else {
    const r = await runChapter8(args, (l) => console.log(l));
    console.log(`trained in ${r.trainSeconds.toFixed(0)} s; mAP@0.5 ${r.map50.toFixed(4)}; AP per class ${JSON.stringify(Object.fromEntries(Object.entries(r.apPerClass).map(([k, v]) => [k, +v.toFixed(3)])))}`);
  }
}
