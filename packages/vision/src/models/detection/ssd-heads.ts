// torchvision's `models/detection/ssd.py`: the heads (SSDHead, SSDScoringHead and its two kinds)
// and the VGG feature extractor. The detector itself (`SSD`, `ssd300Vgg16`) is in ssd.ts.
import { cat, clamp, div, mul, norm, ones, type Tensor } from '@tensorgrad/tensor';
import { Conv2d, init, MaxPool2d, Module, ModuleList, Parameter, ReLU, Sequential, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';

const HEAD = signature('new SSDHead', ['inChannels', 'numAnchors', 'numClasses'], { required: 3 });
const CLS_HEAD = signature('new SSDClassificationHead', ['inChannels', 'numAnchors', 'numClasses'], { required: 3 });
const REG_HEAD = signature('new SSDRegressionHead', ['inChannels', 'numAnchors'], { required: 2 });
const SCORING = signature('new SSDScoringHead', ['moduleList', 'numColumns'], { required: 2 });
const VGG_EXTRACTOR = signature('new SSDFeatureExtractorVGG', ['backbone', 'highres'], { required: 2 });

/** torchvision's `_xavier_init`: every `Conv2d` in `m` gets Xavier-uniform weights and zero biases. @internal */
export function xavierInit(m: AnyModule): void {
  for (const layer of m.modules()) {
    if (layer instanceof Conv2d) {
      init.xavierUniform_(layer.weight);
      if (layer.bias) init.constant_(layer.bias, 0);
    }
  }
}

function positiveInts(op: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && (x as number) > 0)) {
    throw new TypeError(`${op}: expected ${name} to be a non-empty array of positive integers (one per feature map), got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

function checkPairs(op: string, inChannels: unknown, numAnchors: unknown): [number[], number[]] {
  const c = positiveInts(op, 'inChannels', inChannels);
  const a = positiveInts(op, 'numAnchors', numAnchors);
  if (c.length !== a.length) throw new RangeError(`${op}: expected inChannels and numAnchors to have one entry per feature map each, got ${c.length} and ${a.length}`);
  return [c, a];
}

function features(op: string, x: unknown): Tensor[] {
  if (!Array.isArray(x)) throw new TypeError(`${op}: expected an array of feature maps [N, C, H, W], one per level, got ${typeof x}`);
  return x as Tensor[];
}

/**
 * A head run on every feature map (torchvision's `SSDScoringHead`): `module_list[i]` maps feature
 * map `i` `[N, A·K, H, W]`, whose outputs are reordered to `[N, H·W·A, K]` and concatenated over
 * the maps to `[N, ΣHWA, K]` (`K = numColumns`).
 *
 * @example
 * ```ts
 * import { SSDScoringHead } from '@tensorgrad/vision';
 * import { Conv2d, ModuleList } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const head = new SSDScoringHead(new ModuleList([new Conv2d(8, 2 * 3, 1), new Conv2d(4, 4 * 3, 1)]), 3);
 * head.call([zeros([1, 8, 4, 4]), zeros([1, 4, 2, 2])]).shape; // [1, 48, 3]
 * ```
 */
export class SSDScoringHead extends Module<[Tensor[]], Tensor> {
  /** One module per feature map (torchvision's `module_list`). */
  declare module_list: ModuleList;
  /** Columns of the output: the classes, or 4 box coordinates. */
  readonly numColumns: number;

  /** torchvision's `SSDScoringHead(module_list, num_columns)`. */
  constructor(moduleList: ModuleList, numColumns: number);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(SCORING, args);
    if (!(a.moduleList instanceof ModuleList)) throw new TypeError(`new SSDScoringHead: expected moduleList to be a ModuleList (one module per feature map), got ${typeof a.moduleList}`);
    if (!Number.isInteger(a.numColumns) || (a.numColumns as number) <= 0) throw new TypeError(`new SSDScoringHead: expected numColumns to be a positive integer, got ${String(a.numColumns)}`);
    this.registerModule('module_list', a.moduleList);
    this.numColumns = a.numColumns as number;
  }

  override forward(x: Tensor[]): Tensor {
    const maps = features(`${this.constructor.name}.forward`, x);
    if (maps.length !== this.module_list.length) {
      throw new RangeError(`${this.constructor.name}.forward: expected ${this.module_list.length} feature maps (one per module), got ${maps.length}`);
    }
    const k = this.numColumns;
    const all = maps.map((f, i) => {
      const r = this.module_list.at(i)(f) as Tensor;
      const [n, , h, w] = r.shape as [number, number, number, number];
      // [N, A·K, H, W] → [N, A, K, H, W] → [N, H, W, A, K] → [N, H·W·A, K]
      return r.reshape([n, -1, k, h, w]).permute([0, 3, 4, 1, 2]).reshape([n, -1, k]);
    });
    return all.length === 1 ? all[0]! : cat(all, 1);
  }
}

/**
 * SSD's classification head (torchvision's `SSDClassificationHead`): a 3×3 convolution (padding 1)
 * per feature map to `numClasses · numAnchors[i]` channels, Xavier-uniform initialised; outputs the
 * class logits `[N, ΣHWA, numClasses]` (class 0 is the background).
 *
 * @example
 * ```ts
 * import { SSDClassificationHead } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const head = new SSDClassificationHead([8, 4], [4, 6], 11);
 * head.call([zeros([2, 8, 3, 3]), zeros([2, 4, 1, 1])]).shape; // [2, 42, 11]
 * Object.keys(head.stateDict()); // ['module_list.0.weight', 'module_list.0.bias', 'module_list.1.weight', 'module_list.1.bias']
 * ```
 */
export class SSDClassificationHead extends SSDScoringHead {
  /** torchvision's `SSDClassificationHead(in_channels, num_anchors, num_classes)`. */
  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number);
  constructor(...args: unknown[]) {
    const a = parseArgs(CLS_HEAD, args);
    const [c, n] = checkPairs('new SSDClassificationHead', a.inChannels, a.numAnchors);
    const k = a.numClasses;
    if (!Number.isInteger(k) || (k as number) <= 0) throw new TypeError(`new SSDClassificationHead: expected numClasses to be a positive integer (including the background), got ${String(k)}`);
    const list = new ModuleList(c.map((ch, i) => new Conv2d(ch, (k as number) * n[i]!, 3, { padding: 1 })));
    xavierInit(list);
    super(list, k as number);
  }
}

/**
 * SSD's box regression head (torchvision's `SSDRegressionHead`): a 3×3 convolution (padding 1) per
 * feature map to `4 · numAnchors[i]` channels, Xavier-uniform initialised; outputs the box
 * offsets `[N, ΣHWA, 4]` relative to the default boxes (decoded by a `BoxCoder`).
 *
 * @example
 * ```ts
 * import { SSDRegressionHead } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new SSDRegressionHead([8], [4]).call([zeros([1, 8, 5, 5])]).shape; // [1, 100, 4]
 * ```
 */
export class SSDRegressionHead extends SSDScoringHead {
  /** torchvision's `SSDRegressionHead(in_channels, num_anchors)`. */
  constructor(inChannels: readonly number[], numAnchors: readonly number[]);
  constructor(...args: unknown[]) {
    const a = parseArgs(REG_HEAD, args);
    const [c, n] = checkPairs('new SSDRegressionHead', a.inChannels, a.numAnchors);
    const list = new ModuleList(c.map((ch, i) => new Conv2d(ch, 4 * n[i]!, 3, { padding: 1 })));
    xavierInit(list);
    super(list, 4);
  }
}

/** What {@link SSDHead} returns: torchvision's keys. */
export interface SSDHeadOutput {
  /** Box offsets `[N, ΣHWA, 4]`. */
  bbox_regression: Tensor;
  /** Class logits `[N, ΣHWA, numClasses]`. */
  cls_logits: Tensor;
}

/**
 * SSD's head (torchvision's `SSDHead`): a {@link SSDClassificationHead} `classification_head` and
 * a {@link SSDRegressionHead} `regression_head` over the same feature maps; returns
 * `{ bbox_regression, cls_logits }`.
 *
 * @example
 * ```ts
 * import { SSDHead } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const head = new SSDHead([16, 8], [4, 4], 3);
 * const out = head.call([zeros([1, 16, 4, 4]), zeros([1, 8, 2, 2])]);
 * [out.bbox_regression.shape, out.cls_logits.shape]; // [[1, 80, 4], [1, 80, 3]]
 * ```
 */
export class SSDHead extends Module<[Tensor[]], SSDHeadOutput> {
  /** The class logits head. */
  declare classification_head: SSDClassificationHead;
  /** The box regression head. */
  declare regression_head: SSDRegressionHead;

  /** torchvision's `SSDHead(in_channels, num_anchors, num_classes)`. */
  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(HEAD, args);
    this.registerModule('classification_head', new SSDClassificationHead(a.inChannels as number[], a.numAnchors as number[], a.numClasses as number));
    this.registerModule('regression_head', new SSDRegressionHead(a.inChannels as number[], a.numAnchors as number[]));
  }

  override forward(x: Tensor[]): SSDHeadOutput {
    return { bbox_regression: this.regression_head.call(x), cls_logits: this.classification_head.call(x) };
  }
}

/**
 * SSD300's backbone (torchvision's `SSDFeatureExtractorVGG`): the `features` of a VGG-16 up to
 * conv4_3 (`features`, with the third max pooling in ceil mode), whose output is L2-normalised over
 * the channels and scaled by the learnt `scale_weight` (512 values, initially 20); then `extra`:
 * conv5_3 with the atrous fc6/fc7 convolutions, and four (five with `highres`, SSD512) blocks of a
 * 1×1 and a 3×3 convolution. Returns the 6 (7) feature maps as `{ '0': …, '1': …, … }`;
 * `outChannels` lists their channels.
 *
 * @example
 * ```ts
 * import { SSDFeatureExtractorVGG, makeLayers, vggConfigs } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * const b = new SSDFeatureExtractorVGG(makeLayers(vggConfigs.D), false);
 * b.outChannels; // [512, 1024, 512, 256, 256, 256]
 * b.namedChildren().map(([n]) => n); // ['features', 'extra']
 * b.stateDict()['extra.0.7.1.weight']!.shape; // [1024, 512, 3, 3]
 * ```
 */
export class SSDFeatureExtractorVGG extends Module<[Tensor], Record<string, Tensor>> {
  /** The L2-norm scale of the conv4_3 features (torchvision's `scale_weight`). */
  declare scale_weight: Parameter;
  /** VGG-16's layers up to conv4_3. */
  declare features: Sequential;
  /** The blocks after conv4_3, one per further feature map. */
  declare extra: ModuleList;
  /** Channels of every output feature map. */
  readonly outChannels: number[];

  /** torchvision's `SSDFeatureExtractorVGG(backbone, highres)`: `backbone` is a VGG-16's `features` (a `Sequential`). */
  constructor(backbone: Sequential, highres: boolean);
  constructor(options: { backbone: Sequential; highres: boolean });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(VGG_EXTRACTOR, args);
    const op = 'new SSDFeatureExtractorVGG';
    const backbone = a.backbone;
    if (!(backbone instanceof Sequential)) throw new TypeError(`${op}: expected backbone to be a VGG's features (a Sequential, e.g. makeLayers(vggConfigs.D)), got ${typeof backbone}`);
    if (typeof a.highres !== 'boolean') throw new TypeError(`${op}: expected highres to be a boolean, got ${typeof a.highres}`);
    const layers = [...backbone] as AnyModule[];
    const pools = layers.flatMap((m, i) => (m instanceof MaxPool2d ? [i] : []));
    if (pools.length !== 5) throw new RangeError(`${op}: expected a VGG backbone with 5 max poolings, got ${pools.length}`);
    const [, , pool3, pool4] = pools as [number, number, number, number, number];
    // torchvision patches ceil_mode of the third max pooling to get the paper's 38×38 conv4_3
    const p3 = layers[pool3] as MaxPool2d;
    layers[pool3] = new MaxPool2d(p3.kernelSize, { ...p3.options, ceilMode: true });
    this.registerParameter('scale_weight', new Parameter(mul(ones([512]), 20)));
    this.registerModule('features', new Sequential(...layers.slice(0, pool4)));
    const block = (cin: number, mid: number, cout: number, k: number, stride: number, padding: number): Sequential =>
      new Sequential(new Conv2d(cin, mid, 1), new ReLU(), new Conv2d(mid, cout, k, { padding, stride }), new ReLU());
    const extra = new ModuleList([
      block(1024, 256, 512, 3, 2, 1), // conv8_2
      block(512, 128, 256, 3, 2, 1), // conv9_2
      block(256, 128, 256, 3, 1, 0), // conv10_2
      block(256, 128, 256, 3, 1, 0), // conv11_2
    ]);
    if (a.highres) extra.append(block(256, 128, 256, 4, 1, 0)); // conv12_2 of SSD512
    xavierInit(extra);
    const fc = new Sequential(
      new MaxPool2d(3, { stride: 1, padding: 1 }), // the modified pool5
      new Conv2d(512, 1024, 3, { padding: 6, dilation: 6 }), // fc6, atrous
      new ReLU(),
      new Conv2d(1024, 1024, 1), // fc7
      new ReLU(),
    );
    xavierInit(fc);
    // until conv5_3 (the last max pooling is skipped), then fc6/fc7
    const first = new Sequential(...layers.slice(pool4, -1), fc);
    this.registerModule('extra', new ModuleList([first, ...extra]));
    this.outChannels = [512, 1024, 512, 256, 256, 256, ...(a.highres ? [256] : [])];
  }

  override forward(x: Tensor): Record<string, Tensor> {
    let y = this.features(x) as Tensor;
    // F.normalize(y): y / max(‖y‖₂ over the channels, 1e-12)
    const rescaled = mul(this.scale_weight.reshape([1, -1, 1, 1]), div(y, clamp(norm(y, { dim: 1, keepdim: true }), { min: 1e-12 })));
    const out: Record<string, Tensor> = { '0': rescaled };
    let i = 1;
    for (const block of this.extra) {
      y = block(y) as Tensor;
      out[String(i++)] = y;
    }
    return out;
  }
}
