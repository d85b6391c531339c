/**
 * The kernel contract (ARCHITECTURE.md, The backend contract): what a backend's kernels receive and return. Every kernel
 * is called as `kernel(ctx, ...inputs, attrs)`:
 *
 * - `ctx` ({@link KernelContext}) carries the backend instance that runs the kernel (its device,
 *   buffer pool, settings and memory counters: backends keep no module-level state) and what the
 *   front-end already computed: the output shape and dtype, and for convolutions and pooling the
 *   whole geometry, so no kernel recomputes a shape;
 * - the inputs are {@link KernelTensor} views (strided; kernels honour strides and offsets);
 * - `attrs` are the op's normalised attributes, `OpAttrs[name]` — declared once, in
 *   `op-registry.ts`.
 *
 * {@link KernelMap} is derived from {@link KernelInputs} (what each kernel takes besides `ctx` and
 * `attrs`) and `OpAttrs`, so adding a kernel is one line here plus one line in `OpAttrs`.
 */
import type { Backend } from './backend.js';
import type { DType } from './dtype.js';
import type { OpAttrs } from './op-registry.js';
import type { Shape } from './shape.js';

/** An opaque handle to a backend's storage (a typed array on `cpu`, a GPU buffer on `webgpu`, …). */
export type StorageHandle = object;

/**
 * A tensor as a kernel sees it: storage, logical shape, element strides and offset. Kernels must
 * honour `strides`/`offset` (views are never copied before dispatch); a stride of 0 means the
 * dimension is broadcast.
 */
export interface KernelTensor {
  readonly handle: StorageHandle;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
}

/** A kernel's output: freshly allocated, contiguous storage on the same backend. */
export interface KernelResult {
  readonly handle: StorageHandle;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * The geometry of a 2-D convolution, from the forward convolution's point of view: input
 * `[n, c, h, w]`, weight `[o, c / groups, kh, kw]`, output `[n, o, oh, ow]`. `conv2d`,
 * `conv2dInputGrad` (and so `convTranspose2d`) and `conv2dWeightGrad` all receive it.
 */
export interface ConvGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  /** Output channels. */
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  /** Strides. */
  readonly sh: number;
  readonly sw: number;
  /** Padding: top, bottom, left, right. */
  readonly pt: number;
  readonly pb: number;
  readonly pl: number;
  readonly pr: number;
  /** Dilations. */
  readonly dh: number;
  readonly dw: number;
  readonly groups: number;
}

/**
 * The geometry of a 2-D pooling window over input planes `[n, c, h, w]` giving `[n, c, oh, ow]`
 * (for the backward kernels: the forward's input and output sizes). Padding is symmetric.
 */
export interface PoolGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
}

/** The geometry each convolution and pooling kernel receives in `ctx.geometry`. */
export interface KernelGeometry {
  conv2d: ConvGeometry;
  conv2dInputGrad: ConvGeometry;
  conv2dWeightGrad: ConvGeometry;
  maxPool2d: PoolGeometry;
  avgPool2d: PoolGeometry;
  avgPool2dBackward: PoolGeometry;
}

type T = KernelTensor;

/**
 * What each kernel takes between `ctx` and `attrs`, keyed by kernel name (the op's name; `copy_`
 * and `adamUpdate_` are the in-place kernels). Front-ends validate arguments, promote dtypes and
 * broadcast before calling a kernel, so kernels only compute:
 *
 * - element-wise binary kernels get two operands already broadcast (through strides) to
 *   `ctx.shape`, of one dtype; `div` only floating operands; comparisons return `bool`;
 * - `sum`: `attrs.dim` is normalised, sorted, non-empty; int32/bool sum to int32;
 * - `max`/`min` (and `argmax`/`argmin`): `dim: null` reduces all elements (indices into the
 *   flattened tensor); the first occurrence wins ties; NaN propagates;
 * - `matmul`: `a` `[B, M, K]`, `b` `[B, K, N]` (any strides; a batch stride may be 0);
 * - `contiguous`: a contiguous copy of a strided view; `to`: a dtype conversion (float → int
 *   truncates toward zero; → bool is `!= 0`);
 * - `cat`: inputs of one dtype and rank, equal except along `dim`; `where`: `cond` bool, all
 *   three already of the output shape; `maskedFill`: `mask` bool, broadcast to `x`;
 * - `gather`/`indexSelect`/`scatterAdd`: `index` int32 with in-range values (checked by the
 *   front-end); `scatterAdd` is out-of-place `x.scatter_add(dim, index, src)`;
 * - `nonzero`: `ctx.shape` is `[attrs.size, x.ndim]` (int32): row k holds the coordinates of the
 *   k-th element of `x` (row-major order) that is non-zero (`x != 0`: NaN counts, `-0` does not;
 *   `true` for bool); rows past the number of such elements hold `attrs.fillValue`, and elements
 *   past `attrs.size` are left out (PyTorch's `nonzero_static`). The front-end computes the size,
 *   so the kernel never reads back a count;
 * - `indexPut`: `x` `[P, R]`, `index` int32 `[M]` with values in `[0, P)`, `values` `[M, R]` (of
 *   `x`'s dtype, any strides, 0 for broadcast): a contiguous copy of `x` with row `index[m]` set to
 *   `values[m]` (`accumulate`: incremented by it, repeated rows add up; bool ORs). Without
 *   `accumulate`, which of several values for one row wins is unspecified (as in PyTorch);
 * - `oneHot`: int32 input in `[0, numClasses)`; `pad`: constant padding in PyTorch order (last dim
 *   first, negative crops);
 * - `copy_`: writes `src` (already broadcast to `dst`, same dtype) into the strided view `dst`;
 * - `adamUpdate_`: one fused Adam/AdamW step in place, all tensors contiguous, of the parameter's
 *   shape and floating dtype; `maxExpAvgSq` given for AMSGrad (optional kernel: without it the
 *   front-end runs the update as separate ops);
 * - `conv2d`: `x` `[N, C, H, W]`, `w` `[O, C/groups, kH, kW]`, optional `bias` `[O]`; float only;
 * - `conv2dInputGrad`: the adjoint of `conv2d` w.r.t. its input (col2im of `wᵀ·g`), `g` `[N, O, Ho, Wo]`
 *   → `[N, C, H, W]` plus an optional per-channel `bias` `[C]` (this is also `convTranspose2d`);
 * - `conv2dWeightGrad`: `x` `[N, C, H, W]`, `g` `[N, O, Ho, Wo]` → `[O, C/groups, kH, kW]`;
 * - `maxPool2d`: `[values, indices]`, indices int32 into each `H·W` plane (PyTorch's
 *   `return_indices`); padding never wins, NaN propagates, the first maximum wins ties;
 * - `avgPool2d`/`avgPool2dBackward`: PyTorch's window clipping and divisor rules
 *   ({@link avgPoolWindow}); `adaptiveAvgPool2d(Backward)`: PyTorch's adaptive windows;
 * - `sort`: `[values, indices]` of `x`'s shape (contiguous), each lane along `attrs.dim` sorted
 *   ascending (`descending`: descending), indices int32 positions along `dim`; always stable
 *   (ties keep their input order, whatever `attrs.stable` says), NaN sorts as the largest value
 *   (last ascending, first descending; NaNs keep their order), `-0` equals `0`. A 0-d `x` (dim 0)
 *   is one lane of length 1;
 * - `cumsum`: the running sum along `attrs.dim` in `x`'s dtype (`ctx.dtype`; the front-end has
 *   converted bool/int inputs to int32, which wraps), of `x`'s shape (contiguous); 0-d as for `sort`;
 * - detection (Vision II), torchvision's semantics exactly (`csrc/ops/cpu/*_kernel.cpp`): `x`
 *   `[N, C, H, W]` and `rois` `[K, 5]` (rows `batch, x1, y1, x2, y2`) of one float dtype, every
 *   `trunc(rois[k, 0])` in `[0, N)` and `H, W >= 1` when `K > 0` (checked by the front-end);
 *   `roiAlign` → `[K, C, pooledHeight, pooledWidth]` (bilinear samples averaged per bin; see
 *   `roiAlignSamples`); `roiAlignBackward` (`grad` `[K, C, ph, pw]`) → `attrs.inputShape`, the
 *   scatter-add of the same samples' weights; `roiPool` → `[output, argmax]`, `argmax` int32 into
 *   the `H·W` plane of image `rois[k, 0]` (the first strictly larger value wins, NaN never does),
 *   `-1` with output 0 for an empty bin (a bin with a NaN edge included: `roiPoolBins`) and `-1` with output `-3.4028234663852886e38` (`-FLT_MAX`)
 *   when no value exceeds `-FLT_MAX`; `roiPoolBackward` (`grad`, `rois`, `argmax`) → `inputShape`,
 *   each gradient added at its argmax (none for `-1`); `nms`: `boxes` `[N, 4]` already sorted by
 *   decreasing score → bool `[N]` keep mask (greedy: kept when no kept earlier box has
 *   IoU > `iouThreshold`; areas `(x2 - x1)·(y2 - y1)`, no +1; IoU computed in the boxes' dtype).
 */
export interface KernelInputs {
  add: [a: T, b: T];
  sub: [a: T, b: T];
  mul: [a: T, b: T];
  div: [a: T, b: T];
  pow: [a: T, b: T];
  eq: [a: T, b: T];
  ne: [a: T, b: T];
  lt: [a: T, b: T];
  le: [a: T, b: T];
  gt: [a: T, b: T];
  ge: [a: T, b: T];
  neg: [x: T];
  abs: [x: T];
  exp: [x: T];
  log: [x: T];
  sqrt: [x: T];
  square: [x: T];
  sin: [x: T];
  cos: [x: T];
  tanh: [x: T];
  sigmoid: [x: T];
  relu: [x: T];
  sign: [x: T];
  leakyRelu: [x: T];
  gelu: [x: T];
  clamp: [x: T];
  sum: [x: T];
  max: [x: T];
  min: [x: T];
  argmax: [x: T];
  argmin: [x: T];
  matmul: [a: T, b: T];
  softmax: [x: T];
  logSoftmax: [x: T];
  contiguous: [x: T];
  to: [x: T];
  cat: [xs: readonly T[]];
  where: [cond: T, x: T, y: T];
  maskedFill: [x: T, mask: T];
  gather: [x: T, index: T];
  scatterAdd: [x: T, index: T, src: T];
  indexSelect: [x: T, index: T];
  nonzero: [x: T];
  indexPut: [x: T, index: T, values: T];
  oneHot: [indices: T];
  pad: [x: T];
  copy_: [dst: T, src: T];
  adamUpdate_: [param: T, grad: T, expAvg: T, expAvgSq: T, maxExpAvgSq: T | null];
  conv2d: [x: T, w: T, bias: T | null];
  conv2dInputGrad: [g: T, w: T, bias: T | null];
  conv2dWeightGrad: [x: T, g: T];
  maxPool2d: [x: T];
  avgPool2d: [x: T];
  avgPool2dBackward: [g: T];
  adaptiveAvgPool2d: [x: T];
  adaptiveAvgPool2dBackward: [g: T];
  // sorting and scans (Vision I)
  sort: [x: T];
  cumsum: [x: T];
  // detection (Vision II)
  roiAlign: [x: T, rois: T];
  roiAlignBackward: [grad: T, rois: T];
  roiPool: [x: T, rois: T];
  roiPoolBackward: [grad: T, rois: T, argmax: T];
  nms: [boxes: T];
}

/** Kernel names: op names that have kernels, plus the in-place kernels `copy_` and `adamUpdate_`. */
export type KernelName = keyof KernelInputs;

/** The kernels whose output is not one {@link KernelResult}. */
export interface KernelOutputs {
  max: [values: KernelResult, indices: KernelResult];
  min: [values: KernelResult, indices: KernelResult];
  maxPool2d: [values: KernelResult, indices: KernelResult];
  sort: [values: KernelResult, indices: KernelResult];
  // detection (Vision II)
  roiPool: [output: KernelResult, argmax: KernelResult];
  copy_: void;
  adamUpdate_: void;
}

/** `K` when kernel `K` takes exactly the inputs `In` and returns one result without geometry, else `never`. */
export type PlainKernel<K extends KernelName, In> = K extends keyof KernelGeometry | keyof KernelOutputs ? never : KernelInputs[K] extends In ? K : never;

/** Kernels of one tensor returning one result, without geometry (element-wise ops, softmax, …). */
export type UnaryKernelName = { [K in KernelName]: PlainKernel<K, [x: KernelTensor]> }[KernelName];

/** Kernels of two tensors returning one result, without geometry (element-wise ops, matmul, …). */
export type BinaryKernelName = { [K in KernelName]: PlainKernel<K, [a: KernelTensor, b: KernelTensor]> }[KernelName];

/** What kernel `K` returns. */
export type KernelOutput<K extends KernelName> = K extends keyof KernelOutputs ? KernelOutputs[K] : KernelResult;

/** The arguments of kernel `K` after its context: its inputs, then `OpAttrs[K]`. */
export type KernelArgs<K extends KernelName> = [...KernelInputs[K], attrs: OpAttrs[K]];

/**
 * What the front-end hands every kernel: the backend instance running it (typed as the backend's
 * own class in that backend's kernel map) and the output it computed — shape and dtype of the
 * (first) output, plus `geometry` for convolution and pooling kernels.
 */
export type KernelContext<K extends KernelName = KernelName, B extends Backend = Backend> = {
  /** The backend instance that runs the kernel (its device, pools, settings, counters). */
  readonly backend: B;
  /** The shape of the (first) output. */
  readonly shape: Shape;
  /** The dtype of the (first) output. */
  readonly dtype: DType;
} & (K extends keyof KernelGeometry ? { readonly geometry: KernelGeometry[K] } : unknown);

/**
 * Kernel `K` of a backend of class `B`. (Declared through a method so that a backend's map typed
 * with its own class — `KernelMap<CpuBackend>` — is a `KernelMap` of the generic `Backend`: the
 * engine only ever passes a kernel its own backend.)
 */
export type Kernel<K extends KernelName, B extends Backend = Backend> = {
  kernel(ctx: KernelContext<K, B>, ...args: KernelArgs<K>): KernelOutput<K>;
}['kernel'];

/** Every kernel signature, keyed by kernel name; a backend implements a `Partial` of it. */
export type KernelMap<B extends Backend = Backend> = { [K in KernelName]: Kernel<K, B> };

/** One average-pooling window: the input range it covers and its divisor. */
export interface AvgPoolWindow {
  /** Rows `[h0, h1)` and columns `[w0, w1)` of the input (clipped to it). */
  readonly h0: number;
  readonly h1: number;
  readonly w0: number;
  readonly w1: number;
  /** 0 when the window lies entirely in the padding (its output is 0). */
  readonly divisor: number;
}

/**
 * PyTorch's average-pooling window of output `(oy, ox)`: the window is clipped to the padded input,
 * then to the input; the divisor is `divisorOverride` when given, else the size clipped to the
 * padded input (`countIncludePad`) or to the input. Shared by every backend's `avgPool2d` and
 * `avgPool2dBackward`, so the rule exists once.
 *
 * @example
 * ```ts
 * import { avgPoolWindow } from '@tensorgrad/tensor/backend';
 * const g = { n: 1, c: 1, h: 3, w: 3, oh: 2, ow: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1 };
 * avgPoolWindow(g, { countIncludePad: false, divisorOverride: null }, 0, 0).divisor; // 1
 * avgPoolWindow(g, { countIncludePad: true, divisorOverride: null }, 0, 0).divisor; // 4
 * ```
 */
export function avgPoolWindow(
  g: PoolGeometry,
  attrs: { readonly countIncludePad: boolean; readonly divisorOverride: number | null },
  oy: number,
  ox: number,
): AvgPoolWindow {
  let h0 = oy * g.sh - g.ph;
  let w0 = ox * g.sw - g.pw;
  let h1 = Math.min(h0 + g.kh, g.h + g.ph);
  let w1 = Math.min(w0 + g.kw, g.w + g.pw);
  const padded = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.h);
  w1 = Math.min(w1, g.w);
  if (h0 >= h1 || w0 >= w1) return { h0, h1, w0, w1, divisor: 0 };
  return { h0, h1, w0, w1, divisor: attrs.divisorOverride ?? (attrs.countIncludePad ? padded : (h1 - h0) * (w1 - w0)) };
}
