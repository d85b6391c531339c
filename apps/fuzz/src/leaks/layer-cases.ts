import {
  AdaptiveAvgPool2d, AnchorGenerator, AvgPool2d, BasicBlock, BatchNorm1d, BatchNorm2d, Bottleneck, ConstantPad2d, Conv2d,
  Conv2dNormActivation, ConvTranspose2d, DefaultBoxGenerator, Dropout, Dropout2d, Embedding, FastRCNNPredictor, FasterRCNN,
  FeaturePyramidNetwork, Flatten, FrozenBatchNorm2d, GELU, GroupNorm, Identity, InstanceNorm2d, IntermediateLayerGetter,
  LastLevelMaxPool, LayerNorm, LeakyReLU, Linear, LogSoftmax, MaxPool2d, MaxUnpool2d, ModuleDict, ModuleList, MultiScaleRoIAlign,
  Parameter, PixelShuffle, PixelUnshuffle, PReLU, ReflectionPad2d, ReLU, ReplicationPad2d, RoIAlign, RoIPool, RPNHead, Sequential,
  Sigmoid, Softmax, SSD, SSDClassificationHead, SSDHead, SSDRegressionHead, Tanh, tensor, TwoMLPHead, UNet, Upsample, ZeroPad2d,
  maxPool2d, rand, randn, type AnyModule, type Tensor,
} from 'tensorgrad';
import type { LeakBackend } from './backends.js';

/** A module and the inputs of its forward pass, made on the current backend. */
export interface LayerSetup {
  readonly module: AnyModule;
  /** Tensors the forward pass reads (owned by the set-up: {@link disposeSetup} frees them); a trainable one is a `Parameter`. */
  readonly inputs: readonly Tensor[];
  /** One forward pass; its result may nest tensors in arrays and records (a loss is made from every floating one that needs a gradient). */
  forward(): unknown;
}

/** How one exported module class gets a training step in the leak tests. */
export interface LayerCase {
  /** The exported class, e.g. `'Linear'`. */
  readonly layer: string;
  /** The package that exports it. */
  readonly from: '@tensorgrad/layers' | '@tensorgrad/vision';
  /** Builds the module and its inputs on the current backend (tiny shapes: the point is counting, not compute). */
  build(): LayerSetup;
  /** Backends the module cannot run on, with the reason (printed and counted by the tests). */
  readonly unsupported?: Partial<Record<LeakBackend, string>>;
  /** The optimizer to train it with, for a model too costly for LBFGS's repeated closure calls (else the tests rotate through all). */
  readonly optimizer?: string;
  /** Steps before counting, for a costly model whose state settles after one (default the optimizer's). */
  readonly warmup?: number;
}

// a trainable input: a parameter-free layer still runs its backward, and the optimizer updates it
function leaf(shape: number[]): Tensor {
  const t = randn(shape);
  const p = new Parameter(t);
  t.dispose();
  return p;
}

type Callable = { call(...args: unknown[]): unknown };
const call = (m: AnyModule, ...args: unknown[]): unknown => (m as unknown as Callable).call(...args);

// the module applied to its (single) leaf input
function simple(layer: string, make: () => AnyModule, shape: number[], from: LayerCase['from'] = '@tensorgrad/layers'): LayerCase {
  return {
    layer,
    from,
    build() {
      const module = make();
      const x = leaf(shape);
      return { module, inputs: [x], forward: () => call(module, x) };
    },
  };
}

// a vision head applied to a list of trainable feature maps
function featureListCase(layer: string, make: () => AnyModule, shapes: number[][]): LayerCase {
  return {
    layer,
    from: '@tensorgrad/vision',
    build() {
      const module = make();
      const features = shapes.map(leaf);
      return { module, inputs: features, forward: () => call(module, features) };
    },
  };
}

const SYNC_READS = 'its forward pass reads matches and scores back synchronously (as torchvision does), which webgpu cannot (no readSync)';

/**
 * One training-step case per module class of `@tensorgrad/layers` and `@tensorgrad/vision` that
 * a tiny configuration can train quickly; {@link LAYER_EXCLUSIONS} lists the others with the
 * reason. The leak tests assert that the two lists together name every exported module class.
 *
 * @example
 * ```ts
 * import { LAYER_CASES } from '@tensorgrad/fuzz';
 * LAYER_CASES.some((c) => c.layer === 'Conv2d'); // true
 * ```
 */
export const LAYER_CASES: readonly LayerCase[] = [
  simple('Sequential', () => new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)), [2, 3]),
  {
    layer: 'ModuleList',
    from: '@tensorgrad/layers',
    build() {
      const module = new ModuleList([new Linear(3, 3), new Linear(3, 2)]);
      const x = leaf([2, 3]);
      return { module, inputs: [x], forward: () => [...module].reduce<unknown>((h, m) => call(m, h), x) };
    },
  },
  {
    layer: 'ModuleDict',
    from: '@tensorgrad/layers',
    build() {
      const module = new ModuleDict({ enc: new Linear(3, 4), dec: new Linear(4, 2) });
      const x = leaf([2, 3]);
      return { module, inputs: [x], forward: () => call(module.get('dec'), call(module.get('enc'), x)) };
    },
  },
  simple('Linear', () => new Linear(3, 2), [2, 3]),
  simple('Conv2d', () => new Conv2d(2, 3, 3, { padding: 1 }), [1, 2, 4, 4]),
  simple('ConvTranspose2d', () => new ConvTranspose2d(2, 2, 2, { stride: 2 }), [1, 2, 2, 2]),
  simple('MaxPool2d', () => new MaxPool2d(2), [1, 2, 4, 4]),
  {
    layer: 'MaxUnpool2d',
    from: '@tensorgrad/layers',
    build() {
      const module = new MaxUnpool2d(2);
      const x = leaf([1, 2, 4, 4]);
      return {
        module,
        inputs: [x],
        forward: () => {
          const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
          return call(module, values, indices);
        },
      };
    },
  },
  simple('AvgPool2d', () => new AvgPool2d(2), [1, 2, 4, 4]),
  simple('AdaptiveAvgPool2d', () => new AdaptiveAvgPool2d(1), [1, 2, 3, 3]),
  simple('BatchNorm1d', () => new BatchNorm1d(3), [4, 3]),
  simple('BatchNorm2d', () => new BatchNorm2d(2), [2, 2, 2, 2]),
  simple('LayerNorm', () => new LayerNorm([3]), [2, 3]),
  simple('ReLU', () => new ReLU(), [2, 3]),
  simple('LeakyReLU', () => new LeakyReLU(0.1), [2, 3]),
  simple('Sigmoid', () => new Sigmoid(), [2, 3]),
  simple('Tanh', () => new Tanh(), [2, 3]),
  simple('GELU', () => new GELU(), [2, 3]),
  simple('Softmax', () => new Softmax(1), [2, 3]),
  simple('LogSoftmax', () => new LogSoftmax(1), [2, 3]),
  simple('Dropout', () => new Dropout(0.5), [2, 3]),
  simple('Flatten', () => new Flatten(), [2, 3, 2]),
  simple('Identity', () => new Identity(), [2, 3]),
  simple('Upsample', () => new Upsample({ scaleFactor: 2 }), [1, 1, 2, 2]),
  {
    layer: 'Embedding',
    from: '@tensorgrad/layers',
    build() {
      const module = new Embedding(5, 3);
      const idx = tensor([1, 3, 1], { dtype: 'int32' });
      return { module, inputs: [idx], forward: () => call(module, idx) };
    },
  },
  simple('InstanceNorm2d', () => new InstanceNorm2d(2, { affine: true, trackRunningStats: true }), [2, 2, 3, 3]),
  simple('GroupNorm', () => new GroupNorm(2, 4), [1, 4, 2, 2]),
  simple('ReflectionPad2d', () => new ReflectionPad2d(1), [1, 1, 3, 3]),
  simple('ReplicationPad2d', () => new ReplicationPad2d(1), [1, 1, 3, 3]),
  simple('ZeroPad2d', () => new ZeroPad2d(1), [1, 1, 3, 3]),
  simple('ConstantPad2d', () => new ConstantPad2d(1, 0.5), [1, 1, 3, 3]),
  simple('PixelShuffle', () => new PixelShuffle(2), [1, 4, 2, 2]),
  simple('PixelUnshuffle', () => new PixelUnshuffle(2), [1, 1, 4, 4]),
  simple('Dropout2d', () => new Dropout2d(0.5), [1, 2, 3, 3]),
  simple('PReLU', () => new PReLU(), [2, 3]),
  // vision
  simple('BasicBlock', () => new BasicBlock(2, 2), [1, 2, 4, 4], '@tensorgrad/vision'),
  simple('Bottleneck', () => new Bottleneck(4, 1), [1, 4, 4, 4], '@tensorgrad/vision'),
  simple('FrozenBatchNorm2d', () => new FrozenBatchNorm2d(2), [1, 2, 2, 2], '@tensorgrad/vision'),
  simple('Conv2dNormActivation', () => new Conv2dNormActivation(2, 3), [2, 2, 3, 3], '@tensorgrad/vision'),
  simple('TwoMLPHead', () => new TwoMLPHead(8, 4), [2, 2, 2, 2], '@tensorgrad/vision'),
  simple('FastRCNNPredictor', () => new FastRCNNPredictor(4, 3), [2, 4], '@tensorgrad/vision'),
  simple('UNet', () => new UNet({ inChannels: 1, numClasses: 2, baseChannels: 2, depth: 1 }), [1, 1, 4, 4], '@tensorgrad/vision'),
  featureListCase('RPNHead', () => new RPNHead(2, 3), [[1, 2, 3, 3]]),
  {
    layer: 'RoIAlign',
    from: '@tensorgrad/vision',
    build() {
      const module = new RoIAlign(2, 1, 2);
      const x = leaf([1, 2, 4, 4]);
      const boxes = tensor([[0, 0.5, 0.5, 3, 3]]);
      return { module, inputs: [x, boxes], forward: () => call(module, x, boxes) };
    },
  },
  {
    layer: 'RoIPool',
    from: '@tensorgrad/vision',
    build() {
      const module = new RoIPool(2, 1);
      const x = leaf([1, 2, 4, 4]);
      const boxes = tensor([[0, 0, 0, 3, 3]]);
      return { module, inputs: [x, boxes], forward: () => call(module, x, boxes) };
    },
  },
  {
    layer: 'MultiScaleRoIAlign',
    from: '@tensorgrad/vision',
    build() {
      const module = new MultiScaleRoIAlign(['a', 'b'], 2, 2);
      const a = leaf([1, 2, 8, 8]);
      const b = leaf([1, 2, 4, 4]);
      const boxes = tensor([[0, 0, 12, 12], [4, 4, 30, 30]]);
      return { module, inputs: [a, b, boxes], forward: () => call(module, { a, b }, [boxes], [[32, 32]]) };
    },
  },
  {
    layer: 'FeaturePyramidNetwork',
    from: '@tensorgrad/vision',
    build() {
      const module = new FeaturePyramidNetwork([2, 3], 2, { extraBlocks: new LastLevelMaxPool() });
      const f0 = leaf([1, 2, 4, 4]);
      const f1 = leaf([1, 3, 2, 2]);
      return { module, inputs: [f0, f1], forward: () => call(module, { f0, f1 }) };
    },
  },
  {
    layer: 'LastLevelMaxPool',
    from: '@tensorgrad/vision',
    build() {
      const module = new LastLevelMaxPool();
      const r = leaf([1, 2, 4, 4]);
      return { module, inputs: [r], forward: () => call(module, [r], [], ['0']) };
    },
  },
  {
    layer: 'IntermediateLayerGetter',
    from: '@tensorgrad/vision',
    build() {
      const net = new Sequential(new Conv2d(1, 2, 3, { padding: 1 }), new ReLU(), new Conv2d(2, 2, 3, { stride: 2, padding: 1 }));
      const module = new IntermediateLayerGetter(net, { '1': 'a', '2': 'b' });
      const x = leaf([1, 1, 4, 4]);
      return { module, inputs: [x], forward: () => call(module, x) };
    },
  },
  featureListCase('SSDClassificationHead', () => new SSDClassificationHead([2, 3], [2, 2], 3), [[1, 2, 2, 2], [1, 3, 1, 1]]),
  featureListCase('SSDRegressionHead', () => new SSDRegressionHead([2], [2]), [[1, 2, 2, 2]]),
  featureListCase('SSDHead', () => new SSDHead([2, 3], [2, 2], 3), [[1, 2, 2, 2], [1, 3, 1, 1]]),
  {
    layer: 'SSD',
    from: '@tensorgrad/vision',
    unsupported: { webgpu: SYNC_READS },
    optimizer: 'Adam',
    build() {
      const backbone = Object.assign(new Sequential(new Conv2d(3, 4, 3, { stride: 4, padding: 1 }), new ReLU()), { outChannels: [4] });
      const module = new SSD(backbone, new DefaultBoxGenerator([[2]]), [16, 16], 3);
      const image = rand([3, 16, 16]);
      const boxes = tensor([[2, 2, 10, 12]]);
      const labels = tensor([2], { dtype: 'int32' });
      return { module, inputs: [image, boxes, labels], forward: () => call(module, [image], [{ boxes, labels }]) };
    },
  },
  {
    layer: 'FasterRCNN',
    from: '@tensorgrad/vision',
    unsupported: { webgpu: SYNC_READS },
    optimizer: 'SGD', // its momentum buffers exist after the first step
    warmup: 1,
    build() {
      const backbone = Object.assign(new Sequential(new Conv2d(3, 4, 3, { stride: 4, padding: 1 }), new ReLU()), { outChannels: 4 });
      const module = new FasterRCNN(backbone, {
        // a small box head (the default TwoMLPHead has 1024 units: 10^6 parameters)
        boxHead: new TwoMLPHead(4 * 2 * 2, 8),
        boxPredictor: new FastRCNNPredictor(8, 3),
        minSize: 16,
        maxSize: 16,
        rpnAnchorGenerator: new AnchorGenerator({ sizes: [[8, 16]], aspectRatios: [[1]] }),
        boxRoiPool: new MultiScaleRoIAlign(['0'], 2, 2),
        rpnBatchSizePerImage: 8,
        boxBatchSizePerImage: 8,
      });
      const image = rand([3, 16, 16]);
      const boxes = tensor([[2, 2, 10, 12]]);
      const labels = tensor([1], { dtype: 'int32' });
      return { module, inputs: [image, boxes, labels], forward: () => call(module, [image], [{ boxes, labels }]) };
    },
  },
];

/**
 * Exported module classes without a case of their own in {@link LAYER_CASES}, each with the
 * reason: their code runs inside another case's training step, or their fixed, torchvision-sized
 * configuration makes one step cost seconds — beyond the leak tests' CI share.
 *
 * @example
 * ```ts
 * import { LAYER_EXCLUSIONS } from '@tensorgrad/fuzz';
 * LAYER_EXCLUSIONS.ResNet!.startsWith('full-size'); // true
 * ```
 */
export const LAYER_EXCLUSIONS: Readonly<Record<string, string>> = {
  VGG: 'full-size model (torchvision\'s fixed widths, ~10^8 parameters): one step costs seconds; its layers (Conv2d, BatchNorm2d, ReLU, MaxPool2d, AdaptiveAvgPool2d, Linear, Dropout) have cases',
  ResNet: 'full-size model (widths 64…512 fixed by torchvision): one step costs seconds; its blocks (BasicBlock, Bottleneck) have cases',
  UNetVgg16Bn: 'full-size model on a vgg16_bn encoder (~2·10^7 parameters): one step costs seconds; UNet and the VGG layers have cases',
  SSDFeatureExtractorVGG: 'full-size VGG-16 trunk: one step costs seconds; SSD has a case with a small backbone',
  BackboneWithFPN: 'built from a full-size ResNet by resnetFpnBackbone; its parts (IntermediateLayerGetter, FeaturePyramidNetwork) have cases',
  SSDScoringHead: 'the base class of SSDClassificationHead and SSDRegressionHead, whose cases run its forward',
  ExtraFPNBlock: 'abstract base class; LastLevelMaxPool (its implementation) has a case',
  GeneralizedRCNN: 'the base class of FasterRCNN, whose case runs its forward',
  GeneralizedRCNNTransform: 'runs inside the FasterRCNN case (resizing and batching the images)',
  RegionProposalNetwork: 'runs inside the FasterRCNN case (with its losses)',
  RoIHeads: 'runs inside the FasterRCNN case (with its losses)',
  AnchorGenerator: 'runs inside the FasterRCNN case; it has no parameters and no gradient path',
  DefaultBoxGenerator: 'runs inside the SSD case; it has no parameters and no gradient path',
};
