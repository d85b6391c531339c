import { argmax, div, mul, ne, ones, reshape, scatterAdd, sum, tidy, where, zeros, add, narrow, Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';

const SIG = signature('multiclassConfusionMatrix', ['numClasses', 'normalize', 'ignoreIndex', 'validateArgs'], { required: 1 });

/** How {@link multiclassConfusionMatrix} normalises (torchmetrics' `normalize`). */
export type ConfusionMatrixNormalize = 'true' | 'pred' | 'all' | 'none' | null;

/** Options of {@link multiclassConfusionMatrix} (torchmetrics' keywords, camelCase). */
export interface MulticlassConfusionMatrixOptions {
  /** Number of classes C (required). */
  numClasses?: number;
  /**
   * `'true'` divides each row by its sum (recall per class), `'pred'` each column, `'all'` the
   * whole matrix; `'none'`/`null` (default) keeps the counts (int32).
   */
  normalize?: ConfusionMatrixNormalize;
  /** Target value whose pixels are left out (the `ignoreIndex` of `crossEntropy`, e.g. 255 for VOC borders). */
  ignoreIndex?: number | null;
  /** Check that every target (not ignored) and prediction is a class in [0, C) (default true; only where the backend reads synchronously). */
  validateArgs?: boolean;
}

/**
 * The integer class predictions: `preds` itself when it has `target`'s shape (int32 labels),
 * or its argmax over dim 1 when it has one more dimension (`[N, C, …]` logits or probabilities,
 * torchmetrics' convention).
 * @internal
 */
export function classPredictions(op: string, preds: Tensor, target: Tensor, numClasses: number): Tensor {
  if (!(preds instanceof Tensor)) throw new TypeError(`${op}: expected preds to be a Tensor, got ${preds === null ? 'null' : typeof preds}`);
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: expected target to be a Tensor, got ${target === null ? 'null' : typeof target}`);
  if (target.dtype !== 'int32') throw new TypeError(`${op}: expected target to be an int32 tensor of class indices, got ${target.dtype}; convert it with .int()`);
  const same = preds.ndim === target.ndim && preds.shape.every((d, i) => d === target.shape[i]);
  if (same) {
    if (preds.dtype !== 'int32') {
      throw new TypeError(`${op}: expected preds with target's shape to be int32 class indices, got ${preds.dtype}; pass the [N, C, …] scores to take their argmax over dim 1, or convert labels with .int()`);
    }
    return preds;
  }
  const scores = preds.ndim === target.ndim + 1 && preds.shape[0] === target.shape[0] && target.shape.slice(1).every((d, i) => d === preds.shape[i + 2]);
  if (!scores) {
    throw new RangeError(
      `${op}: expected preds to be class indices shaped as target [${target.shape.join(', ')}] or scores [N, C, …] = [${[target.shape[0] ?? 1, numClasses, ...target.shape.slice(1)].join(', ')}], got [${preds.shape.join(', ')}]`,
    );
  }
  if (preds.shape[1] !== numClasses) throw new RangeError(`${op}: expected preds to have numClasses = ${numClasses} scores in dim 1, got ${preds.shape[1]} (shape [${preds.shape.join(', ')}])`);
  if (preds.dtype !== 'float32' && preds.dtype !== 'float64') throw new TypeError(`${op}: expected scores to be floating point, got ${preds.dtype}`);
  // argmax's own output is freed when .int() makes a new tensor
  return tidy(() => argmax(preds, { dim: 1 }).int());
}

/** @internal Checks numClasses / ignoreIndex / validateArgs. */
export function checkCommon(op: string, numClasses: unknown, ignoreIndex: unknown, validateArgs: unknown): void {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 2) {
    throw new TypeError(`${op}: expected numClasses to be an integer >= 2, got ${String(numClasses)}`);
  }
  if (ignoreIndex !== undefined && ignoreIndex !== null && (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex))) {
    throw new TypeError(`${op}: expected ignoreIndex to be an integer or null, got ${String(ignoreIndex)}`);
  }
  if (validateArgs !== undefined && typeof validateArgs !== 'boolean') throw new TypeError(`${op}: expected validateArgs to be a boolean, got ${typeof validateArgs}`);
}

function checkValues(op: string, what: string, t: Tensor, numClasses: number, ignoreIndex: number | null): void {
  if (!t.backendInstance.readSync || t.numel() === 0) return;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if ((x < 0 || x >= numClasses) && x !== ignoreIndex) {
      throw new RangeError(
        `${op}: ${what} ${x} (at flat index ${i}) is not a class; expected values in [0, ${numClasses - 1}]${ignoreIndex !== null && what === 'target' ? ` or ignoreIndex ${ignoreIndex}` : ''}`,
      );
    }
  }
}

/**
 * @internal The [C, C] int32 counts (rows: target class, columns: predicted class) of `preds`
 * (int32 labels) against `target`, leaving out the pixels whose target is `ignoreIndex`, computed
 * with tensor ops on the tensors' backend (one `scatterAdd`).
 */
export function confusionCounts(op: string, preds: Tensor, target: Tensor, numClasses: number, ignoreIndex: number | null, validateArgs: boolean): Tensor {
  if (validateArgs) {
    checkValues(op, 'target', target, numClasses, ignoreIndex);
    checkValues(op, 'prediction', preds, numClasses, null);
  }
  const c = numClasses;
  return tidy(() => {
    const p = reshape(preds, [-1]);
    const t = reshape(target, [-1]);
    // flat bin t·C + p; ignored pixels go to the extra bin C², dropped below
    let bin = add(mul(t, c), p);
    if (ignoreIndex !== null) bin = where(ne(t, ignoreIndex), bin, c * c);
    const counts = scatterAdd(zeros([c * c + 1], { dtype: 'int32', backend: t.backend }), bin, ones([bin.shape[0]!], { dtype: 'int32', backend: t.backend }), { dim: 0 });
    return reshape(narrow(counts, 0, 0, c * c), [c, c]);
  });
}

/**
 * The confusion matrix of a multiclass (e.g. per-pixel segmentation) prediction, torchmetrics'
 * `multiclass_confusion_matrix(preds, target, num_classes, normalize=None, ignore_index=None)`:
 * entry `[i, j]` counts the pixels of target class `i` predicted as class `j`. `preds` are int32
 * labels shaped as `target` or `[N, C, …]` scores (their argmax over dim 1 is taken); `target` is
 * int32 `[N, …]`. Pixels whose target is `ignoreIndex` are left out. Counts are int32 `[C, C]`;
 * with `normalize` the result is float32 (a row or column without pixels gives 0, as torchmetrics).
 * Everything runs with tensor ops on the inputs' backend; the values are checked first where
 * the backend reads synchronously (a target or prediction outside [0, C) throws a `RangeError`).
 *
 * @example
 * ```ts
 * import { multiclassConfusionMatrix } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const target = tensor([[0, 0, 1, 2, 255]], { dtype: 'int32' });
 * const preds = tensor([[0, 1, 1, 1, 0]], { dtype: 'int32' });
 * await multiclassConfusionMatrix(preds, target, 3, { ignoreIndex: 255 }).array(); // [[1, 1, 0], [0, 1, 0], [0, 1, 0]]
 * await multiclassConfusionMatrix(preds, target, { numClasses: 3, ignoreIndex: 255, normalize: 'true' }).array(); // [[0.5, 0.5, 0], [0, 1, 0], [0, 1, 0]]
 * ```
 */
export function multiclassConfusionMatrix(preds: Tensor, target: Tensor, options: MulticlassConfusionMatrixOptions): Tensor;
/** torchmetrics' positional form `(preds, target, num_classes, normalize, ignore_index)`. */
export function multiclassConfusionMatrix(
  preds: Tensor,
  target: Tensor,
  numClasses: number,
  normalize?: ConfusionMatrixNormalize,
  ignoreIndex?: number | null,
  validateArgs?: boolean,
  options?: MulticlassConfusionMatrixOptions,
): Tensor;
export function multiclassConfusionMatrix(preds: Tensor, target: Tensor, ...args: unknown[]): Tensor {
  const a = parseArgs(SIG, args);
  const op = 'multiclassConfusionMatrix';
  checkCommon(op, a.numClasses, a.ignoreIndex, a.validateArgs);
  const normalize = a.normalize ?? 'none';
  if (!['true', 'pred', 'all', 'none'].includes(normalize as string)) {
    throw new RangeError(`${op}: expected normalize to be 'true' (rows), 'pred' (columns), 'all', 'none' or null, got ${JSON.stringify(normalize) ?? String(normalize)}`);
  }
  const numClasses = a.numClasses as number;
  const counts = countsOf(op, preds, target, numClasses, (a.ignoreIndex as number | null | undefined) ?? null, (a.validateArgs as boolean | undefined) ?? true);
  if (normalize === 'none') return counts;
  const out = tidy(() => {
    const f = counts.float();
    const denom = normalize === 'true' ? sum(f, 1, true) : normalize === 'pred' ? sum(f, 0, true) : sum(f);
    return where(ne(denom, 0), div(f, where(ne(denom, 0), denom, 1)), 0);
  });
  counts.dispose();
  return out;
}

/** @internal {@link classPredictions} then {@link confusionCounts}, freeing the argmax of scores even when a check throws. */
export function countsOf(op: string, preds: Tensor, target: Tensor, numClasses: number, ignoreIndex: number | null, validateArgs: boolean): Tensor {
  const labels = classPredictions(op, preds, target, numClasses);
  try {
    return confusionCounts(op, labels, target, numClasses, ignoreIndex, validateArgs);
  } finally {
    if (labels !== preds) labels.dispose();
  }
}
