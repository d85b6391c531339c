/** Every kernel of the tfjs backend, by op name (made for one backend instance). */
import type { KernelMap } from '@tensorgrad/tensor';
import type { KernelHost } from '../host.js';
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
import { softmax } from './softmax.js';
import { logSoftmax } from './log-softmax.js';
import { contiguous } from './contiguous.js';
import { to } from './to.js';
import { cat } from './cat.js';
import { where } from './where.js';
import { maskedFill } from './masked-fill.js';
import { gather } from './gather.js';
import { scatterAdd } from './scatter-add.js';
import { indexSelect } from './index-select.js';
import { oneHot } from './one-hot.js';
import { pad } from './pad.js';
import { copy_ } from './copy.js';
import { adamUpdate_ } from './adam-update.js';
import { conv2d } from './conv2d.js';
import { conv2dInputGrad } from './conv2d-input-grad.js';
import { conv2dWeightGrad } from './conv2d-weight-grad.js';
import { maxPool2d } from './max-pool2d.js';
import { avgPool2d } from './avg-pool2d.js';
import { avgPool2dBackward } from './avg-pool2d-backward.js';
import { adaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
import { adaptiveAvgPool2dBackward } from './adaptive-avg-pool2d-backward.js';

/** The tfjs kernels for `host` (all of `KernelMap`: the compiler checks none is missing). */
export function buildKernels(host: KernelHost): KernelMap {
  return {
    add: add(host),
    sub: sub(host),
    mul: mul(host),
    div: div(host),
    pow: pow(host),
    eq: eq(host),
    ne: ne(host),
    lt: lt(host),
    le: le(host),
    gt: gt(host),
    ge: ge(host),
    neg: neg(host),
    abs: abs(host),
    exp: exp(host),
    log: log(host),
    sqrt: sqrt(host),
    square: square(host),
    sin: sin(host),
    cos: cos(host),
    tanh: tanh(host),
    sigmoid: sigmoid(host),
    relu: relu(host),
    sign: sign(host),
    leakyRelu: leakyRelu(host),
    gelu: gelu(host),
    clamp: clamp(host),
    sum: sum(host),
    max: max(host),
    min: min(host),
    argmax: argmax(host),
    argmin: argmin(host),
    matmul: matmul(host),
    softmax: softmax(host),
    logSoftmax: logSoftmax(host),
    contiguous: contiguous(host),
    to: to(host),
    cat: cat(host),
    where: where(host),
    maskedFill: maskedFill(host),
    gather: gather(host),
    scatterAdd: scatterAdd(host),
    indexSelect: indexSelect(host),
    oneHot: oneHot(host),
    pad: pad(host),
    copy_: copy_(host),
    adamUpdate_: adamUpdate_(host),
    conv2d: conv2d(host),
    conv2dInputGrad: conv2dInputGrad(host),
    conv2dWeightGrad: conv2dWeightGrad(host),
    maxPool2d: maxPool2d(host),
    avgPool2d: avgPool2d(host),
    avgPool2dBackward: avgPool2dBackward(host),
    adaptiveAvgPool2d: adaptiveAvgPool2d(host),
    adaptiveAvgPool2dBackward: adaptiveAvgPool2dBackward(host),
  };
}
