/**
 * The book's chapters 5–6 (with chapter 4's data augmentation) as experiments on Fashion-MNIST:
 * transfer learning from a backbone pretrained here, translation augmentation, and batch
 * normalisation in the CNN. What `experiments.js` runs besides the chapter 3 experiments.
 */
import type { ExperimentOptions, ExperimentResult } from '../chapter3/experiment.js';
import { formatResult } from '../chapter3/experiment.js';
import { formatAugmentation, runAugmentation } from './augmentation.js';
import { formatCam, runCam, type CamExperimentOptions } from './cam.js';
import { formatEpochs, runCnnBatchNorm } from './cnn-batch-norm.js';
import { formatTransfer, runTransfer } from './transfer.js';

export * from './augment.js';
export * from './augmentation.js';
export * from './cam.js';
export * from './cnn-batch-norm.js';
export * from './data.js';
export * from './models.js';
export * from './transfer.js';

/** What every experiment's result has: its runner name and a one-line description. */
export interface BookResult {
  /** The runner's name for the experiment. */
  name: string;
  /** A one-line description. */
  title: string;
}

/** What the runner passes to every experiment: the common options, and the folder for output files. */
export interface BookRunOptions extends ExperimentOptions {
  /** Folder for the files an experiment writes (only `cam` writes any: its PNGs). */
  out?: string;
}

/** An experiment the runner knows by name, with the function that prints its result. */
export interface BookExperiment {
  /** The runner's name for it (`node dist/experiments.js <name>`). */
  name: string;
  /** The book's notebook(s) it corresponds to, with their chapter folder. */
  notebook: string;
  /** Epochs per variant by default, e.g. `'5'`. */
  bookEpochs: string;
  /** Runs it (`out`: the folder for experiments that write files, such as `cam`'s PNGs; the others ignore it). */
  run: (options?: BookRunOptions) => Promise<BookResult>;
  /** The result as text. */
  format: (result: BookResult) => string;
}

function entry<R extends BookResult>(e: { name: string; notebook: string; bookEpochs: string; run: (options?: BookRunOptions) => Promise<R>; format: (result: R) => string }): BookExperiment {
  return { ...e, format: (result) => e.format(result as R) };
}

/**
 * The chapter 4–6 experiments, in the runner's order.
 *
 * @example
 * ```ts
 * import { CHAPTER5_6_EXPERIMENTS } from './index.js';
 * CHAPTER5_6_EXPERIMENTS.map((e) => e.name); // ['transfer', 'augmentation', 'cnn-batch-norm', 'cam']
 * ```
 */
export const CHAPTER5_6_EXPERIMENTS: readonly BookExperiment[] = [
  entry({
    name: 'transfer',
    notebook: 'Chapter05/Implementing_VGG16_for_image_classification.ipynb, Implementing_ResNet18_for_image_classification.ipynb',
    bookEpochs: '3 + 10',
    run: runTransfer,
    format: formatTransfer,
  }),
  entry({ name: 'augmentation', notebook: 'Chapter04/Data_augmentation_with_CNN.ipynb', bookEpochs: '5', run: runAugmentation, format: formatAugmentation }),
  entry({
    name: 'cnn-batch-norm',
    notebook: 'Chapter04/CNN_on_FashionMNIST.ipynb with BatchNorm2d (chapter 6)',
    bookEpochs: '5',
    run: runCnnBatchNorm,
    format: (result: ExperimentResult) => `${formatResult(result)}\n${formatEpochs(result)}`,
  }),
  entry({
    name: 'cam',
    notebook: 'Chapter06/Class_activation_maps.ipynb (Grad-CAM; on Fashion-MNIST, PNGs in --out)',
    bookEpochs: '2',
    run: (options?: CamExperimentOptions) => runCam(options),
    format: formatCam,
  }),
];
