import { add, div, eye, keep, mul, ne, sub, sum, tidy, where, zeros, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkCommon, countsOf } from './multiclass-confusion-matrix.js';

const PARAMS = ['numClasses', 'average', 'ignoreIndex', 'validateArgs', 'zeroDivision'] as const;
const FN = signature('multiclassJaccardIndex', PARAMS, { required: 1 });
const CLS = signature('new MulticlassJaccardIndex', PARAMS, { required: 1 });

/** How the per-class scores are reduced (torchmetrics' `average`). */
export type MulticlassAverage = 'micro' | 'macro' | 'weighted' | 'none' | null;

/** Options of {@link multiclassJaccardIndex} and {@link MulticlassJaccardIndex} (torchmetrics' keywords, camelCase). */
export interface MulticlassJaccardIndexOptions {
  /** Number of classes C (required). */
  numClasses?: number;
  /**
   * `'macro'` (default): the mean IoU over the classes present in the target or the prediction
   * (and not `ignoreIndex`); `'micro'`: the summed intersections over the summed unions;
   * `'weighted'`: the mean weighted by each class's target pixels; `'none'`/`null`: the `[C]`
   * per-class IoUs.
   */
  average?: MulticlassAverage;
  /** Target value whose pixels are left out (and a class excluded from the macro mean). */
  ignoreIndex?: number | null;
  /** Check that targets and predictions are classes in [0, C) (default true). */
  validateArgs?: boolean;
  /** The score of a class with an empty union (default 0). */
  zeroDivision?: number;
}

interface Parsed {
  numClasses: number;
  average: Exclude<MulticlassAverage, null>;
  ignoreIndex: number | null;
  validateArgs: boolean;
  zeroDivision: number;
}

function parse(op: string, a: Record<string, unknown>): Parsed {
  checkCommon(op, a.numClasses, a.ignoreIndex, a.validateArgs);
  const average = a.average === undefined ? 'macro' : a.average === null ? 'none' : (a.average as string);
  if (!['micro', 'macro', 'weighted', 'none'].includes(average)) {
    throw new RangeError(`${op}: expected average to be 'micro', 'macro', 'weighted', 'none' or null, got ${JSON.stringify(a.average) ?? String(a.average)}`);
  }
  const zeroDivision = a.zeroDivision ?? 0;
  if (typeof zeroDivision !== 'number') throw new TypeError(`${op}: expected zeroDivision to be a number, got ${typeof zeroDivision}`);
  return {
    numClasses: a.numClasses as number,
    average: average as Parsed['average'],
    ignoreIndex: (a.ignoreIndex as number | null | undefined) ?? null,
    validateArgs: (a.validateArgs as boolean | undefined) ?? true,
    zeroDivision,
  };
}

/** torchmetrics' `_jaccard_index_reduce` on int32 counts `[C, C]`: float32 scalar or `[C]`. */
function reduce(counts: Tensor, p: Parsed): Tensor {
  return tidy(() => {
    const c = p.numClasses;
    const cm = counts.float();
    const rows = sum(cm, 1); // target pixels per class
    const cols = sum(cm, 0); // predicted pixels per class
    const tp = sum(mul(cm, eye(c, { backend: cm.backend })), 1);
    const union = sub(add(rows, cols), tp);
    const ignored = p.ignoreIndex !== null && p.ignoreIndex >= 0 && p.ignoreIndex < c ? p.ignoreIndex : -1;
    if (p.average === 'micro') {
      // the ignored class's union is taken out of the denominator, as torchmetrics
      const unionKept = ignored >= 0 ? sub(sum(union), union.narrow(0, ignored, 1).sum()) : sum(union);
      const num = sum(tp);
      return where(ne(unionKept, 0), div(num, where(ne(unionKept, 0), unionKept, 1)), p.zeroDivision);
    }
    const iou = where(ne(union, 0), div(tp, where(ne(union, 0), union, 1)), p.zeroDivision);
    if (p.average === 'none') return iou;
    let weights: Tensor;
    if (p.average === 'weighted') {
      weights = rows;
    } else {
      weights = where(ne(union, 0), 1, 0).float();
      if (ignored >= 0) weights = mul(weights, sub(1, eye(c, { backend: cm.backend }).select(0, ignored)));
    }
    return div(sum(mul(weights, iou)), sum(weights));
  });
}

/**
 * The Jaccard index (intersection over union, IoU) of a multiclass segmentation, torchmetrics'
 * `multiclass_jaccard_index(preds, target, num_classes, average='macro', ignore_index=None,
 * validate_args=True, zero_division=0)`: for each class c, `|pred = c ∧ target = c| / |pred = c ∨
 * target = c|` over all pixels, from {@link multiclassConfusionMatrix}; `average: 'none'` gives
 * the per-class IoUs `[C]`, `'macro'` (default) their mean over the classes that occur (the
 * "mean IoU" of segmentation papers), `'micro'` and `'weighted'` as torchmetrics. `preds` are int32
 * labels shaped as `target` or `[N, C, …]` scores. To accumulate over a data set use
 * {@link MulticlassJaccardIndex}.
 *
 * @example
 * ```ts
 * import { multiclassJaccardIndex } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const target = tensor([[0, 0, 1, 1]], { dtype: 'int32' });
 * const preds = tensor([[0, 1, 1, 1]], { dtype: 'int32' });
 * await multiclassJaccardIndex(preds, target, 3, 'none').array(); // [0.5, 0.6666666865348816, 0]
 * await multiclassJaccardIndex(preds, target, { numClasses: 3 }).item(); // 0.5833333730697632
 * ```
 */
export function multiclassJaccardIndex(preds: Tensor, target: Tensor, options: MulticlassJaccardIndexOptions): Tensor;
/** torchmetrics' positional form `(preds, target, num_classes, average, ignore_index, validate_args, zero_division)`. */
export function multiclassJaccardIndex(
  preds: Tensor,
  target: Tensor,
  numClasses: number,
  average?: MulticlassAverage,
  ignoreIndex?: number | null,
  validateArgs?: boolean,
  zeroDivision?: number,
  options?: MulticlassJaccardIndexOptions,
): Tensor;
export function multiclassJaccardIndex(preds: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const op = 'multiclassJaccardIndex';
  const p = parse(op, parseArgs(FN, args));
  const counts = countsOf(op, preds, target, p.numClasses, p.ignoreIndex, p.validateArgs);
  const out = reduce(counts, p);
  counts.dispose();
  return out;
}

/**
 * The Jaccard index accumulated over batches, torchmetrics' `MulticlassJaccardIndex(num_classes,
 * average='macro', ignore_index=None, …)`: `update(preds, target)` adds a batch's confusion
 * counts (tensor ops on the inputs' backend, kept outside any `tidy`), `compute()` gives the
 * index as {@link multiclassJaccardIndex} would on everything seen so far, `confmat` the
 * accumulated int32 `[C, C]` counts (rows: target, columns: prediction; pixel accuracy is its
 * trace over its sum), `reset()` starts again and `dispose()` frees the counts.
 *
 * @example
 * ```ts
 * import { MulticlassJaccardIndex } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const miou = new MulticlassJaccardIndex({ numClasses: 2, average: 'none' });
 * miou.update(tensor([[0, 1]], { dtype: 'int32' }), tensor([[0, 1]], { dtype: 'int32' }));
 * miou.update(tensor([[1, 1]], { dtype: 'int32' }), tensor([[0, 1]], { dtype: 'int32' }));
 * await miou.compute().array(); // [0.5, 0.6666666865348816]
 * await miou.confmat.array(); // [[1, 1], [0, 2]]
 * miou.reset();
 * miou.updates; // 0
 * ```
 */
export class MulticlassJaccardIndex {
  /** Number of classes. */
  readonly numClasses: number;
  /** The reduction of {@link MulticlassJaccardIndex.compute}. */
  readonly average: Exclude<MulticlassAverage, null>;
  /** The ignored target value, or null. */
  readonly ignoreIndex: number | null;
  /** Batches added since the last reset. */
  updates = 0;
  private readonly parsed: Parsed;
  private counts: Tensor | null = null;

  /** torchmetrics' `MulticlassJaccardIndex(num_classes, average, ignore_index, validate_args, zero_division)` positionally… */
  constructor(numClasses: number, average?: MulticlassAverage, ignoreIndex?: number | null, validateArgs?: boolean, zeroDivision?: number, options?: MulticlassJaccardIndexOptions);
  /** …or by name. */
  constructor(options: MulticlassJaccardIndexOptions);
  constructor(...args: unknown[]) {
    this.parsed = parse('new MulticlassJaccardIndex', parseArgs(CLS, args));
    this.numClasses = this.parsed.numClasses;
    this.average = this.parsed.average;
    this.ignoreIndex = this.parsed.ignoreIndex;
  }

  /** Adds a batch: `preds` int32 labels shaped as `target`, or `[N, C, …]` scores; `target` int32 class indices. */
  update(preds: Tensor, target: Tensor): void {
    const op = 'MulticlassJaccardIndex.update';
    const counts = countsOf(op, preds, target, this.numClasses, this.ignoreIndex, this.parsed.validateArgs);
    const prev = this.counts;
    if (prev && prev.backend !== counts.backend) {
      counts.dispose();
      throw new RangeError(`${op}: expected every batch on the backend of the first one ('${prev.backend}'), got '${target.backend}'; move it with .to('${prev.backend}') or reset()`);
    }
    this.counts = keep(prev ? add(prev, counts) : counts);
    if (prev) {
      prev.dispose();
      counts.dispose();
    }
    this.updates++;
  }

  /** The accumulated int32 `[C, C]` confusion counts (a view the metric owns; zeros before any update). */
  get confmat(): Tensor {
    if (!this.counts) this.counts = keep(confusionCountsEmpty(this.numClasses));
    return this.counts;
  }

  /** The Jaccard index of everything added since the last reset (a new tensor). */
  compute(): Tensor {
    if (this.updates === 0) {
      throw new RangeError('MulticlassJaccardIndex.compute: no batch was added; call update(preds, target) first');
    }
    return reduce(this.confmat, this.parsed);
  }

  /** Forgets the batches added so far. */
  reset(): void {
    this.counts?.dispose();
    this.counts = null;
    this.updates = 0;
  }

  /** Frees the accumulated counts (the same as {@link MulticlassJaccardIndex.reset}). */
  dispose(): void {
    this.reset();
  }
}

function confusionCountsEmpty(c: number): Tensor {
  return zeros([c, c], { dtype: 'int32' });
}
