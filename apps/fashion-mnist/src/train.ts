import { crossEntropy, DataLoader, fromTypedArray, getBackend, indexSelect, noGrad, TensorDataset, tidy, type AnyModule, type AnyOptimizer, type Tensor } from 'tensorgrad';

/** Images and labels to train or evaluate on (e.g. a {@link FashionData}). */
export interface LabelledImages {
  /** float32 `[N, ...]` inputs (`[N, 1, 28, 28]` for Fashion-MNIST). */
  readonly images: Tensor;
  /** int32 `[N]` class indices. */
  readonly labels: Tensor;
}

/** What {@link trainEpoch} reports after each batch. */
export interface BatchInfo {
  /** The epoch (1-based). */
  epoch: number;
  /** The batch just done (1-based). */
  batch: number;
  /** The number of batches in the epoch. */
  batches: number;
  /** The batch's mean loss. */
  loss: number;
  /** The number of examples in the batch. */
  size: number;
  /** How many of them were classified correctly (before the update). */
  correct: number;
}

/** Options of {@link trainEpoch}. */
export interface TrainEpochOptions {
  /** The epoch number (1-based); with `seed` it fixes the shuffle. */
  epoch: number;
  /** Examples per batch; the last batch holds the remainder (PyTorch's `drop_last=False`). */
  batchSize: number;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** The model's input shape without the batch dim (default the images' own, e.g. `[784]` for an MLP). */
  inputShape?: readonly number[];
  /**
   * Called after every batch and awaited, so a caller can hold the loop between batches (the web
   * page's pause waits here for its resume).
   */
  onBatch?: (info: BatchInfo) => void | Promise<void>;
  /**
   * Ends the epoch early: checked before every batch, so an abort takes effect after the batch in
   * progress (the model keeps every update made so far). The result then has `stopped: true`.
   */
  signal?: AbortSignal;
}

/** What {@link trainEpoch} returns. */
export interface TrainEpochResult {
  /** Mean loss over the epoch's examples (each batch's mean loss weighted by its size); over those trained on when stopped early (`NaN` when none). */
  loss: number;
  /** Fraction of the examples classified correctly, each by the model as it was before its batch's update (of those trained on when stopped early). */
  accuracy: number;
  /** The mean loss of every batch, in order. */
  batchLosses: number[];
  /** Wall-clock seconds. */
  seconds: number;
  /** Whether `signal` ended the epoch before its last batch. */
  stopped: boolean;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per forward pass (default 500; only memory and speed depend on it). */
  batchSize?: number;
  /** The model's input shape without the batch dim (default the images' own). */
  inputShape?: readonly number[];
  /** The number of classes of the confusion matrix (default the logits' width). */
  numClasses?: number;
  /** Called after every batch with the number of examples done so far and the total (awaited). */
  onBatch?: (done: number, total: number) => void | Promise<void>;
  /**
   * Ends the evaluation early: checked before every batch, so a Stop does not wait for the whole
   * test set (10,000 images take seconds on cpu, minutes on a software GPU). The result then has
   * `stopped: true` and covers only the examples evaluated.
   */
  signal?: AbortSignal;
}

/** What {@link evaluate} returns. */
export interface EvaluateResult {
  /** Mean cross-entropy loss (of the examples evaluated when stopped early; `NaN` when none). */
  loss: number;
  /** Fraction classified correctly (of the examples evaluated when stopped early; `NaN` when none). */
  accuracy: number;
  /** The predicted class of every example evaluated (argmax of the logits), in order. */
  predictions: Int32Array;
  /** `confusion[true][predicted]`: counts. */
  confusion: number[][];
  /** Wall-clock seconds. */
  seconds: number;
  /** Whether `signal` ended the evaluation before its last batch. */
  stopped: boolean;
}

/** One row of the training history. */
export interface EpochMetrics {
  /** The epoch (1-based). */
  epoch: number;
  /** Mean training loss of the epoch. */
  trainLoss: number;
  /** Training accuracy of the epoch (0–1). */
  trainAcc: number;
  /** Test loss after the epoch. */
  testLoss: number;
  /** Test accuracy after the epoch (0–1). */
  testAcc: number;
  /** Seconds for the epoch: training plus evaluation. */
  seconds: number;
  /** The mean loss of every training batch, in order. */
  batchLosses: number[];
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Train up to this epoch (inclusive). */
  epochs: number;
  /** The first epoch to train (default 1; 1 + the checkpoint's epoch when resuming). */
  startEpoch?: number;
  /** Examples per training batch. */
  batchSize: number;
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** The model's input shape without the batch dim (default the images' own). */
  inputShape?: readonly number[];
  /** Examples per evaluation forward pass (default 500). */
  evalBatchSize?: number;
  /** Called when an epoch's training starts. */
  onEpochStart?: (epoch: number) => void;
  /** Called after every training batch (awaited: see {@link TrainEpochOptions.onBatch}). */
  onBatch?: (info: BatchInfo) => void | Promise<void>;
  /** Called when evaluation starts (e.g. to show a progress bar). */
  onEvaluate?: (epoch: number) => void;
  /** Called after every evaluation batch (awaited). */
  onEvaluateBatch?: (done: number, total: number) => void | Promise<void>;
  /**
   * Stops training after the batch in progress, or the evaluation after its batch in progress: the
   * epoch it interrupts is not reported (its metrics would describe part of an epoch or part of the
   * test set; a stop during an epoch's last batch or its evaluation leaves that epoch trained but
   * unreported), no later epoch starts, and `fit` returns the epochs reported before. The model
   * keeps every update.
   */
  signal?: AbortSignal;
  /** Called after every epoch (awaited: save a checkpoint here). */
  onEpoch?: (metrics: EpochMetrics, evaluation: EvaluateResult) => void | Promise<void>;
}

/**
 * Lets the event loop run between batches (timers, I/O, signal handlers such as the CLI's Ctrl-C
 * message): awaiting a tensor read alone only drains microtasks.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * A batch on the current backend (where the model is): the data set may live on another one (the
 * CLI keeps it on `cpu`: 60,000 images exceed a GPU's largest buffer binding), so each gathered
 * batch is moved, which is a no-op when both are the same.
 */
function onCurrentBackend(t: Tensor): Tensor {
  const here = getBackend().name;
  return t.backend === here ? t : t.to(here);
}

function batchInput(images: Tensor, index: Int32Array, inputShape: readonly number[] | undefined): Tensor {
  const idx = fromTypedArray(index, [index.length], { backend: images.backend });
  const x = onCurrentBackend(indexSelect(images, idx, { dim: 0 }));
  return inputShape ? x.reshape([index.length, ...inputShape]) : x;
}

function checkData(op: string, data: LabelledImages): number {
  const n = data.images.shape[0] ?? 0;
  if (data.labels.ndim !== 1 || data.labels.shape[0] !== n) {
    throw new RangeError(`${op}: expected ${n} labels (one per image), got labels of shape [${data.labels.shape.join(', ')}]`);
  }
  if (n === 0) throw new RangeError(`${op}: there are no examples`);
  return n;
}

function checkBatchSize(op: string, batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`${op}: expected a positive integer batch size, got ${batchSize}`);
}

/**
 * Trains `model` for one epoch: a shuffling `DataLoader` seeded with `seed` runs epoch `epoch`
 * (its order depends on the seed and the epoch alone, so a resumed run shuffles every later epoch
 * exactly as an uninterrupted one) and gathers each batch with `indexSelect`; per batch it computes the cross-entropy loss,
 * back-propagates and steps the
 * optimizer, all inside `tidy` so the number of live tensors stays flat.
 *
 * @example
 * ```ts
 * import { Linear, manualSeed, SGD, tensor } from 'tensorgrad';
 * import { trainEpoch } from '@tensorgrad/fashion-mnist';
 * manualSeed(0);
 * const model = new Linear(2, 2);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * const images = tensor([[1, 0], [0, 1], [1, 1]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * const r = await trainEpoch(model, opt, { images, labels }, { epoch: 1, batchSize: 2 });
 * r.batchLosses.length; // 2
 * ```
 */
export async function trainEpoch(model: AnyModule, optimizer: AnyOptimizer, data: LabelledImages, options: TrainEpochOptions): Promise<TrainEpochResult> {
  const n = checkData('trainEpoch', data);
  checkBatchSize('trainEpoch', options.batchSize);
  const started = performance.now();
  const loader = new DataLoader(new TensorDataset(data.images, data.labels), {
    batchSize: options.batchSize,
    shuffle: true,
    seed: options.seed ?? 0,
    epoch: options.epoch,
  });
  const batches = loader.length;
  const batchLosses: number[] = [];
  let lossSum = 0;
  let correctSum = 0;
  let b = 0;
  let seen = 0;
  let stopped = false;
  model.train();
  for (const [images, labels] of loader) {
    if (options.signal?.aborted) {
      images.dispose();
      labels.dispose();
      stopped = true;
      break;
    }
    const size = images.shape[0]!;
    let lossT: Tensor;
    let correctT: Tensor;
    try {
      [lossT, correctT] = tidy(() => {
        optimizer.zeroGrad();
        const onHere = onCurrentBackend(images);
        const x = options.inputShape ? onHere.reshape([size, ...options.inputShape]) : onHere;
        const y = onCurrentBackend(labels);
        const logits = model.call(x) as Tensor;
        const loss = crossEntropy(logits, y);
        loss.backward();
        optimizer.step();
        const correct = noGrad(() => logits.argmax(1).eq(y).sum());
        return [loss.detach(), correct] as const;
      });
    } finally {
      images.dispose();
      labels.dispose();
    }
    b++;
    let loss: number;
    let correct: number;
    try {
      loss = Number(await lossT.item());
      correct = Number(await correctT.item());
    } finally {
      lossT.dispose();
      correctT.dispose();
    }
    batchLosses.push(loss);
    lossSum += loss * size;
    correctSum += correct;
    seen += size;
    await options.onBatch?.({ epoch: options.epoch, batch: b, batches, loss, size, correct });
    await yieldToEventLoop();
  }
  // an abort during the last batch's onBatch still completed the epoch
  const total = stopped ? seen : n;
  return { loss: lossSum / total, accuracy: correctSum / total, batchLosses, seconds: (performance.now() - started) / 1000, stopped };
}

/**
 * The confusion matrix of `predictions` against `targets`: `m[t][p]` counts the examples of
 * class `t` predicted as `p`.
 *
 * @example
 * ```ts
 * import { confusionMatrix } from '@tensorgrad/fashion-mnist';
 * confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], 3); // [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 * ```
 */
export function confusionMatrix(targets: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  if (targets.length !== predictions.length) {
    throw new RangeError(`confusionMatrix: expected as many predictions as targets, got ${predictions.length} predictions for ${targets.length} targets`);
  }
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) throw new RangeError(`confusionMatrix: expected a positive number of classes, got ${numClasses}`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    const p = predictions[i]!;
    if (!(t >= 0 && t < numClasses && Number.isInteger(t)) || !(p >= 0 && p < numClasses && Number.isInteger(p))) {
      throw new RangeError(`confusionMatrix: example ${i} has target ${t} and prediction ${p}; expected class indices 0 to ${numClasses - 1}`);
    }
    m[t]![p]!++;
  }
  return m;
}

/**
 * Evaluates `model` (in eval mode, without gradients; the mode is restored afterwards): the mean
 * cross-entropy loss, the accuracy, every prediction and the confusion matrix.
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { evaluate } from '@tensorgrad/fashion-mnist';
 * const model = new Linear(2, 2);
 * noGrad(() => {
 *   model.weight.copy_(tensor([[1, 0], [0, 1]]));
 *   model.bias!.zero_();
 * });
 * const r = await evaluate(model, { images: tensor([[2, 0], [0, 2], [2, 0]]), labels: tensor([0, 1, 1], { dtype: 'int32' }) });
 * [...r.predictions]; // [0, 1, 0]
 * r.confusion; // [[1, 0], [1, 1]]
 * r.accuracy.toFixed(4); // '0.6667'
 * ```
 */
export async function evaluate(model: AnyModule, data: LabelledImages, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const n = checkData('evaluate', data);
  const batchSize = options.batchSize ?? 500;
  checkBatchSize('evaluate', batchSize);
  const started = performance.now();
  const wasTraining = model.training;
  model.eval();
  const predictions = new Int32Array(n);
  let lossSum = 0;
  let width = 0;
  let done = 0;
  try {
    for (let start = 0; start < n; start += batchSize) {
      if (options.signal?.aborted) break;
      const index = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const [lossT, predT] = tidy(() =>
        noGrad(() => {
          const x = batchInput(data.images, index, options.inputShape);
          const y = onCurrentBackend(data.labels.narrow(0, start, index.length));
          const logits = model.call(x) as Tensor;
          width = logits.shape[1] ?? 0;
          return [crossEntropy(logits, y, { reduction: 'sum' }), logits.argmax(1)] as const;
        }),
      );
      try {
        lossSum += Number(await lossT.item());
        predictions.set((await predT.data()) as Int32Array, start);
      } finally {
        lossT.dispose();
        predT.dispose();
      }
      done = start + index.length;
      await options.onBatch?.(done, n);
      await yieldToEventLoop();
    }
  } finally {
    model.train(wasTraining);
  }
  const targets = ((await data.labels.data()) as Int32Array).subarray(0, done);
  const predicted = predictions.subarray(0, done);
  let correct = 0;
  for (let i = 0; i < done; i++) if (predicted[i] === targets[i]) correct++;
  return {
    loss: lossSum / done,
    accuracy: correct / done,
    predictions: predicted,
    // stopped before the first batch: no logits, so no width to size the matrix by
    confusion: width === 0 && options.numClasses === undefined ? [] : confusionMatrix(targets, predicted, options.numClasses ?? width),
    seconds: (performance.now() - started) / 1000,
    stopped: done < n,
  };
}

/**
 * The training loop: for each epoch from `startEpoch` to `epochs`, {@link trainEpoch} on `train`,
 * {@link evaluate} on `test`, then `onEpoch` (awaited; save checkpoints there). Returns the
 * metrics of the epochs it ran.
 *
 * @example
 * ```ts
 * import { Linear, manualSeed, SGD, tensor } from 'tensorgrad';
 * import { fit } from '@tensorgrad/fashion-mnist';
 * manualSeed(0);
 * const model = new Linear(2, 2);
 * const opt = new SGD(model.parameters(), { lr: 0.5 });
 * const data = { images: tensor([[1, 0], [0, 1]]), labels: tensor([0, 1], { dtype: 'int32' }) };
 * const history = await fit(model, opt, data, data, { epochs: 20, batchSize: 2 });
 * history.length; // 20
 * history[19]!.testAcc; // 1
 * ```
 */
export async function fit(model: AnyModule, optimizer: AnyOptimizer, train: LabelledImages, test: LabelledImages, options: FitOptions): Promise<EpochMetrics[]> {
  const history: EpochMetrics[] = [];
  const seed = options.seed ?? 0;
  for (let epoch = options.startEpoch ?? 1; epoch <= options.epochs && !options.signal?.aborted; epoch++) {
    options.onEpochStart?.(epoch);
    const t = await trainEpoch(model, optimizer, train, {
      epoch,
      seed,
      batchSize: options.batchSize,
      ...(options.inputShape ? { inputShape: options.inputShape } : {}),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (t.stopped) break;
    options.onEvaluate?.(epoch);
    const e = await evaluate(model, test, {
      batchSize: options.evalBatchSize ?? 500,
      ...(options.inputShape ? { inputShape: options.inputShape } : {}),
      ...(options.onEvaluateBatch ? { onBatch: options.onEvaluateBatch } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (e.stopped) break;
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: t.loss,
      trainAcc: t.accuracy,
      testLoss: e.loss,
      testAcc: e.accuracy,
      seconds: t.seconds + e.seconds,
      batchLosses: t.batchLosses,
    };
    history.push(metrics);
    await options.onEpoch?.(metrics, e);
  }
  return history;
}
