/**
 * A minimal WebAssembly assembler: just enough of the binary format (LEB128 integers, the type,
 * function, memory, export and code sections, and the scalar and SIMD128 opcodes the GEMM
 * kernels use) to emit a module from TypeScript at run time, so the package ships no binary and
 * needs no toolchain. Opcode values are those of the WebAssembly core specification (§5.4) and
 * of the fixed-width SIMD proposal (the `0xFD` prefix).
 */

/** A WebAssembly value type byte. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
/** One of the {@link ValType} bytes. */
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Appends the unsigned LEB128 encoding of `value` (a non-negative integer below 2³²) to `out`. */
export function uleb(out: number[], value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`uleb: expected an integer in [0, 2^32), got ${value}`);
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/** Appends the signed LEB128 encoding of `value` (an integer in the int32 range) to `out`. */
export function sleb(out: number[], value: number): void {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`sleb: expected an int32, got ${value}`);
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    // done once the remaining bits are all copies of the sign bit of the byte just written
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

// SIMD opcodes (after the 0xFD prefix), from the fixed-width SIMD specification
const SIMD = {
  'v128.load': 0x00,
  'v128.load32_splat': 0x09,
  'v128.load64_splat': 0x0a,
  'v128.store': 0x0b,
  'v128.const': 0x0c,
  'f32x4.add': 0xe4,
  'f32x4.mul': 0xe6,
  'f64x2.add': 0xf0,
  'f64x2.mul': 0xf2,
} as const;

/** A SIMD instruction name understood by {@link FunctionBuilder.simd}. */
export type SimdOp = keyof typeof SIMD;

/**
 * The body of one function: instructions are appended in order, and locals declared with
 * {@link FunctionBuilder.local} at any point (the encoding lists them before the code). Methods
 * return `this` so short sequences chain.
 */
export class FunctionBuilder {
  /** The encoded instructions (without the trailing `end`, which {@link ModuleBuilder} adds). */
  readonly code: number[] = [];
  /** Types of the declared locals after the parameters, in index order. */
  readonly locals: ValType[] = [];

  constructor(
    /** Parameter types (locals `0 … params.length - 1`). */
    readonly params: readonly ValType[],
    /** Result types. */
    readonly results: readonly ValType[],
  ) {}

  /** Declares a new local of type `type` and returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private memarg(alignLog2: number, offset: number): this {
    uleb(this.code, alignLog2);
    uleb(this.code, offset);
    return this;
  }

  /** `local.get i` */
  get(i: number): this {
    this.op(0x20);
    uleb(this.code, i);
    return this;
  }
  /** `local.set i` */
  set(i: number): this {
    this.op(0x21);
    uleb(this.code, i);
    return this;
  }
  /** `local.tee i` */
  tee(i: number): this {
    this.op(0x22);
    uleb(this.code, i);
    return this;
  }
  /** `i32.const v` */
  i32Const(v: number): this {
    this.op(0x41);
    sleb(this.code, v);
    return this;
  }
  /** `i32.add` */
  i32Add(): this {
    return this.op(0x6a);
  }
  /** `i32.sub` */
  i32Sub(): this {
    return this.op(0x6b);
  }
  /** `i32.mul` */
  i32Mul(): this {
    return this.op(0x6c);
  }
  /** `i32.div_u` */
  i32DivU(): this {
    return this.op(0x6e);
  }
  /** `i32.ne` */
  i32Ne(): this {
    return this.op(0x47);
  }
  /** `i32.eqz` */
  i32Eqz(): this {
    return this.op(0x45);
  }
  /** `f32.load` (natural alignment) at a constant byte offset from the address on the stack. */
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(2, offset);
  }
  /** `f32.store` (natural alignment) at a constant byte offset. */
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(2, offset);
  }
  /** `f64.load` (natural alignment) at a constant byte offset. */
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset);
  }
  /** `f64.store` (natural alignment) at a constant byte offset. */
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset);
  }
  /** `block` with no result; close with {@link end}. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  /** `loop` with no result; close with {@link end}. */
  loop(): this {
    return this.op(0x03, 0x40);
  }
  /** `if` with no result; optionally {@link else_}, then {@link end}. */
  if_(): this {
    return this.op(0x04, 0x40);
  }
  /** `else` */
  else_(): this {
    return this.op(0x05);
  }
  /** `end` of a block, loop or if. */
  end(): this {
    return this.op(0x0b);
  }
  /** `br_if depth` */
  brIf(depth: number): this {
    this.op(0x0d);
    uleb(this.code, depth);
    return this;
  }
  /** A SIMD instruction without immediates (arithmetic, splat). */
  simd(name: SimdOp): this {
    this.op(0xfd);
    uleb(this.code, SIMD[name]);
    return this;
  }
  /** A SIMD memory instruction (`v128.load`, `v128.store`, `v128.loadN_splat`) with its memarg. */
  simdMem(name: 'v128.load' | 'v128.store' | 'v128.load32_splat' | 'v128.load64_splat', offset: number): this {
    const align = name === 'v128.load32_splat' ? 2 : name === 'v128.load64_splat' ? 3 : 4;
    this.simd(name);
    return this.memarg(align, offset);
  }
  /** `v128.const` of sixteen zero bytes. */
  v128Zero(): this {
    this.simd('v128.const');
    return this.op(...new Array<number>(16).fill(0));
  }
}

/** An exported function of a module under construction. */
interface ExportedFunction {
  name: string;
  fn: FunctionBuilder;
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

function name(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  out.push(...bytes);
}

/**
 * A module with one linear memory (exported as `memory`) and a list of exported functions.
 * {@link ModuleBuilder.bytes} encodes it. The memory is the module's own, or, when `shared`, a
 * shared memory of exactly `memoryPages` pages imported as `env.memory` (limits flag `0x03` of the
 * threads proposal: a minimum and a maximum, shared), so that several instances on several
 * threads work on the same bytes.
 */
export class ModuleBuilder {
  private readonly functions: ExportedFunction[] = [];

  constructor(
    /** Initial size of the memory in 64 KiB pages (also its maximum when `shared`). */
    readonly memoryPages: number,
    /** Import a shared memory (`env.memory`) instead of defining a private one. */
    readonly shared = false,
  ) {}

  /** Adds an exported function with the given signature and returns its builder. */
  func(exportName: string, params: readonly ValType[], results: readonly ValType[]): FunctionBuilder {
    const fn = new FunctionBuilder(params, results);
    this.functions.push({ name: exportName, fn });
    return fn;
  }

  /** The binary module. */
  bytes(): Uint8Array<ArrayBuffer> {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    // type section: one signature per function (duplicates are legal and keep this simple)
    const types: number[] = [];
    uleb(types, this.functions.length);
    for (const { fn } of this.functions) {
      types.push(0x60);
      uleb(types, fn.params.length);
      types.push(...fn.params);
      uleb(types, fn.results.length);
      types.push(...fn.results);
    }
    section(out, 1, types);
    if (this.shared) {
      // import section: env.memory, a shared memory with minimum = maximum = memoryPages
      const imp: number[] = [];
      uleb(imp, 1);
      name(imp, 'env');
      name(imp, 'memory');
      imp.push(0x02, 0x03);
      uleb(imp, this.memoryPages);
      uleb(imp, this.memoryPages);
      section(out, 2, imp);
    }
    const funcs: number[] = [];
    uleb(funcs, this.functions.length);
    this.functions.forEach((_, i) => uleb(funcs, i));
    section(out, 3, funcs);
    if (!this.shared) {
      // memory section: one memory, minimum pages, no maximum
      const mem: number[] = [1, 0x00];
      uleb(mem, this.memoryPages);
      section(out, 5, mem);
    }
    const exps: number[] = [];
    uleb(exps, this.functions.length + 1);
    name(exps, 'memory');
    exps.push(0x02, 0x00);
    this.functions.forEach(({ name: n }, i) => {
      name(exps, n);
      exps.push(0x00);
      uleb(exps, i);
    });
    section(out, 7, exps);
    const code: number[] = [];
    uleb(code, this.functions.length);
    for (const { fn } of this.functions) {
      const body: number[] = [];
      // locals as run-length groups of one type
      const groups: [number, ValType][] = [];
      for (const t of fn.locals) {
        const last = groups[groups.length - 1];
        if (last && last[1] === t) last[0]++;
        else groups.push([1, t]);
      }
      uleb(body, groups.length);
      for (const [count, t] of groups) {
        uleb(body, count);
        body.push(t);
      }
      body.push(...fn.code, 0x0b);
      uleb(code, body.length);
      code.push(...body);
    }
    section(out, 10, code);
    return new Uint8Array(out);
  }
}
