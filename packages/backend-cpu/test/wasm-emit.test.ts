// The run-time WebAssembly assembler: LEB128 encodings against the values in the WebAssembly
// specification's examples, and small modules that the engine validates and runs.
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, sleb, uleb, ValType } from '../src/wasm/emit.js';
import { emitGemmModule } from '../src/wasm/gemm-kernel.js';

const enc = (f: (out: number[], v: number) => void, v: number): number[] => {
  const out: number[] = [];
  f(out, v);
  return out;
};

describe('LEB128', () => {
  it('encodes unsigned integers', () => {
    expect(enc(uleb, 0)).toEqual([0x00]);
    expect(enc(uleb, 127)).toEqual([0x7f]);
    expect(enc(uleb, 128)).toEqual([0x80, 0x01]);
    expect(enc(uleb, 624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(enc(uleb, 2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => enc(uleb, -1)).toThrow(/uleb: expected an integer in \[0, 2\^32\), got -1/);
    expect(() => enc(uleb, 1.5)).toThrow(RangeError);
  });

  it('encodes signed integers', () => {
    expect(enc(sleb, 0)).toEqual([0x00]);
    expect(enc(sleb, 63)).toEqual([0x3f]);
    expect(enc(sleb, 64)).toEqual([0xc0, 0x00]);
    expect(enc(sleb, -1)).toEqual([0x7f]);
    expect(enc(sleb, -64)).toEqual([0x40]);
    expect(enc(sleb, -65)).toEqual([0xbf, 0x7f]);
    expect(enc(sleb, -123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(enc(sleb, 2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(enc(sleb, -(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(() => enc(sleb, 2 ** 31)).toThrow(/sleb: expected an int32, got 2147483648/);
  });
});

describe('ModuleBuilder', () => {
  it('builds a module with a loop and scalar float memory access that the engine runs', () => {
    const { i32 } = ValType;
    const mod = new ModuleBuilder(1);
    // sum(n) = 1 + 2 + … + n with a counted-down loop
    const f = mod.func('sum', [i32], [i32]);
    const acc = f.local(i32);
    f.block().get(0).i32Eqz().brIf(0);
    f.loop().get(acc).get(0).i32Add().set(acc).get(0).i32Const(1).i32Sub().tee(0).brIf(0).end();
    f.end();
    f.get(acc);
    // copy(src, dst): one float32 from byte src to byte dst
    const g = mod.func('copy', [i32, i32], []);
    g.get(1).get(0).f32Load().f32Store();
    const bytes = mod.bytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((exports.sum as (n: number) => number)(100)).toBe(5050);
    expect((exports.sum as (n: number) => number)(0)).toBe(0);
    const mem = new Float32Array((exports.memory as WebAssembly.Memory).buffer);
    mem[3] = 1.5;
    (exports.copy as (src: number, dst: number) => void)(12, 40);
    expect(mem[10]).toBe(1.5);
  });

  it('builds SIMD code: f32x4 and f64x2 multiply-add over linear memory', () => {
    const { i32 } = ValType;
    const mod = new ModuleBuilder(1);
    // fma(x, y, z): v128 at z += v128 at x · v128 at y, once as f32x4 and once as f64x2
    for (const [name, mul, add] of [
      ['f32', 'f32x4.mul', 'f32x4.add'],
      ['f64', 'f64x2.mul', 'f64x2.add'],
    ] as const) {
      const f = mod.func(name, [i32, i32, i32], []);
      f.get(2).get(2).simdMem('v128.load', 0).get(0).simdMem('v128.load', 0).get(1).simdMem('v128.load', 0).simd(mul).simd(add).simdMem('v128.store', 0);
    }
    const bytes = mod.bytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const buf = (exports.memory as WebAssembly.Memory).buffer;
    const f32 = new Float32Array(buf, 0, 12);
    f32.set([1, 2, 3, 4, 5, 6, 7, 8, 0.5, 0.5, 0.5, 0.5]);
    (exports.f32 as (x: number, y: number, z: number) => void)(0, 16, 32);
    expect(Array.from(f32.subarray(8))).toEqual([5.5, 12.5, 21.5, 32.5]);
    const f64 = new Float64Array(buf, 64, 6);
    f64.set([3, -2, 0.25, 4, 1, 1]);
    (exports.f64 as (x: number, y: number, z: number) => void)(64, 80, 96);
    expect(Array.from(f64.subarray(4))).toEqual([1.75, -7]);
  });
});

describe('emitGemmModule', () => {
  it('rejects micro-tiles the packing routines cannot vectorise', () => {
    expect(() => emitGemmModule({ elem: 'f32', mr: 4, nr: 6 })).toThrow(/nr must be a multiple of 4 for f32, got 6/);
    expect(() => emitGemmModule({ elem: 'f32', mr: 3, nr: 8 })).toThrow(/mr·4 bytes must be a multiple of 16 for f32, got mr=3/);
  });

  it('emits valid modules for other tile shapes', () => {
    for (const spec of [
      { elem: 'f32', mr: 8, nr: 4 },
      { elem: 'f32', mr: 4, nr: 16 },
      { elem: 'f64', mr: 2, nr: 8 },
    ] as const) {
      expect(WebAssembly.validate(emitGemmModule(spec))).toBe(true);
    }
  });
});
