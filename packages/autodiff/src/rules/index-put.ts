import { indexPut as indexPutOp } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// inputs: x [P, R], index [M], values [M, R]. Written rows no longer depend on x (unless
// accumulating); each value row gets the gradient of the row it went to
export const indexPut: GradRule<'indexPut'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ saved: [, index], attrs: { accumulate }, needsGrad }, g) => [
    needsGrad[0] ? (accumulate ? g : indexPutOp(g, [index!], 0)) : null,
    null,
    needsGrad[2] ? g.indexSelect(0, index!) : null,
  ],
};
