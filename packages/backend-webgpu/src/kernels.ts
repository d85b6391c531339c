/**
 * Every kernel of the WebGPU backend, by kernel name: the full `KernelMap` (so a kernel added to
 * the contract and missing here fails `tsc`). Each lives in `kernels/<kebab-name>.ts`; the
 * machinery they share (`elementwise.ts`, `reduction.ts`, `conv-gemm.ts`, …) is beside this file.
 * Keep this file a plain list (one import and one entry per kernel).
 */
import type { KernelMap } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from './backend.js';
import { add } from './kernels/add.js';
import { sub } from './kernels/sub.js';
import { mul } from './kernels/mul.js';
import { div } from './kernels/div.js';
import { pow } from './kernels/pow.js';
import { eq } from './kernels/eq.js';
import { ne } from './kernels/ne.js';
import { lt } from './kernels/lt.js';
import { le } from './kernels/le.js';
import { gt } from './kernels/gt.js';
import { ge } from './kernels/ge.js';
import { neg } from './kernels/neg.js';
import { abs } from './kernels/abs.js';
import { exp } from './kernels/exp.js';
import { log } from './kernels/log.js';
import { sqrt } from './kernels/sqrt.js';
import { square } from './kernels/square.js';
import { sin } from './kernels/sin.js';
import { cos } from './kernels/cos.js';
import { tanh } from './kernels/tanh.js';
import { sigmoid } from './kernels/sigmoid.js';
import { relu } from './kernels/relu.js';
import { sign } from './kernels/sign.js';
import { leakyRelu } from './kernels/leaky-relu.js';
import { gelu } from './kernels/gelu.js';
import { clamp } from './kernels/clamp.js';
import { sum } from './kernels/sum.js';
import { max } from './kernels/max.js';
import { min } from './kernels/min.js';
import { argmax } from './kernels/argmax.js';
import { argmin } from './kernels/argmin.js';
import { matmul } from './kernels/matmul.js';
import { contiguous } from './kernels/contiguous.js';
import { to } from './kernels/to.js';
import { where } from './kernels/where.js';
import { maskedFill } from './kernels/masked-fill.js';
import { copy_ } from './kernels/copy_.js';
import { conv2d } from './kernels/conv2d.js';
import { conv2dInputGrad } from './kernels/conv2d-input-grad.js';
import { conv2dWeightGrad } from './kernels/conv2d-weight-grad.js';
import { maxPool2d } from './kernels/max-pool2d.js';
import { avgPool2d } from './kernels/avg-pool2d.js';
import { avgPool2dBackward } from './kernels/avg-pool2d-backward.js';
import { adaptiveAvgPool2d } from './kernels/adaptive-avg-pool2d.js';
import { adaptiveAvgPool2dBackward } from './kernels/adaptive-avg-pool2d-backward.js';
// sorting and scans (Vision I)
import { sort } from './kernels/sort.js';
import { cumsum } from './kernels/cumsum.js';
import { softmax } from './kernels/softmax.js';
import { logSoftmax } from './kernels/log-softmax.js';
import { gather } from './kernels/gather.js';
import { scatterAdd } from './kernels/scatter-add.js';
import { indexSelect } from './kernels/index-select.js';
import { nonzero } from './kernels/nonzero.js';
import { indexPut } from './kernels/index-put.js';
import { oneHot } from './kernels/one-hot.js';
import { pad } from './kernels/pad.js';
import { cat } from './kernels/cat.js';
import { adamUpdate_ } from './kernels/adam-update_.js';
// detection (Vision II)
import { roiAlign } from './kernels/roi-align.js';
import { roiAlignBackward } from './kernels/roi-align-backward.js';
import { roiPool } from './kernels/roi-pool.js';
import { roiPoolBackward } from './kernels/roi-pool-backward.js';
import { nms } from './kernels/nms.js';

/** The WebGPU kernels: every kernel of the contract. */
export const kernels: KernelMap<WebGPUBackend> = {
  add,
  sub,
  mul,
  div,
  pow,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  neg,
  abs,
  exp,
  log,
  sqrt,
  square,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  sign,
  leakyRelu,
  gelu,
  clamp,
  sum,
  max,
  min,
  argmax,
  argmin,
  matmul,
  contiguous,
  to,
  where,
  maskedFill,
  copy_,
  conv2d,
  conv2dInputGrad,
  conv2dWeightGrad,
  maxPool2d,
  avgPool2d,
  avgPool2dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  // sorting and scans (Vision I)
  sort,
  cumsum,
  softmax,
  logSoftmax,
  gather,
  scatterAdd,
  indexSelect,
  nonzero,
  indexPut,
  oneHot,
  pad,
  cat,
  adamUpdate_,
  // detection (Vision II)
  roiAlign,
  roiAlignBackward,
  roiPool,
  roiPoolBackward,
  nms,
};
