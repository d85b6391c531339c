/**
 * The WebGPU `nms` machinery (the kernel in `kernels/nms.ts` calls it): torchvision's CUDA
 * algorithm, a parallel suppression bitmask and a sweep over it in one workgroup.
 */
import type { KernelTensor } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from './backend.js';
import { f32Bits } from './wgsl.js';

const WG = 256;
/** Most bytes of suppression mask held at once: the boxes are swept in chunks of rows that fit. */
export const NMS_MASK_BYTES = 64 * 1024 * 1024;

// metadata: [rows · words, words, first row, n, iouThreshold (f32), boxes offset, boxes strides ×2]
const MASK = /* wgsl */ `
fn coord(i: u32, d: u32) -> f32 { return f32(Boxes[metaU(5u) + i * metaU(6u) + d * metaU(7u)]); }
// std::max / std::min, as torchvision's CPU kernel (not WGSL's max/min, whose NaN handling is unspecified)
fn cmax(a: f32, b: f32) -> f32 { return select(a, b, a < b); }
fn cmin(a: f32, b: f32) -> f32 { return select(a, b, b < a); }
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (t >= metaU(0u)) { return; }
  let words = metaU(1u);
  let i = metaU(2u) + t / words;
  let wb = t % words;
  // the sweep reads row i from word i / 32 on
  if (wb < i / 32u) { return; }
  let n = metaU(3u);
  let thr = metaF(4u);
  let ax1 = coord(i, 0u); let ay1 = coord(i, 1u); let ax2 = coord(i, 2u); let ay2 = coord(i, 3u);
  let areaA = (ax2 - ax1) * (ay2 - ay1);
  var bits = 0u;
  for (var j = max(wb * 32u, i + 1u); j < min(wb * 32u + 32u, n); j++) {
    let bx1 = coord(j, 0u); let by1 = coord(j, 1u); let bx2 = coord(j, 2u); let by2 = coord(j, 3u);
    let areaB = (bx2 - bx1) * (by2 - by1);
    let w = cmax(0.0, cmin(ax2, bx2) - cmax(ax1, bx1));
    let h = cmax(0.0, cmin(ay2, by2) - cmax(ay1, by1));
    let inter = w * h;
    let uni = areaA + areaB - inter;
    // IoU > threshold, NaN never; a division by ±0 is spelled out (WGSL leaves it unspecified):
    // inter / +0 = +∞ for inter > 0, and 0 / 0 is NaN
    var over = false;
    if (uni != 0.0) { let iou = inter / uni; over = !isNan(iou) && iou > thr; }
    else { over = inter > 0.0 && bitcast<u32>(uni) == 0u && thr < infF32(); }
    if (over) { bits = bits | (1u << (j % 32u)); }
  }
  Mask[t] = bitcast<i32>(bits);
}`;

// metadata: [words, first row, end row]; one workgroup
const SWEEP = /* wgsl */ `
var<workgroup> removedFlag: u32;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) lid: u32) {
  let words = metaU(0u);
  let r0 = metaU(1u);
  let r1 = metaU(2u);
  for (var i = r0; i < r1; i++) {
    let nb = i / 32u;
    // word j of Removed belongs to thread j % ${WG}: only its owner reads or writes it
    if (lid == nb % ${WG}u) { removedFlag = (bitcast<u32>(Removed[nb]) >> (i % 32u)) & 1u; }
    workgroupBarrier();
    let removed = removedFlag;
    if (removed == 0u) {
      let row = (i - r0) * words;
      var j = (nb / ${WG}u) * ${WG}u + lid;
      if (j < nb) { j += ${WG}u; }
      for (; j < words; j += ${WG}u) { Removed[j] = Removed[j] | Mask[row + j]; }
    }
    if (lid == 0u) { Keep[i] = 1u - removed; }
    // everyone has read the flag before the next row's owner writes it
    workgroupBarrier();
  }
}`;

/**
 * The largest float32 at or below `v`: for a float32 `iou`, `iou > v` (torchvision compares the
 * float32 IoU with the double threshold) is `iou > f32AtOrBelow(v)`, which the shader can test.
 */
function f32AtOrBelow(v: number): number {
  const bits = new Float32Array([v]);
  const f = bits[0]!;
  if (!(f > v)) return f;
  const u = new Uint32Array(bits.buffer);
  if ((u[0]! & 0x7fffffff) === 0) u[0] = 0x80000001;
  else if (f > 0) u[0] = u[0]! - 1;
  else u[0] = u[0]! + 1;
  return bits[0]!;
}

/**
 * Greedy non-maximum suppression over boxes already sorted by decreasing score: a bool keep mask
 * over the sorted positions, as torchvision's CUDA `nms`, with no read-back and no loop over boxes
 * in JS. Two dispatches per chunk of rows: a parallel kernel writes the suppression bitmask (row
 * `i`, word `b`: bit `j % 32` set when box `j > i` of words `b` overlaps box `i` with IoU above the
 * threshold; areas `(x2 - x1)·(y2 - y1)`, no +1, NaN never suppresses), then one workgroup sweeps
 * the rows in order, keeping box `i` unless an earlier kept box removed it and OR-ing a kept row into
 * the removed words (each word owned by one thread). The mask takes `n²/8` bytes, so for many boxes
 * the rows go in chunks of at most `maskBytes` (and the device's binding limit), the removed words
 * carried from one chunk to the next. Returns the bool keep mask `[n]` (new storage).
 */
export function nmsKeepMask(gpu: WebGPUBackend, boxes: KernelTensor, iouThreshold: number, maskBytes = NMS_MASK_BYTES): GpuStorage {
  const n = boxes.shape[0]!;
  const keep = gpu.allocOutput('bool', n);
  if (n === 0) return keep;
  const words = Math.ceil(n / 32);
  const maxBytes = Math.min(maskBytes, gpu.device.limits.maxStorageBufferBindingSize);
  const rowsPerChunk = Math.max(1, Math.min(n, Math.floor(maxBytes / (words * 4))));
  const mask = gpu.allocOutput('int32', rowsPerChunk * words);
  const removed = gpu.allocOutput('int32', words, { zero: true });
  const thr = f32Bits(f32AtOrBelow(iouThreshold));
  for (let r0 = 0; r0 < n; r0 += rowsPerChunk) {
    const r1 = Math.min(n, r0 + rowsPerChunk);
    const count = (r1 - r0) * words;
    gpu.run(
      {
        key: `nms:mask:${boxes.dtype}`,
        build: () => ({ inputs: [['Boxes', boxes.dtype]], outputs: [['Mask', 'int32']], metaWords: 8, code: MASK }),
      },
      [boxes.handle],
      [mask],
      [count, words, r0, n, thr, boxes.offset, boxes.strides[0]!, boxes.strides[1]!],
      Math.ceil(count / WG),
    );
    gpu.run(
      {
        key: 'nms:sweep',
        build: () => ({
          inputs: [['Mask', 'int32']],
          outputs: [
            ['Removed', 'int32'],
            ['Keep', 'bool'],
          ],
          metaWords: 3,
          code: SWEEP,
        }),
      },
      [mask],
      [removed, keep],
      [words, r0, r1],
      1,
    );
  }
  gpu.free(mask);
  gpu.free(removed);
  return keep;
}
