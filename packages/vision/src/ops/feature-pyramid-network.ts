// torchvision.ops.feature_pyramid_network: FeaturePyramidNetwork, ExtraFPNBlock, LastLevelMaxPool
import { interpolate, maxPool2d, type Tensor } from '@tensorgrad/tensor';
import { Conv2d, init, Module, ModuleList } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import { Conv2dNormActivation, type LayerFactory } from './misc.js';

const FPN = signature('new FeaturePyramidNetwork', ['inChannelsList', 'outChannels', 'extraBlocks', 'normLayer'], { required: 2 });

/**
 * Base class of the blocks that add levels on top of a {@link FeaturePyramidNetwork}
 * (torchvision's `ExtraFPNBlock`): `forward(results, x, names)` gets the FPN's outputs, its
 * inputs and their names, and returns the outputs and names with its levels appended.
 *
 * @example
 * ```ts
 * import { ExtraFPNBlock, LastLevelMaxPool } from '@tensorgrad/vision';
 * new LastLevelMaxPool() instanceof ExtraFPNBlock; // true
 * ```
 */
export abstract class ExtraFPNBlock extends Module<[Tensor[], Tensor[], string[]], [Tensor[], string[]]> {
  abstract override forward(results: Tensor[], x: Tensor[], names: string[]): [Tensor[], string[]];
}

/**
 * Adds a level `pool` to a {@link FeaturePyramidNetwork}: `maxPool2d(last, 1, 2, 0)` of its last
 * output (torchvision's `LastLevelMaxPool`, the extra level of Faster R-CNN's FPN).
 *
 * @example
 * ```ts
 * import { LastLevelMaxPool } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const [out, names] = new LastLevelMaxPool()([randn([1, 4, 5, 5])], [], ['0']);
 * names; // ['0', 'pool']
 * out[1]!.shape; // [1, 4, 3, 3]
 * ```
 */
export class LastLevelMaxPool extends ExtraFPNBlock {
  /** torchvision's `LastLevelMaxPool()`. */
  constructor(...args: []) {
    super();
    parseArgs(signature('new LastLevelMaxPool', []), args);
  }

  override forward(results: Tensor[], x: Tensor[], names: string[]): [Tensor[], string[]] {
    void x;
    const last = results[results.length - 1];
    if (!last) throw new RangeError('LastLevelMaxPool: expected at least one feature map, got none');
    return [[...results, maxPool2d(last, 1, { stride: 2, padding: 0 })], [...names, 'pool']];
  }
}

/** Options of {@link FeaturePyramidNetwork}. */
export interface FeaturePyramidNetworkOptions {
  /** Levels added on top (torchvision's `extra_blocks`, e.g. {@link LastLevelMaxPool}; default none). */
  extraBlocks?: ExtraFPNBlock | null;
  /** Normalisation inside the 1×1 and 3×3 blocks (default none). */
  normLayer?: LayerFactory | null;
}

/**
 * Feature Pyramid Network (torchvision's `ops.FeaturePyramidNetwork`, "Feature Pyramid Networks
 * for Object Detection"): for feature maps ordered from the finest to the coarsest, a 1×1
 * `inner_blocks[i]` maps each to `outChannels`; from the coarsest down, the running map is
 * upsampled (nearest) to the next level's size and added to its lateral map; a 3×3
 * `layer_blocks[i]` smooths each sum. Returns the maps under the input names (plus the extra
 * blocks' levels), finest first. Weights: `kaimingUniform_(w, { a: 1 })`, biases 0.
 *
 * @example
 * ```ts
 * import { FeaturePyramidNetwork, LastLevelMaxPool } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const fpn = new FeaturePyramidNetwork([8, 16], 4, { extraBlocks: new LastLevelMaxPool() });
 * const out = fpn({ feat0: randn([1, 8, 8, 8]), feat1: randn([1, 16, 4, 4]) });
 * Object.entries(out).map(([k, v]) => [k, v.shape]); // [['feat0', [1, 4, 8, 8]], ['feat1', [1, 4, 4, 4]], ['pool', [1, 4, 2, 2]]]
 * Object.keys(fpn.stateDict())[0]; // 'inner_blocks.0.0.weight'
 * ```
 */
export class FeaturePyramidNetwork extends Module<[Record<string, Tensor>], Record<string, Tensor>> {
  /** The 1×1 lateral blocks, one per input level. */
  declare inner_blocks: ModuleList;
  /** The 3×3 output blocks, one per input level. */
  declare layer_blocks: ModuleList;
  /** The extra levels' block, or `null`. */
  declare extra_blocks: ExtraFPNBlock | null;

  /** torchvision's `FeaturePyramidNetwork(in_channels_list, out_channels, extra_blocks=None, norm_layer=None)`, options by name… */
  constructor(inChannelsList: readonly number[], outChannels: number, options?: FeaturePyramidNetworkOptions);
  /** …or positionally. */
  constructor(inChannelsList: readonly number[], outChannels: number, extraBlocks?: ExtraFPNBlock | null, normLayer?: LayerFactory | null, options?: FeaturePyramidNetworkOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(FPN, args);
    const owner = 'new FeaturePyramidNetwork';
    const list = a.inChannelsList as readonly number[];
    if (!Array.isArray(list) || list.length === 0 || !list.every((c) => Number.isInteger(c) && c >= 0)) {
      throw new TypeError(`${owner}: expected inChannelsList to be a non-empty list of channel counts, got ${JSON.stringify(list) ?? String(list)}`);
    }
    if (list.includes(0)) throw new RangeError(`${owner}: inChannels = 0 is not supported (as torchvision), got ${JSON.stringify(list)}`);
    const outChannels = a.outChannels as number;
    if (!Number.isInteger(outChannels) || outChannels <= 0) throw new TypeError(`${owner}: expected outChannels to be a positive integer, got ${String(outChannels)}`);
    const extra = a.extraBlocks ?? null;
    if (extra !== null && !(extra instanceof ExtraFPNBlock)) throw new TypeError(`${owner}: extraBlocks should be an ExtraFPNBlock (e.g. new LastLevelMaxPool()) or null, got ${typeof extra}`);
    const normLayer = (a.normLayer ?? null) as LayerFactory | null;
    const inner = new ModuleList();
    const layer = new ModuleList();
    for (const c of list) {
      inner.append(new Conv2dNormActivation(c, outChannels, { kernelSize: 1, padding: 0, normLayer, activationLayer: null }));
      layer.append(new Conv2dNormActivation(outChannels, outChannels, { kernelSize: 3, normLayer, activationLayer: null }));
    }
    this.registerModule('inner_blocks', inner);
    this.registerModule('layer_blocks', layer);
    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingUniform_(m.weight, { a: 1 });
        if (m.bias) init.constant_(m.bias, 0);
      }
    }
    this.registerModule('extra_blocks', extra as ExtraFPNBlock | null);
  }

  override forward(x: Record<string, Tensor>): Record<string, Tensor> {
    let names = Object.keys(x);
    const feats = Object.values(x);
    const n = this.inner_blocks.length;
    if (feats.length !== n) throw new RangeError(`FeaturePyramidNetwork: expected ${n} feature maps (one per inChannelsList entry), got ${feats.length} (${names.join(', ')})`);
    let lastInner = this.inner_blocks.at(n - 1)(feats[n - 1]!) as Tensor;
    let results: Tensor[] = [this.layer_blocks.at(n - 1)(lastInner) as Tensor];
    for (let i = n - 2; i >= 0; i--) {
      const lateral = this.inner_blocks.at(i)(feats[i]!) as Tensor;
      const topDown = interpolate(lastInner, { size: lateral.shape.slice(-2), mode: 'nearest' });
      lastInner = lateral.add(topDown);
      results.unshift(this.layer_blocks.at(i)(lastInner) as Tensor);
    }
    if (this.extra_blocks) [results, names] = this.extra_blocks(results, feats, names);
    const out: Record<string, Tensor> = {};
    names.forEach((k, i) => (out[k] = results[i]!));
    return out;
  }
}
