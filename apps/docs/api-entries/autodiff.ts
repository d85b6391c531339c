/**
 * The parts of `@tensorgrad/autodiff` that the `tensorgrad` umbrella does not re-export: the
 * gradient-rule table's types, for those who add an op or a backend. `grad`, `gradcheck`,
 * `sumToShape` and `rules` are documented under Autodiff.
 *
 * @module @tensorgrad/autodiff
 */
export { NON_DIFFERENTIABLE, type GradRule, type RuleContext, type RuleTable } from '@tensorgrad/autodiff';
