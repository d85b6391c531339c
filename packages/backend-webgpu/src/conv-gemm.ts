/**
 * The machinery of the three convolution kernels: each is one implicit GEMM per group,
 * `C[m, n] = Σ_k A[m, k] · B[k, n]`, computed by a tiled program whose operand loads are WGSL
 * functions of the kernel (`loadA(g, m, k)`, `loadB(g, k, n)`: the im2col / col2im index maths,
 * reading NCHW tensors through their strides, 0 outside the input or the padding) and whose
 * result element `(m, n)` is stored at `rowBase(g, m) + colBase(g, n)` (plus `rowBias(g, m)`).
 * No column matrix is ever materialised.
 *
 * The tiling is a matmul's: each thread computes a 4×4 block of a workgroup's tile of `C` (rows
 * `ty + TY·i`, columns `tx + TX·j`, so that the threads of a row store neighbouring columns); `K`
 * advances in steps of 16, the workgroup staging a TM×16 panel of `A` and a 16×TN panel of `B`
 * in workgroup memory, loaded along the operand's cheaper index so that neighbouring threads read
 * neighbouring addresses. The tile is 64×64 (16×16 threads), or 16×64 / 64×16 (64 threads) when
 * `M` / `N` is at most 16 (a 1-channel input's gradient, a 3×3 kernel's 9 weight-gradient columns)
 * so that little of it is wasted. With `splitK`, `K` is also cut into chunks reduced by separate
 * workgroups into a `[splits, …]` partial result (when the tiles alone are too few to keep a GPU
 * busy: a weight gradient's `K` is every output position of the batch). Workgroups are numbered
 * over (split, group, row tile, column tile); past 65535 the core lays them out as a 2-D grid
 * (`flatWorkgroup`).
 *
 * On software adapters (`gpu.softwareAdapter`: lavapipe, SwiftShader) a direct variant is used
 * instead: the same tiles with 8×8 blocks per thread, the operands read straight from their
 * buffers, and the index maths split into per-row, per-column and per-step parts computed once
 * each.
 */
import type { DType } from '@tensorgrad/tensor';
import type { ConvGeometry } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from './backend.js';

const TK = 16;
// elements per thread and dimension in the direct variant: 8×8 blocks amortise the per-step index
// maths over 64 FMAs (measured twice as fast as 4×4 on lavapipe)
const DIRECT_R = 8;

/** Threads of a workgroup along rows and columns of the tile (each thread computes 4×4). */
type TileShape = readonly [ty: number, tx: number];
const SQUARE: TileShape = [16, 16];
const WIDE: TileShape = [4, 16];
const TALL: TileShape = [16, 4];

/**
 * Metadata words the GEMM driver reads itself (`M, N, K, tilesM, tilesN, total, loadsA, loadsB,
 * steps, kChunk, splitStride, groups`); the loaders' words follow.
 */
export const GEMM_META = 12;

/** A convolution expressed as an implicit GEMM. */
export interface ConvGemm {
  /** Program key (must name everything that changes `fns`). */
  readonly key: string;
  /** Read-only bindings `[name, dtype]`. */
  readonly inputs: readonly (readonly [string, DType])[];
  /** Read-write bindings `[name, dtype]`; the result goes to the one named `Out`. */
  readonly outputs: readonly (readonly [string, DType])[];
  /**
   * WGSL shared by both variants, defining where `C[m, n]` goes: `Out[rowBase(g, m) + colBase(g, n)]`
   * (both `-> u32`), plus `rowBias(g, m) -> f32`. Every function reads its parameters with
   * `metaU(GEMM_META + i)`.
   */
  readonly fns: string;
  /**
   * WGSL of the staged variant: `fn loadA(g: u32, m: u32, k: u32) -> f32` (called with `m < M`,
   * `k < K`) and `fn loadB(g: u32, k: u32, n: u32) -> f32` (`k < K`, `n < N`).
   */
  readonly staged: string;
  /**
   * WGSL of the direct variant, where the index maths is split so that each part is computed once:
   * `fn rowInfo(g: u32, m: u32) -> RowInfo` (once per row of a thread), `fn colInfo(g: u32, n: u32)
   * -> ColInfo` (once per column), `fn kInfo(g: u32, k: u32) -> KInfo` (once per step of `K`), and
   * `fn loadA2(r: RowInfo, k: KInfo) -> f32`, `fn loadB2(k: KInfo, c: ColInfo) -> f32`, with those
   * three structs.
   */
  readonly direct: string;
  /** Whether neighbouring `k` (rather than `m`) of `A` are the neighbours in memory. */
  readonly aAlongK: boolean;
  /** Whether neighbouring `k` (rather than `n`) of `B` are the neighbours in memory. */
  readonly bAlongK: boolean;
  /** The loaders' metadata words. */
  readonly meta: readonly number[];
}

function stagedSource(spec: ConvGemm, [TY, TX]: TileShape): string {
  const TM = 4 * TY;
  const TN = 4 * TX;
  const threads = TY * TX;
  const acc: string[] = [];
  const fma: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      acc.push(`var c${i}${j} = 0.0;`);
      fma.push(`c${i}${j} = fma(a${i}, b${j}, c${i}${j});`);
      store.push(`if (r${i} < M && q${j} < N) { Out[rb${i} + cb${j}] = c${i}${j} + bias${i}; }`);
    }
  }
  const rows = [0, 1, 2, 3].map(
    (i) => `let r${i} = row0 + ty + ${TY * i}u; var rb${i} = split * metaU(10u); var bias${i} = 0.0; if (r${i} < M) { rb${i} = rb${i} + rowBase(grp, r${i}); if (split == 0u) { bias${i} = rowBias(grp, r${i}); } }`,
  );
  const cols = [0, 1, 2, 3].map((j) => `let q${j} = col0 + tx + ${TX * j}u; var cb${j} = 0u; if (q${j} < N) { cb${j} = colBase(grp, q${j}); }`);
  const aIdx = spec.aAlongK ? 'let k = e % 16u; let m = e / 16u;' : `let m = e % ${TM}u; let k = e / ${TM}u;`;
  const bIdx = spec.bAlongK ? 'let k = e % 16u; let n = e / 16u;' : `let n = e % ${TN}u; let k = e / ${TN}u;`;
  const aReads = [0, 1, 2, 3].map((i) => `let a${i} = As[k * ${TM}u + ty + ${TY * i}u];`).join(' ');
  const bReads = [0, 1, 2, 3].map((j) => `let b${j} = Bs[k * ${TN}u + tx + ${TX * j}u];`).join(' ');
  return `
${spec.fns}
${spec.staged}
var<workgroup> As: array<f32, ${TK * TM}>;
var<workgroup> Bs: array<f32, ${TK * TN}>;
@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = metaU(0u); let N = metaU(1u); let K = metaU(2u);
  let flat = flatWorkgroup(wid, nwg);
  if (flat >= metaU(5u)) { return; }
  let tilesM = metaU(3u); let tilesN = metaU(4u);
  // the trip counts of the inner loops come from the metadata: with constant counts lavapipe's
  // LLVM unrolls them, and a cold compile of the unrolled program takes a minute
  let loadsA = metaU(6u); let loadsB = metaU(7u); let steps = metaU(8u);
  let tn = flat % tilesN;
  var rest = flat / tilesN;
  let row0 = (rest % tilesM) * ${TM}u;
  rest = rest / tilesM;
  let col0 = tn * ${TN}u;
  let grp = rest % metaU(11u);
  let split = rest / metaU(11u);
  let kBegin = split * metaU(9u);
  let kEnd = min(K, kBegin + metaU(9u));
  let ty = lid / ${TX}u;
  let tx = lid % ${TX}u;
  ${acc.join('\n  ')}
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + 16u) {
    for (var l = 0u; l < loadsA; l = l + 1u) {
      let e = lid + l * ${threads}u;
      ${aIdx}
      let gm = row0 + m; let gk = k0 + k;
      var v = 0.0;
      if (gm < M && gk < kEnd) { v = loadA(grp, gm, gk); }
      As[k * ${TM}u + m] = v;
    }
    for (var l = 0u; l < loadsB; l = l + 1u) {
      let e = lid + l * ${threads}u;
      ${bIdx}
      let gn = col0 + n; let gk = k0 + k;
      var v = 0.0;
      if (gn < N && gk < kEnd) { v = loadB(grp, gk, gn); }
      Bs[k * ${TN}u + n] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < steps; k = k + 1u) {
      ${aReads}
      ${bReads}
      ${fma.join('\n      ')}
    }
    workgroupBarrier();
  }
  // C[m, n] lands at rowBase(m) + colBase(n): 8 address computations instead of 16
  ${rows.join('\n  ')}
  ${cols.join('\n  ')}
  ${store.join('\n  ')}
}`;
}

// The register-only variant for software adapters (lavapipe, SwiftShader): the same tiles, each
// thread an R×R block of it, every operand element loaded straight from its buffer (no workgroup
// memory, no barriers, which switch coroutines on a CPU: several times faster there, as for
// matmul).
function directSource(spec: ConvGemm, [ty4, tx4]: TileShape, R: number): string {
  // the same tile as the staged variant, R×R elements per thread
  const TM = 4 * ty4;
  const TN = 4 * tx4;
  const TY = TM / R;
  const TX = TN / R;
  const idx = Array.from({ length: R }, (_, i) => i);
  const acc: string[] = [];
  const fma: string[] = [];
  const store: string[] = [];
  for (const i of idx) {
    for (const j of idx) {
      acc.push(`var c${i}_${j} = 0.0;`);
      fma.push(`c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`);
      store.push(`if (r${i} < M && q${j} < N) { Out[rb${i} + cb${j}] = c${i}_${j} + bias${i}; }`);
    }
  }
  const rows = idx.map((i) => `let r${i} = row0 + ty + ${TY * i}u; let ri${i} = rowInfo(grp, min(r${i}, M - 1u));`);
  const cols = idx.map((j) => `let q${j} = col0 + tx + ${TX * j}u; let ci${j} = colInfo(grp, min(q${j}, N - 1u));`);
  const outRows = idx.map(
    (i) => `var rb${i} = split * metaU(10u); var bias${i} = 0.0; if (r${i} < M) { rb${i} = rb${i} + rowBase(grp, r${i}); if (split == 0u) { bias${i} = rowBias(grp, r${i}); } }`,
  );
  const outCols = idx.map((j) => `var cb${j} = 0u; if (q${j} < N) { cb${j} = colBase(grp, q${j}); }`);
  return `
${spec.fns}
${spec.direct}
@compute @workgroup_size(${TY * TX})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = metaU(0u); let N = metaU(1u); let K = metaU(2u);
  let flat = flatWorkgroup(wid, nwg);
  if (flat >= metaU(5u)) { return; }
  let tilesM = metaU(3u); let tilesN = metaU(4u);
  let tn = flat % tilesN;
  var rest = flat / tilesN;
  let row0 = (rest % tilesM) * ${TM}u;
  rest = rest / tilesM;
  let col0 = tn * ${TN}u;
  let grp = rest % metaU(11u);
  let split = rest / metaU(11u);
  let kBegin = split * metaU(9u);
  let kEnd = min(K, kBegin + metaU(9u));
  let ty = lid / ${TX}u;
  let tx = lid % ${TX}u;
  ${rows.join('\n  ')}
  ${cols.join('\n  ')}
  ${acc.join('\n  ')}
  for (var k = kBegin; k < kEnd; k = k + 1u) {
    let kk = kInfo(grp, k);
    ${idx.map((i) => `let a${i} = loadA2(ri${i}, kk);`).join(' ')}
    ${idx.map((j) => `let b${j} = loadB2(kk, ci${j});`).join(' ')}
    ${fma.join('\n    ')}
  }
  ${outRows.join('\n  ')}
  ${outCols.join('\n  ')}
  ${store.join('\n  ')}
}`;
}

/**
 * The number of `K` chunks for an `m × n × k` GEMM over `groups` groups: enough workgroups to keep
 * a GPU busy (about 64), with chunks of at least 512 (a multiple of 16).
 */
export function splitsFor(m: number, n: number, k: number, groups: number): number {
  const [ty, tx] = tileShape(m, n);
  const tiles = Math.ceil(m / (4 * ty)) * Math.ceil(n / (4 * tx)) * groups;
  return Math.max(1, Math.min(Math.ceil(64 / tiles), Math.floor(k / 512)));
}

function tileShape(m: number, n: number): TileShape {
  if (m <= 16 && n > 16) return WIDE;
  if (n <= 16 && m > 16) return TALL;
  return SQUARE;
}

/**
 * Records the implicit GEMM `spec` over `groups` groups of an `m × n` result with inner size `k`,
 * cut into `splits` chunks of `K` (partial result `s` at `Out[s · splitStride + …]`, bias on the
 * first only). Nothing is recorded when the result is empty; with `k = 0` every element is stored
 * as its bias, or 0.
 */
export function runConvGemm(
  gpu: WebGPUBackend,
  spec: ConvGemm,
  inputs: readonly GpuStorage[],
  outputs: readonly GpuStorage[],
  dims: { m: number; n: number; k: number; groups: number; splits?: number; splitStride?: number },
): void {
  const { m, n, k, groups } = dims;
  if (m === 0 || n === 0 || groups === 0) return;
  const splits = dims.splits ?? 1;
  const kChunk = splits === 1 ? Math.max(k, 1) : Math.ceil(k / splits / TK) * TK;
  const shape = tileShape(m, n);
  const [ty, tx] = shape;
  const tilesM = Math.ceil(m / (4 * ty));
  const tilesN = Math.ceil(n / (4 * tx));
  const total = tilesM * tilesN * groups * splits;
  const threads = ty * tx;
  const staged = !gpu.softwareAdapter;
  const program = {
    key: `conv-gemm:${spec.key}:${staged ? `staged:${spec.aAlongK ? 'k' : 'm'}${spec.bAlongK ? 'k' : 'n'}` : `direct${DIRECT_R}`}:${ty}x${tx}`,
    build: () => ({
      inputs: spec.inputs,
      outputs: spec.outputs,
      metaWords: GEMM_META + spec.meta.length,
      code: staged ? stagedSource(spec, shape) : directSource(spec, shape, DIRECT_R),
    }),
  };
  const meta = [m, n, k, tilesM, tilesN, total, (TK * 4 * ty) / threads, (TK * 4 * tx) / threads, TK, kChunk, dims.splitStride ?? 0, groups, ...spec.meta];
  gpu.run(program, inputs, outputs, meta, total);
}

/** Number of geometry words ({@link geometryMeta}). */
export const GEOMETRY_WORDS = 16;

/**
 * The front-end's convolution geometry (`ctx.geometry`) as the metadata words every convolution
 * loader reads from `metaU(GEMM_META)` on, in {@link GEOMETRY_WGSL}'s order (with the channels per
 * group, `Cg` and `Og`).
 */
export function geometryMeta(g: ConvGeometry): number[] {
  return [g.h, g.w, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.c / g.groups, g.o / g.groups, g.c, g.o];
}

/**
 * WGSL accessors of the geometry words (`gH()`, …; `gPt()`/`gPl()` are i32), and the index
 * decodes the three kernels share: `tapOf(k)`, `outPos(n)`, `inPos(n)` (each a `vec3<u32>`).
 */
export const GEOMETRY_WGSL = ['H', 'W', 'Oh', 'Ow', 'Kh', 'Kw', 'Sh', 'Sw', 'Pt', 'Pl', 'Dh', 'Dw', 'Cg', 'Og', 'C', 'O']
  .map((name, i) =>
    name === 'Pt' || name === 'Pl'
      ? `fn g${name}() -> i32 { return metaI(${GEMM_META + i}u); }`
      : `fn g${name}() -> u32 { return metaU(${GEMM_META + i}u); }`,
  )
  .join('\n')
  .concat(`
// a flat index over (a, rows, cols) as its three coordinates
fn split3(v: u32, rows: u32, cols: u32) -> vec3<u32> { let L = rows * cols; let a = v / L; let p = v - a * L; let y = p / cols; return vec3<u32>(a, y, p - y * cols); }
// (channel, kernel row, kernel column) of a flat tap index
fn tapOf(k: u32) -> vec3<u32> { return split3(k, gKh(), gKw()); }
// (batch, output row, output column) of a flat output position
fn outPos(n: u32) -> vec3<u32> { return split3(n, gOh(), gOw()); }
// (batch, input row, input column) of a flat input position
fn inPos(n: u32) -> vec3<u32> { return split3(n, gH(), gW()); }`);

/**
 * WGSL (after `viewWgsl('x', …)`, with `x` bound as `X`): `im2col(g, t, o)`, the im2col element of
 * group `g` for tap `t = tapOf(k)` = (c, i, j) and output position `o = outPos(n)` = (b, y, x):
 * `x[b, g·Cg + c, y·Sh + i·Dh − Pt, x·Sw + j·Dw − Pl]`, 0 in the padding. It is conv2d's B operand,
 * and the weight gradient's B transposed.
 */
export const IM2COL_WGSL = `
fn im2col(g: u32, t: vec3<u32>, o: vec3<u32>) -> f32 {
  let ih = i32(o.y * gSh() + t.y * gDh()) - gPt();
  let iw = i32(o.z * gSw() + t.z * gDw()) - gPl();
  if (ih < 0 || iw < 0 || ih >= i32(gH()) || iw >= i32(gW())) { return 0.0; }
  return X[xAt(o.x, g * gCg() + t.x, u32(ih), u32(iw))];
}`;

/** A 4-d view's offset and strides as metadata words. */
export function viewMeta(t: { offset: number; strides: readonly number[] }): number[] {
  return [t.offset, t.strides[0]!, t.strides[1]!, t.strides[2]!, t.strides[3]!];
}

/** WGSL: `fn <name>At(base, i0, i1, i2, i3) -> u32`, the storage offset of element `[i0, i1, i2, i3]` of the view whose words start at `base`. */
export function viewWgsl(name: string, base: number): string {
  return `fn ${name}At(i0: u32, i1: u32, i2: u32, i3: u32) -> u32 {
  return metaU(${base}u) + i0 * metaU(${base + 1}u) + i1 * metaU(${base + 2}u) + i2 * metaU(${base + 3}u) + i3 * metaU(${base + 4}u);
}`;
}
