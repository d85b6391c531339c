/**
 * pycocotools' `COCOeval` for boxes (evaluate, accumulate), on host images: greedy matching by
 * score, 101-point interpolated precision, area ranges and maximum detection counts. No crowd
 * annotations.
 * @internal
 */
import { byScoreDesc, iouOf, type HostImage } from './detection-inputs.js';

/** numpy's `linspace(start, stop, num)`: `i * step + start`, the last value exactly `stop`. @internal */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : i * step + start));
}

/** COCO's area ranges: all, small (< 32²), medium (32²–96²), large (> 96²). @internal */
export const AREA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1e5 ** 2],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e5 ** 2],
];

/** What pycocotools' `accumulate` computes. @internal */
export interface CocoAccumulated {
  /** `[T][R][K][A][M]` interpolated precision, `-1` where a class has no ground truth. */
  precision: Float64Array;
  /** `[T][K][A][M]` final recall, `-1` where a class has no ground truth. */
  recall: Float64Array;
  dims: { T: number; R: number; K: number; A: number; M: number };
}

interface EvalImg {
  dtScores: number[];
  dtMatched: Uint8Array[]; // [T][D]
  dtIgnore: Uint8Array[]; // [T][D]
  gtIgnore: Uint8Array;
}

const boxArea = (b: Float64Array, i: number) => (b[4 * i + 2]! - b[4 * i]!) * (b[4 * i + 3]! - b[4 * i + 1]!);

function evaluateImg(im: HostImage, label: number, aRng: readonly [number, number], maxDet: number, iouThrs: readonly number[]): EvalImg | null {
  const gtAll: number[] = [];
  im.gtLabels.forEach((l, j) => l === label && gtAll.push(j));
  const dtAll: number[] = [];
  im.dtLabels.forEach((l, j) => l === label && dtAll.push(j));
  if (gtAll.length === 0 && dtAll.length === 0) return null;
  const ignoreOf = (j: number) => {
    const a = boxArea(im.gtBoxes, j);
    return a < aRng[0] || a > aRng[1] ? 1 : 0;
  };
  // ground truth: not ignored first (stable); detections: by decreasing score (stable), at most maxDet
  const gt = [...gtAll].sort((x, y) => ignoreOf(x) - ignoreOf(y));
  const gtIg = Uint8Array.from(gt, ignoreOf);
  const dt = byScoreDesc(dtAll.length, (k) => im.dtScores[dtAll[k]!]!)
    .slice(0, maxDet)
    .map((k) => dtAll[k]!);
  const T = iouThrs.length;
  const D = dt.length;
  const G = gt.length;
  const ious = dt.map((d) => gt.map((g) => iouOf(im.dtBoxes, d, im.gtBoxes, g)));
  const dtMatched = Array.from({ length: T }, () => new Uint8Array(D));
  const dtIgnore = Array.from({ length: T }, () => new Uint8Array(D));
  for (let t = 0; t < T; t++) {
    const gtm = new Uint8Array(G);
    for (let di = 0; di < D; di++) {
      let iou = Math.min(iouThrs[t]!, 1 - 1e-10);
      let m = -1;
      for (let gi = 0; gi < G; gi++) {
        if (gtm[gi]) continue;
        // the ground truth is sorted (not ignored first): stop at the first ignored one after a real match
        if (m > -1 && gtIg[m] === 0 && gtIg[gi] === 1) break;
        if (ious[di]![gi]! < iou) continue;
        iou = ious[di]![gi]!;
        m = gi;
      }
      if (m === -1) continue;
      dtIgnore[t]![di] = gtIg[m]!;
      dtMatched[t]![di] = 1;
      gtm[m] = 1;
    }
    // unmatched detections outside the area range are ignored
    for (let di = 0; di < D; di++) {
      const a = boxArea(im.dtBoxes, dt[di]!);
      if (!dtMatched[t]![di] && (a < aRng[0] || a > aRng[1])) dtIgnore[t]![di] = 1;
    }
  }
  return { dtScores: dt.map((d) => im.dtScores[d]!), dtMatched, dtIgnore, gtIgnore: gtIg };
}

/** pycocotools' `evaluate` + `accumulate` over `classes`. @internal */
export function cocoAccumulate(
  images: readonly HostImage[],
  classes: readonly number[],
  iouThrs: readonly number[],
  recThrs: readonly number[],
  maxDets: readonly number[],
): CocoAccumulated {
  const T = iouThrs.length;
  const R = recThrs.length;
  const K = classes.length;
  const A = AREA_RANGES.length;
  const M = maxDets.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const maxDetLast = maxDets[M - 1]!;
  const spacing1 = Number.EPSILON; // np.spacing(1)
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const E = images.map((im) => evaluateImg(im, classes[k]!, AREA_RANGES[a]!, maxDetLast, iouThrs)).filter((e): e is EvalImg => e !== null);
      if (E.length === 0) continue;
      for (let m = 0; m < M; m++) {
        const maxDet = maxDets[m]!;
        const scores: number[] = [];
        const owner: [number, number][] = [];
        E.forEach((e, ei) => e.dtScores.slice(0, maxDet).forEach((s, di) => (scores.push(s), owner.push([ei, di]))));
        const inds = byScoreDesc(scores.length, (i) => scores[i]!);
        let npig = 0;
        for (const e of E) for (const g of e.gtIgnore) if (g === 0) npig++;
        if (npig === 0) continue;
        for (let t = 0; t < T; t++) {
          const rc: number[] = [];
          const pr: number[] = [];
          let tp = 0;
          let fp = 0;
          for (const i of inds) {
            const [ei, di] = owner[i]!;
            const e = E[ei]!;
            if (!e.dtIgnore[t]![di]) {
              if (e.dtMatched[t]![di]) tp++;
              else fp++;
            }
            rc.push(tp / npig);
            pr.push(tp / (fp + tp + spacing1));
          }
          const nd = rc.length;
          recall[((t * K + k) * A + a) * M + m] = nd > 0 ? rc[nd - 1]! : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
          // searchsorted(rc, recThrs, side='left'): the first index with rc >= r
          let pi = 0;
          for (let ri = 0; ri < R; ri++) {
            while (pi < nd && rc[pi]! < recThrs[ri]!) pi++;
            if (pi >= nd) break; // pycocotools' IndexError: the rest stays 0
            precision[(((t * R + ri) * K + k) * A + a) * M + m] = pr[pi]!;
          }
          for (let ri = 0; ri < R; ri++) {
            const idx = (((t * R + ri) * K + k) * A + a) * M + m;
            if (precision[idx] === -1) precision[idx] = 0;
          }
        }
      }
    }
  }
  return { precision, recall, dims: { T, R, K, A, M } };
}

/** pycocotools' `_summarize`: the mean of the entries > -1 (or -1) for AP or AR, an IoU threshold index or all, a class or all. @internal */
export function cocoSummarize(acc: CocoAccumulated, ap: boolean, t: number | null, a: number, m: number, k: number | null = null): number {
  const { T, R, K, A, M } = acc.dims;
  let sum = 0;
  let n = 0;
  const ts = t === null ? [...Array(T).keys()] : [t];
  const ks = k === null ? [...Array(K).keys()] : [k];
  for (const ti of ts) {
    for (const ki of ks) {
      if (ap) {
        for (let r = 0; r < R; r++) {
          const v = acc.precision[(((ti * R + r) * K + ki) * A + a) * M + m]!;
          if (v > -1) (sum += v), n++;
        }
      } else {
        const v = acc.recall[((ti * K + ki) * A + a) * M + m]!;
        if (v > -1) (sum += v), n++;
      }
    }
  }
  return n === 0 ? -1 : sum / n;
}
