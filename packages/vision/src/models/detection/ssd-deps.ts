// SSD's dependencies from the other detection modules. INTERIM: batchedNms belongs to branch vops and replaces the stand-in below at merge.
// The stand-in has torchvision's semantics so SSD can be tested before it lands; not exported from the package.
import { tensor, type Tensor } from '@tensorgrad/tensor';
export { BoxCoder } from './box-coder.js';
export { SSDMatcher } from './matcher.js';
export { boxIou } from '../../ops/box-iou.js';
export { clipBoxesToImage } from '../../ops/clip-boxes-to-image.js';
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
