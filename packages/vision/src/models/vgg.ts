import { flatten, type Tensor } from '@tensorgrad/tensor';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, init, Linear, MaxPool2d, Module, ReLU, Sequential, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import { checkProgress, refuseWeights } from './weights.js';

const VGG_SIG = signature('new VGG', ['features', 'numClasses', 'initWeights', 'dropout'], { required: 1 });
const MAKE_LAYERS = signature('makeLayers', ['cfg', 'batchNorm'], { required: 1 });
const BUILDER_PARAMS = ['weights', 'progress', 'numClasses', 'initWeights', 'dropout'] as const;

/** One entry of a VGG configuration: the output channels of a 3×3 convolution, or `'M'` for a 2×2 max pooling. */
export type VGGConfigEntry = number | 'M';

/** torchvision's VGG configurations: A (VGG-11), B (VGG-13), D (VGG-16), E (VGG-19). */
export const vggConfigs: Readonly<Record<'A' | 'B' | 'D' | 'E', readonly VGGConfigEntry[]>> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** Options of {@link makeLayers} (torchvision's keyword). */
export interface MakeLayersOptions {
  /** Put a `BatchNorm2d` after every convolution (default false). */
  batchNorm?: boolean;
}

/**
 * The `features` of a VGG (torchvision's `models.vgg.make_layers`): for each number `v` of `cfg`
 * a `Conv2d(in, v, 3, { padding: 1 })` (then a `BatchNorm2d(v)` with `batchNorm`) and a `ReLU`,
 * for each `'M'` a `MaxPool2d(2, 2)`, in one `Sequential` numbered as torchvision's
 * (`features.0.weight`, …). The first convolution takes 3 channels.
 *
 * @example
 * ```ts
 * import { makeLayers } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * const f = makeLayers([8, 'M', 16], { batchNorm: true });
 * f.namedChildren().map(([n, m]) => `${n}:${m.constructor.name}`).join(' ');
 * // '0:Conv2d 1:BatchNorm2d 2:ReLU 3:MaxPool2d 4:Conv2d 5:BatchNorm2d 6:ReLU'
 * makeLayers([8, 'M'], true).length; // 4
 * ```
 */
export function makeLayers(cfg: readonly VGGConfigEntry[], options?: MakeLayersOptions): Sequential;
/** PyTorch's positional form `make_layers(cfg, batch_norm)`. */
export function makeLayers(cfg: readonly VGGConfigEntry[], batchNorm?: boolean): Sequential;
export function makeLayers(...args: unknown[]): Sequential {
  const a = parseArgs(MAKE_LAYERS, args);
  const cfg = a.cfg as readonly VGGConfigEntry[];
  const batchNorm = a.batchNorm ?? false;
  if (typeof batchNorm !== 'boolean') throw new TypeError(`makeLayers: expected batchNorm to be a boolean, got ${typeof batchNorm}`);
  if (!Array.isArray(cfg)) throw new TypeError(`makeLayers: expected cfg to be an array of channel counts and 'M', e.g. [64, 'M', 128], got ${typeof cfg}`);
  const layers: AnyModule[] = [];
  let inChannels = 3;
  cfg.forEach((v: unknown, i) => {
    if (v === 'M') {
      layers.push(new MaxPool2d(2, { stride: 2 }));
    } else if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
      layers.push(new Conv2d(inChannels, v, 3, { padding: 1 }));
      if (batchNorm) layers.push(new BatchNorm2d(v));
      layers.push(new ReLU());
      inChannels = v;
    } else {
      throw new TypeError(`makeLayers: expected cfg[${i}] to be a positive integer (output channels) or 'M' (max pooling), got ${JSON.stringify(v) ?? String(v)}`);
    }
  });
  return new Sequential(...layers);
}

/** Options of {@link VGG} (torchvision's keywords, camelCase). */
export interface VGGOptions {
  /** Outputs of the last linear layer (default 1000). */
  numClasses?: number;
  /** Apply torchvision's initialisation (default true; see {@link VGG}). */
  initWeights?: boolean;
  /** Dropout probability of the two dropout layers of the classifier (default 0.5). */
  dropout?: number;
}

/**
 * VGG (torchvision's `models.VGG`, from "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition"): `features` (see {@link makeLayers}), `avgpool = AdaptiveAvgPool2d([7, 7])` and
 * `classifier = Sequential(Linear(25088, 4096), ReLU, Dropout, Linear(4096, 4096), ReLU, Dropout,
 * Linear(4096, numClasses))`, with torchvision's module names, so a torchvision state dict loads
 * with `loadStateDict(sd, { strict: true })`.
 *
 * With `initWeights` (the default), as torchvision: convolution weights from
 * `kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' })` and zero biases, batch-norm
 * weights 1 and biases 0, linear weights from N(0, 0.01²) and zero biases.
 *
 * @example
 * ```ts
 * import { VGG, makeLayers, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // new VGG(makeLayers(vggConfigs.D), { numClasses: 10 }) is vgg16({ numClasses: 10 }): state-dict
 * // keys features.0.weight … features.28.bias, classifier.0.weight … classifier.6.bias; the
 * // classifier alone has 119.6 M parameters, so every VGG takes a while to build on a CPU
 * let message = '';
 * try {
 *   new VGG(makeLayers(vggConfigs.A), { dropout: 1.5 }); // options are checked before building
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message; // 'new VGG: expected dropout to be a probability in [0, 1], got 1.5'
 * ```
 */
export class VGG extends Module {
  /** The convolutional part (a `Sequential`). */
  declare features: AnyModule;
  /** `AdaptiveAvgPool2d([7, 7])`. */
  declare avgpool: AnyModule;
  /** The fully connected head (a `Sequential` of 7 modules). */
  declare classifier: Sequential;

  /** torchvision's `VGG(features, num_classes=1000, init_weights=True, dropout=0.5)`, the options by name… */
  constructor(features: AnyModule, options?: VGGOptions);
  /** …or positionally. */
  constructor(features: AnyModule, numClasses?: number, initWeights?: boolean, dropout?: number, options?: VGGOptions);
  constructor(options: VGGOptions & { features: AnyModule });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(VGG_SIG, args);
    const features = a.features;
    if (!(features instanceof Module)) {
      throw new TypeError(`new VGG: expected features to be a Module whose output has 512 channels, e.g. makeLayers(vggConfigs.D), got ${features === null ? 'null' : typeof features}`);
    }
    const numClasses = a.numClasses ?? 1000;
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses <= 0) {
      throw new TypeError(`new VGG: expected numClasses to be a positive integer, got ${String(numClasses)}`);
    }
    const initWeights = a.initWeights ?? true;
    if (typeof initWeights !== 'boolean') throw new TypeError(`new VGG: expected initWeights to be a boolean, got ${typeof initWeights}`);
    const dropout = a.dropout ?? 0.5;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new RangeError(`new VGG: expected dropout to be a probability in [0, 1], got ${String(dropout)}`);
    }
    this.registerModule('features', features as AnyModule);
    this.registerModule('avgpool', new AdaptiveAvgPool2d([7, 7]));
    this.registerModule(
      'classifier',
      new Sequential(
        new Linear(512 * 7 * 7, 4096),
        new ReLU(),
        new Dropout(dropout),
        new Linear(4096, 4096),
        new ReLU(),
        new Dropout(dropout),
        new Linear(4096, numClasses),
      ),
    );
    if (initWeights) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) {
          init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias) init.constant_(m.bias, 0);
        } else if (m instanceof BatchNorm2d) {
          if (m.weight) init.constant_(m.weight, 1);
          if (m.bias) init.constant_(m.bias, 0);
        } else if (m instanceof Linear) {
          init.normal_(m.weight, 0, 0.01);
          if (m.bias) init.constant_(m.bias, 0);
        }
      }
    }
  }

  override forward(x: Tensor): Tensor {
    const f = this.avgpool(this.features(x) as Tensor) as Tensor;
    return this.classifier(flatten(f, 1)) as Tensor;
  }
}

/** Options of the VGG builders (`vgg11`, …, `vgg19Bn`): torchvision's keywords, camelCase. */
export interface VGGBuilderOptions extends VGGOptions {
  /**
   * torchvision's `weights`: only `null` (the default) is accepted, as nothing is downloaded at
   * run time. Download the `.pth` yourself and load it: `model.loadStateDict(await loadTorch(path))`.
   */
  weights?: null;
  /** torchvision's `progress` (a download progress bar): accepted and without effect. */
  progress?: boolean;
}

const FILES: Record<string, string> = {
  vgg11: 'vgg11-8a719046.pth',
  vgg11Bn: 'vgg11_bn-6002323d.pth',
  vgg13: 'vgg13-19584684.pth',
  vgg13Bn: 'vgg13_bn-abd245e5.pth',
  vgg16: 'vgg16-397923af.pth',
  vgg16Bn: 'vgg16_bn-6c64b313.pth',
  vgg19: 'vgg19-dcbb9e9d.pth',
  vgg19Bn: 'vgg19_bn-c79401a0.pth',
};

function buildVgg(name: string, cfg: keyof typeof vggConfigs, batchNorm: boolean, args: unknown[]): VGG {
  // torchvision's builders take keyword arguments only
  const a = parseArgs(signature(name, BUILDER_PARAMS, { keywordOnly: BUILDER_PARAMS }), args);
  refuseWeights(name, a.weights, FILES[name]!);
  checkProgress(name, a.progress);
  const options: VGGOptions = {};
  if (a.numClasses !== undefined) options.numClasses = a.numClasses as number;
  if (a.initWeights !== undefined) options.initWeights = a.initWeights as boolean;
  if (a.dropout !== undefined) options.dropout = a.dropout as number;
  return new VGG(makeLayers(vggConfigs[cfg], batchNorm), options);
}

/**
 * VGG-11 (configuration A), torchvision's `vgg11`: 132,863,336
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.A)`. torchvision's file is
 * `vgg11-8a719046.pth`: `const model = vgg11(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 531 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg11, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg11({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.A.filter((v) => v !== 'M').length; // 8
 * let message = '';
 * try {
 *   vgg11({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg11-8a719046.pth')"); // true
 * ```
 */
export function vgg11(options?: VGGBuilderOptions): VGG;
export function vgg11(...args: unknown[]): VGG {
  return buildVgg('vgg11', 'A', false, args);
}

/**
 * VGG-11-BN with batch normalisation after every convolution (configuration A), torchvision's `vgg11_bn`: 132,868,840
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.A, { batchNorm: true })`. torchvision's file is
 * `vgg11_bn-6002323d.pth`: `const model = vgg11Bn(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 531 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg11Bn, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg11Bn({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.A.filter((v) => v !== 'M').length; // 8
 * let message = '';
 * try {
 *   vgg11Bn({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg11_bn-6002323d.pth')"); // true
 * ```
 */
export function vgg11Bn(options?: VGGBuilderOptions): VGG;
export function vgg11Bn(...args: unknown[]): VGG {
  return buildVgg('vgg11Bn', 'A', true, args);
}

/**
 * VGG-13 (configuration B), torchvision's `vgg13`: 133,047,848
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.B)`. torchvision's file is
 * `vgg13-19584684.pth`: `const model = vgg13(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 532 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg13, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg13({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.B.filter((v) => v !== 'M').length; // 10
 * let message = '';
 * try {
 *   vgg13({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg13-19584684.pth')"); // true
 * ```
 */
export function vgg13(options?: VGGBuilderOptions): VGG;
export function vgg13(...args: unknown[]): VGG {
  return buildVgg('vgg13', 'B', false, args);
}

/**
 * VGG-13-BN with batch normalisation after every convolution (configuration B), torchvision's `vgg13_bn`: 133,053,736
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.B, { batchNorm: true })`. torchvision's file is
 * `vgg13_bn-abd245e5.pth`: `const model = vgg13Bn(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 532 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg13Bn, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg13Bn({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.B.filter((v) => v !== 'M').length; // 10
 * let message = '';
 * try {
 *   vgg13Bn({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg13_bn-abd245e5.pth')"); // true
 * ```
 */
export function vgg13Bn(options?: VGGBuilderOptions): VGG;
export function vgg13Bn(...args: unknown[]): VGG {
  return buildVgg('vgg13Bn', 'B', true, args);
}

/**
 * VGG-16 (configuration D), torchvision's `vgg16`: 138,357,544
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.D)`. torchvision's file is
 * `vgg16-397923af.pth`: `const model = vgg16(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 553 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg16, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg16({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.D.filter((v) => v !== 'M').length; // 13
 * let message = '';
 * try {
 *   vgg16({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg16-397923af.pth')"); // true
 * ```
 */
export function vgg16(options?: VGGBuilderOptions): VGG;
export function vgg16(...args: unknown[]): VGG {
  return buildVgg('vgg16', 'D', false, args);
}

/**
 * VGG-16-BN with batch normalisation after every convolution (configuration D), torchvision's `vgg16_bn`: 138,365,992
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.D, { batchNorm: true })`. torchvision's file is
 * `vgg16_bn-6c64b313.pth`: `const model = vgg16Bn(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 553 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg16Bn, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg16Bn({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.D.filter((v) => v !== 'M').length; // 13
 * let message = '';
 * try {
 *   vgg16Bn({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg16_bn-6c64b313.pth')"); // true
 * ```
 */
export function vgg16Bn(options?: VGGBuilderOptions): VGG;
export function vgg16Bn(...args: unknown[]): VGG {
  return buildVgg('vgg16Bn', 'D', true, args);
}

/**
 * VGG-19 (configuration E), torchvision's `vgg19`: 143,667,240
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.E)`. torchvision's file is
 * `vgg19-dcbb9e9d.pth`: `const model = vgg19(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 575 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg19, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg19({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.E.filter((v) => v !== 'M').length; // 16
 * let message = '';
 * try {
 *   vgg19({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg19-dcbb9e9d.pth')"); // true
 * ```
 */
export function vgg19(options?: VGGBuilderOptions): VGG;
export function vgg19(...args: unknown[]): VGG {
  return buildVgg('vgg19', 'E', false, args);
}

/**
 * VGG-19-BN with batch normalisation after every convolution (configuration E), torchvision's `vgg19_bn`: 143,678,248
 * parameters with 1000 classes, `features` as {@link makeLayers}`(vggConfigs.E, { batchNorm: true })`. torchvision's file is
 * `vgg19_bn-c79401a0.pth`: `const model = vgg19Bn(); model.loadStateDict(await loadTorch(path))`. Building it
 * allocates and initialises every parameter (about 575 MB in float32): seconds to a minute on the CPU.
 *
 * @example
 * ```ts
 * import { vgg19Bn, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = vgg19Bn({ numClasses: 10 }); // then model(x), model.features, model.classifier
 * vggConfigs.E.filter((v) => v !== 'M').length; // 16
 * let message = '';
 * try {
 *   vgg19Bn({ weights: 'IMAGENET1K_V1' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('vgg19_bn-c79401a0.pth')"); // true
 * ```
 */
export function vgg19Bn(options?: VGGBuilderOptions): VGG;
export function vgg19Bn(...args: unknown[]): VGG {
  return buildVgg('vgg19Bn', 'E', true, args);
}
