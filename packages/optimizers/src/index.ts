/**
 * `@tensorgrad/optimizers`: `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad` with PyTorch 1.13's
 * update rules, learning-rate schedulers, and gradient clipping (`clipGradNorm_`,
 * `clipGradValue_`). Optimizers update parameters in place under `noGrad`; their state tensors
 * are owned by the optimizer and freed by `dispose()`.
 *
 * @packageDocumentation
 */
export {
  Optimizer,
  type ParamGroup,
  type ParamState,
  type ParamsInput,
  type StateValue,
  type OptimizerStateDict,
  type ZeroGradOptions,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions, type AdamGroup } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { LBFGS, type LBFGSOptions, type LBFGSClosure, type LBFGSGroup } from './lbfgs.js';
export {
  LRScheduler,
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LambdaLR,
  type SchedulerStateDict,
  type StepLROptions,
  type MultiStepLROptions,
  type ExponentialLROptions,
  type CosineAnnealingLROptions,
  type LambdaLROptions,
} from './lr-scheduler.js';
export type { AnyOptimizer, VerboseOption } from './lr-scheduler.js';
export type { ImplementationOptions } from './optimizer.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from './clip-grad.js';
