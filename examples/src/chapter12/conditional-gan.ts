/**
 * The book's chapter 12 conditional GAN, on Fashion-MNIST's 10 classes. The book's notebook
 * (`Chapter12/Face_generation_using_Conditional_GAN.ipynb`) conditions a convolutional GAN on
 * two classes of faces (male/female); neither the faces nor that notebook's code are available
 * here, so this is the standard MNIST conditional GAN layout on top of the book's fully connected
 * GAN of the same chapter: a label `Embedding(10, 10)` (`label_emb`) whose vector is concatenated
 * to the discriminator's flat image (784 + 10 inputs) and to the generator's noise (100 + 10
 * inputs); the hidden layers, activations, dropout, `BCELoss` and Adam (0.0002) are the book's.
 */
import { join } from 'node:path';
import {
  Adam,
  BCELoss,
  cat,
  Dropout,
  Embedding,
  epochPermutation,
  fromTypedArray,
  LeakyReLU,
  Linear,
  manualSeed,
  Module,
  randint,
  Sequential,
  Sigmoid,
  summary,
  Tanh,
  tidy,
  zeros,
  type Tensor,
} from 'tensorgrad';
import { discriminatorTrainStep, generatorTrainStep, loadFashionMnistGanData, LossLog, noise, saveEpochGrid, type GanData } from './gan-utils.js';
import { gridName, type GanOptions, type GanResult } from './gan.js';

/** Fashion-MNIST's classes: the conditional GAN's labels. */
export const NUM_CLASSES = 10;

function checkLabels(who: string, labels: Tensor, n: number): void {
  if (labels.ndim !== 1 || labels.shape[0] !== n || labels.dtype !== 'int32') {
    throw new RangeError(`${who}: expected int32 class labels [${n}] (0–9, one per image), got ${labels.dtype} [${labels.shape.join(', ')}]; e.g. tensor([3, 7], { dtype: 'int32' })`);
  }
}

/**
 * The conditional discriminator: `label_emb = Embedding(10, 10)`, and the book's discriminator
 * with 794 inputs (`Linear(784 + 10, 1024)`, LeakyReLU(0.2), Dropout(0.3), … `Linear(256, 1)`,
 * Sigmoid) on `cat([images, label_emb(labels)], 1)`; 1,470,565 parameters (the book's 1,460,225,
 * 10,240 more weights in the first layer and the embedding's 100).
 *
 * @example
 * ```ts
 * import { tensor, zeros } from 'tensorgrad';
 * import { ConditionalDiscriminator } from './conditional-gan.js';
 * const d = new ConditionalDiscriminator();
 * d(zeros([2, 784]), tensor([0, 9], { dtype: 'int32' })).shape; // [2, 1]
 * d.parameters().reduce((n, p) => n + p.numel(), 0); // 1470565
 * ```
 */
export class ConditionalDiscriminator extends Module<[Tensor, Tensor], Tensor> {
  /** One 10-vector per class. */
  label_emb = new Embedding(NUM_CLASSES, NUM_CLASSES);
  /** The book's layers with 784 + 10 inputs. */
  model = new Sequential(
    new Linear(784 + NUM_CLASSES, 1024),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(1024, 512),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(512, 256),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(256, 1),
    new Sigmoid(),
  );

  override forward(x: Tensor, labels: Tensor): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== 784) throw new RangeError(`ConditionalDiscriminator: expected flat 28×28 images [N, 784], got [${x.shape.join(', ')}]; flatten them with x.reshape([N, 784])`);
    checkLabels('ConditionalDiscriminator', labels, x.shape[0]!);
    return this.model(cat([x, this.label_emb(labels)], 1));
  }
}

/**
 * The conditional generator: `label_emb = Embedding(10, 10)`, and the book's generator with 110
 * inputs (`Linear(100 + 10, 256)`, LeakyReLU(0.2), … `Linear(1024, 784)`, Tanh) on
 * `cat([noise, label_emb(labels)], 1)`; 1,489,012 parameters.
 *
 * @example
 * ```ts
 * import { randn, tensor } from 'tensorgrad';
 * import { ConditionalGenerator } from './conditional-gan.js';
 * const g = new ConditionalGenerator();
 * g(randn([2, 100]), tensor([1, 8], { dtype: 'int32' })).shape; // [2, 784]
 * g.parameters().reduce((n, p) => n + p.numel(), 0); // 1489012
 * ```
 */
export class ConditionalGenerator extends Module<[Tensor, Tensor], Tensor> {
  /** One 10-vector per class. */
  label_emb = new Embedding(NUM_CLASSES, NUM_CLASSES);
  /** The book's layers with 100 + 10 inputs. */
  model = new Sequential(
    new Linear(100 + NUM_CLASSES, 256),
    new LeakyReLU(0.2),
    new Linear(256, 512),
    new LeakyReLU(0.2),
    new Linear(512, 1024),
    new LeakyReLU(0.2),
    new Linear(1024, 784),
    new Tanh(),
  );

  override forward(z: Tensor, labels: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== 100) throw new RangeError(`ConditionalGenerator: expected noise [N, 100], got [${z.shape.join(', ')}]; draw it with noise(N)`);
    checkLabels('ConditionalGenerator', labels, z.shape[0]!);
    return this.model(cat([z, this.label_emb(labels)], 1));
  }
}

/**
 * Options of {@link runConditionalGan}: the GAN's ({@link GanOptions}). The grids in `out` hold one
 * row per class, 8 samples each; `seed` also draws the fake images' labels.
 */
export type ConditionalGanOptions = GanOptions;

/** What {@link runConditionalGan} measured: what {@link runGan} does ({@link GanResult}). */
export type ConditionalGanResult = GanResult;

/**
 * Trains the conditional GAN with the book's steps: the discriminator learns that real images
 * with their true labels are real and generated images with the labels they were generated for
 * (drawn uniformly) are fake; the generator learns to make the discriminator take its images with
 * those labels for real. After every epoch it saves a 10×8 grid, row k holding 8 samples of class
 * k (T-shirt/top, Trouser, …, Ankle boot) from fixed noise.
 *
 * @example
 * ```ts
 * import { rand, tensor } from 'tensorgrad';
 * import { runConditionalGan } from './conditional-gan.js';
 * const data = { images: rand([8, 1, 28, 28]).mul(2).sub(1), labels: tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' }) };
 * const r = await runConditionalGan({ data, epochs: 1, batchSize: 4 });
 * [r.steps.length, r.summaries.discriminator.totalParams]; // [2, 1470565]
 * ```
 */
export async function runConditionalGan(options: ConditionalGanOptions = {}): Promise<ConditionalGanResult> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 128;
  const lr = options.lr ?? 0.0002;
  const owned = typeof options.data !== 'object';
  const data = typeof options.data === 'object' ? options.data : await loadFashionMnistGanData(options.data === undefined ? {} : { limit: options.data });
  const n = data.images.shape[0]!;
  if (n < batchSize) throw new RangeError(`runConditionalGan: ${n} images make no full batch of ${batchSize}; use more images or a smaller batchSize`);
  manualSeed(seed);
  const discriminator = new ConditionalDiscriminator();
  const generator = new ConditionalGenerator();
  const dOptimizer = new Adam(discriminator.parameters(), { lr });
  const gOptimizer = new Adam(generator.parameters(), { lr });
  const loss = new BCELoss();
  const gan = { discriminator, dOptimizer, gOptimizer, loss };
  const perClass = 8;
  const fixedNoise = noise(NUM_CLASSES * perClass);
  const fixedLabels = fromTypedArray(Int32Array.from({ length: NUM_CLASSES * perClass }, (_, i) => Math.floor(i / perClass)), [NUM_CLASSES * perClass]);
  const flat = data.images.reshape([n, 784]);
  try {
    const probe = [zeros([2, 784]), zeros([2, 100]), zeros([2], { dtype: 'int32' })] as const;
    const summaries = { discriminator: summary(discriminator, [probe[0], probe[2]]), generator: summary(generator, [probe[1], probe[2]]) };
    for (const t of probe) t.dispose();
    options.log?.(`ConditionalDiscriminator\n${summaries.discriminator.text}\nConditionalGenerator\n${summaries.generator.text}`);
    const log = new LossLog();
    const steps: { dLoss: number; gLoss: number }[] = [];
    const grids: string[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = epochPermutation(n, BigInt(seed), epoch);
      const stepsPerEpoch = Math.min(Math.floor(n / batchSize), options.maxSteps ?? Infinity);
      for (let i = 0; i < stepsPerEpoch; i++) {
        const pick = fromTypedArray(Int32Array.from(order.slice(i * batchSize, (i + 1) * batchSize)), [batchSize]);
        const realData = flat.indexSelect(0, pick);
        const realLabels = data.labels.indexSelect(0, pick);
        const fakeLabels = randint(0, NUM_CLASSES, [batchSize], { dtype: 'int32' });
        const fakeData = tidy(() => generator(noise(batchSize), fakeLabels).detach());
        const dLoss = discriminatorTrainStep(gan, [realData, realLabels], [fakeData, fakeLabels]);
        const gLoss = tidy(() => {
          const labels = randint(0, NUM_CLASSES, [batchSize], { dtype: 'int32' });
          return generatorTrainStep(gan, [generator(noise(batchSize), labels), labels]);
        });
        for (const t of [pick, realData, realLabels, fakeLabels, fakeData]) t.dispose();
        steps.push({ dLoss, gLoss });
        log.record({ dLoss, gLoss });
      }
      const e = log.endEpoch();
      options.log?.(`epoch ${epoch}/${epochs}: d_loss ${e.means.dLoss!.toFixed(4)}, g_loss ${e.means.gLoss!.toFixed(4)} (${e.seconds.toFixed(1)} s)`);
      if (options.out) grids.push(await saveEpochGrid(generator, [fixedNoise, fixedLabels], join(options.out, gridName(epoch)), { nrow: perClass }));
    }
    return { images: n, summaries, history: log.history, steps, grids, seconds: (Date.now() - started) / 1000 };
  } finally {
    for (const t of [flat, fixedNoise, fixedLabels]) t.dispose();
    dOptimizer.dispose();
    gOptimizer.dispose();
    discriminator.dispose();
    generator.dispose();
    if (owned) {
      data.images.dispose();
      data.labels.dispose();
    }
  }
}
