import { Adagrad, Adam, AdamW, Conv2d, Flatten, Linear, MaxPool2d, ReLU, RMSprop, SGD, Sequential, type AnyOptimizer, type Parameter } from 'tensorgrad';
import type { ModelKind, OptimizerKind } from './args.js';

/**
 * Chapter 4's CNN for 28×28 grey images: Conv2d(1,64,3)–MaxPool2d(2)–ReLU–Conv2d(64,128,3)–
 * MaxPool2d(2)–ReLU–Flatten–Linear(3200,256)–ReLU–Linear(256,10), 896,522 parameters, PyTorch's
 * default initialisation (so the state dict has PyTorch's keys `0.weight`, `3.weight`, …).
 * Input `[N, 1, 28, 28]`, output logits `[N, 10]`.
 *
 * @example
 * ```ts
 * import { buildCnn } from '@tensorgrad/fashion-mnist';
 * const cnn = buildCnn();
 * cnn.parameters().reduce((n, p) => n + p.numel(), 0); // 896522
 * cnn.dispose();
 * ```
 */
export function buildCnn(): Sequential {
  return new Sequential(
    new Conv2d(1, 64, 3),
    new MaxPool2d(2),
    new ReLU(),
    new Conv2d(64, 128, 3),
    new MaxPool2d(2),
    new ReLU(),
    new Flatten(),
    new Linear(3200, 256),
    new ReLU(),
    new Linear(256, 10),
  );
}

/**
 * Chapter 3's MLP: Linear(784,1000)–ReLU–Linear(1000,10), 795,010 parameters. Input
 * `[N, 784]` (flattened images; see {@link modelInputShape}), output logits `[N, 10]`.
 *
 * @example
 * ```ts
 * import { buildMlp } from '@tensorgrad/fashion-mnist';
 * const mlp = buildMlp();
 * mlp.parameters().reduce((n, p) => n + p.numel(), 0); // 795010
 * mlp.dispose();
 * ```
 */
export function buildMlp(): Sequential {
  return new Sequential(new Linear(784, 1000), new ReLU(), new Linear(1000, 10));
}

/**
 * Builds the architecture `kind` with fresh weights drawn from the global generator (seed it
 * with `manualSeed` first for reproducible weights).
 *
 * @example
 * ```ts
 * import { buildModel } from '@tensorgrad/fashion-mnist';
 * const model = buildModel('mlp');
 * Object.keys(model.stateDict()); // ['0.weight', '0.bias', '2.weight', '2.bias']
 * model.dispose();
 * ```
 */
export function buildModel(kind: ModelKind): Sequential {
  if (kind === 'cnn') return buildCnn();
  if (kind === 'mlp') return buildMlp();
  throw new TypeError(`buildModel: expected 'cnn' or 'mlp', got ${JSON.stringify(kind)}`);
}

/**
 * The shape of one input of `kind` without the batch dim: the CNN takes `[1, 28, 28]` images,
 * the MLP (as in the book) flattened `[784]` vectors.
 *
 * @example
 * ```ts
 * import { modelInputShape } from '@tensorgrad/fashion-mnist';
 * modelInputShape('cnn'); // [1, 28, 28]
 * modelInputShape('mlp'); // [784]
 * ```
 */
export function modelInputShape(kind: ModelKind): number[] {
  return kind === 'mlp' ? [784] : [1, 28, 28];
}

/**
 * Infers the architecture from a state dict's shapes (`0.weight` is `[64, 1, 3, 3]` in the CNN,
 * `[1000, 784]` in the MLP), or `null` when it is neither.
 *
 * @example
 * ```ts
 * import { buildModel, inferModelKind } from '@tensorgrad/fashion-mnist';
 * const model = buildModel('cnn');
 * inferModelKind(model.stateDict()); // 'cnn'
 * model.dispose();
 * ```
 */
export function inferModelKind(stateDict: Record<string, { shape: readonly number[] }>): ModelKind | null {
  const w = stateDict['0.weight']?.shape.join(',');
  if (w === '64,1,3,3') return 'cnn';
  if (w === '1000,784') return 'mlp';
  return null;
}

/**
 * Creates the optimizer `kind` over `params` with learning rate `lr` and PyTorch's defaults for
 * everything else.
 *
 * @example
 * ```ts
 * import { buildModel, buildOptimizer } from '@tensorgrad/fashion-mnist';
 * const model = buildModel('mlp');
 * const opt = buildOptimizer('sgd', model.parameters(), 0.01);
 * opt.paramGroups[0]!.lr; // 0.01
 * model.dispose();
 * ```
 */
export function buildOptimizer(kind: OptimizerKind, params: Parameter[], lr: number): AnyOptimizer {
  switch (kind) {
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    case 'sgd':
      return new SGD(params, { lr });
    case 'rmsprop':
      return new RMSprop(params, { lr });
    case 'adagrad':
      return new Adagrad(params, { lr });
    default:
      throw new TypeError(`buildOptimizer: expected one of adam, sgd, adamw, rmsprop, adagrad, got ${JSON.stringify(kind)}`);
  }
}
