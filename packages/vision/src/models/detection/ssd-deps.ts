// INTERIM, to be replaced by re-exports at merge: BoxCoder and SSDMatcher belong to branch vboxes, batchedNms to branch vops (see /tmp/progress.md).
// Minimal stand-ins with torchvision's semantics so SSD can be written and tested before those land; not exported from the package.
import { clamp, exp, log, stack, tensor, type Tensor } from '@tensorgrad/tensor';
export { boxIou } from '../../ops/box-iou.js';
export { clipBoxesToImage } from '../../ops/clip-boxes-to-image.js';
export class BoxCoder {
  constructor(readonly weights: number[], readonly bboxXformClip = Math.log(1000 / 16)) {}
  encodeSingle(ref: Tensor, prop: Tensor): Tensor {
    const [wx, wy, ww, wh] = this.weights as [number, number, number, number];
    const c = (t: Tensor, i: number) => t.select(1, i);
    const exW = c(prop, 2).sub(c(prop, 0)), exH = c(prop, 3).sub(c(prop, 1));
    const exX = c(prop, 0).add(exW.mul(0.5)), exY = c(prop, 1).add(exH.mul(0.5));
    const gW = c(ref, 2).sub(c(ref, 0)), gH = c(ref, 3).sub(c(ref, 1));
    const gX = c(ref, 0).add(gW.mul(0.5)), gY = c(ref, 1).add(gH.mul(0.5));
    return stack([gX.sub(exX).div(exW).mul(wx), gY.sub(exY).div(exH).mul(wy), log(gW.div(exW)).mul(ww), log(gH.div(exH)).mul(wh)], 1);
  }
  decodeSingle(rel: Tensor, boxes: Tensor): Tensor {
    const [wx, wy, ww, wh] = this.weights as [number, number, number, number];
    const c = (t: Tensor, i: number) => t.select(1, i);
    const w = c(boxes, 2).sub(c(boxes, 0)), h = c(boxes, 3).sub(c(boxes, 1));
    const cx = c(boxes, 0).add(w.mul(0.5)), cy = c(boxes, 1).add(h.mul(0.5));
    const dx = c(rel, 0).div(wx), dy = c(rel, 1).div(wy);
    const dw = clamp(c(rel, 2).div(ww), { max: this.bboxXformClip }), dh = clamp(c(rel, 3).div(wh), { max: this.bboxXformClip });
    const px = dx.mul(w).add(cx), py = dy.mul(h).add(cy), pw = exp(dw).mul(w), ph = exp(dh).mul(h);
    const hw = pw.mul(0.5), hh = ph.mul(0.5);
    return stack([px.sub(hw), py.sub(hh), px.add(hw), py.add(hh)], 1);
  }
}
export class SSDMatcher {
  constructor(readonly threshold: number) {}
  call(m: Tensor): Tensor {
    const [g, a] = m.shape as [number, number];
    const d = m.dataSync();
    const out = new Int32Array(a);
    for (let j = 0; j < a; j++) { let best = -Infinity, bi = 0; for (let i = 0; i < g; i++) if (d[i * a + j]! > best) { best = d[i * a + j]!; bi = i; } out[j] = best < this.threshold ? -1 : bi; }
    for (let i = 0; i < g; i++) { let best = -Infinity, bj = 0; for (let j = 0; j < a; j++) if (d[i * a + j]! > best) { best = d[i * a + j]!; bj = j; } out[bj] = i; }
    return tensor(Array.from(out), { dtype: 'int32' });
  }
}
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, o: { iouThreshold: number }): Tensor {
  const b = boxes.dataSync(), s = scores.dataSync(), l = idxs.dataSync();
  const n = s.length; const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => s[q]! - s[p]! || p - q);
  const keep: number[] = []; const dead = new Uint8Array(n);
  for (const i of order) { if (dead[i]) continue; keep.push(i);
    for (const j of order) { if (dead[j] || j === i || l[j] !== l[i]) continue;
      const xx1 = Math.max(b[4*i]!, b[4*j]!), yy1 = Math.max(b[4*i+1]!, b[4*j+1]!), xx2 = Math.min(b[4*i+2]!, b[4*j+2]!), yy2 = Math.min(b[4*i+3]!, b[4*j+3]!);
      const inter = Math.max(0, xx2 - xx1) * Math.max(0, yy2 - yy1);
      const ai = (b[4*i+2]! - b[4*i]!) * (b[4*i+3]! - b[4*i+1]!), aj = (b[4*j+2]! - b[4*j]!) * (b[4*j+3]! - b[4*j+1]!);
      if (inter / (ai + aj - inter) > o.iouThreshold) dead[j] = 1; } dead[i] = 1; }
  return tensor(keep, { dtype: 'int32' });
}
