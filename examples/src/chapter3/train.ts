/**
 * The book's chapter 3 training loop: `train_batch`, `accuracy` and `val_loss`, written once and
 * shared by every experiment. Batches are drawn from float32 tensors that were scaled once, by a
 * seeded, shuffling `DataLoader` (the book's `DataLoader(..., shuffle=True)`), and each step
 * runs in its own `tidy` scope.
 */
import {
  crossEntropy,
  DataLoader,
  noGrad,
  TensorDataset,
  tidy,
  type AnyOptimizer,
  type Module,
  type Tensor,
} from 'tensorgrad';
import type { ImageSplits } from './data.js';

/** A classifier: images `[N, features]` in, class scores `[N, classes]` out. */
export type Classifier = Module<[Tensor], Tensor>;

/** A term added to the training loss (the book's L1/L2 regularisation), computed from the model. */
export type Penalty = (model: Classifier) => Tensor;

/** Anything that adjusts the learning rate once per epoch from the validation loss (`ReduceLROnPlateau`). */
export interface ValidationScheduler {
  /** Called after each epoch's validation with the validation loss. */
  step(metric: number): void;
}

/**
 * One optimisation step on one batch, the book's `train_batch`: forward, cross-entropy (plus
 * `penalty`, when given), backward, `optimizer.step()`, `optimizer.zeroGrad()`. Returns the batch
 * loss; every intermediate tensor is freed.
 *
 * @example
 * ```ts
 * import { Adam, Linear, tensor } from 'tensorgrad';
 * import { trainBatch } from './train.js';
 * const model = new Linear(2, 2);
 * const optimizer = new Adam(model.parameters(), { lr: 0.1 });
 * const x = tensor([[1, 0], [0, 1]]);
 * const y = tensor([0, 1], { dtype: 'int32' });
 * const first = trainBatch(x, y, model, optimizer);
 * for (let i = 0; i < 20; i++) trainBatch(x, y, model, optimizer);
 * trainBatch(x, y, model, optimizer) < first; // true
 * ```
 */
export function trainBatch(x: Tensor, y: Tensor, model: Classifier, optimizer: AnyOptimizer, penalty?: Penalty): number {
  return tidy(() => {
    model.train();
    const prediction = model(x);
    const batchLoss = penalty ? crossEntropy(prediction, y).add(penalty(model)) : crossEntropy(prediction, y);
    batchLoss.backward();
    optimizer.step();
    optimizer.zeroGrad();
    return batchLoss.itemSync() as number;
  });
}

/** Loss and accuracy of a model on a set of images. */
export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  /** Fraction of images whose highest score is the true class, in [0, 1]. */
  accuracy: number;
}

/**
 * The book's `accuracy` and `val_loss` in one pass: the model in eval mode, no gradients, the
 * images in chunks of `chunkSize` (the result does not depend on it: in eval mode every image is
 * scored on its own). Returns the mean cross-entropy and the fraction classified correctly.
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { evaluate } from './train.js';
 * const model = new Linear(2, 2);
 * noGrad(() => {
 *   model.weight.copy_(tensor([[1, 0], [0, 1]]));
 *   model.bias!.zero_();
 * });
 * const x = tensor([[3, 0], [0, 3], [3, 0]]);
 * evaluate(model, x, tensor([0, 1, 1], { dtype: 'int32' })).accuracy; // 0.6666667
 * ```
 */
export function evaluate(model: Classifier, x: Tensor, y: Tensor, chunkSize = 2000): Evaluation {
  const n = x.shape[0]!;
  if (n === 0) throw new RangeError('evaluate: no images to evaluate (the first dimension of x is 0)');
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`evaluate: expected a positive whole chunkSize, got ${String(chunkSize)}`);
  model.eval();
  let lossSum = 0;
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < n; start += chunkSize) {
      const size = Math.min(chunkSize, n - start);
      tidy(() => {
        const xb = x.narrow(0, start, size);
        const yb = y.narrow(0, start, size);
        const prediction = model(xb);
        lossSum += crossEntropy(prediction, yb, { reduction: 'sum' }).itemSync() as number;
        correct += prediction.argmax(-1).eq(yb).sum().itemSync() as number;
      });
    }
  });
  return { loss: lossSum / n, accuracy: correct / n };
}

/** Options of {@link trainEpoch}. */
export interface TrainEpochOptions {
  /** Images per step (default 32, the book's). */
  batchSize?: number;
  /** Seed of the shuffles (default 0): with `epoch` it fixes the order of the images. */
  seed?: number;
  /** Which epoch of the seeded shuffle to run (default 0): each epoch has its own order. */
  epoch?: number;
  /** Added to each batch's loss. */
  penalty?: Penalty;
}

/** What one epoch of training did. */
export interface EpochTraining {
  /** Mean of the batch losses (the book's `np.array(train_epoch_losses).mean()`). */
  loss: number;
  /** Number of optimisation steps taken. */
  steps: number;
}

/**
 * One pass over the training images in a random order, the book's
 * `for ix, batch in enumerate(iter(trn_dl)): train_batch(...)` with `trn_dl` a shuffling
 * `DataLoader` (seeded with `seed`, running epoch `epoch`); the last batch may be smaller
 * (PyTorch's `drop_last=False`).
 *
 * @example
 * ```ts
 * import { Linear, SGD, randn, zeros } from 'tensorgrad';
 * import { trainEpoch } from './train.js';
 * const model = new Linear(4, 3);
 * const optimizer = new SGD(model.parameters(), { lr: 0.01 });
 * const x = randn([10, 4]);
 * const y = zeros([10], { dtype: 'int32' });
 * trainEpoch(model, optimizer, x, y, { batchSize: 4, seed: 1 }).steps; // 3
 * ```
 */
export function trainEpoch(model: Classifier, optimizer: AnyOptimizer, x: Tensor, y: Tensor, options: TrainEpochOptions = {}): EpochTraining {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`trainEpoch: expected a positive whole batchSize such as 32, got ${String(batchSize)}`);
  const n = x.shape[0]!;
  if (n === 0) throw new RangeError('trainEpoch: no training images (the first dimension of x is 0)');
  const loader = new DataLoader(new TensorDataset(x, y), { batchSize, shuffle: true, seed: options.seed ?? 0, epoch: options.epoch ?? 0 });
  let lossSum = 0;
  let steps = 0;
  for (const [xb, yb] of loader) {
    try {
      lossSum += tidy(() => trainBatch(xb, yb, model, optimizer, options.penalty));
    } finally {
      xb.dispose();
      yb.dispose();
    }
    steps += 1;
  }
  return { loss: lossSum / steps, steps };
}

/** Everything measured after one epoch. */
export interface EpochResult {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training batch loss during the epoch (including any penalty). */
  trainLoss: number;
  /** Accuracy on the training images after the epoch, in eval mode. */
  trainAccuracy: number;
  /** Cross-entropy on the validation images after the epoch. */
  valLoss: number;
  /** Accuracy on the validation images after the epoch. */
  valAccuracy: number;
  /** Learning rate of the first parameter group at the end of the epoch. */
  lr: number;
  /** Optimisation steps taken in the epoch. */
  steps: number;
  /** Wall-clock seconds of the epoch, evaluation included. */
  seconds: number;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Number of passes over the training images. */
  epochs: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Seed of the generator that orders the images in every epoch (default 0). */
  seed?: number;
  /** Added to each batch's loss (L1/L2 regularisation). */
  penalty?: Penalty;
  /** Stepped with the validation loss after every epoch (the book's `scheduler.step(validation_loss)`). */
  scheduler?: ValidationScheduler;
  /** Called with a progress line after every epoch. */
  log?: (line: string) => void;
  /** Prefix of the progress lines (e.g. the variant's name). */
  label?: string;
}

function learningRate(optimizer: AnyOptimizer): number {
  return optimizer.paramGroups[0]!.lr as number;
}

/**
 * The book's epoch loop: train one epoch, measure the training accuracy, then the validation loss
 * and accuracy, step the scheduler; returns one {@link EpochResult} per epoch.
 *
 * @example
 * ```ts
 * import { Adam, Linear } from 'tensorgrad';
 * import { ImageSplits } from './data.js';
 * import { fit } from './train.js';
 * const raw = ImageSplits.synthetic({ train: 64, val: 32, features: 20 });
 * const data = raw.scaled(255);
 * const model = new Linear(20, 10);
 * const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
 * const history = fit(model, optimizer, data, { epochs: 2 });
 * history.length; // 2
 * history[1]!.steps; // 2
 * for (const owner of [optimizer, model, data, raw]) owner.dispose();
 * ```
 */
export function fit(model: Classifier, optimizer: AnyOptimizer, data: ImageSplits, options: FitOptions): EpochResult[] {
  const { epochs } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fit: expected a positive whole number of epochs, got ${String(epochs)}`);
  const history: EpochResult[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    const trained = trainEpoch(model, optimizer, data.trainX, data.trainY, { batchSize: options.batchSize, seed: options.seed ?? 0, epoch, penalty: options.penalty });
    const onTrain = evaluate(model, data.trainX, data.trainY);
    const onVal = evaluate(model, data.valX, data.valY);
    options.scheduler?.step(onVal.loss);
    const result: EpochResult = {
      epoch,
      trainLoss: trained.loss,
      trainAccuracy: onTrain.accuracy,
      valLoss: onVal.loss,
      valAccuracy: onVal.accuracy,
      lr: learningRate(optimizer),
      steps: trained.steps,
      seconds: (performance.now() - started) / 1000,
    };
    history.push(result);
    options.log?.(
      `${options.label ? `${options.label}: ` : ''}epoch ${epoch}/${epochs} train loss ${result.trainLoss.toFixed(4)} acc ${result.trainAccuracy.toFixed(4)}` +
        ` | val loss ${result.valLoss.toFixed(4)} acc ${result.valAccuracy.toFixed(4)} | lr ${result.lr.toExponential(2)} | ${result.seconds.toFixed(1)} s`,
    );
  }
  return history;
}
