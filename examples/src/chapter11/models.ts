/**
 * The book's chapter 11 autoencoders, with the notebooks' layers, names and state-dict keys, so
 * weights trained in PyTorch load with `loadStateDict`:
 *
 * - {@link AutoEncoder} (`simple_auto_encoder_with_different_latent_size.ipynb`): a dense
 *   autoencoder 784 → 128 → 64 → latent → 64 → 128 → 784 (218,643 parameters at latent 3);
 * - {@link ConvAutoEncoder} (`conv_auto_encoder.ipynb`): convolutions down to a `[64, 2, 2]`
 *   code and transposed convolutions back up (50,161 parameters);
 * - {@link VAE} (`VAE.ipynb`): the variational autoencoder 784-512-256-z50 with mean and
 *   log-variance heads and the reparameterisation trick, and its loss {@link vaeLoss}.
 *
 * Each model has an `encode(images)` method, `[N, 1, 28, 28]` → `[N, D]` latent vectors, which
 * `encodeDataset` (./data.ts) uses.
 */
import {
  Conv2d,
  ConvTranspose2d,
  exp,
  Linear,
  MaxPool2d,
  Module,
  randnLike,
  ReLU,
  relu,
  Sequential,
  sigmoid,
  Tanh,
  type Tensor,
} from 'tensorgrad';

/** A model that maps images `[N, 1, 28, 28]` to latent vectors `[N, D]` (what `encodeDataset` needs). */
export interface Encodes {
  /** Latent vectors `[N, D]` of images `[N, 1, 28, 28]` (flattened when the code is a feature map). */
  encode(images: Tensor): Tensor;
}

function checkImages(who: string, x: Tensor): void {
  if (x.ndim !== 4 || x.shape[1] !== 1 || x.shape[2] !== 28 || x.shape[3] !== 28) {
    if (who !== 'ConvAutoEncoder' && x.ndim === 2 && x.shape[1] === 28 * 28) return;
    throw new RangeError(
      `${who}: expected 28×28 grey images [N, 1, 28, 28]${who === 'ConvAutoEncoder' ? '' : ' or flat rows [N, 784]'}, got [${x.shape.join(', ')}]; ` +
        'Fashion-MNIST images come as [N, 28, 28]: add the channel with x.unsqueeze(1)',
    );
  }
}

/**
 * The book's dense autoencoder `AutoEncoder(latent_dim)`: `encoder` = `Linear(784, 128) → ReLU →
 * Linear(128, 64) → ReLU → Linear(64, latentDim)`, `decoder` = `Linear(latentDim, 64) → ReLU →
 * Linear(64, 128) → ReLU → Linear(128, 784) → Tanh`; `forward` flattens `[N, 1, 28, 28]` images
 * (the book's `x.view(len(x), -1)`) and gives `[N, 1, 28, 28]` back, in [-1, 1] like its inputs
 * (the book normalises with `Normalize([0.5], [0.5])`). The book's `ReLU(True)` (in place) is a
 * plain `ReLU` here; the outputs are the same.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { AutoEncoder } from './models.js';
 * const ae = new AutoEncoder(3);
 * ae.parameters().reduce((n, p) => n + p.numel(), 0); // 218643
 * ae(zeros([2, 1, 28, 28])).shape; // [2, 1, 28, 28]
 * ae.encode(zeros([2, 1, 28, 28])).shape; // [2, 3]
 * Object.keys(ae.stateDict()).slice(0, 2); // ['encoder.0.weight', 'encoder.0.bias']
 * ae.dispose();
 * ```
 */
export class AutoEncoder extends Module<[Tensor], Tensor> implements Encodes {
  /** The size of the code (the book's `latend_dim`). */
  readonly latentDim: number;
  /** 784 → 128 → 64 → `latentDim`. */
  encoder: Sequential;
  /** `latentDim` → 64 → 128 → 784, then `Tanh`. */
  decoder: Sequential;

  /** PyTorch's `AutoEncoder(latent_dim)`. */
  constructor(latentDim: number) {
    super();
    if (!Number.isInteger(latentDim) || latentDim < 1) {
      throw new RangeError(`AutoEncoder: expected latentDim to be a positive integer (the book uses 2, 3, 5, 10 and 50), got ${String(latentDim)}`);
    }
    this.latentDim = latentDim;
    this.encoder = new Sequential(new Linear(28 * 28, 128), new ReLU(), new Linear(128, 64), new ReLU(), new Linear(64, latentDim));
    this.decoder = new Sequential(new Linear(latentDim, 64), new ReLU(), new Linear(64, 128), new ReLU(), new Linear(128, 28 * 28), new Tanh());
  }

  /** The code of images `[N, 1, 28, 28]` (or rows `[N, 784]`): `[N, latentDim]`. */
  encode(images: Tensor): Tensor {
    checkImages('AutoEncoder', images);
    return this.encoder.call(images.reshape([images.shape[0]!, -1])) as Tensor;
  }

  override forward(x: Tensor): Tensor {
    const n = x.shape[0]!;
    return (this.decoder.call(this.encode(x)) as Tensor).reshape([n, 1, 28, 28]);
  }
}

/**
 * The book's `ConvAutoEncoder`: `encoder` = `Conv2d(1, 32, 3, stride=3, padding=1) → ReLU →
 * MaxPool2d(2, stride=2) → Conv2d(32, 64, 3, stride=2, padding=1) → ReLU → MaxPool2d(2,
 * stride=1)` (a `[64, 2, 2]` code), `decoder` = `ConvTranspose2d(64, 32, 3, stride=2) → ReLU →
 * ConvTranspose2d(32, 16, 5, stride=3, padding=1) → ReLU → ConvTranspose2d(16, 1, 2, stride=2,
 * padding=1) → Tanh`: 50,161 parameters, `[N, 1, 28, 28]` in and out.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { ConvAutoEncoder } from './models.js';
 * const ae = new ConvAutoEncoder();
 * ae.parameters().reduce((n, p) => n + p.numel(), 0); // 50161
 * ae(zeros([2, 1, 28, 28])).shape; // [2, 1, 28, 28]
 * ae.encoder.call(zeros([2, 1, 28, 28])).shape; // [2, 64, 2, 2]
 * ae.encode(zeros([2, 1, 28, 28])).shape; // [2, 256]
 * ae.dispose();
 * ```
 */
export class ConvAutoEncoder extends Module<[Tensor], Tensor> implements Encodes {
  /** Images `[N, 1, 28, 28]` → codes `[N, 64, 2, 2]`. */
  encoder: Sequential;
  /** Codes `[N, 64, 2, 2]` → images `[N, 1, 28, 28]` in [-1, 1]. */
  decoder: Sequential;

  /** PyTorch's `ConvAutoEncoder()`. */
  constructor() {
    super();
    this.encoder = new Sequential(
      new Conv2d(1, 32, 3, { stride: 3, padding: 1 }),
      new ReLU(),
      new MaxPool2d(2, { stride: 2 }),
      new Conv2d(32, 64, 3, { stride: 2, padding: 1 }),
      new ReLU(),
      new MaxPool2d(2, { stride: 1 }),
    );
    this.decoder = new Sequential(
      new ConvTranspose2d(64, 32, 3, { stride: 2 }),
      new ReLU(),
      new ConvTranspose2d(32, 16, 5, { stride: 3, padding: 1 }),
      new ReLU(),
      new ConvTranspose2d(16, 1, 2, { stride: 2, padding: 1 }),
      new Tanh(),
    );
  }

  /** The code of images `[N, 1, 28, 28]` flattened to `[N, 256]` (the book's `model.encoder(im).view(len(im), -1)`). */
  encode(images: Tensor): Tensor {
    checkImages('ConvAutoEncoder', images);
    return (this.encoder.call(images) as Tensor).reshape([images.shape[0]!, -1]);
  }

  override forward(x: Tensor): Tensor {
    checkImages('ConvAutoEncoder', x);
    return this.decoder.call(this.encoder.call(x)) as Tensor;
  }
}

/** Options of {@link VAE} (the book's keyword arguments, in camelCase). */
export interface VAEOptions {
  /** Input size (the book: 784). */
  xDim: number;
  /** First hidden layer (the book: 512). */
  hDim1: number;
  /** Second hidden layer (the book: 256). */
  hDim2: number;
  /** Latent size (the book: 50). */
  zDim: number;
}

/**
 * The book's `VAE(x_dim, h_dim1, h_dim2, z_dim)`: `d1`, `d2` (ReLU) then the mean head `d31` and
 * the log-variance head `d32`; `sampling` draws `z = mean + ε·exp(½·logVar)` with ε ~ N(0, I);
 * the decoder `d4`, `d5` (ReLU) and `d6` (sigmoid) gives `[N, xDim]` in [0, 1].
 * `forward(x)` returns `[reconstruction, mean, logVar]` as the book's does. Built as
 * `new VAE({ xDim: 784, hDim1: 512, hDim2: 256, zDim: 50 })` or positionally
 * `new VAE(784, 512, 256, 50)`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { VAE } from './models.js';
 * const vae = new VAE({ xDim: 784, hDim1: 512, hDim2: 256, zDim: 50 });
 * vae.parameters().reduce((n, p) => n + p.numel(), 0); // 1105780
 * const [recon, mean, logVar] = vae(zeros([3, 1, 28, 28]));
 * [recon.shape, mean.shape, logVar.shape]; // [[3, 784], [3, 50], [3, 50]]
 * vae.decoder(zeros([2, 50])).shape; // [2, 784]
 * new VAE(784, 512, 256, 2).d31.outFeatures; // 2
 * vae.dispose();
 * ```
 */
export class VAE extends Module<[Tensor], [Tensor, Tensor, Tensor]> implements Encodes {
  /** The options the model was built with. */
  readonly dims: Readonly<VAEOptions>;
  /** `Linear(xDim, hDim1)`. */
  d1: Linear;
  /** `Linear(hDim1, hDim2)`. */
  d2: Linear;
  /** The mean head `Linear(hDim2, zDim)`. */
  d31: Linear;
  /** The log-variance head `Linear(hDim2, zDim)`. */
  d32: Linear;
  /** `Linear(zDim, hDim2)`. */
  d4: Linear;
  /** `Linear(hDim2, hDim1)`. */
  d5: Linear;
  /** `Linear(hDim1, xDim)`. */
  d6: Linear;

  /** The book's `VAE(x_dim=784, h_dim1=512, h_dim2=256, z_dim=50)`, by name… */
  constructor(options: VAEOptions);
  /** …or positionally. */
  constructor(xDim: number, hDim1: number, hDim2: number, zDim: number);
  constructor(...args: [VAEOptions] | [number, number, number, number]) {
    super();
    const o: VAEOptions = typeof args[0] === 'object' ? args[0] : { xDim: args[0], hDim1: args[1]!, hDim2: args[2]!, zDim: args[3]! };
    const known = ['xDim', 'hDim1', 'hDim2', 'zDim'];
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) throw new TypeError(`VAE: unknown option '${k}'; expected ${known.join(', ')} (the book's x_dim, h_dim1, h_dim2, z_dim in camelCase)`);
    }
    for (const k of known) {
      const v = (o as unknown as Record<string, unknown>)[k];
      if (!Number.isInteger(v) || (v as number) < 1) {
        throw new RangeError(`VAE: expected ${k} to be a positive integer, got ${String(v)}; the book's model is new VAE({ xDim: 784, hDim1: 512, hDim2: 256, zDim: 50 })`);
      }
    }
    this.dims = Object.freeze({ ...o });
    this.d1 = new Linear(o.xDim, o.hDim1);
    this.d2 = new Linear(o.hDim1, o.hDim2);
    this.d31 = new Linear(o.hDim2, o.zDim);
    this.d32 = new Linear(o.hDim2, o.zDim);
    this.d4 = new Linear(o.zDim, o.hDim2);
    this.d5 = new Linear(o.hDim2, o.hDim1);
    this.d6 = new Linear(o.hDim1, o.xDim);
  }

  /** The book's `encoder(x)`: `[mean, logVar]`, each `[N, zDim]`, of rows `[N, xDim]`. */
  encoder(x: Tensor): [Tensor, Tensor] {
    const h = relu(this.d2.call(relu(this.d1.call(x))));
    return [this.d31.call(h), this.d32.call(h)];
  }

  /** The book's `sampling(mean, log_var)`: `mean + ε · exp(½ · logVar)`, ε ~ N(0, I) (the reparameterisation trick). */
  sampling(mean: Tensor, logVar: Tensor): Tensor {
    const std = exp(logVar.mul(0.5));
    return randnLike(std).mul(std).add(mean);
  }

  /** The book's `decoder(z)`: `[N, xDim]` in [0, 1] of codes `[N, zDim]`. */
  decoder(z: Tensor): Tensor {
    return sigmoid(this.d6.call(relu(this.d5.call(relu(this.d4.call(z))))));
  }

  /** The mean `[N, zDim]` of images `[N, 1, 28, 28]` or rows `[N, xDim]` (the encoder's deterministic code). */
  encode(images: Tensor): Tensor {
    return this.encoder(this.rows(images))[0];
  }

  private rows(x: Tensor): Tensor {
    const perSample = x.shape.slice(1).reduce((a, b) => a * b, 1);
    if ((x.ndim !== 2 && x.ndim !== 4) || perSample !== this.dims.xDim) {
      throw new RangeError(`VAE: expected images [N, 1, 28, 28] or rows [N, ${this.dims.xDim}] (${this.dims.xDim} values a sample), got [${x.shape.join(', ')}]`);
    }
    return x.reshape([-1, this.dims.xDim]);
  }

  override forward(x: Tensor): [Tensor, Tensor, Tensor] {
    const [mean, logVar] = this.encoder(this.rows(x));
    const z = this.sampling(mean, logVar);
    return [this.decoder(z), mean, logVar];
  }
}

/** What {@link vaeLoss} returns: the loss and its two terms (the book's `RECON + KLD, RECON, KLD`). */
export interface VAELoss {
  /** `recon + kld`, the value to minimise. */
  loss: Tensor;
  /** `mse_loss(reconX, x.view(-1, 784), reduction='sum')`. */
  recon: Tensor;
  /** `-0.5 · Σ(1 + logVar − mean² − exp(logVar))`, the KL divergence of N(mean, exp(logVar)) from N(0, I). */
  kld: Tensor;
}

/**
 * The book's VAE `loss_function(recon_x, x, mean, log_var)`: the summed squared error of the
 * reconstruction plus the KL divergence of the encoder's Gaussian from the prior,
 * `Σ(reconX − x)² − ½ Σ(1 + logVar − mean² − exp(logVar))`, both summed over the batch.
 *
 * @example
 * ```ts
 * import { tensor, zeros } from 'tensorgrad';
 * import { vaeLoss } from './models.js';
 * // a perfect reconstruction and the prior itself: both terms are 0
 * const { loss } = vaeLoss(zeros([1, 4]), zeros([1, 1, 2, 2]), zeros([1, 2]), zeros([1, 2]));
 * await loss.item(); // 0
 * // mean 1, logVar 0: KL = ½·(1 + 1) = 1; recon = 2² = 4
 * const r = vaeLoss(tensor([[2, 0]]), zeros([1, 2]), tensor([[1, 1]]), zeros([1, 2]));
 * [await r.recon.item(), await r.kld.item(), await r.loss.item()]; // [4, 1, 5]
 * ```
 */
export function vaeLoss(reconX: Tensor, x: Tensor, mean: Tensor, logVar: Tensor): VAELoss {
  if (reconX.ndim !== 2 || x.numel() !== reconX.numel()) {
    throw new RangeError(`vaeLoss: expected reconX [N, D] and x with N·D values, got reconX [${reconX.shape.join(', ')}] and x [${x.shape.join(', ')}]`);
  }
  if (mean.shape.join() !== logVar.shape.join()) {
    throw new RangeError(`vaeLoss: expected mean and logVar of the same shape, got [${mean.shape.join(', ')}] and [${logVar.shape.join(', ')}]`);
  }
  const recon = reconX.sub(x.reshape(reconX.shape)).pow(2).sum();
  const kld = logVar.add(1).sub(mean.pow(2)).sub(exp(logVar)).sum().mul(-0.5);
  return { loss: recon.add(kld), recon, kld };
}
