import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { wgslType } from '../wgsl.js';

// A tiled GEMM: each workgroup of 16×16 threads computes a 64×64 tile of C, each thread a 4×4
// block of it (rows tr + 16·i, columns tc + 16·j, so that the threads of a row write neighbouring
// columns). K advances in steps of 16: the workgroup stages a 64×16 panel of A and a 16×64 panel
// of B in workgroup memory, every thread loading 4 elements of each through the operands' strides
// (transposed or broadcast operands are read in place). The load order follows the operand's
// unit stride so that neighbouring threads read neighbouring addresses.
//
// On software adapters (lavapipe, SwiftShader: the CPU runs the shader, workgroup memory is plain
// memory and every barrier switches between coroutines) the same tiling without the staging is
// 3-4× faster: each thread reads its 4 rows of A and 4 columns of B straight from the buffers.
const TILE = 64;
const TK = 16;

// metadata: [M, N, K, batch0, tileX0, tileY0, aOffset, aBatch, aRow, aCol, bOffset, bBatch, bRow, bCol]
function source(t: string, aT: boolean, bT: boolean): string {
  const zero = t === 'f32' ? '0.0' : '0';
  const acc: string[] = [];
  const fma: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      acc.push(`var c${i}${j}: ${t} = ${zero};`);
      fma.push(`c${i}${j} = c${i}${j} + a${i} * b${j};`);
      store.push(`if (r${i} < M && q${j} < N) { C[cBase + r${i} * N + q${j}] = c${i}${j}; }`);
    }
  }
  const aIdx = aT ? 'let m = e % 64u; let k = e / 64u;' : 'let k = e % 16u; let m = e / 16u;';
  const bIdx = bT ? 'let k = e % 16u; let n = e / 16u;' : 'let n = e % 64u; let k = e / 64u;';
  return `
var<workgroup> As: array<${t}, ${TILE * TK}>;
var<workgroup> Bs: array<${t}, ${TILE * TK}>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = metaU(0u); let N = metaU(1u); let K = metaU(2u);
  let batch = wid.z + metaU(3u);
  let col0 = (wid.x + metaU(4u)) * 64u;
  let row0 = (wid.y + metaU(5u)) * 64u;
  let aBase = metaU(6u) + batch * metaU(7u);
  let aRow = metaU(8u); let aCol = metaU(9u);
  let bBase = metaU(10u) + batch * metaU(11u);
  let bRow = metaU(12u); let bCol = metaU(13u);
  let tr = lid / 16u;
  let tc = lid % 16u;
  ${acc.join('\n  ')}
  for (var k0 = 0u; k0 < K; k0 = k0 + 16u) {
    for (var l = 0u; l < 4u; l = l + 1u) {
      let e = lid + l * 256u;
      { ${aIdx}
        let gm = row0 + m; let gk = k0 + k;
        var v: ${t} = ${zero};
        if (gm < M && gk < K) { v = A[aBase + gm * aRow + gk * aCol]; }
        As[k * 64u + m] = v; }
      { ${bIdx}
        let gn = col0 + n; let gk = k0 + k;
        var v: ${t} = ${zero};
        if (gn < N && gk < K) { v = B[bBase + gk * bRow + gn * bCol]; }
        Bs[k * 64u + n] = v; }
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k = k + 1u) {
      let a0 = As[k * 64u + tr]; let a1 = As[k * 64u + tr + 16u]; let a2 = As[k * 64u + tr + 32u]; let a3 = As[k * 64u + tr + 48u];
      let b0 = Bs[k * 64u + tc]; let b1 = Bs[k * 64u + tc + 16u]; let b2 = Bs[k * 64u + tc + 32u]; let b3 = Bs[k * 64u + tc + 48u];
      ${fma.join('\n      ')}
    }
    workgroupBarrier();
  }
  let cBase = batch * M * N;
  let r0 = row0 + tr; let r1 = r0 + 16u; let r2 = r0 + 32u; let r3 = r0 + 48u;
  let q0 = col0 + tc; let q1 = q0 + 16u; let q2 = q0 + 32u; let q3 = q0 + 48u;
  ${store.join('\n  ')}
}`;
}

function registerSource(t: string): string {
  const zero = t === 'f32' ? '0.0' : '0';
  const acc: string[] = [];
  const fma: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      acc.push(`var c${i}${j}: ${t} = ${zero};`);
      fma.push(`c${i}${j} = c${i}${j} + a${i} * b${j};`);
      store.push(`if (r${i} < M && q${j} < N) { C[cBase + r${i} * N + q${j}] = c${i}${j}; }`);
    }
  }
  const rows = [0, 1, 2, 3].map((i) => `let r${i} = row0 + tr + ${16 * i}u; let pa${i} = aBase + min(r${i}, M - 1u) * aRow;`);
  const cols = [0, 1, 2, 3].map((j) => `let q${j} = col0 + tc + ${16 * j}u; let pb${j} = bBase + min(q${j}, N - 1u) * bCol;`);
  return `
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = metaU(0u); let N = metaU(1u); let K = metaU(2u);
  let batch = wid.z + metaU(3u);
  let col0 = (wid.x + metaU(4u)) * 64u;
  let row0 = (wid.y + metaU(5u)) * 64u;
  let aBase = metaU(6u) + batch * metaU(7u);
  let aRow = metaU(8u); let aCol = metaU(9u);
  let bBase = metaU(10u) + batch * metaU(11u);
  let bRow = metaU(12u); let bCol = metaU(13u);
  let tr = lid / 16u;
  let tc = lid % 16u;
  ${rows.join('\n  ')}
  ${cols.join('\n  ')}
  ${acc.join('\n  ')}
  for (var k = 0u; k < K; k = k + 1u) {
    let ka = k * aCol; let kb = k * bRow;
    let a0 = A[pa0 + ka]; let a1 = A[pa1 + ka]; let a2 = A[pa2 + ka]; let a3 = A[pa3 + ka];
    let b0 = B[pb0 + kb]; let b1 = B[pb1 + kb]; let b2 = B[pb2 + kb]; let b3 = B[pb3 + kb];
    ${fma.join('\n    ')}
  }
  let cBase = batch * M * N;
  ${store.join('\n  ')}
}`;
}

/**
 * Batched matrix product: `a` `[B, M, K]` × `b` `[B, K, N]` → `[B, M, N]`, honouring every stride
 * (a batch stride of 0 broadcasts one matrix over the batch; swapped strides read a transpose
 * in place). float32 accumulates in float32; int32 products and sums wrap.
 */
export const matmul: Kernel<'matmul', WebGPUBackend> = (ctx, a, b) => {
  const gpu = ctx.backend;
  const [batch, m, n] = ctx.shape as [number, number, number];
  const k = a.shape[2]!;
  const out = gpu.allocOutput(ctx.dtype, batch * m * n, { zero: k === 0 });
  const result = { handle: out, shape: ctx.shape, dtype: ctx.dtype };
  if (batch === 0 || m === 0 || n === 0 || k === 0) return result;
  const t = wgslType(a.dtype);
  // a unit row stride (and not a unit column stride) means the operand is stored transposed
  const aT = a.strides[1] === 1 && a.strides[2] !== 1 && m > 1;
  const bT = b.strides[1] === 1 && b.strides[2] !== 1 && n > 1;
  const staged = !gpu.softwareAdapter;
  const program = {
    key: staged ? `matmul:${t}:${aT ? 't' : 'n'}${bT ? 't' : 'n'}` : `matmul:${t}:direct`,
    build: () => ({
      inputs: [['A', a.dtype], ['B', b.dtype]] as const,
      outputs: [['C', a.dtype]] as const,
      metaWords: 14,
      code: staged ? source(t, aT, bT) : registerSource(t),
    }),
  };
  const max = gpu.device.limits.maxComputeWorkgroupsPerDimension;
  const tilesX = Math.ceil(n / TILE);
  const tilesY = Math.ceil(m / TILE);
  // grids past the per-dimension limit are cut into several dispatches, offsets in the metadata
  for (let z0 = 0; z0 < batch; z0 += max) {
    for (let y0 = 0; y0 < tilesY; y0 += max) {
      for (let x0 = 0; x0 < tilesX; x0 += max) {
        const grid = [Math.min(max, tilesX - x0), Math.min(max, tilesY - y0), Math.min(max, batch - z0)] as const;
        gpu.run(program, [a.handle, b.handle], [out], [m, n, k, z0, x0, y0, a.offset, a.strides[0]!, a.strides[1]!, a.strides[2]!, b.offset, b.strides[0]!, b.strides[1]!, b.strides[2]!], grid);
      }
    }
  }
  return result;
};
