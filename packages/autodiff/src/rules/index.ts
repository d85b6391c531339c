/** The gradient rule of every op (a missing one is a compile error: see `RuleTable`). */
import { NON_DIFFERENTIABLE, type RuleTable } from '../rule.js';
// Vision I (ops-max)
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { norm } from './norm.js';
import { maxUnpool2d } from './max-unpool2d.js';
import { add } from './add.js';
import { sub } from './sub.js';
import { mul } from './mul.js';
import { div } from './div.js';
import { pow } from './pow.js';
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
import { mean } from './mean.js';
import { max } from './max.js';
import { min } from './min.js';
import { std } from './std.js';
import { var as var_ } from './var.js';
import { matmul } from './matmul.js';
import { mm } from './mm.js';
import { bmm } from './bmm.js';
import { reshape } from './reshape.js';
import { view } from './view.js';
import { flatten } from './flatten.js';
import { permute } from './permute.js';
import { transpose } from './transpose.js';
import { squeeze } from './squeeze.js';
import { unsqueeze } from './unsqueeze.js';
import { expand } from './expand.js';
import { select } from './select.js';
import { narrow } from './narrow.js';
import { slice } from './slice.js';
import { contiguous } from './contiguous.js';
import { clone } from './clone.js';
import { to } from './to.js';
import { cat } from './cat.js';
import { stack } from './stack.js';
import { where } from './where.js';
import { maskedFill } from './masked-fill.js';
import { gather } from './gather.js';
import { scatterAdd } from './scatter-add.js';
import { indexSelect } from './index-select.js';
import { maskedSelect } from './masked-select.js';
import { indexPut } from './index-put.js';
import { softmax } from './softmax.js';
import { logSoftmax } from './log-softmax.js';
import { pad } from './pad.js';
import { conv2d } from './conv2d.js';
import { convTranspose2d } from './conv-transpose2d.js';
import { conv2dInputGrad } from './conv2d-input-grad.js';
import { conv2dWeightGrad } from './conv2d-weight-grad.js';
import { maxPool2d } from './max-pool2d.js';
import { avgPool2d } from './avg-pool2d.js';
import { avgPool2dBackward } from './avg-pool2d-backward.js';
import { adaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
import { adaptiveAvgPool2dBackward } from './adaptive-avg-pool2d-backward.js';
import { batchNorm } from './batch-norm.js';
import { layerNorm } from './layer-norm.js';
import { dropout } from './dropout.js';
import { interpolate } from './interpolate.js';
// sorting and scans (Vision I)
import { sort } from './sort.js';
import { topk } from './topk.js';
import { cumsum } from './cumsum.js';
// detection (Vision II)
import { roiAlign } from './roi-align.js';
import { roiAlignBackward } from './roi-align-backward.js';
import { roiPool } from './roi-pool.js';
import { roiPoolBackward } from './roi-pool-backward.js';

/**
 * Gradient rules by op name.
 *
 * @example
 * ```ts
 * import { rules } from '@tensorgrad/autodiff';
 * typeof rules.matmul; // 'object'
 * ```
 */
export const rules: RuleTable = {
  add,
  sub,
  mul,
  div,
  pow,
  eq: NON_DIFFERENTIABLE,
  ne: NON_DIFFERENTIABLE,
  lt: NON_DIFFERENTIABLE,
  le: NON_DIFFERENTIABLE,
  gt: NON_DIFFERENTIABLE,
  ge: NON_DIFFERENTIABLE,
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
  mean,
  max,
  min,
  argmax: NON_DIFFERENTIABLE,
  argmin: NON_DIFFERENTIABLE,
  std,
  var: var_,
  matmul,
  mm,
  bmm,
  reshape,
  view,
  flatten,
  permute,
  transpose,
  squeeze,
  unsqueeze,
  expand,
  select,
  narrow,
  slice,
  contiguous,
  clone,
  to,
  cat,
  stack,
  where,
  maskedFill,
  gather,
  scatterAdd,
  indexSelect,
  nonzero: NON_DIFFERENTIABLE,
  maskedSelect,
  indexPut,
  oneHot: NON_DIFFERENTIABLE,
  softmax,
  logSoftmax,
  pad,
  conv2d,
  convTranspose2d,
  conv2dInputGrad,
  conv2dWeightGrad,
  maxPool2d,
  avgPool2d,
  avgPool2dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  batchNorm,
  layerNorm,
  dropout,
  interpolate,
  // Vision I (ops-max)
  maximum,
  minimum,
  norm,
  maxUnpool2d,
  // sorting and scans (Vision I)
  sort,
  topk,
  cumsum,
  // detection (Vision II): nms's keep mask has no gradient
  roiAlign,
  roiAlignBackward,
  roiPool,
  roiPoolBackward,
  nms: NON_DIFFERENTIABLE,
};
