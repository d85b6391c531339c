/**
 * `@tensorgrad/autodiff`: reverse-mode automatic differentiation. Importing it installs the tape
 * into `@tensorgrad/tensor`, so `loss.backward()` works; it also exports `grad`, `gradcheck`,
 * `noGrad` and `enableGrad`, and the gradient rule of every op.
 *
 * @packageDocumentation
 */
import { installAutograd } from '@tensorgrad/tensor/backend';
import { backwardIntoGrad, saveSpecOf } from './backward.js';

export { grad } from './grad.js';
export { gradcheck, type GradcheckOptions } from './gradcheck.js';
export { sumToShape } from './helpers.js';
export { rules } from './rules/index.js';
export { NON_DIFFERENTIABLE, type GradRule, type RuleContext, type RuleTable } from './rule.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from '@tensorgrad/tensor';

installAutograd({ saveSpec: saveSpecOf, backward: backwardIntoGrad });
