/**
 * The book's VAE experiment (`VAE.ipynb`) on Fashion-MNIST (the book uses MNIST digits): the
 * 784-512-256-z50 {@link VAE} trained with `AdamW(lr=1e-3)`, batch 64, on the summed squared error
 * plus the KL term ({@link vaeLoss}); after training, 64 codes drawn from the prior N(0, I) are
 * decoded into a grid of new garments (the notebook's `vae.decoder(torch.randn(64, 50))` shown
 * with `make_grid`), and a few validation images are drawn next to their reconstructions.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { cat, keep, noGrad, randn, saveImage, summary, tidy } from 'tensorgrad';
import { loadFashionImages, type ImageSet } from './data.js';
import { VAE } from './models.js';
import { seeded, trainVAE, type VAEEpoch } from './train.js';

/** Options of {@link runVAE}. */
export interface VAERunOptions {
  /** Training images (`[0, 1]`-scaled), or how many Fashion-MNIST training images to use (default 10000). */
  train?: ImageSet | number;
  /** Validation images, or how many of the 10,000 test images (default 2000). */
  val?: ImageSet | number;
  /** Epochs (default 5; the book trains 10 on the whole of MNIST). */
  epochs?: number;
  /** Hidden and latent sizes (default the book's 512, 256, 50). */
  hDim1?: number;
  /** Second hidden layer (default 256). */
  hDim2?: number;
  /** Latent size (default 50). */
  zDim?: number;
  /** Seed of the initialisation, batch order and prior samples (default 0). */
  seed?: number;
  /** Folder for `vae-samples.png` and `vae-reconstructions.png` (none written when absent). */
  out?: string;
  /** Progress lines and the model's summary. */
  log?: (line: string) => void;
}

/** What {@link runVAE} measured. */
export interface VAERunResult {
  /** Training images. */
  trainSize: number;
  /** Validation images. */
  valSize: number;
  /** Parameters of the VAE. */
  parameters: number;
  /** Per-epoch means of the per-batch loss, reconstruction and KL terms. */
  epochs: VAEEpoch[];
  /** Paths of the pictures written. */
  pictures: string[];
  /** Wall-clock seconds in all. */
  seconds: number;
}

/**
 * Trains the book's VAE and, with `out`, writes `vae-samples.png` (64 decodings of z ~ N(0, I),
 * 8 per row, like the notebook's grid) and `vae-reconstructions.png` (8 validation images above
 * their reconstructions from the posterior mean).
 *
 * @example
 * ```ts
 * import { imageSet } from './data.js';
 * import { runVAE } from './variational.js';
 * const data = imageSet(Float32Array.from({ length: 4 * 784 }, (_, i) => (i % 5) / 5), new Int32Array(4));
 * const r = await runVAE({ train: data, val: data, epochs: 1, hDim1: 16, hDim2: 8, zDim: 2 });
 * [r.epochs.length, r.parameters]; // [1, 26228]
 * ```
 */
export async function runVAE(options: VAERunOptions = {}): Promise<VAERunResult> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const log = options.log ?? (() => {});
  const trainOwned = typeof options.train !== 'object';
  const valOwned = typeof options.val !== 'object';
  const train = typeof options.train === 'object' ? options.train : await loadFashionImages({ train: true, limit: options.train ?? 10000, scale: 'unit' });
  const val = typeof options.val === 'object' ? options.val : await loadFashionImages({ train: false, limit: options.val ?? 2000, scale: 'unit' });
  const vae = seeded(seed, () => new VAE({ xDim: 784, hDim1: options.hDim1 ?? 512, hDim2: options.hDim2 ?? 256, zDim: options.zDim ?? 50 }));
  try {
    const s = summary(vae, [1, 28, 28]);
    log(`\nVAE(x_dim=784, h_dim1=${vae.dims.hDim1}, h_dim2=${vae.dims.hDim2}, z_dim=${vae.dims.zDim}): ${s.totalParams.toLocaleString('en-US')} parameters\n${s.text}`);
    const h = trainVAE(vae, train, val, { epochs: options.epochs ?? 5, seed, log });
    const pictures: string[] = [];
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      vae.eval();
      const samples = tidy(() => noGrad(() => keep(vae.decoder(randn([64, vae.dims.zDim])).reshape([64, 1, 28, 28]))));
      const k = Math.min(8, val.images.shape[0]!);
      const recon = tidy(() =>
        noGrad(() => {
          const x = val.images.narrow(0, 0, k);
          return keep(cat([x, vae.decoder(vae.encode(x)).reshape([k, 1, 28, 28])], 0));
        }),
      );
      try {
        const a = join(options.out, 'vae-samples.png');
        const b = join(options.out, 'vae-reconstructions.png');
        await saveImage(samples, a, { nrow: 8, padding: 2 });
        await saveImage(recon, b, { nrow: k, padding: 2 });
        pictures.push(a, b);
      } finally {
        samples.dispose();
        recon.dispose();
      }
    }
    return { trainSize: train.images.shape[0]!, valSize: val.images.shape[0]!, parameters: s.totalParams, epochs: h.epochs, pictures, seconds: (Date.now() - started) / 1000 };
  } finally {
    vae.dispose();
    if (trainOwned) for (const t of [train.images, train.labels]) t.dispose();
    if (valOwned) for (const t of [val.images, val.labels]) t.dispose();
  }
}

/**
 * The result as text: the per-epoch table of the book's report columns.
 *
 * @example
 * ```ts
 * import { formatVAE } from './variational.js';
 * const e = { epoch: 1, trainLoss: 30, trainRecon: 20, trainKld: 10, valLoss: 29, valRecon: 19, valKld: 10, seconds: 2 };
 * formatVAE({ trainSize: 4, valSize: 4, parameters: 5, epochs: [e], pictures: [], seconds: 2 }).includes('| 1 | 30.0 | 20.0 | 10.0 | 29.0 | 19.0 | 10.0 | 2 |'); // true
 * ```
 */
export function formatVAE(r: VAERunResult): string {
  const lines = [
    `VAE: ${r.parameters.toLocaleString('en-US')} parameters, ${r.trainSize} training images, ${r.valSize} validation images, ${r.seconds.toFixed(0)} s (losses per batch of 64, summed over the batch)`,
    '',
    '| epoch | train loss | train recon | train KLD | val loss | val recon | val KLD | seconds |',
    '|------:|-----------:|------------:|----------:|---------:|----------:|--------:|--------:|',
    ...r.epochs.map((e) => `| ${e.epoch} | ${e.trainLoss.toFixed(1)} | ${e.trainRecon.toFixed(1)} | ${e.trainKld.toFixed(1)} | ${e.valLoss.toFixed(1)} | ${e.valRecon.toFixed(1)} | ${e.valKld.toFixed(1)} | ${e.seconds.toFixed(0)} |`),
  ];
  if (r.pictures.length) lines.push('', `pictures: ${r.pictures.join(', ')}`);
  return lines.join('\n');
}
