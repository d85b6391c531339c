// torchvision.models.detection.backbone_utils (and models._utils.IntermediateLayerGetter)
import type { Tensor } from '@tensorgrad/tensor';
import { Module, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';
import { FrozenBatchNorm2d, type LayerFactory } from '../../ops/misc.js';
import { ExtraFPNBlock, FeaturePyramidNetwork, LastLevelMaxPool } from '../../ops/feature-pyramid-network.js';
import { ResNet, resnet18, resnet34, resnet50, resnet101, resnet152, type NormLayer, type ResNetBuilderOptions } from '../resnet.js';
import { refuseWeights } from '../weights.js';

const ILG = signature('new IntermediateLayerGetter', ['model', 'returnLayers'], { required: 2 });
const BWF = signature('new BackboneWithFPN', ['backbone', 'returnLayers', 'inChannelsList', 'outChannels', 'extraBlocks', 'normLayer'], { required: 4 });
const RFB_PARAMS = ['backboneName', 'weights', 'normLayer', 'trainableLayers', 'returnedLayers', 'extraBlocks'] as const;
const RFB = signature('resnetFpnBackbone', RFB_PARAMS, { keywordOnly: RFB_PARAMS });

/**
 * Runs a model's children in order up to the last one named in `returnLayers` and returns the
 * outputs of those, renamed (torchvision's `models._utils.IntermediateLayerGetter`). The
 * children are registered under their own names, so state-dict keys are the model's (`conv1.weight`,
 * `layer1.0.conv1.weight`, …) without the children after the last returned one.
 *
 * @example
 * ```ts
 * import { IntermediateLayerGetter } from '@tensorgrad/vision';
 * import { Conv2d, ReLU, Sequential } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const net = new Sequential(new Conv2d(3, 4, 3, { stride: 2, padding: 1 }), new ReLU(), new Conv2d(4, 8, 3, { stride: 2, padding: 1 }), new ReLU());
 * const body = new IntermediateLayerGetter(net, { '1': 'a', '2': 'b' });
 * const out = body(randn([1, 3, 16, 16]));
 * Object.entries(out).map(([k, v]) => [k, v.shape]); // [['a', [1, 4, 8, 8]], ['b', [1, 8, 4, 4]]]
 * Object.keys(body.stateDict()); // ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 */
export class IntermediateLayerGetter extends Module<[Tensor], Record<string, Tensor>> {
  /** Child name → output name. */
  readonly returnLayers: Readonly<Record<string, string>>;

  /** torchvision's `IntermediateLayerGetter(model, return_layers)`. */
  constructor(model: AnyModule, returnLayers: Record<string, string>);
  constructor(...args: unknown[]) {
    super();
    // returnLayers is itself a plain object: taken positionally unless it is { model, returnLayers }
    const positional = args.length === 2 && args[0] instanceof Module && !(args[1] !== null && typeof args[1] === 'object' && 'returnLayers' in args[1]);
    const a = positional ? { model: args[0], returnLayers: args[1] } : parseArgs(ILG, args);
    const owner = 'new IntermediateLayerGetter';
    const model = a.model;
    if (!(model instanceof Module)) throw new TypeError(`${owner}: expected model to be a Module, got ${typeof model}`);
    const returnLayers = a.returnLayers as Record<string, string>;
    if (returnLayers === null || typeof returnLayers !== 'object') throw new TypeError(`${owner}: expected returnLayers to be a record { childName: outputName }, got ${String(returnLayers)}`);
    const children = model.namedChildren();
    const names = new Set(children.map(([n]) => n));
    const missing = Object.keys(returnLayers).filter((k) => !names.has(k));
    if (missing.length) throw new RangeError(`${owner}: returnLayers are not present in model: ${missing.join(', ')} (its children: ${[...names].join(', ')})`);
    const left = new Set(Object.keys(returnLayers));
    for (const [name, child] of children) {
      this.registerModule(name, child);
      left.delete(name);
      if (left.size === 0) break;
    }
    this.returnLayers = { ...returnLayers };
  }

  override forward(x: Tensor): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, child] of this.namedChildren()) {
      x = child(x) as Tensor;
      const as = this.returnLayers[name];
      if (as !== undefined) out[as] = x;
    }
    return out;
  }
}

/**
 * A backbone's intermediate feature maps through a {@link FeaturePyramidNetwork}
 * (torchvision's `BackboneWithFPN`): `body` is an {@link IntermediateLayerGetter} of `backbone`,
 * `fpn` the pyramid (with {@link LastLevelMaxPool} unless `extraBlocks` is given); every level
 * has `outChannels` channels.
 *
 * @example
 * ```ts
 * import { BackboneWithFPN } from '@tensorgrad/vision';
 * import { Conv2d, ReLU, Sequential } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const net = new Sequential(new Conv2d(3, 4, 3, { stride: 2, padding: 1 }), new ReLU(), new Conv2d(4, 8, 3, { stride: 2, padding: 1 }), new ReLU());
 * const bb = new BackboneWithFPN(net, { '1': '0', '3': '1' }, [4, 8], 16);
 * const out = bb(randn([1, 3, 16, 16]));
 * Object.entries(out).map(([k, v]) => [k, v.shape]); // [['0', [1, 16, 8, 8]], ['1', [1, 16, 4, 4]], ['pool', [1, 16, 2, 2]]]
 * bb.outChannels; // 16
 * ```
 */
export class BackboneWithFPN extends Module<[Tensor], Record<string, Tensor>> {
  /** The backbone's layers up to the last returned one. */
  declare body: IntermediateLayerGetter;
  /** The feature pyramid. */
  declare fpn: FeaturePyramidNetwork;
  /** Channels of every output level. */
  readonly outChannels: number;

  /** torchvision's `BackboneWithFPN(backbone, return_layers, in_channels_list, out_channels, extra_blocks=None, norm_layer=None)`, options by name… */
  constructor(
    backbone: AnyModule,
    returnLayers: Record<string, string>,
    inChannelsList: readonly number[],
    outChannels: number,
    options?: { extraBlocks?: ExtraFPNBlock | null; normLayer?: LayerFactory | null },
  );
  /** …or positionally. */
  constructor(
    backbone: AnyModule,
    returnLayers: Record<string, string>,
    inChannelsList: readonly number[],
    outChannels: number,
    extraBlocks?: ExtraFPNBlock | null,
    normLayer?: LayerFactory | null,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(BWF, args);
    this.registerModule('body', new IntermediateLayerGetter(a.backbone as AnyModule, a.returnLayers as Record<string, string>));
    this.registerModule(
      'fpn',
      new FeaturePyramidNetwork(a.inChannelsList as number[], a.outChannels as number, {
        extraBlocks: (a.extraBlocks ?? new LastLevelMaxPool()) as ExtraFPNBlock,
        normLayer: (a.normLayer ?? null) as LayerFactory | null,
      }),
    );
    this.outChannels = a.outChannels as number;
  }

  override forward(x: Tensor): Record<string, Tensor> {
    return this.fpn(this.body(x));
  }
}

/**
 * torchvision's `_resnet_fpn_extractor(backbone, trainable_layers, returned_layers=None,
 * extra_blocks=None, norm_layer=None)`: freezes all but the last `trainableLayers` of
 * `layer4, layer3, layer2, layer1, conv1` (5 also trains `bn1`) and wraps `layer1`–`layer4` (or
 * `returnedLayers`) in a {@link BackboneWithFPN} with 256 channels. Takes ownership of `backbone`:
 * the children the result does not use (`avgpool`, `fc`) are disposed.
 * @internal
 */
export function resnetFpnExtractor(
  backbone: ResNet,
  trainableLayers: number,
  returnedLayers: readonly number[] | null = null,
  extraBlocks: ExtraFPNBlock | null = null,
  normLayer: LayerFactory | null = null,
  owner = 'resnetFpnBackbone',
): BackboneWithFPN {
  if (!Number.isInteger(trainableLayers) || trainableLayers < 0 || trainableLayers > 5) {
    throw new RangeError(`${owner}: trainableLayers should be an integer in [0, 5], got ${String(trainableLayers)}`);
  }
  const toTrain = ['layer4', 'layer3', 'layer2', 'layer1', 'conv1'].slice(0, trainableLayers);
  if (trainableLayers === 5) toTrain.push('bn1');
  for (const [name, p] of backbone.namedParameters()) {
    if (toTrain.every((l) => !name.startsWith(l))) p.requiresGrad = false;
  }
  const returned = returnedLayers ?? [1, 2, 3, 4];
  if (!Array.isArray(returned) || returned.length === 0 || returned.some((k) => !Number.isInteger(k) || k <= 0 || k >= 5)) {
    throw new RangeError(`${owner}: each returned layer should be in [1, 4], got ${JSON.stringify(returned)}`);
  }
  const returnLayers: Record<string, string> = {};
  returned.forEach((k, v) => (returnLayers[`layer${k}`] = String(v)));
  // torchvision: backbone.inplanes // 8 — the channels of layer4's output / 8
  const layer4 = backbone.layer4.at(-1) as AnyModule & { conv3?: { outChannels: number }; conv2: { outChannels: number } };
  const inplanes = (layer4.conv3 ?? layer4.conv2).outChannels;
  const stage2 = Math.trunc(inplanes / 8);
  const inChannelsList = returned.map((i) => stage2 * 2 ** (i - 1));
  const fpn = new BackboneWithFPN(backbone, returnLayers, inChannelsList, 256, extraBlocks ?? new LastLevelMaxPool(), normLayer);
  // the backbone's children after the last returned stage (avgpool, fc) are not part of the result;
  // both callers built the backbone for it alone, so nothing else can reach them: free their tensors
  // (Python's garbage collector does this in torchvision)
  const kept = new Set(fpn.body.namedChildren().map(([, m]) => m));
  for (const [, child] of backbone.namedChildren()) if (!kept.has(child)) child.dispose();
  return fpn;
}

/** Options of {@link resnetFpnBackbone} (torchvision's keywords, camelCase). */
export interface ResnetFpnBackboneOptions {
  /** `'resnet18'`, `'resnet34'`, `'resnet50'`, `'resnet101'` or `'resnet152'`. */
  backboneName: 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101' | 'resnet152';
  /** Only `null` (nothing is downloaded): load a checkpoint with `loadStateDict` afterwards. */
  weights?: null;
  /** The backbone's normalisation (default {@link FrozenBatchNorm2d}). */
  normLayer?: NormLayer;
  /** Trainable stages counted from `layer4` (0–5, default 3); the others' parameters get `requiresGrad = false`. */
  trainableLayers?: number;
  /** Which of layer1–4 feed the pyramid (default `[1, 2, 3, 4]`). */
  returnedLayers?: readonly number[] | null;
  /** Extra pyramid levels (default {@link LastLevelMaxPool}). */
  extraBlocks?: ExtraFPNBlock | null;
}

const RESNETS: Record<string, (o: ResNetBuilderOptions) => ResNet> = { resnet18, resnet34, resnet50, resnet101, resnet152 };

/**
 * A ResNet with a feature pyramid on top, part of it frozen (torchvision's
 * `resnet_fpn_backbone`); its outputs are `'0'`…`'3'` and `'pool'`, 256 channels each.
 *
 * @example
 * ```ts
 * import { resnetFpnBackbone } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const bb = resnetFpnBackbone({ backboneName: 'resnet18', trainableLayers: 1 });
 * Object.values(bb(randn([1, 3, 32, 32]))).map((t) => t.shape[2]); // [8, 4, 2, 1, 1]
 * bb.namedParameters().filter(([n, p]) => n.startsWith('body.layer3') && p.requiresGrad).length; // 0
 * bb.namedParameters().filter(([n, p]) => n.startsWith('body.layer4') && p.requiresGrad).length > 0; // true
 * ```
 */
export function resnetFpnBackbone(options: ResnetFpnBackboneOptions): BackboneWithFPN;
export function resnetFpnBackbone(...args: unknown[]): BackboneWithFPN {
  const a = parseArgs(RFB, args);
  const owner = 'resnetFpnBackbone';
  const name = a.backboneName as string;
  const build = RESNETS[name];
  if (!build) throw new RangeError(`${owner}: backboneName should be one of ${Object.keys(RESNETS).join(', ')}, got ${String(name)}`);
  refuseWeights(owner, a.weights, `${name}-*.pth`);
  const normLayer = (a.normLayer ?? FrozenBatchNorm2d) as NormLayer;
  const backbone = build({ normLayer });
  return resnetFpnExtractor(backbone, (a.trainableLayers ?? 3) as number, (a.returnedLayers ?? null) as number[] | null, (a.extraBlocks ?? null) as ExtraFPNBlock | null, null, owner);
}
