/**
 * Chapter 11's training loops, the notebooks' `train_batch` / `validate_batch` and epoch loops:
 * the autoencoders learn to reproduce their input under `MSELoss` with `AdamW(lr=1e-3,
 * weight_decay=1e-5)`, the VAE minimises {@link vaeLoss} with `AdamW(lr=1e-3)`. Batches are drawn
 * from in-memory {@link ImageSet}s in a seeded shuffled order; the reported losses are the means
 * of the per-batch values, as the book's `Report.report_avgs` prints them.
 */
import { AdamW, fromTypedArray, manualSeed, mseLoss, noGrad, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import type { ImageSet } from './data.js';
import { vaeLoss, type VAE } from './models.js';

/**
 * A seeded permutation of `0…n−1` (Fisher–Yates on a small LCG), one per epoch.
 *
 * @example
 * ```ts
 * import { shuffledOrder } from './train.js';
 * shuffledOrder(5, 1).slice().sort(); // [0, 1, 2, 3, 4]
 * shuffledOrder(5, 1).join() === shuffledOrder(5, 1).join(); // true
 * ```
 */
export function shuffledOrder(n: number, seed: number): number[] {
  let rng = (seed * 2654435761 + 1) >>> 0;
  const random = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Options of {@link trainAutoEncoder}. */
export interface TrainAutoEncoderOptions {
  /** Epochs (the book: 5). */
  epochs?: number;
  /** Images per step (the book: 256 for the dense autoencoder, 128 for the convolutional one). */
  batchSize?: number;
  /** AdamW's learning rate (the book: 1e-3). */
  lr?: number;
  /** AdamW's weight decay (the book: 1e-5). */
  weightDecay?: number;
  /** Stop after this many training steps in all (default: no limit). */
  maxSteps?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Called after every epoch with a progress line. */
  log?: (line: string) => void;
}

/** One epoch of {@link trainAutoEncoder}. */
export interface AutoEncoderEpoch {
  /** 1-based epoch. */
  epoch: number;
  /** Mean of the epoch's per-batch training losses. */
  trainLoss: number;
  /** Mean of the per-batch validation losses after the epoch. */
  valLoss: number;
  /** Wall-clock seconds of the epoch. */
  seconds: number;
}

/** What {@link trainAutoEncoder} measured. */
export interface AutoEncoderHistory {
  /** The loss of every training step, in order. */
  stepLosses: number[];
  /** One entry per epoch. */
  epochs: AutoEncoderEpoch[];
  /** The last epoch's validation loss. */
  valLoss: number;
}

function checkCount(who: string, what: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new RangeError(`${who}: expected ${what} to be an integer ≥ ${min}, got ${String(v)}`);
}

/**
 * The book's validation loss of an autoencoder: `MSELoss` of `model(x)` against `x`, averaged
 * over batches of `batchSize` (the book's `validate_batch` under `torch.no_grad()`, eval mode).
 *
 * @example
 * ```ts
 * import { Identity, zeros } from 'tensorgrad';
 * import { validationLoss } from './train.js';
 * import { imageSet } from './data.js';
 * validationLoss(new Identity(), imageSet(new Float32Array(3 * 784).fill(0.5), Int32Array.from([0, 1, 2])), 2); // 0
 * ```
 */
export function validationLoss(model: AnyModule, data: ImageSet, batchSize = 256): number {
  const n = data.images.shape[0]!;
  model.eval();
  let sum = 0;
  let batches = 0;
  for (let i = 0; i < n; i += batchSize) {
    sum += tidy(() =>
      noGrad(() => {
        const x = data.images.narrow(0, i, Math.min(batchSize, n - i));
        return mseLoss(model.call(x) as Tensor, x).itemSync() as number;
      }),
    );
    batches++;
  }
  return sum / batches;
}

/**
 * Trains an autoencoder to reproduce its input (the book's loop: `MSELoss`, `AdamW(lr=1e-3,
 * weight_decay=1e-5)`, `train_batch` then `validate_batch` each epoch) and returns the per-step
 * losses and the per-epoch training and validation losses.
 *
 * @example
 * ```ts
 * import { manualSeed } from 'tensorgrad';
 * import { AutoEncoder } from './models.js';
 * import { imageSet } from './data.js';
 * import { trainAutoEncoder } from './train.js';
 * manualSeed(0);
 * const pixels = Float32Array.from({ length: 8 * 784 }, (_, i) => Math.sin(i));
 * const data = imageSet(pixels, new Int32Array(8));
 * const h = trainAutoEncoder(new AutoEncoder(2), data, data, { epochs: 2, batchSize: 4 });
 * [h.stepLosses.length, h.epochs.length]; // [4, 2]
 * ```
 */
export function trainAutoEncoder(model: AnyModule, train: ImageSet, val: ImageSet, options: TrainAutoEncoderOptions = {}): AutoEncoderHistory {
  const epochs = options.epochs ?? 5;
  const batchSize = options.batchSize ?? 256;
  checkCount('trainAutoEncoder', 'epochs', epochs, 1);
  checkCount('trainAutoEncoder', 'batchSize', batchSize, 1);
  checkCount('trainAutoEncoder', 'maxSteps', options.maxSteps, 1);
  const optimizer = new AdamW(model.parameters(), { lr: options.lr ?? 1e-3, weightDecay: options.weightDecay ?? 1e-5 });
  const n = train.images.shape[0]!;
  const stepLosses: number[] = [];
  const history: AutoEncoderEpoch[] = [];
  const done = (): boolean => options.maxSteps !== undefined && stepLosses.length >= options.maxSteps;
  try {
    for (let epoch = 1; epoch <= epochs && !done(); epoch++) {
      const t0 = Date.now();
      const order = shuffledOrder(n, (options.seed ?? 0) * 1000 + epoch);
      const before = stepLosses.length;
      for (let i = 0; i < n && !done(); i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        stepLosses.push(
          tidy(() => {
            model.train();
            const x = train.images.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length]));
            const loss = mseLoss(model.call(x) as Tensor, x);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.itemSync() as number;
          }),
        );
      }
      const steps = stepLosses.slice(before);
      const trainLoss = steps.reduce((a, v) => a + v, 0) / steps.length;
      const valLoss = validationLoss(model, val, batchSize);
      const e = { epoch, trainLoss, valLoss, seconds: (Date.now() - t0) / 1000 };
      history.push(e);
      options.log?.(`EPOCH: ${epoch}\ttrn_loss: ${trainLoss.toFixed(3)}\tval_loss: ${valLoss.toFixed(3)}\t(${e.seconds.toFixed(1)} s)`);
    }
  } finally {
    optimizer.zeroGrad(); // frees the last gradients
    optimizer.dispose();
  }
  return { stepLosses, epochs: history, valLoss: history[history.length - 1]!.valLoss };
}

/** Options of {@link trainVAE}. */
export interface TrainVAEOptions {
  /** Epochs (the book: 10). */
  epochs?: number;
  /** Images per step (the book: 64). */
  batchSize?: number;
  /** AdamW's learning rate (the book: 1e-3, with AdamW's default weight decay 1e-2). */
  lr?: number;
  /** Stop after this many training steps in all (default: no limit). */
  maxSteps?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Called after every epoch with a progress line. */
  log?: (line: string) => void;
}

/** One epoch of {@link trainVAE}: the means of the per-batch sums, as the book's report prints them. */
export interface VAEEpoch {
  /** 1-based epoch. */
  epoch: number;
  /** Mean per-batch training loss (recon + KLD, summed over the batch). */
  trainLoss: number;
  /** Mean per-batch training KL term. */
  trainKld: number;
  /** Mean per-batch training reconstruction term. */
  trainRecon: number;
  /** Mean per-batch validation loss. */
  valLoss: number;
  /** Mean per-batch validation KL term. */
  valKld: number;
  /** Mean per-batch validation reconstruction term. */
  valRecon: number;
  /** Wall-clock seconds of the epoch. */
  seconds: number;
}

/** What {@link trainVAE} measured. */
export interface VAEHistory {
  /** The loss (recon + KLD, summed over the batch) of every training step. */
  stepLosses: number[];
  /** One entry per epoch. */
  epochs: VAEEpoch[];
}

function vaeStep(vae: VAE, x: Tensor): [number, number, number] {
  const [recon, mean, logVar] = vae(x);
  const l = vaeLoss(recon, x, mean, logVar);
  return [l.loss, l.recon, l.kld].map((t) => t.itemSync() as number) as [number, number, number];
}

/**
 * Trains the book's VAE (its `train_batch` / `validate_batch`: `AdamW(lr=1e-3)`, batch 64,
 * {@link vaeLoss} summed over the batch) and reports the per-epoch means of the per-batch loss,
 * reconstruction and KL terms on the training and validation images (`[0, 1]`-scaled).
 *
 * @example
 * ```ts
 * import { manualSeed } from 'tensorgrad';
 * import { VAE } from './models.js';
 * import { imageSet } from './data.js';
 * import { trainVAE } from './train.js';
 * manualSeed(0);
 * const data = imageSet(Float32Array.from({ length: 4 * 784 }, (_, i) => (i % 7) / 7), new Int32Array(4));
 * const h = trainVAE(new VAE(784, 32, 16, 2), data, data, { epochs: 1, batchSize: 2 });
 * [h.stepLosses.length, h.epochs.length]; // [2, 1]
 * ```
 */
export function trainVAE(vae: VAE, train: ImageSet, val: ImageSet, options: TrainVAEOptions = {}): VAEHistory {
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 64;
  checkCount('trainVAE', 'epochs', epochs, 1);
  checkCount('trainVAE', 'batchSize', batchSize, 1);
  checkCount('trainVAE', 'maxSteps', options.maxSteps, 1);
  const optimizer = new AdamW(vae.parameters(), { lr: options.lr ?? 1e-3 });
  const n = train.images.shape[0]!;
  const m = val.images.shape[0]!;
  const stepLosses: number[] = [];
  const history: VAEEpoch[] = [];
  const done = (): boolean => options.maxSteps !== undefined && stepLosses.length >= options.maxSteps;
  const mean = (rows: number[][], k: number): number => rows.reduce((a, r) => a + r[k]!, 0) / rows.length;
  try {
    for (let epoch = 1; epoch <= epochs && !done(); epoch++) {
      const t0 = Date.now();
      const order = shuffledOrder(n, (options.seed ?? 0) * 1000 + epoch);
      const trainRows: number[][] = [];
      for (let i = 0; i < n && !done(); i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        const row = tidy(() => {
          vae.train();
          const x = train.images.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length]));
          const [recon, mu, logVar] = vae(x);
          const l = vaeLoss(recon, x, mu, logVar);
          optimizer.zeroGrad();
          l.loss.backward();
          optimizer.step();
          return [l.loss, l.recon, l.kld].map((t) => t.itemSync() as number);
        });
        stepLosses.push(row[0]!);
        trainRows.push(row);
      }
      vae.eval();
      const valRows: number[][] = [];
      for (let i = 0; i < m; i += batchSize) valRows.push(tidy(() => noGrad(() => vaeStep(vae, val.images.narrow(0, i, Math.min(batchSize, m - i))))));
      const e: VAEEpoch = {
        epoch,
        trainLoss: mean(trainRows, 0),
        trainRecon: mean(trainRows, 1),
        trainKld: mean(trainRows, 2),
        valLoss: mean(valRows, 0),
        valRecon: mean(valRows, 1),
        valKld: mean(valRows, 2),
        seconds: (Date.now() - t0) / 1000,
      };
      history.push(e);
      options.log?.(
        `EPOCH: ${epoch}\ttrain_loss: ${e.trainLoss.toFixed(3)}\ttrain_kld: ${e.trainKld.toFixed(3)}\ttrain_recon: ${e.trainRecon.toFixed(3)}\t` +
          `val_loss: ${e.valLoss.toFixed(3)}\tval_kld: ${e.valKld.toFixed(3)}\tval_recon: ${e.valRecon.toFixed(3)}\t(${e.seconds.toFixed(1)} s)`,
      );
    }
  } finally {
    optimizer.zeroGrad(); // frees the last gradients
    optimizer.dispose();
  }
  return { stepLosses, epochs: history };
}

/**
 * Seeds tensorgrad's generator and builds a model (so each latent size starts from a known
 * initialisation).
 *
 * @example
 * ```ts
 * import { AutoEncoder } from './models.js';
 * import { seeded } from './train.js';
 * const a = seeded(1, () => new AutoEncoder(2));
 * const b = seeded(1, () => new AutoEncoder(2));
 * a.parameters()[0]!.dataSync()[0] === b.parameters()[0]!.dataSync()[0]; // true
 * ```
 */
export function seeded<M>(seed: number, build: () => M): M {
  manualSeed(seed);
  return build();
}
