/**
 * Chapter 4's "data augmentation" (`Data_augmentation_with_CNN.ipynb`): the CNN trained on
 * images that are all centred fails on images moved a few pixels sideways; trained on randomly
 * shifted images it copes. Both are evaluated on the test images translated by -5 … +5 pixels.
 */
import { Adam, Generator, manualSeed, tidy } from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';
import type { ExperimentOptions } from '../chapter3/experiment.js';
import { evaluate, trainEpoch } from '../chapter3/train.js';
import { augmentSplits, randomTranslate, translate, type BatchTransform } from './augment.js';
import { bookCnn } from './models.js';

/** Options of {@link runAugmentation}. */
export interface AugmentationOptions extends ExperimentOptions {
  /** Epochs of each variant (default 5, the book's). */
  epochs?: number;
  /** Largest random shift while training, `[horizontal, vertical]` or one number for both (default `[10, 0]`: the book's `translate_px={'x':(-10,10)}`). */
  maxShift?: number | readonly [number, number];
  /** Horizontal shifts of the test images to evaluate (default -5 … 5). */
  shifts?: readonly number[];
}

/** Accuracy on the test images moved `shift` pixels to the right (left when negative). */
export interface ShiftAccuracy {
  /** Pixels. */
  shift: number;
  /** Fraction classified correctly. */
  accuracy: number;
}

/** One trained variant. */
export interface AugmentationVariant {
  /** `'no augmentation'` or `'random shifts'`. */
  name: string;
  /** Per epoch: mean training batch loss, accuracy on the untranslated test images, seconds of training. */
  history: { epoch: number; trainLoss: number; valAccuracy: number; seconds: number }[];
  /** Accuracy per horizontal shift of the test images. */
  byShift: ShiftAccuracy[];
}

/** The outcome of {@link runAugmentation}. */
export interface AugmentationResult {
  /** `'augmentation'`. */
  name: string;
  /** A one-line description. */
  title: string;
  /** Training images used. */
  trainSize: number;
  /** Test images used. */
  valSize: number;
  /** The largest training shift `[horizontal, vertical]`. */
  maxShift: [number, number];
  /** Without, then with augmentation. */
  variants: AugmentationVariant[];
}

/**
 * Trains the chapter 4 CNN twice (Adam, learning rate 0.001, batch 32, after `manualSeed(seed)`
 * each time): on the images as they are, and on a freshly shifted copy of the training images
 * every epoch ({@link randomTranslate} with `maxShift`, seeded with `seed`); then evaluates both on
 * the test images shifted by each of `shifts` pixels horizontally.
 *
 * @example
 * ```ts
 * import { ImageSplits } from '../chapter3/data.js';
 * import { runAugmentation } from './augmentation.js';
 * const data = ImageSplits.synthetic({ train: 8, val: 4 });
 * const result = await runAugmentation({ data, epochs: 1, shifts: [0, 2] });
 * result.variants.map((v) => v.byShift.length); // [2, 2]
 * data.dispose();
 * ```
 */
export async function runAugmentation(options: AugmentationOptions = {}): Promise<AugmentationResult> {
  const { epochs = 5, maxShift = [10, 0], shifts = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5], seed = 0, log } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`augmentation: expected a positive whole number of epochs, got ${String(epochs)}`);
  if (shifts.length === 0) throw new RangeError('augmentation: expected at least one test shift, such as [-5, …, 5]');
  const [kx, ky] = typeof maxShift === 'number' ? [maxShift, maxShift] : maxShift;
  const owned =
    options.data ??
    (await ImageSplits.loadFashionMnist({ limit: options.limit, testLimit: options.testLimit, ...(options.root === undefined ? {} : { root: options.root }) }));
  const raw = options.data ? options.data.limited(options.limit, options.testLimit) : owned;
  const data = raw.scaled(255);
  try {
    const variants: AugmentationVariant[] = [];
    for (const [name, augment] of [
      ['no augmentation', false],
      [`random shifts ±${kx} x, ±${ky} y`, true],
    ] as const) {
      manualSeed(seed);
      const model = bookCnn();
      const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
      const generator = new Generator(seed);
      const transform: BatchTransform = (images) => randomTranslate(images, { maxShift: [kx, ky], generator });
      try {
        const history: AugmentationVariant['history'] = [];
        for (let epoch = 1; epoch <= epochs; epoch++) {
          const started = performance.now();
          const epochData = augment ? augmentSplits(data, transform) : data;
          let trainLoss: number;
          try {
            trainLoss = trainEpoch(model, optimizer, epochData.trainX, epochData.trainY, { seed, epoch }).loss;
          } finally {
            if (epochData !== data) epochData.dispose();
          }
          const seconds = (performance.now() - started) / 1000;
          const valAccuracy = evaluate(model, data.valX, data.valY).accuracy;
          history.push({ epoch, trainLoss, valAccuracy, seconds });
          log?.(`augmentation / ${name}: epoch ${epoch}/${epochs} train loss ${trainLoss.toFixed(4)} | test acc ${valAccuracy.toFixed(4)} | ${seconds.toFixed(1)} s`);
        }
        const byShift = shifts.map((shift) => {
          const moved = tidy(() => translate(data.valX.reshape([-1, 1, 28, 28]), shift).reshape([-1, 784]));
          try {
            return { shift, accuracy: evaluate(model, moved, data.valY).accuracy };
          } finally {
            moved.dispose();
          }
        });
        log?.(`augmentation / ${name}: ${byShift.map((s) => `${s.shift}: ${s.accuracy.toFixed(4)}`).join(', ')}`);
        variants.push({ name, history, byShift });
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    }
    return {
      name: 'augmentation',
      title: `chapter 4 CNN, ${epochs} epochs, without vs with random translation; test images shifted horizontally`,
      trainSize: data.trainSize,
      valSize: data.valSize,
      maxShift: [kx, ky],
      variants,
    };
  } finally {
    data.dispose();
    if (raw !== owned) raw.dispose();
    if (!options.data) owned.dispose();
  }
}

/**
 * The augmentation results as text: one row per test shift, one accuracy column per variant.
 *
 * @example
 * ```ts
 * import { formatAugmentation } from './augmentation.js';
 * const text = formatAugmentation({ name: 'augmentation', title: 'demo', trainSize: 10, valSize: 10, maxShift: [2, 0], variants: [
 *   { name: 'plain', history: [], byShift: [{ shift: -1, accuracy: 0.5 }, { shift: 0, accuracy: 0.9 }] },
 * ] });
 * text.includes('90.00%'); // true
 * ```
 */
export function formatAugmentation(result: AugmentationResult): string {
  const header = ['shift (px)', ...result.variants.map((v) => v.name)];
  const rows = (result.variants[0]?.byShift ?? []).map((s, i) => [
    (s.shift > 0 ? '+' : '') + String(s.shift),
    ...result.variants.map((v) => `${(v.byShift[i]!.accuracy * 100).toFixed(2)}%`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  return [
    `${result.name}: ${result.title}`,
    `(${result.trainSize} training images, ${result.valSize} test images; test accuracy per horizontal shift)`,
    line(header),
    `|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
