/**
 * The inputs of the detection metrics: per-image predictions and targets as tensors (torchmetrics'
 * format), read back to host arrays once, with the boxes converted to `xyxy` float64.
 */
import { isFloating, Tensor, type TypedArray } from '@tensorgrad/tensor';
import { checkOptionKeys } from '../args.js';
import { checkFormat } from '../ops/box-checks.js';
import type { BoxFormat } from '../ops/box-convert.js';

/** The detections of one image (torchmetrics' `preds` entry; torchvision's detector output). */
export interface DetectionPrediction {
  /** `[N, 4]` boxes in the metric's `boxFormat` (default `xyxy`). */
  boxes: Tensor;
  /** `[N]` confidence scores. */
  scores: Tensor;
  /** `[N]` integer class labels. */
  labels: Tensor;
}

/** The ground truth of one image (torchmetrics' `target` entry; torchvision's training targets). */
export interface DetectionTarget {
  /** `[M, 4]` boxes in the metric's `boxFormat` (default `xyxy`). */
  boxes: Tensor;
  /** `[M]` integer class labels. */
  labels: Tensor;
  /** `[M]` bool (or 0/1) PASCAL VOC "difficult" flags, used by the VOC functions ({@link averagePrecision}): such boxes are neither required nor counted as false positives. */
  difficult?: Tensor;
}

/** One image, on the host: `xyxy` float64 boxes (4 numbers per box). @internal */
export interface HostImage {
  dtBoxes: Float64Array;
  dtScores: Float64Array;
  dtLabels: Int32Array;
  gtBoxes: Float64Array;
  gtLabels: Int32Array;
  gtDifficult: Uint8Array;
}

interface Pending {
  tensors: Tensor[];
  build(values: TypedArray[]): HostImage;
}

function toXyxy(b: TypedArray, fmt: BoxFormat): Float64Array {
  const out = Float64Array.from(b);
  if (fmt === 'xyxy') return out;
  for (let i = 0; i < out.length; i += 4) {
    const [a, c, w, h] = [out[i]!, out[i + 1]!, out[i + 2]!, out[i + 3]!];
    if (fmt === 'xywh') {
      out[i + 2] = a + w;
      out[i + 3] = c + h;
    } else {
      out[i] = a - 0.5 * w;
      out[i + 1] = c - 0.5 * h;
      out[i + 2] = a + 0.5 * w;
      out[i + 3] = c + 0.5 * h;
    }
  }
  return out;
}

function checkTensorField(op: string, where: string, key: string, v: unknown, shape: 'boxes' | 'vector', n?: number): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${op}: expected ${where}.${key} to be a Tensor, got ${v === undefined ? 'nothing' : typeof v}`);
  if (shape === 'boxes') {
    const empty = v.numel() === 0 && v.ndim <= 2;
    if (!empty && (v.ndim !== 2 || v.shape[1] !== 4)) throw new RangeError(`${op}: expected ${where}.${key} of shape [N, 4], got [${v.shape.join(', ')}]`);
  } else if (v.ndim !== 1 || (n !== undefined && v.shape[0] !== n)) {
    throw new RangeError(`${op}: expected ${where}.${key} of shape [${n ?? 'N'}] (one per box), got [${v.shape.join(', ')}]`);
  }
  if (key === 'labels' && isFloating(v.dtype)) throw new TypeError(`${op}: expected ${where}.labels to be integer class ids (int32), got ${v.dtype}; convert with .int()`);
  return v;
}

function plan(op: string, preds: unknown, targets: unknown, boxFormat: unknown, allowDifficult: boolean): Pending[] {
  const fmt = checkFormat(op, 'boxFormat', boxFormat);
  if (!Array.isArray(preds) || !Array.isArray(targets)) {
    throw new TypeError(`${op}: expected preds and targets to be arrays with one entry per image ({ boxes, scores, labels } and { boxes, labels })`);
  }
  if (preds.length !== targets.length) throw new RangeError(`${op}: expected as many targets as preds (one per image), got ${targets.length} targets and ${preds.length} preds`);
  return preds.map((p: unknown, i): Pending => {
    const t = targets[i] as unknown;
    if (typeof p !== 'object' || p === null) throw new TypeError(`${op}: expected preds[${i}] to be { boxes, scores, labels }`);
    if (typeof t !== 'object' || t === null) throw new TypeError(`${op}: expected targets[${i}] to be { boxes, labels }`);
    checkOptionKeys(`${op} (preds[${i}])`, p, ['boxes', 'scores', 'labels']);
    checkOptionKeys(`${op} (targets[${i}])`, t, allowDifficult ? ['boxes', 'labels', 'difficult'] : ['boxes', 'labels']);
    const pr = p as Record<string, unknown>;
    const tr = t as Record<string, unknown>;
    const db = checkTensorField(op, `preds[${i}]`, 'boxes', pr.boxes, 'boxes');
    const n = db.numel() / 4;
    const ds = checkTensorField(op, `preds[${i}]`, 'scores', pr.scores, 'vector', n);
    const dl = checkTensorField(op, `preds[${i}]`, 'labels', pr.labels, 'vector', n);
    const gb = checkTensorField(op, `targets[${i}]`, 'boxes', tr.boxes, 'boxes');
    const m = gb.numel() / 4;
    const gl = checkTensorField(op, `targets[${i}]`, 'labels', tr.labels, 'vector', m);
    const tensors = [db, ds, dl, gb, gl];
    if (tr.difficult !== undefined && tr.difficult !== null) tensors.push(checkTensorField(op, `targets[${i}]`, 'difficult', tr.difficult, 'vector', m));
    return {
      tensors,
      build: (v) => {
        const scores = Float64Array.from(v[1]!);
        const bad = scores.findIndex((s) => Number.isNaN(s));
        if (bad >= 0) throw new RangeError(`${op}: preds[${i}].scores[${bad}] is NaN; a detection needs a comparable score (drop it or give it a number)`);
        return {
          dtBoxes: toXyxy(v[0]!, fmt),
          dtScores: scores,
          dtLabels: Int32Array.from(v[2]!),
          gtBoxes: toXyxy(v[3]!, fmt),
          gtLabels: Int32Array.from(v[4]!),
          gtDifficult: v[5] ? Uint8Array.from(v[5], (x) => (x ? 1 : 0)) : new Uint8Array(m),
        };
      },
    };
  });
}

/** Reads the images synchronously (throws on backends that can only read asynchronously). @internal */
export function readDetections(op: string, preds: unknown, targets: unknown, boxFormat: unknown, allowDifficult: boolean): HostImage[] {
  return plan(op, preds, targets, boxFormat, allowDifficult).map((p) => p.build(p.tensors.map((t) => t.dataSync())));
}

/** Reads the images asynchronously (every backend). @internal */
export async function readDetectionsAsync(op: string, preds: unknown, targets: unknown, boxFormat: unknown, allowDifficult: boolean): Promise<HostImage[]> {
  const plans = plan(op, preds, targets, boxFormat, allowDifficult);
  return Promise.all(plans.map(async (p) => p.build(await Promise.all(p.tensors.map((t) => t.data())))));
}

/** The sorted union of the class labels of predictions and targets. @internal */
export function classesOf(images: readonly HostImage[]): number[] {
  const s = new Set<number>();
  for (const im of images) {
    for (const l of im.dtLabels) s.add(l);
    for (const l of im.gtLabels) s.add(l);
  }
  return [...s].sort((a, b) => a - b);
}

/** IoU of two `xyxy` boxes (continuous coordinates, as torchvision's `box_iou`). @internal */
export function iouOf(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const iw = Math.min(a[4 * i + 2]!, b[4 * j + 2]!) - Math.max(a[4 * i]!, b[4 * j]!);
  const ih = Math.min(a[4 * i + 3]!, b[4 * j + 3]!) - Math.max(a[4 * i + 1]!, b[4 * j + 1]!);
  if (!(iw > 0 && ih > 0)) return 0;
  const inter = iw * ih;
  const areaA = (a[4 * i + 2]! - a[4 * i]!) * (a[4 * i + 3]! - a[4 * i + 1]!);
  const areaB = (b[4 * j + 2]! - b[4 * j]!) * (b[4 * j + 3]! - b[4 * j + 1]!);
  return inter / (areaA + areaB - inter);
}

/** Indices `0 … n-1` sorted by decreasing `score(i)`, ties in index order (a stable sort, numpy's mergesort). @internal */
export function byScoreDesc(n: number, score: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((x, y) => score(y) - score(x) || x - y);
}
