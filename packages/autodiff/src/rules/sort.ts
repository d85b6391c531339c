import { scatterAdd, zeros, type Tensor } from '@tensorgrad/tensor';
import type { GradRule, RuleContext } from '../rule.js';

// each selected value's gradient goes back to the position it came from (`indices` along `dim`);
// shared by `topk`, whose indices cover only k positions
export function scatterToIndices({ outputs: [, indices], inputs, attrs: { dim } }: RuleContext<'sort' | 'topk'>, g: Tensor): Tensor[] {
  const shape = inputs[0]!.shape;
  if (shape.length === 0) return [g];
  return [scatterAdd(zeros([...shape], { dtype: g.dtype, backend: g.backend }), indices!, g, { dim })];
}

export const sort: GradRule<'sort'> = { save: { inputs: false, outputs: true }, backward: scatterToIndices };
