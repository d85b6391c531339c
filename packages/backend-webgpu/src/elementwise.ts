/**
 * The one program shape behind every element-wise kernel (unary, binary, comparisons, `where`,
 * `maskedFill`, `to`, `contiguous`, `copy_`): one thread per output element, each input read
 * through its strides (see `linearIndexing`), one WGSL expression for the value.
 */
import { shapeSize, type DType, type Shape } from '@tensorgrad/tensor';
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { GpuStorage, WebGPUBackend } from './backend.js';
import { linearIndexing, type ViewLayout } from './indexing.js';
import { wgslType } from './wgsl.js';

const WG = 256;

/** What {@link mapElementwise} computes. */
export interface ElementwiseSpec {
  /** Names the computation in the program key (the op, plus anything that changes `expr`/`helpers`). */
  readonly name: string;
  /** Operands, each already of the output shape (broadcast through zero strides). */
  readonly inputs: readonly KernelTensor[];
  /** The result dtype. */
  readonly outDtype: DType;
  /**
   * The WGSL expression of one result element (of the output's storage type), reading the operands
   * as `a`, `b`, `c` (their storage types: f32, i32, or u32 for bool) and extra parameters with
   * `param(k)` / `paramI(k)` / `paramF(k)`.
   */
  readonly expr: string;
  /** WGSL functions `expr` calls (part of the program: must be fixed for a given `name`). */
  readonly helpers?: string;
  /** Extra metadata words (u32 bits; floats through `f32Bits`). */
  readonly params?: readonly number[];
}

const OPERANDS = ['a', 'b', 'c', 'd'];

function contiguousLayout(shape: Shape): ViewLayout {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return { strides, offset: 0 };
}

function record(gpu: WebGPUBackend, spec: ElementwiseSpec, shape: Shape, out: GpuStorage, outView: ViewLayout): void {
  const n = shapeSize(shape);
  if (n === 0) return;
  const ix = linearIndexing(shape, [outView, ...spec.inputs]);
  const params = spec.params ?? [];
  const pbase = 1 + ix.meta.length;
  const inTypes = spec.inputs.map((t) => t.dtype);
  const key = `ew:${spec.name}:${inTypes.join(',')}>${spec.outDtype}:${ix.key}:p${params.length}`;
  gpu.run(
    {
      key,
      build: () => {
        const names = ['o_', ...spec.inputs.map((_, k) => `i${k}_`)];
        const loads = spec.inputs.map((_, k) => `let ${OPERANDS[k]} = in${k}[i${k}_];`).join('\n  ');
        return {
          inputs: spec.inputs.map((t, k) => [`in${k}`, t.dtype] as const),
          outputs: [['out', spec.outDtype] as const],
          metaWords: pbase + params.length,
          code: `
fn param(k: u32) -> u32 { return metaU(${pbase}u + k); }
fn paramI(k: u32) -> i32 { return bitcast<i32>(param(k)); }
fn paramF(k: u32) -> f32 { return bitcast<f32>(param(k)); }
${spec.helpers ?? ''}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatWorkgroup(wid, nwg) * ${WG}u + lid;
  if (i >= metaU(0u)) { return; }
  ${ix.wgsl(1, names, 'i')}
  ${loads}
  out[o_] = ${wgslType(spec.outDtype)}(${spec.expr});
}`,
        };
      },
    },
    spec.inputs.map((t) => t.handle),
    [out],
    [n, ...ix.meta, ...params],
    Math.ceil(n / WG),
  );
}

/**
 * Computes an element-wise kernel on `gpu` into a new contiguous tensor of the inputs' (common)
 * shape — the kernel's `ctx.shape`, since front-ends broadcast operands before the call.
 *
 * @example
 * ```ts
 * import { mapElementwise, type WebGPUBackend } from '@tensorgrad/backend-webgpu';
 * import type { Kernel } from '@tensorgrad/tensor/backend';
 * // a kernel: y = x * x + 1
 * const sqPlus1: Kernel<'square', WebGPUBackend> = (ctx, x) =>
 *   mapElementwise(ctx.backend, { name: 'sq-plus-1', inputs: [x], outDtype: ctx.dtype, expr: 'a * a + 1.0' });
 * ```
 */
export function mapElementwise(gpu: WebGPUBackend, spec: ElementwiseSpec): KernelResult {
  const first = spec.inputs[0];
  if (!first) throw new Error(`webgpu: element-wise kernel '${spec.name}' needs at least one input`);
  const shape = first.shape;
  const out = gpu.allocOutput(spec.outDtype, shapeSize(shape));
  record(gpu, spec, shape, out, contiguousLayout(shape));
  return { handle: out, shape, dtype: spec.outDtype };
}

/**
 * Computes an element-wise kernel on `gpu` into an existing (possibly strided) view `dst` of the
 * inputs' shape, e.g. `copy_`. `dst`'s storage must not be one of the inputs' (copy through a
 * temporary).
 *
 * @example
 * ```ts
 * import { mapInto, type WebGPUBackend } from '@tensorgrad/backend-webgpu';
 * import type { KernelTensor } from '@tensorgrad/tensor/backend';
 * const fillFrom = (gpu: WebGPUBackend, dst: KernelTensor, src: KernelTensor) =>
 *   mapInto(gpu, dst, { name: 'copy', inputs: [src], outDtype: dst.dtype, expr: 'a' });
 * ```
 */
export function mapInto(gpu: WebGPUBackend, dst: KernelTensor, spec: ElementwiseSpec): void {
  record(gpu, spec, dst.shape, dst.handle as GpuStorage, dst);
}
