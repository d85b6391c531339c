import type { GradRule, RuleContext } from '../rule.js';
import { max } from './max.js';

// the same selection logic as max: min records the same attrs and outputs
export const min: GradRule<'min'> = {
  save: max.save,
  backward: (ctx, g) => max.backward(ctx as unknown as RuleContext<'max'>, g),
};
