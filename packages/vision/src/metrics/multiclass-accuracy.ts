import { div, eye, mul, ne, sum, tidy, where, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from '../args.js';
import { checkCommon, countsOf } from './multiclass-confusion-matrix.js';
import type { MulticlassAverage } from './multiclass-jaccard-index.js';

const SIG = signature('multiclassAccuracy', ['numClasses', 'average', 'topK', 'multidimAverage', 'ignoreIndex', 'validateArgs'], { required: 1 });

/** Options of {@link multiclassAccuracy} (torchmetrics' keywords, camelCase). */
export interface MulticlassAccuracyOptions {
  /** Number of classes C (required). */
  numClasses?: number;
  /**
   * `'micro'`: correct pixels over all pixels (the "pixel accuracy" of segmentation); `'macro'`
   * (default, as torchmetrics): the mean per-class recall over the classes that occur;
   * `'weighted'`: weighted by each class's target pixels; `'none'`/`null`: the `[C]` recalls.
   */
  average?: MulticlassAverage;
  /** Only 1 (the argmax) is supported. */
  topK?: number;
  /** Only `'global'` is supported. */
  multidimAverage?: 'global';
  /** Target value whose pixels are left out. */
  ignoreIndex?: number | null;
  /** Check that targets and predictions are classes in [0, C) (default true). */
  validateArgs?: boolean;
}

/**
 * Multiclass accuracy, torchmetrics' `multiclass_accuracy(preds, target, num_classes,
 * average='macro', top_k=1, multidim_average='global', ignore_index=None)`: with
 * `average: 'micro'` the fraction of pixels whose predicted class is the target's (segmentation's
 * pixel accuracy), with `'macro'` the mean of the per-class recalls `tp / (tp + fn)` over the
 * classes that occur in the target or the prediction, `'none'` those recalls. `preds` are int32
 * labels shaped as `target` or `[N, C, …]` scores; `ignoreIndex` pixels are left out.
 *
 * @example
 * ```ts
 * import { multiclassAccuracy } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const target = tensor([[0, 0, 1, 1, 9]], { dtype: 'int32' });
 * const preds = tensor([[0, 1, 1, 1, 0]], { dtype: 'int32' });
 * await multiclassAccuracy(preds, target, { numClasses: 2, average: 'micro', ignoreIndex: 9 }).item(); // 0.75
 * await multiclassAccuracy(preds, target, 2, 'none', 1, 'global', 9).array(); // [0.5, 1]
 * ```
 */
export function multiclassAccuracy(preds: Tensor, target: Tensor, options: MulticlassAccuracyOptions): Tensor;
/** torchmetrics' positional form `(preds, target, num_classes, average, top_k, multidim_average, ignore_index, validate_args)`. */
export function multiclassAccuracy(
  preds: Tensor,
  target: Tensor,
  numClasses: number,
  average?: MulticlassAverage,
  topK?: number,
  multidimAverage?: 'global',
  ignoreIndex?: number | null,
  validateArgs?: boolean,
  options?: MulticlassAccuracyOptions,
): Tensor;
export function multiclassAccuracy(preds: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const op = 'multiclassAccuracy';
  const a = parseArgs(SIG, args);
  checkCommon(op, a.numClasses, a.ignoreIndex, a.validateArgs);
  refuseUnsupported(op, 'topK', a.topK, [1], 'take the top-k yourself: topk(scores, k, { dim: 1 }) and compare with the target');
  refuseUnsupported(op, 'multidimAverage', a.multidimAverage, ['global'], 'compute it per sample by calling multiclassAccuracy on each sample');
  const average = a.average === undefined ? 'macro' : a.average === null ? 'none' : (a.average as string);
  if (!['micro', 'macro', 'weighted', 'none'].includes(average)) {
    throw new RangeError(`${op}: expected average to be 'micro', 'macro', 'weighted', 'none' or null, got ${JSON.stringify(a.average) ?? String(a.average)}`);
  }
  const c = a.numClasses as number;
  const counts = countsOf(op, preds, target, c, (a.ignoreIndex as number | null | undefined) ?? null, (a.validateArgs as boolean | undefined) ?? true);
  const out = tidy(() => {
    const cm = counts.float();
    const rows = sum(cm, 1);
    const cols = sum(cm, 0);
    const tp = sum(mul(cm, eye(c, { backend: cm.backend })), 1);
    const safe = (n: Tensor, d: Tensor): Tensor => where(ne(d, 0), div(n, where(ne(d, 0), d, 1)), 0);
    if (average === 'micro') return safe(sum(tp), sum(rows));
    const recall = safe(tp, rows);
    if (average === 'none') return recall;
    // torchmetrics leaves out the classes with tp + fp + fn = 0
    const present = ne(sum(cm.add(cm.t()), 1), 0).float();
    const weights = average === 'weighted' ? mul(rows, present) : present;
    return div(sum(mul(weights, recall)), sum(weights));
  });
  counts.dispose();
  return out;
}
