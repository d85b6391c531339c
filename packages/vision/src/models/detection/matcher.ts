import { any, arange, eq, lt, Tensor, tidy, where } from '@tensorgrad/tensor';
import { CallableInstance } from '@tensorgrad/tensor/backend';
import { parseArgs, signature } from '../../args.js';

const NEW_MATCHER = signature('new Matcher', ['highThreshold', 'lowThreshold', 'allowLowQualityMatches'], { required: 2 });
const NEW_SSD_MATCHER = signature('new SSDMatcher', ['threshold'], { required: 1 });
const MATCHER_CALL = signature('Matcher.call', []);

/** Options of {@link Matcher} (torchvision's keywords). */
export interface MatcherOptions {
  /** Quality values `>= highThreshold` are matches. */
  highThreshold: number;
  /** Values in `[lowThreshold, highThreshold)` become {@link Matcher.BETWEEN_THRESHOLDS}, below it {@link Matcher.BELOW_LOW_THRESHOLD}; must be `<= highThreshold`. */
  lowThreshold: number;
  /** Also match every prediction that is the best one of some ground truth, however low its quality (Faster R-CNN's RPN). Default `false`. */
  allowLowQualityMatches?: boolean;
}

/** Options of {@link SSDMatcher}. */
export interface SSDMatcherOptions {
  /** The single IoU threshold (high = low). */
  threshold: number;
}

function checkMatrix(op: string, m: unknown): asserts m is Tensor {
  if (!(m instanceof Tensor)) throw new TypeError(`${op}: expected matchQualityMatrix to be a [M, N] Tensor (ground truths × predictions, e.g. boxIou(gt, anchors)), got ${typeof m}`);
  if (m.ndim !== 2) throw new RangeError(`${op}: expected matchQualityMatrix of shape [M, N] (ground truths × predictions), got [${m.shape.join(', ')}]`);
  if (m.numel() === 0) {
    // torchvision's ValueErrors (empty targets or proposals are not supported during training)
    throw new RangeError(
      m.shape[0] === 0
        ? `${op}: no ground-truth boxes available for one of the images during training (matchQualityMatrix is [0, ${m.shape[1]}]); give every training image at least one box or leave it out`
        : `${op}: no proposal boxes available for one of the images during training (matchQualityMatrix is [${m.shape[0]}, 0])`,
    );
  }
}

function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: expected ${name} to be a number, got ${String(v)}`);
  return v;
}

/**
 * torchvision's `models.detection._utils.Matcher`: assigns to each prediction (column `n` of an
 * `[M, N]` quality matrix, e.g. `boxIou(gtBoxes, anchors)`) the ground truth (row) of highest
 * quality, or a negative code: {@link Matcher.BELOW_LOW_THRESHOLD} (`-1`) when the best quality is
 * below `lowThreshold`, {@link Matcher.BETWEEN_THRESHOLDS} (`-2`) when it is in
 * `[lowThreshold, highThreshold)`. With `allowLowQualityMatches`, each ground truth's best
 * predictions (ties included) keep their match whatever its quality. Calling the matcher
 * (`matcher(matrix)`, or `matcher.call(matrix)`) returns int32 `[N]` (torchvision: int64); on
 * ties the first ground truth wins. Computed with tensor ops only (no read-back), so it runs on
 * every backend.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Matcher } from '@tensorgrad/vision';
 * const iou = tensor([
 *   [0.9, 0.5, 0.1, 0.2],
 *   [0.1, 0.6, 0.2, 0.35],
 * ]);
 * await new Matcher({ highThreshold: 0.7, lowThreshold: 0.3 })(iou).array(); // [0, -2, -1, -2]
 * await new Matcher(0.7, 0.3, true)(iou).array(); // [0, 1, -1, -2]
 * ```
 */
export class Matcher extends CallableInstance {
  /** The code of predictions whose best quality is below `lowThreshold` (`-1`). */
  static readonly BELOW_LOW_THRESHOLD = -1;
  /** The code of predictions whose best quality is in `[lowThreshold, highThreshold)` (`-2`). */
  static readonly BETWEEN_THRESHOLDS = -2;
  /** `-1`, as the class constant (torchvision sets it on instances too). */
  readonly BELOW_LOW_THRESHOLD = -1;
  /** `-2`, as the class constant. */
  readonly BETWEEN_THRESHOLDS = -2;
  /** Quality values `>= highThreshold` are matches. */
  readonly highThreshold: number;
  /** The lower threshold. */
  readonly lowThreshold: number;
  /** Whether each ground truth's best predictions are always matched. */
  readonly allowLowQualityMatches: boolean;

  constructor(options: MatcherOptions);
  constructor(highThreshold: number, lowThreshold: number, allowLowQualityMatches?: boolean);
  constructor(...args: unknown[]) {
    super();
    const op = `new ${new.target.name}`;
    const a = parseArgs({ ...NEW_MATCHER, name: op }, args);
    this.highThreshold = checkNumber(op, 'highThreshold', a.highThreshold);
    this.lowThreshold = checkNumber(op, 'lowThreshold', a.lowThreshold);
    if (this.lowThreshold > this.highThreshold) {
      throw new RangeError(`${op}: expected lowThreshold <= highThreshold, got lowThreshold ${this.lowThreshold} and highThreshold ${this.highThreshold}`);
    }
    const allow = a.allowLowQualityMatches ?? false;
    if (typeof allow !== 'boolean') throw new TypeError(`${op}: expected allowLowQualityMatches to be a boolean, got ${String(allow)}`);
    this.allowLowQualityMatches = allow;
  }

  /**
   * The matched ground-truth index (or negative code) of every prediction: int32 `[N]` for an
   * `[M, N]` quality matrix. Throws a RangeError for an empty matrix, as torchvision does.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { Matcher } from '@tensorgrad/vision';
   * await new Matcher(0.5, 0.5).call(tensor([[0.2, 0.8]])).array(); // [-1, 0]
   * ```
   */
  call(matchQualityMatrix: Tensor, ...rest: unknown[]): Tensor {
    parseArgs({ ...MATCHER_CALL, name: `${this.constructor.name}.call` }, rest);
    checkMatrix(`${this.constructor.name}.call`, matchQualityMatrix);
    return tidy(() => {
      const { values, indices } = matchQualityMatrix.max(0);
      let matches = where(lt(values, this.lowThreshold), this.BELOW_LOW_THRESHOLD, where(lt(values, this.highThreshold), this.BETWEEN_THRESHOLDS, indices));
      if (this.allowLowQualityMatches) {
        // every prediction that is (one of) the best of some ground truth keeps its match
        const best = matchQualityMatrix.max(1, true).values; // [M, 1]
        const isBest = any(eq(matchQualityMatrix, best), { dim: 0 }); // [N]
        matches = where(isBest, indices, matches);
      }
      return matches.to('int32');
    });
  }
}

export interface Matcher {
  /** Calling a matcher runs {@link Matcher.call}: `matcher(matchQualityMatrix)`, as torchvision's `__call__`. */
  (matchQualityMatrix: Tensor): Tensor;
}

/**
 * torchvision's `models.detection._utils.SSDMatcher`: a {@link Matcher} with one threshold
 * (high = low, so no {@link Matcher.BETWEEN_THRESHOLDS}), after which every ground truth `m` is
 * matched to its best prediction whatever the quality (that prediction's match is set to `m`;
 * when two ground truths share a best prediction, the later one wins, as torchvision on CPU).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SSDMatcher } from '@tensorgrad/vision';
 * const iou = tensor([
 *   [0.6, 0.2, 0.1],
 *   [0.1, 0.3, 0.2],
 * ]);
 * await new SSDMatcher({ threshold: 0.5 })(iou).array(); // [0, 1, -1]
 * ```
 */
export class SSDMatcher extends Matcher {
  constructor(options: SSDMatcherOptions);
  constructor(threshold: number);
  constructor(...args: unknown[]) {
    const a = parseArgs(NEW_SSD_MATCHER, args);
    const t = checkNumber('new SSDMatcher', 'threshold', a.threshold);
    super(t, t, false);
  }

  /**
   * The matches of {@link Matcher.call}, then each ground truth's best prediction set to it.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { SSDMatcher } from '@tensorgrad/vision';
   * await new SSDMatcher(0.5).call(tensor([[0.1, 0.2]])).array(); // [-1, 0]
   * ```
   */
  override call(matchQualityMatrix: Tensor, ...rest: unknown[]): Tensor {
    const matches = super.call(matchQualityMatrix, ...rest);
    try {
      return this.matchBestPredictions(matchQualityMatrix, matches);
    } finally {
      matches.dispose();
    }
  }

  private matchBestPredictions(matchQualityMatrix: Tensor, matches: Tensor): Tensor {
    return tidy(() => {
      const [m, n] = matchQualityMatrix.shape as [number, number];
      const bestPred = matchQualityMatrix.argmax({ dim: 1, keepdim: true }); // [M, 1]
      const hit = eq(bestPred, arange(n, { dtype: 'int32', backend: matchQualityMatrix.backend }).reshape(1, n)); // [M, N]
      // the last ground truth whose best prediction is n (torchvision's index_put on CPU: last write wins)
      const gtIds = arange(m, { dtype: 'int32', backend: matchQualityMatrix.backend }).reshape(m, 1);
      const lastGt = where(hit, gtIds, -1).max(0).values; // [N]
      return where(any(hit, { dim: 0 }), lastGt, matches).to('int32');
    });
  }
}
