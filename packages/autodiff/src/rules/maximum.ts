import { where, type Tensor } from '@tensorgrad/tensor';
import type { GradRule, RuleContext } from '../rule.js';
import { sumToShape } from '../helpers.js';

/**
 * PyTorch's rule for `maximum`/`minimum`: the gradient goes to the selected operand, halved for
 * both on ties; where an operand is NaN (no order) both receive it whole.
 * @internal
 */
export function binaryExtremumBackward({ saved: [a, b], inputs, needsGrad }: RuleContext<'maximum' | 'minimum'>, g: Tensor, max: boolean): (Tensor | null)[] {
  const shared = where(a!.eq(b!), g.div(2), g);
  const aLoses = max ? a!.lt(b!) : a!.gt(b!);
  const bLoses = max ? a!.gt(b!) : a!.lt(b!);
  return [
    needsGrad[0] ? sumToShape(where(aLoses, 0, shared), inputs[0]!.shape) : null,
    needsGrad[1] ? sumToShape(where(bLoses, 0, shared), inputs[1]!.shape) : null,
  ];
}

export const maximum: GradRule<'maximum'> = {
  save: { inputs: true, outputs: false },
  backward: (ctx, g) => binaryExtremumBackward(ctx, g, true),
};
