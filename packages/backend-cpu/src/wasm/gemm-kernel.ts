/**
 * Emits the WebAssembly SIMD128 module of the packed GEMM: the macro-kernel, which multiplies a
 * packed block of A (MR-row slivers) by a packed block of B (NR-column slivers) into a row-major C
 * block in linear memory, looping over every MR×NR micro-tile itself so that JS calls into wasm
 * once per packed block, not once per tile; and the two packing routines that build those
 * slivers from operands staged (copied with `TypedArray.set`) into the same memory.
 */
import { ModuleBuilder, ValType, type FunctionBuilder } from './emit.js';

/** The shape of a generated kernel. */
export interface GemmKernelSpec {
  /** Element type: `f32` (4 lanes per v128) or `f64` (2 lanes). */
  readonly elem: 'f32' | 'f64';
  /** Rows of the micro-tile. */
  readonly mr: number;
  /** Columns of the micro-tile (a multiple of the lane count). */
  readonly nr: number;
}

/**
 * The module's exports: `memory`; `packA` and `packB` (see {@link emitPack}: they build the MR-row
 * and NR-column slivers); and `gemm(pa, pb, pc, mTiles, nTiles, kc, ldc, add)` (all i32, byte addresses
 * and a byte row stride): for every tile `(i, j)` with `i < mTiles`, `j < nTiles`,
 * `C[i·MR…, j·NR…] (+)= Asliver_i · Bsliver_j`, where A sliver `i` starts at `pa + i·MR·kc·size`
 * and holds, for each `p < kc`, the MR values of column `p` (rows of the tile) contiguously, and
 * B sliver `j` starts at `pb + j·NR·kc·size` and holds the NR values of row `p` contiguously.
 * C tile rows are `ldc` bytes apart. `add ≠ 0` adds to C instead of overwriting it. `mTiles`,
 * `nTiles` and `kc` are at least 1. With `sharedMemory` the module imports its memory (`env.memory`,
 * shared, exactly `memoryPages` pages) instead of defining it, for the threaded GEMM.
 */
export function emitGemmModule(spec: GemmKernelSpec, memoryPages = 1, sharedMemory = false): Uint8Array<ArrayBuffer> {
  const { elem, mr, nr } = spec;
  const size = elem === 'f32' ? 4 : 8;
  const lanes = 16 / size;
  if (nr % lanes !== 0) throw new Error(`emitGemmModule: nr must be a multiple of ${lanes} for ${elem}, got ${nr}`);
  if (mr < 1 || (mr * size) % 16 !== 0) throw new Error(`emitGemmModule: mr·${size} bytes must be a multiple of 16 for ${elem}, got mr=${mr}`);

  const mod = new ModuleBuilder(memoryPages, sharedMemory);
  emitMacroKernel(mod.func('gemm', Array<ValType>(8).fill(ValType.i32), []), spec);
  emitPack(mod.func('packA', Array<ValType>(6).fill(ValType.i32), []), mr, size);
  emitPack(mod.func('packB', Array<ValType>(6).fill(ValType.i32), []), nr, size);
  return mod.bytes();
}

// a counted loop over local `count` (skipped when it is 0) that runs `body` `count` times,
// counting the local down to 0
function counted(f: FunctionBuilder, count: number, body: () => void): void {
  f.block().get(count).i32Eqz().brIf(0);
  f.loop();
  body();
  f.get(count).i32Const(1).i32Sub().tee(count).brIf(0);
  f.end().end();
}

function emitMacroKernel(f: FunctionBuilder, { elem, mr, nr }: GemmKernelSpec): void {
  const size = elem === 'f32' ? 4 : 8;
  const lanes = 16 / size;
  const nv = nr / lanes; // v128 vectors per tile row
  const splat = elem === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  const add = elem === 'f32' ? 'f32x4.add' : 'f64x2.add';
  const mul = elem === 'f32' ? 'f32x4.mul' : 'f64x2.mul';
  const { i32, v128 } = ValType;
  const [pa, pb, pc, mTiles, nTiles, kc, ldc, addFlag] = [0, 1, 2, 3, 4, 5, 6, 7];
  const aStep = f.local(i32); // bytes between A slivers
  const bStep = f.local(i32); // bytes between B slivers
  const cTileRows = f.local(i32); // bytes between C tile rows (MR·ldc)
  const bj = f.local(i32); // current B sliver
  const cj = f.local(i32); // C column of the current B sliver
  const jt = f.local(i32); // B slivers left
  const ai = f.local(i32); // current A sliver
  const ci = f.local(i32); // C tile
  const it = f.local(i32); // A slivers left
  const a = f.local(i32);
  const b = f.local(i32);
  const k = f.local(i32);
  const cr = f.local(i32);
  const acc: number[][] = [];
  for (let r = 0; r < mr; r++) {
    const row: number[] = [];
    for (let v = 0; v < nv; v++) row.push(f.local(v128));
    acc.push(row);
  }
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(f.local(v128));
  const av = f.local(v128);

  f.get(kc).i32Const(mr * size).i32Mul().set(aStep);
  f.get(kc).i32Const(nr * size).i32Mul().set(bStep);
  f.get(ldc).i32Const(mr).i32Mul().set(cTileRows);
  f.get(pb).set(bj);
  f.get(pc).set(cj);
  f.get(nTiles).set(jt);
  f.loop(); // over the NR-column slivers of B (the sliver stays in L1 across the A slivers)
  {
    f.get(pa).set(ai);
    f.get(cj).set(ci);
    f.get(mTiles).set(it);
    f.loop(); // over the MR-row slivers of A
    {
      for (const row of acc) for (const x of row) f.v128Zero().set(x);
      f.get(ai).set(a);
      f.get(bj).set(b);
      f.get(kc).set(k);
      // the micro-kernel: per k step, NR values of B, then each of the MR values of A splatted
      // and multiplied into its row of accumulators. No manual unrolling: TurboFan unrolls this
      // loop itself, and unrolled variants measured slower.
      counted(f, k, () => {
        for (let v = 0; v < nv; v++) f.get(b).simdMem('v128.load', v * 16).set(bv[v]!);
        for (let r = 0; r < mr; r++) {
          f.get(a).simdMem(splat, r * size).set(av);
          for (let v = 0; v < nv; v++) f.get(acc[r]![v]!).get(av).get(bv[v]!).simd(mul).simd(add).set(acc[r]![v]!);
        }
        f.get(a).i32Const(mr * size).i32Add().set(a);
        f.get(b).i32Const(nr * size).i32Add().set(b);
      });
      // write the tile, row by row
      f.get(ci).set(cr);
      f.get(addFlag).if_();
      for (let r = 0; r < mr; r++) {
        for (let v = 0; v < nv; v++) f.get(cr).get(cr).simdMem('v128.load', v * 16).get(acc[r]![v]!).simd(add).simdMem('v128.store', v * 16);
        if (r < mr - 1) f.get(cr).get(ldc).i32Add().set(cr);
      }
      f.else_();
      for (let r = 0; r < mr; r++) {
        for (let v = 0; v < nv; v++) f.get(cr).get(acc[r]![v]!).simdMem('v128.store', v * 16);
        if (r < mr - 1) f.get(cr).get(ldc).i32Add().set(cr);
      }
      f.end();
      f.get(ai).get(aStep).i32Add().set(ai);
      f.get(ci).get(cTileRows).i32Add().set(ci);
      f.get(it).i32Const(1).i32Sub().tee(it).brIf(0);
    }
    f.end();
    f.get(bj).get(bStep).i32Add().set(bj);
    f.get(cj).i32Const(nr * size).i32Add().set(cj);
    f.get(jt).i32Const(1).i32Sub().tee(jt).brIf(0);
  }
  f.end();
}

/**
 * `packX(src, laneStride, kStride, lanes, kc, dst)` (byte addresses and strides): packs a block of
 * `lanes` lanes (rows of A, columns of B) by `kc` steps of K, whose element `(l, p)` is at
 * `src + l·laneStride + p·kStride`, into slivers of R lanes at `dst`: sliver `s` holds, for each
 * `p < kc`, its R lanes contiguously. A last partial sliver is padded with zeros.
 */
function emitPack(f: FunctionBuilder, R: number, size: number): void {
  const { i32 } = ValType;
  const [src, ls, ks, lanes, kc, dst] = [0, 1, 2, 3, 4, 5];
  const full = f.local(i32);
  const rest = f.local(i32);
  const base = f.local(i32);
  const q = f.local(i32);
  const p = f.local(i32);
  const s = f.local(i32);
  const r = f.local(i32);
  const d = f.local(i32);
  const laneOff: number[] = [0];
  for (let l = 1; l < R; l++) laneOff.push(f.local(i32));
  const load = (offset: number): void => void (size === 4 ? f.f32Load(offset) : f.f64Load(offset));
  const store = (offset: number): void => void (size === 4 ? f.f32Store(offset) : f.f64Store(offset));
  const vectors = (R * size) / 16;

  f.get(lanes).i32Const(R).i32DivU().set(full);
  f.get(lanes).get(full).i32Const(R).i32Mul().i32Sub().set(rest);
  f.get(src).set(base);
  f.get(ls).i32Const(size).i32Ne().if_();
  {
    // lanes strided: one scalar load per element, lane offsets precomputed
    for (let l = 1; l < R; l++) f.get(ls).i32Const(l).i32Mul().set(laneOff[l]!);
    f.get(full).set(s);
    counted(f, s, () => {
      f.get(base).set(q);
      f.get(kc).set(p);
      counted(f, p, () => {
        for (let l = 0; l < R; l++) {
          f.get(dst);
          if (l === 0) f.get(q);
          else f.get(q).get(laneOff[l]!).i32Add();
          load(0);
          store(l * size);
        }
        f.get(dst).i32Const(R * size).i32Add().set(dst);
        f.get(q).get(ks).i32Add().set(q);
      });
      f.get(base).get(ls).i32Const(R).i32Mul().i32Add().set(base);
    });
  }
  f.else_();
  {
    // lanes contiguous: each step's R lanes are whole vectors
    f.get(full).set(s);
    counted(f, s, () => {
      f.get(base).set(q);
      f.get(kc).set(p);
      counted(f, p, () => {
        for (let v = 0; v < vectors; v++) f.get(dst).get(q).simdMem('v128.load', v * 16).simdMem('v128.store', v * 16);
        f.get(dst).i32Const(R * size).i32Add().set(dst);
        f.get(q).get(ks).i32Add().set(q);
      });
      f.get(base).i32Const(R * size).i32Add().set(base);
    });
  }
  f.end();
  // the partial sliver: zero it, then copy its lanes one at a time
  f.get(rest).if_();
  {
    f.get(dst).set(d);
    f.get(kc).set(p);
    counted(f, p, () => {
      for (let v = 0; v < vectors; v++) f.get(d).v128Zero().simdMem('v128.store', v * 16);
      f.get(d).i32Const(R * size).i32Add().set(d);
    });
    f.get(rest).set(r);
    counted(f, r, () => {
      f.get(base).set(q);
      f.get(dst).set(d);
      f.get(kc).set(p);
      counted(f, p, () => {
        f.get(d).get(q);
        load(0);
        store(0);
        f.get(d).i32Const(R * size).i32Add().set(d);
        f.get(q).get(ks).i32Add().set(q);
      });
      f.get(base).get(ls).i32Add().set(base);
      f.get(dst).i32Const(size).i32Add().set(dst);
    });
  }
  f.end();
}
