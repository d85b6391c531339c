/**
 * The op registry: one entry per op name, mapping it to the (normalised) attributes that the
 * front-end records on the autodiff tape. Gradient rules (`@tensorgrad/autodiff`) are a mapped
 * type over these names, so adding an op here without a rule fails `tsc`.
 */
import type { DType } from './dtype.js';
import type { AdamUpdateOptions } from './inplace/adam-update_.js';

/** The attributes of an op that takes none. */
export type NoAttrs = Record<string, never>;

/** Normalised attributes of each op, keyed by op name. */
export interface OpAttrs {
  /** `alpha` is applied by the front-end (`other * alpha`), so the op records none. */
  add: NoAttrs;
  sub: NoAttrs;
  mul: NoAttrs;
  div: NoAttrs;
  pow: NoAttrs;
  eq: NoAttrs;
  ne: NoAttrs;
  lt: NoAttrs;
  le: NoAttrs;
  gt: NoAttrs;
  ge: NoAttrs;
  neg: NoAttrs;
  abs: NoAttrs;
  exp: NoAttrs;
  log: NoAttrs;
  sqrt: NoAttrs;
  square: NoAttrs;
  sin: NoAttrs;
  cos: NoAttrs;
  tanh: NoAttrs;
  sigmoid: NoAttrs;
  relu: NoAttrs;
  sign: NoAttrs;
  leakyRelu: { negativeSlope: number };
  gelu: { approximate: 'none' | 'tanh' };
  clamp: { min: number | null; max: number | null };
  sum: { dim: number[]; keepdim: boolean };
  mean: { dim: number[]; keepdim: boolean };
  max: { dim: number | null; keepdim: boolean };
  min: { dim: number | null; keepdim: boolean };
  argmax: { dim: number | null; keepdim: boolean };
  argmin: { dim: number | null; keepdim: boolean };
  std: { dim: number[]; keepdim: boolean; correction: number };
  var: { dim: number[]; keepdim: boolean; correction: number };
  matmul: NoAttrs;
  mm: NoAttrs;
  bmm: NoAttrs;
  reshape: { shape: number[] };
  view: { shape: number[] };
  flatten: { startDim: number; endDim: number };
  permute: { dims: number[] };
  transpose: { dim0: number; dim1: number };
  squeeze: { dim: number[] };
  unsqueeze: { dim: number };
  expand: { size: number[] };
  select: { dim: number; index: number };
  narrow: { dim: number; start: number; length: number };
  slice: { dim: number; start: number; end: number; step: number };
  contiguous: NoAttrs;
  clone: NoAttrs;
  to: { dtype: DType };
  cat: { dim: number };
  stack: { dim: number };
  where: NoAttrs;
  maskedFill: { value: number };
  gather: { dim: number };
  scatterAdd: { dim: number };
  indexSelect: { dim: number };
  /** `nonzeroStatic`: the number of rows and the fill of rows past the count. */
  nonzero: { size: number; fillValue: number };
  maskedSelect: NoAttrs;
  indexPut: { accumulate: boolean };
  oneHot: { numClasses: number };
  softmax: { dim: number };
  logSoftmax: { dim: number };
  pad: { pad: number[]; mode: 'constant'; value: number };
  // sorting and scans (Vision I): `dim` normalised; `topk` is `sort` + `narrow`
  sort: { dim: number; descending: boolean; stable: boolean };
  topk: { k: number; dim: number; largest: boolean; sorted: boolean };
  cumsum: { dim: number };
  // neural-network ops: convolution and pooling
  conv2d: { stride: [number, number]; padding: [number, number, number, number]; dilation: [number, number]; groups: number };
  conv2dInputGrad: { inputSize: [number, number]; stride: [number, number]; padding: [number, number, number, number]; dilation: [number, number]; groups: number };
  conv2dWeightGrad: { kernelSize: [number, number]; stride: [number, number]; padding: [number, number, number, number]; dilation: [number, number]; groups: number };
  convTranspose2d: { stride: [number, number]; padding: [number, number]; outputPadding: [number, number]; dilation: [number, number]; groups: number };
  maxPool2d: { kernelSize: [number, number]; stride: [number, number]; padding: [number, number]; dilation: [number, number]; ceilMode: boolean };
  avgPool2d: { kernelSize: [number, number]; stride: [number, number]; padding: [number, number]; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null };
  avgPool2dBackward: { inputSize: [number, number]; kernelSize: [number, number]; stride: [number, number]; padding: [number, number]; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null };
  adaptiveAvgPool2d: { outputSize: [number, number] };
  adaptiveAvgPool2dBackward: { inputSize: [number, number] };
  // neural-network ops: normalisation, dropout, interpolation
  batchNorm: { training: boolean; eps: number };
  layerNorm: { normalizedShape: number[]; eps: number };
  dropout: { p: number };
  interpolate: { size: number[]; mode: 'nearest' | 'linear' | 'bilinear'; alignCorners: boolean };
  // Vision I (ops-max): decompositions recorded as one op each
  maximum: NoAttrs;
  minimum: NoAttrs;
  /** `p` is a number (`±Infinity` included; `'fro'` normalised to 2); `dim` sorted, all dims when absent. */
  norm: { p: number; dim: number[]; keepdim: boolean };
  /** `outputSize` is the spatial `[oh, ow]` of the output. */
  maxUnpool2d: { outputSize: [number, number] };
  // detection (Vision II): torchvision's RoI pooling and NMS (front-ends in @tensorgrad/tensor/backend)
  roiAlign: { pooledHeight: number; pooledWidth: number; spatialScale: number; samplingRatio: number; aligned: boolean };
  /** `inputShape` is the forward input's `[N, C, H, W]`. */
  roiAlignBackward: { pooledHeight: number; pooledWidth: number; spatialScale: number; samplingRatio: number; aligned: boolean; inputShape: [number, number, number, number] };
  roiPool: { pooledHeight: number; pooledWidth: number; spatialScale: number };
  roiPoolBackward: { inputShape: [number, number, number, number] };
  nms: { iouThreshold: number };
  // in-place ops (never recorded on the tape; kernels of the same name)
  copy_: NoAttrs;
  adamUpdate_: AdamUpdateOptions;
}

/** The in-place ops: they write into an existing tensor and are never recorded on the tape. */
export type InPlaceOpName = 'copy_' | 'adamUpdate_';

/** The ops the autodiff tape records (every op but the in-place ones). */
export type RecordedOpName = Exclude<OpName, InPlaceOpName>;

/** Every op name. */
export type OpName = keyof OpAttrs;
