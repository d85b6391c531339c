import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FashionMNIST, noGrad, setBackend, softmax, tidy, type Tensor } from 'tensorgrad';
import { decodeImage } from '@tensorgrad/vision';
import { UsageError, type ModelKind, type PredictOptions } from './args.js';
import { loadFashionData, type EnsureDeps } from './dataset.js';
import { imageToInput } from './image-input.js';
import { modelFromSafetensors, type LoadedModel } from './model-file.js';
import { modelInputShape } from './models.js';
import type { CliIO } from './run-train.js';

/** One of the top classes {@link runPredict} reports. */
export interface ClassProbability {
  /** Class index 0–9. */
  index: number;
  /** Class name. */
  name: string;
  /** Softmax probability. */
  probability: number;
}

/** What {@link runPredict} returns. */
export interface PredictResult {
  /** The three most probable classes, most probable first. */
  top: ClassProbability[];
  /** The true class of `--index`, else `null`. */
  label: number | null;
  /** The architecture that was loaded. */
  model: ModelKind;
}

/**
 * Loads a trained model from a checkpoint (`checkpoint.safetensors`) or a plain state dict
 * (`model.safetensors`, also one saved by PyTorch with the same architecture): the architecture
 * comes from the file's metadata, else from its shapes, else from `fallback`.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { saveSafetensors } from 'tensorgrad';
 * import { buildModel, loadTrainedModel } from '@tensorgrad/fashion-mnist';
 * const file = join(mkdtempSync(join(tmpdir(), 'fmnist-')), 'model.safetensors');
 * const mlp = buildModel('mlp');
 * await saveSafetensors(mlp.stateDict(), file);
 * const { kind, model } = await loadTrainedModel(file);
 * kind; // 'mlp'
 * model.dispose();
 * mlp.dispose();
 * ```
 */
export async function loadTrainedModel(path: string, fallback: ModelKind | null = null): Promise<LoadedModel> {
  if (!existsSync(path)) {
    throw new Error(`no model file at ${path}; train one first (npm start, or fashion-mnist train --out DIR) or pass --checkpoint FILE`);
  }
  return modelFromSafetensors(new Uint8Array(await readFile(path)), path, fallback);
}

/**
 * The `predict` command: classifies test image `--index` or the PNG `--image` with a trained
 * model and prints the three most probable classes with their probabilities (and the true class
 * for `--index`).
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { encodeIdx, saveSafetensors } from 'tensorgrad';
 * import { buildModel, parseArgs, runPredict } from '@tensorgrad/fashion-mnist';
 * // a tiny stand-in for the real test set, and an untrained MLP
 * const root = mkdtempSync(join(tmpdir(), 'fmnist-'));
 * writeFileSync(join(root, 't10k-images-idx3-ubyte'), encodeIdx(new Uint8Array(2 * 784).fill(128), [2, 28, 28]));
 * writeFileSync(join(root, 't10k-labels-idx1-ubyte'), encodeIdx(new Uint8Array([9, 2]), [2]));
 * const file = join(root, 'model.safetensors');
 * const mlp = buildModel('mlp');
 * await saveSafetensors(mlp.stateDict(), file);
 * mlp.dispose();
 * let printed = '';
 * const cmd = parseArgs(['predict', '--checkpoint', file, '--data-root', root, '--index', '0']);
 * if (cmd.command === 'predict') {
 *   const r = await runPredict(cmd.options, { stdout: { write: (s: string) => (printed += s) }, stderr: { write: () => true } });
 *   r.top.length; // 3
 *   r.label; // 9
 * }
 * printed.includes('true class: Ankle boot'); // true
 * ```
 */
export async function runPredict(options: PredictOptions, io: CliIO, deps: EnsureDeps = {}): Promise<PredictResult> {
  const say = (line = ''): void => void io.stdout.write(`${line}\n`);
  await setBackend(options.backend);
  const { kind, model } = await loadTrainedModel(options.checkpoint, options.model);
  try {
    if (options.given.has('model') && options.model !== kind) {
      throw new UsageError(`--model ${options.model}, but ${options.checkpoint} holds a ${kind} model; drop --model or pass another --checkpoint`);
    }
    const classes = FashionMNIST.classes;
    let input: Tensor;
    let label: number | null = null;
    let what: string;
    if (options.index !== null) {
      const test = await loadFashionData({ train: false, root: options.dataRoot, log: (l) => void io.stderr.write(`${l}\n`), deps });
      try {
        if (options.index >= test.length) throw new UsageError(`--index: expected 0 to ${test.length - 1}, got ${options.index}`);
        input = tidy(() => test.images.narrow(0, options.index!, 1).contiguous());
        const labels = (await test.labels.data()) as Int32Array;
        label = labels[options.index]!;
      } finally {
        test.dispose();
      }
      what = `test image ${options.index} (true class: ${classes[label]})`;
    } else {
      const path = options.image!;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(path));
      } catch (e) {
        throw new Error(`--image: cannot read ${path}: ${(e as Error).message}`);
      }
      let image: Tensor;
      try {
        image = await decodeImage(bytes, { mode: 'gray_alpha' });
      } catch (e) {
        throw new Error(`--image ${path}: ${(e as Error).message}`);
      }
      try {
        input = imageToInput(image, { invert: options.invert });
      } finally {
        image.dispose();
      }
      what = `${path} (${image.shape[2]}x${image.shape[1]}${options.invert ? ', inverted' : ''})`;
    }
    const probs = tidy(() =>
      noGrad(() => {
        model.eval();
        return softmax(model.call(input.reshape([1, ...modelInputShape(kind)])) as Tensor, 1);
      }),
    );
    input.dispose();
    const p = Array.from((await probs.data()) as Float32Array);
    probs.dispose();
    const top = p
      .map((probability, index) => ({ index, name: classes[index]!, probability }))
      .sort((a, b) => b.probability - a.probability || a.index - b.index)
      .slice(0, 3);
    say(`${kind} model from ${options.checkpoint}: ${what}`);
    const width = Math.max(...top.map((t) => t.name.length));
    top.forEach((t, i) => say(`  ${i + 1}. ${t.name.padEnd(width)}  ${(t.probability * 100).toFixed(2).padStart(6)}%${label !== null && t.index === label ? '  (true)' : ''}`));
    return { top, label, model: kind };
  } finally {
    model.dispose();
  }
}
