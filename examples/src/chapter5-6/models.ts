/**
 * The networks of the chapter 5–6 experiments: the chapter 4 CNN (with or without batch
 * normalisation), a small VGG-style backbone (conv–bn–relu blocks and max pooling, VGG16's
 * `features` in miniature) and the book's transfer-learning head on top of it.
 */
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';

/**
 * Turns the experiments' flat rows `[N, 784]` into images `[N, 1, 28, 28]` (the book's
 * `x.view(-1, 1, 28, 28)` in its dataset class), so the convolutional networks fit the chapter 3
 * training helpers, which hand the model rows.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { AsImages } from './models.js';
 * new AsImages()(zeros([2, 784])).shape; // [2, 1, 28, 28]
 * ```
 */
export class AsImages extends Module {
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== 28 * 28) {
      throw new RangeError(`AsImages: expected flat 28×28 images [N, 784], got [${x.shape.join(', ')}]; flatten them with x.reshape([N, 784])`);
    }
    return x.reshape([-1, 1, 28, 28]);
  }
}

/** Options of {@link bookCnn}. */
export interface BookCnnOptions {
  /** Put a `BatchNorm2d` after each convolution (default false: the book's chapter 4 network). */
  batchNorm?: boolean;
}

/**
 * The book's chapter 4 CNN (`CNN_on_FashionMNIST.ipynb`): `Conv2d(1, 64, 3) → MaxPool2d(2) → ReLU
 * → Conv2d(64, 128, 3) → MaxPool2d(2) → ReLU → Flatten → Linear(3200, 256) → ReLU →
 * Linear(256, 10)`, taking flat rows `[N, 784]`. With `batchNorm: true` a `BatchNorm2d` follows
 * each convolution (chapter 6's conv–bn–relu habit).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { bookCnn } from './models.js';
 * const plain = bookCnn();
 * plain(zeros([2, 784])).shape; // [2, 10]
 * plain.parameters().length; // 8
 * const withBn = bookCnn({ batchNorm: true });
 * withBn.parameters().length; // 12
 * plain.dispose();
 * withBn.dispose();
 * ```
 */
export function bookCnn(options: BookCnnOptions = {}): Sequential {
  const bn = options.batchNorm ?? false;
  const conv = (inC: number, outC: number): AnyModule[] => (bn ? [new Conv2d(inC, outC, 3), new BatchNorm2d(outC)] : [new Conv2d(inC, outC, 3)]);
  return new Sequential(
    new AsImages(),
    ...conv(1, 64),
    new MaxPool2d(2),
    new ReLU(),
    ...conv(64, 128),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(3200, 256),
    new ReLU(),
    new Linear(256, 10),
  );
}

/**
 * A VGG-style feature extractor: blocks of `Conv2d(3×3, padding 1) → BatchNorm2d → ReLU`, each
 * followed by `MaxPool2d(2)`, with `channels[i]` filters in block `i` (default `[32, 64]`:
 * 28×28 → 14×14 → 7×7). It takes flat rows `[N, 784]` and returns `[N, channels.at(-1), 7, 7]`
 * (for two blocks): torchvision's `vgg16_bn().features` in miniature.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { vggBackbone } from './models.js';
 * const backbone = vggBackbone([8, 16]);
 * backbone(zeros([2, 784])).shape; // [2, 16, 7, 7]
 * backbone.dispose();
 * ```
 */
export function vggBackbone(channels: readonly number[] = [32, 64]): Sequential {
  if (channels.length === 0 || channels.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new RangeError(`vggBackbone: expected a non-empty list of positive whole channel counts such as [32, 64], got [${channels.join(', ')}]`);
  }
  const layers: AnyModule[] = [new AsImages()];
  let inC = 1;
  for (const outC of channels) {
    layers.push(new Conv2d(inC, outC, 3, { padding: 1 }), new BatchNorm2d(outC), new ReLU(), new MaxPool2d(2));
    inC = outC;
  }
  return new Sequential(...layers);
}

/**
 * The head the book puts on a pretrained backbone (`Implementing_VGG16_for_image_classification`:
 * `model.avgpool = nn.AdaptiveAvgPool2d(output_size=(1,1))` and `model.classifier =
 * nn.Sequential(nn.Flatten(), nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 1))`),
 * for `classes` classes: `AdaptiveAvgPool2d(1) → Flatten → Linear(features, 128) → ReLU →
 * Dropout(0.2) → Linear(128, classes)`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { transferHead } from './models.js';
 * const head = transferHead(64, 5);
 * head(zeros([3, 64, 7, 7])).shape; // [3, 5]
 * head.dispose();
 * ```
 */
export function transferHead(features: number, classes: number): Sequential {
  return new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(features, 128), new ReLU(), new Dropout(0.2), new Linear(128, classes));
}

/**
 * A backbone followed by a head, `head(backbone(x))`, whose state-dict keys are `backbone.*` and
 * `head.*`. With `frozen: true` the backbone is kept in evaluation mode even when the net trains
 * (`train()` sets it back), so its `BatchNorm2d` layers normalise with the running statistics
 * of pretraining and never update them; call {@link freeze} on the backbone as well so that its
 * parameters get no gradients.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { TransferNet, transferHead, vggBackbone } from './models.js';
 * const net = new TransferNet(vggBackbone([8]), transferHead(8, 5), { frozen: true });
 * net.train();
 * [net.training, net.head.training, net.backbone.training]; // [true, true, false]
 * net(zeros([2, 784])).shape; // [2, 5]
 * net.dispose();
 * ```
 */
export class TransferNet extends Module {
  /** The feature extractor. */
  backbone: AnyModule;
  /** The classifier on top. */
  head: AnyModule;
  /** Whether `train()` leaves the backbone in evaluation mode. */
  readonly frozen: boolean;

  /** `frozen` (default false): keep the backbone in evaluation mode while training. */
  constructor(backbone: AnyModule, head: AnyModule, options: { frozen?: boolean } = {}) {
    super();
    this.backbone = backbone;
    this.head = head;
    this.frozen = options.frozen ?? false;
    this.train(this.training);
  }

  override train(mode = true): this {
    super.train(mode);
    if (this.frozen) this.backbone.eval();
    return this;
  }

  override forward(x: Tensor): Tensor {
    return this.head.call(this.backbone.call(x)) as Tensor;
  }
}

/**
 * The book's `for param in model.parameters(): param.requires_grad = False`: stops gradients from
 * reaching `module`'s parameters (an optimizer then leaves them alone). Returns the module.
 *
 * @example
 * ```ts
 * import { Linear } from 'tensorgrad';
 * import { freeze, parameterCounts } from './models.js';
 * const layer = freeze(new Linear(3, 2));
 * parameterCounts(layer); // { trainable: 0, total: 8 }
 * layer.dispose();
 * ```
 */
export function freeze<M extends AnyModule>(module: M): M {
  for (const p of module.parameters()) p.requiresGrad_(false);
  return module;
}

/**
 * The number of parameter values of a module in all, and of those that require gradients (what
 * `sum(p.numel() for p in model.parameters() if p.requires_grad)` counts in PyTorch).
 *
 * @example
 * ```ts
 * import { Linear } from 'tensorgrad';
 * import { parameterCounts } from './models.js';
 * const layer = new Linear(3, 2);
 * parameterCounts(layer); // { trainable: 8, total: 8 }
 * layer.dispose();
 * ```
 */
export function parameterCounts(module: AnyModule): { trainable: number; total: number } {
  let trainable = 0;
  let total = 0;
  for (const p of module.parameters()) {
    total += p.numel();
    if (p.requiresGrad) trainable += p.numel();
  }
  return { trainable, total };
}
