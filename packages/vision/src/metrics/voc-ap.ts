import { parseArgs, signature } from '../args.js';

const VOC_AP = signature('vocAp', ['use07Metric']);

/** Options of {@link vocAp} (the VOC devkit's keyword). */
export interface VocApOptions {
  /** `true`: VOC2007's 11-point interpolated AP (recall 0, 0.1, …, 1); `false` (default): the all-point area under the interpolated curve (VOC2010 on). */
  use07Metric?: boolean;
}

function toNumbers(op: string, name: string, v: unknown): number[] {
  if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || Array.from(v as ArrayLike<unknown>).some((x) => typeof x !== 'number')) {
    throw new TypeError(`${op}: expected ${name} to be an array of numbers, got ${typeof v}; read a tensor with await t.data()`);
  }
  return Array.from(v as ArrayLike<number>);
}

/**
 * The PASCAL VOC devkit's `voc_ap(rec, prec, use_07_metric)`: the average precision of a
 * precision–recall curve (`recall` non-decreasing, as {@link precisionRecallCurve} gives it).
 * All-point (default): the precision is made monotone (each point takes the largest precision at
 * any higher recall) and integrated over recall, with `(0, 0)` and `(1, 0)` added at the ends.
 * 11-point (`use07Metric: true`): the mean over `t = 0, 0.1, …, 1` of the largest precision at
 * recall `>= t` (0 where there is none).
 *
 * @example
 * ```ts
 * import { vocAp } from '@tensorgrad/vision';
 * const recall = [0.5, 0.5, 1];
 * const precision = [1, 0.5, 0.6666667];
 * vocAp(recall, precision); // 0.8333333
 * vocAp(recall, precision, { use07Metric: true }); // 0.8484848
 * ```
 */
export function vocAp(recall: ArrayLike<number>, precision: ArrayLike<number>, options?: VocApOptions): number;
export function vocAp(recall: ArrayLike<number>, precision: ArrayLike<number>, use07Metric?: boolean): number;
export function vocAp(recall: unknown, precision: unknown, ...rest: unknown[]): number {
  const a = parseArgs(VOC_AP, rest);
  const rec = toNumbers('vocAp', 'recall', recall);
  const prec = toNumbers('vocAp', 'precision', precision);
  if (rec.length !== prec.length) throw new RangeError(`vocAp: expected recall and precision of the same length, got ${rec.length} and ${prec.length}`);
  const use07 = a.use07Metric ?? false;
  if (typeof use07 !== 'boolean') throw new TypeError(`vocAp: expected use07Metric to be a boolean, got ${String(use07)}`);
  if (use07) {
    let ap = 0;
    for (let k = 0; k <= 10; k++) {
      const t = k * 0.1; // numpy's arange(0., 1.1, 0.1)
      let p = -Infinity;
      for (let i = 0; i < rec.length; i++) if (rec[i]! >= t && prec[i]! > p) p = prec[i]!;
      ap += (p === -Infinity ? 0 : p) / 11;
    }
    return ap;
  }
  const mrec = [0, ...rec, 1];
  const mpre = [0, ...prec, 0];
  for (let i = mpre.length - 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1]!, mpre[i]!);
  let ap = 0;
  for (let i = 0; i + 1 < mrec.length; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1]! - mrec[i]!) * mpre[i + 1]!;
  return ap;
}
