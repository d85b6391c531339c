/**
 * Chapter 5 of the book ("Transfer Learning for Image Classification"): the architectures of its
 * cats-vs-dogs classifiers. VGG16 and ResNet18 as torchvision builds them, every parameter frozen,
 * the pooling replaced by `AdaptiveAvgPool2d(1)` and the classifier by the book's small head, and
 * the torchsummary tables the book prints (14,780,481 parameters of which 65,793 trainable for
 * VGG16; 11,242,305 / 65,793 for ResNet18). Run it with `pnpm --filter @tensorgrad/examples ch5`
 * after a build (`node examples/dist/ch5-architectures.js`).
 *
 * The book starts from ImageNet weights (`pretrained=True`); nothing is downloaded here, so the
 * models keep torchvision's random initialisation. To start from the real weights, download
 * torchvision's `vgg16-397923af.pth` / `resnet18-f37072fd.pth` and load them into `vgg16()` /
 * `resnet18()` with `model.loadStateDict(await loadTorch(path))` before replacing the head.
 */
import { AdaptiveAvgPool2d, Dropout, Flatten, Linear, ReLU, Sequential, Sigmoid, summary, vgg16, resnet18, zeros, type ModelSummary, type ResNet, type VGG } from 'tensorgrad';
import { isMain } from './run-main.js';
import { freeze, parameterCounts } from './chapter5-6/models.js';

/** The book's head: `Flatten, Linear(512, 128), ReLU, Dropout(0.2), Linear(128, 1), Sigmoid`. */
function bookHead(): Sequential {
  return new Sequential(new Flatten(), new Linear(512, 128), new ReLU(), new Dropout(0.2), new Linear(128, 1), new Sigmoid());
}

/** Parameter counts of a model: all of them and those with `requiresGrad`. */
export type ParameterCounts = ReturnType<typeof parameterCounts>;

/** A model as the book builds it, with the counts before the head was replaced. */
export interface BookModel<M> {
  /** The model with the book's head. */
  model: M;
  /** The counts of torchvision's model, before freezing and replacing the head. */
  torchvision: ParameterCounts;
}

/**
 * The book's `get_model()` for VGG16: `vgg16()`, every parameter frozen, `avgpool =
 * AdaptiveAvgPool2d(1)` and `classifier` = the book's head (trainable).
 *
 * @example
 * ```ts
 * import { bookVgg16 } from './ch5-architectures.js';
 * // const { model, torchvision } = bookVgg16(); // builds VGG16: 138 M parameters, a while on a CPU
 * typeof bookVgg16; // 'function'
 * ```
 */
export function bookVgg16(): BookModel<VGG> {
  const model = vgg16();
  const torchvision = parameterCounts(model);
  freeze(model);
  // the old classifier (123.6 M parameters) is freed, not just forgotten
  const old = model.classifier;
  model.avgpool = new AdaptiveAvgPool2d(1);
  model.classifier = bookHead();
  old.dispose();
  return { model, torchvision };
}

/**
 * The book's `get_model()` for ResNet18: `resnet18()`, every parameter frozen, `avgpool =
 * AdaptiveAvgPool2d(1)` and `fc` = the book's head (trainable).
 *
 * @example
 * ```ts
 * import { bookResnet18 } from './ch5-architectures.js';
 * import { parameterCounts } from './chapter5-6/models.js';
 * const { model, torchvision } = bookResnet18();
 * torchvision.total; // 11689512
 * parameterCounts(model); // { trainable: 65793, total: 11242305 }
 * model.dispose();
 * ```
 */
export function bookResnet18(): BookModel<ResNet> {
  const model = resnet18();
  const torchvision = parameterCounts(model);
  freeze(model);
  const old = model.fc;
  model.avgpool = new AdaptiveAvgPool2d(1);
  model.fc = bookHead();
  old.dispose();
  return { model, torchvision };
}

/** What {@link architectureSummaries} returns for each model. */
export interface ArchitectureReport {
  /** `'VGG16'` or `'ResNet18'`. */
  name: string;
  /** torchvision's model before the head was replaced. */
  torchvision: ParameterCounts;
  /** The torchsummary table of the model with the book's head. */
  summary: ModelSummary;
}

/** Options of {@link architectureSummaries}. */
export interface ArchitectureOptions {
  /** Height and width of the zero image the summaries run on (the book's 224 by default). */
  imageSize?: number;
  /** Which models (default both). */
  models?: readonly ('VGG16' | 'ResNet18')[];
}

/**
 * Builds the book's VGG16 and ResNet18 classifiers and their summaries (the book runs
 * `summary(model, torch.zeros(1, 3, 224, 224))`); the models are freed afterwards.
 *
 * @example
 * ```ts
 * import { architectureSummaries } from './ch5-architectures.js';
 * const [resnet] = architectureSummaries({ imageSize: 32, models: ['ResNet18'] });
 * resnet!.summary.totalParams; // 11242305
 * resnet!.summary.trainableParams; // 65793
 * ```
 */
export function architectureSummaries(options: ArchitectureOptions = {}): ArchitectureReport[] {
  const size = options.imageSize ?? 224;
  const which = options.models ?? ['VGG16', 'ResNet18'];
  const out: ArchitectureReport[] = [];
  for (const name of which) {
    const { model, torchvision } = name === 'VGG16' ? bookVgg16() : bookResnet18();
    const input = zeros([1, 3, size, size]);
    try {
      out.push({ name, torchvision, summary: summary(model, input) });
    } finally {
      input.dispose();
      model.dispose();
    }
  }
  return out;
}

/**
 * Prints the chapter 5 architecture summaries (what running this file shows).
 *
 * @example
 * ```ts
 * import { printArchitectures } from './ch5-architectures.js';
 * const lines: string[] = [];
 * const log = console.log;
 * console.log = (s?: unknown) => void lines.push(String(s ?? ''));
 * try {
 *   printArchitectures({ imageSize: 32, models: ['ResNet18'] });
 * } finally {
 *   console.log = log;
 * }
 * lines.join('\n').includes('Trainable params: 65,793'); // true
 * ```
 */
export function printArchitectures(options: ArchitectureOptions = {}): void {
  for (const r of architectureSummaries(options)) {
    console.log(`${r.name}: torchvision's model has ${r.torchvision.total.toLocaleString('en-US')} parameters; with the book's frozen backbone and head:`);
    console.log(r.summary.text);
    console.log();
  }
}

if (isMain(import.meta.url)) printArchitectures();
