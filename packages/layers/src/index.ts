/**
 * `@tensorgrad/layers`: PyTorch-style neural-network modules (`Module`, `Parameter`,
 * `Sequential`, `Linear`, `Conv2d`, `BatchNorm2d`, …) and weight initialisers (`init`).
 *
 * @packageDocumentation
 */
export { Parameter } from './parameter.js';
export {
  Module,
  type AnyModule,
  type ForwardHook,
  type RemovableHandle,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type ModuleToTarget,
  type RegisterBufferOptions,
  type ZeroGradOptions,
} from './module.js';
export type { FactoryOptions } from './common.js';
export * from './containers.js';
export * from './summary.js';
export * from './linear.js';
export * from './conv.js';
export * from './pooling.js';
export * from './normalization.js';
export * from './activations.js';
export * from './misc.js';
export * from './embedding.js';
// vision layers (issue #13)
export * from './instance-group-norm.js';
export * from './padding.js';
export * from './pixel-shuffle.js';
export * from './dropout2d.js';
// chapter 13 (SRGAN)
export * from './prelu.js';
export * as init from './init.js';
