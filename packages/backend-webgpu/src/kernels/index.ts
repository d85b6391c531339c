/**
 * Every kernel of the WebGPU backend, by op name. Ops without a kernel here fall back to their
 * front-end decomposition or fail with tensorgrad's "not supported yet on backend 'webgpu'" error.
 * Keep this file a plain list (one import and one entry per kernel) so that kernels can be added
 * line by line.
 */
import type { KernelMap } from '@tensorgrad/tensor';
import { add } from './add.js';
import { sub } from './sub.js';
import { mul } from './mul.js';
import { div } from './div.js';
import { pow } from './pow.js';
import { eq } from './eq.js';
import { ne } from './ne.js';
import { lt } from './lt.js';
import { le } from './le.js';
import { gt } from './gt.js';
import { ge } from './ge.js';
import { neg } from './neg.js';
import { abs } from './abs.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { sin } from './sin.js';
import { cos } from './cos.js';
import { tanh } from './tanh.js';
import { sigmoid } from './sigmoid.js';
import { relu } from './relu.js';
import { sign } from './sign.js';
import { leakyRelu } from './leaky-relu.js';
import { gelu } from './gelu.js';
import { clamp } from './clamp.js';
import { sum } from './sum.js';
import { max } from './max.js';
import { min } from './min.js';
import { argmax } from './argmax.js';
import { argmin } from './argmin.js';
import { matmul } from './matmul.js';
import { contiguous } from './contiguous.js';
import { to } from './to.js';
import { where } from './where.js';
import { maskedFill } from './masked-fill.js';
import { copy_ } from './copy.js';
import { conv2d } from './conv2d.js';
import { conv2dInputGrad } from './conv2d-input-grad.js';
import { conv2dWeightGrad } from './conv2d-weight-grad.js';
import { maxPool2d } from './max-pool2d.js';
import { avgPool2d } from './avg-pool2d.js';
import { avgPool2dBackward } from './avg-pool2d-backward.js';
import { adaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
import { adaptiveAvgPool2dBackward } from './adaptive-avg-pool2d-backward.js';
import { softmax } from './softmax.js';
import { logSoftmax } from './log-softmax.js';
import { gather } from './gather.js';
import { scatterAdd } from './scatter-add.js';
import { indexSelect } from './index-select.js';
import { oneHot } from './one-hot.js';
import { pad } from './pad.js';
import { cat } from './cat.js';
import { adamUpdate_ } from './adam-update.js';

/** The WebGPU kernels implemented so far. */
export const kernels: Partial<KernelMap> = {
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
  softmax,
  logSoftmax,
  gather,
  scatterAdd,
  indexSelect,
  oneHot,
  pad,
  cat,
  adamUpdate_,
};
