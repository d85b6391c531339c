/**
 * `@tensorgrad/losses`: PyTorch's loss functions (`mseLoss`, `l1Loss`, `smoothL1Loss`,
 * `huberLoss`, `binaryCrossEntropy`, `binaryCrossEntropyWithLogits`, `crossEntropy`, `nllLoss`,
 * `klDiv`) with PyTorch 1.13's exact semantics, and their module forms (`MSELoss`, …,
 * `KLDivLoss`: plain classes with `forward`/`call`, not layers `Module`s). Every loss is a
 * composition of tensor ops, so autodiff differentiates it; intermediates are freed with `tidy`.
 *
 * @packageDocumentation
 */
export { type Reduction, type ReductionOptions, type LegacyReductionOptions, checkReduction, applyReduction } from './common.js';
export {
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  type MSELossOptions,
  type L1LossOptions,
  type SmoothL1LossOptions,
  type HuberLossOptions,
} from './regression.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCELossOptions, type BCEWithLogitsLossOptions } from './binary.js';
export { crossEntropy, nllLoss, type CrossEntropyLossOptions, type NLLLossOptions } from './classification.js';
export { klDiv, type KLDivLossOptions, type KLDivReduction } from './kl-div.js';
export {
  LossModule,
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  NLLLoss,
  KLDivLoss,
} from './modules.js';
