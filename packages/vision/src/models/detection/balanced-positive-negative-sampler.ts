import { defaultGenerator, fromTypedArray, Generator, NotSupportedError, Tensor, type TypedArray } from '@tensorgrad/tensor';
import { CallableInstance } from '@tensorgrad/tensor/backend';
import { parseArgs, signature } from '../../args.js';

const NEW_SAMPLER = signature('new BalancedPositiveNegativeSampler', ['batchSizePerImage', 'positiveFraction', 'generator'], {
  required: 2,
  keywordOnly: ['generator'],
});
const SAMPLER_CALL = signature('BalancedPositiveNegativeSampler.call', []);

/** Options of {@link BalancedPositiveNegativeSampler} (torchvision's keywords, plus `generator`). */
export interface BalancedPositiveNegativeSamplerOptions {
  /** How many elements to select per image (positives and negatives together). */
  batchSizePerImage: number;
  /** The largest fraction of positives among them (`int(batchSizePerImage * positiveFraction)` positives at most). */
  positiveFraction: number;
  /** The random generator to draw from (default: the global one, so `manualSeed(s)` gives torchvision's choice after `torch.manual_seed(s)`). */
  generator?: Generator;
}

/** The per-image `[positive, negative]` masks of a {@link BalancedPositiveNegativeSampler}. */
export type SampledMasks = [positive: Tensor[], negative: Tensor[]];

function checkMatched(op: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.some((t) => !(t instanceof Tensor))) {
    throw new TypeError(`${op}: expected matchedIdxs to be an array of 1-D tensors (one per image: -1 ignored, 0 negative, >= 1 positive), got ${v instanceof Tensor ? 'a Tensor; wrap it in an array' : typeof v}`);
  }
  for (const t of v as Tensor[]) if (t.ndim !== 1) throw new RangeError(`${op}: expected every tensor of matchedIdxs to be 1-D, got [${t.shape.join(', ')}]`);
  return v as Tensor[];
}

/**
 * torchvision's `models.detection._utils.BalancedPositiveNegativeSampler`: for each image's
 * matched indices (`-1` ignored, `0` negative, `>= 1` positive; e.g. labels after matching)
 * selects at random at most `int(batchSizePerImage * positiveFraction)` positives and fills the
 * rest of `batchSizePerImage` with negatives (fewer when there are not enough), returning bool
 * masks `[positive[], negative[]]` of each image's length (torchvision: uint8). The random choice
 * is `randperm` of the given generator, in torchvision's order (positives then negatives, image
 * by image), so after `manualSeed(s)` the selection is torchvision's after `torch.manual_seed(s)`.
 *
 * Calling it (`sampler(matchedIdxs)` or `.call`) reads the indices back synchronously; on a
 * backend that can only read asynchronously (WebGPU) use {@link BalancedPositiveNegativeSampler.callAsync}.
 *
 * @example
 * ```ts
 * import { tensor, Generator } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { BalancedPositiveNegativeSampler } from '@tensorgrad/vision';
 * const sampler = new BalancedPositiveNegativeSampler({ batchSizePerImage: 4, positiveFraction: 0.5, generator: new Generator(0) });
 * const matched = tensor([1, 0, -1, 2, 0, 0, 0, 3], { dtype: 'int32' });
 * const [pos, neg] = sampler([matched]);
 * await pos[0]!.sum().item(); // 2
 * await neg[0]!.sum().item(); // 2
 * // positives only where matched >= 1, negatives only where it is 0 (never the ignored -1)
 * await pos[0]!.int().mul(matched.lt(1).int()).sum().item(); // 0
 * await neg[0]!.int().mul(matched.ne(0).int()).sum().item(); // 0
 * ```
 */
export class BalancedPositiveNegativeSampler extends CallableInstance {
  /** How many elements are selected per image. */
  readonly batchSizePerImage: number;
  /** The largest fraction of positives. */
  readonly positiveFraction: number;
  /** The generator drawn from (`null`: the global one at the time of each call). */
  readonly generator: Generator | null;

  constructor(options: BalancedPositiveNegativeSamplerOptions);
  constructor(batchSizePerImage: number, positiveFraction: number, options?: { generator?: Generator });
  constructor(...args: unknown[]) {
    super();
    const op = 'new BalancedPositiveNegativeSampler';
    const a = parseArgs(NEW_SAMPLER, args);
    const b = a.batchSizePerImage;
    const f = a.positiveFraction;
    if (typeof b !== 'number' || !Number.isSafeInteger(b) || b < 0) throw new TypeError(`${op}: expected batchSizePerImage to be a non-negative integer, got ${String(b)}; e.g. 512`);
    if (typeof f !== 'number' || !(f >= 0 && f <= 1)) throw new RangeError(`${op}: expected positiveFraction in [0, 1], got ${String(f)}; e.g. 0.25`);
    if (a.generator !== undefined && a.generator !== null && !(a.generator instanceof Generator)) {
      throw new TypeError(`${op}: expected generator to be a Generator (new Generator(seed)), got ${typeof a.generator}`);
    }
    this.batchSizePerImage = b;
    this.positiveFraction = f;
    this.generator = (a.generator as Generator | undefined) ?? null;
  }

  /**
   * Samples each image's positives and negatives (synchronous read-back; see the class).
   *
   * @example
   * ```ts
   * import { tensor, manualSeed } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BalancedPositiveNegativeSampler } from '@tensorgrad/vision';
   * manualSeed(0);
   * const [pos, neg] = new BalancedPositiveNegativeSampler(2, 0.5).call([tensor([0, 1, 0], { dtype: 'int32' })]);
   * await pos[0]!.array(); // [false, true, false]
   * await neg[0]!.sum().item(); // 1
   * ```
   */
  call(matchedIdxs: readonly Tensor[], ...rest: unknown[]): SampledMasks {
    parseArgs(SAMPLER_CALL, rest);
    const list = checkMatched('BalancedPositiveNegativeSampler.call', matchedIdxs);
    const data = list.map((t) => {
      if (!t.backendInstance.readSync) {
        throw new NotSupportedError(
          'BalancedPositiveNegativeSampler.call',
          t.backendInstance.name,
          'sync-read',
          `BalancedPositiveNegativeSampler: the number of positives depends on the data, and backend '${t.backendInstance.name}' cannot read it synchronously; use \`await sampler.callAsync(matchedIdxs)\``,
        );
      }
      return t.dataSync();
    });
    return this.sample(list, data);
  }

  /**
   * The asynchronous form of {@link BalancedPositiveNegativeSampler.call}, for every backend.
   *
   * @example
   * ```ts
   * import { tensor, Generator } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BalancedPositiveNegativeSampler } from '@tensorgrad/vision';
   * const s = new BalancedPositiveNegativeSampler(8, 0.25, { generator: new Generator(1) });
   * const [pos, neg] = await s.callAsync([tensor([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], { dtype: 'int32' })]);
   * await pos[0]!.sum().item(); // 2
   * await neg[0]!.sum().item(); // 6
   * ```
   */
  async callAsync(matchedIdxs: readonly Tensor[], ...rest: unknown[]): Promise<SampledMasks> {
    parseArgs({ ...SAMPLER_CALL, name: 'BalancedPositiveNegativeSampler.callAsync' }, rest);
    const list = checkMatched('BalancedPositiveNegativeSampler.callAsync', matchedIdxs);
    const data = await Promise.all(list.map((t) => t.data()));
    return this.sample(list, data);
  }

  private sample(list: readonly Tensor[], data: readonly TypedArray[]): SampledMasks {
    const g = this.generator ?? defaultGenerator;
    const pos: Tensor[] = [];
    const neg: Tensor[] = [];
    for (let i = 0; i < list.length; i++) {
      const v = data[i]!;
      const positive: number[] = [];
      const negative: number[] = [];
      for (let j = 0; j < v.length; j++) {
        if (v[j]! >= 1) positive.push(j);
        else if (v[j] === 0) negative.push(j);
      }
      const numPos = Math.min(positive.length, Math.trunc(this.batchSizePerImage * this.positiveFraction));
      const numNeg = Math.min(negative.length, this.batchSizePerImage - numPos);
      const perm1 = g.permutation(positive.length).slice(0, numPos);
      const perm2 = g.permutation(negative.length).slice(0, numNeg);
      const posMask = new Uint8Array(v.length);
      const negMask = new Uint8Array(v.length);
      for (const k of perm1) posMask[positive[k]!] = 1;
      for (const k of perm2) negMask[negative[k]!] = 1;
      const backend = list[i]!.backend;
      pos.push(fromTypedArray(posMask, [v.length], { dtype: 'bool', backend }));
      neg.push(fromTypedArray(negMask, [v.length], { dtype: 'bool', backend }));
    }
    return [pos, neg];
  }
}

export interface BalancedPositiveNegativeSampler {
  /** Calling the sampler runs {@link BalancedPositiveNegativeSampler.call}: `sampler(matchedIdxs)`. */
  (matchedIdxs: readonly Tensor[]): SampledMasks;
}
