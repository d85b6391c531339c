import type { Tensor } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import type { GradRule, RuleContext } from '../rule.js';

// With a dim the gradient goes to the selected index only (a one-hot mask built by comparing
// positions along dim with the indices, so no scatter kernel is needed). Without a dim PyTorch
// shares it evenly among every element equal to the result.
export function extremumBackward({ saved: [x], outputs: [values, indices], inputs, attrs: { dim, keepdim } }: RuleContext<'max' | 'min'>, g: Tensor): Tensor[] {
  const shape = inputs[0]!.shape;
  if (dim === null) {
    const mask = x!.eq(values!);
    return [mask.mul(g.div(mask.sum()))];
  }
  if (shape.length === 0) return [g];
  const keptShape = shape.map((s, i) => (i === dim ? 1 : s));
  const gK = keepdim ? g : g.reshape(keptShape);
  const iK = keepdim ? indices! : indices!.reshape(keptShape);
  const len = shape[dim]!;
  const pos = new Int32Array(len);
  for (let k = 0; k < len; k++) pos[k] = k;
  const positions = fromArray(g.backendInstance, pos, shape.map((s, i) => (i === dim ? s : 1)), 'int32');
  return [positions.eq(iK).mul(gK)];
}

export const max: GradRule<'max'> = { save: { inputs: true, outputs: true }, backward: extremumBackward };
