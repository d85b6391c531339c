/**
 * `@tensorgrad/tensor/backend`: the extension API, for those who write backends, ops and the
 * autodiff package — not needed to use tensorgrad. The kernel contract (`KernelMap`,
 * `KernelContext`, `KernelTensor`, geometry), the engine that front-ends call (`runKernel`,
 * `kernelTensor`, `wrapResult`, `record`, …), storage and the autodiff hooks.
 *
 * @packageDocumentation
 */
export * from './kernel.js';
export type { OpAttrs, OpName, NoAttrs, InPlaceOpName, RecordedOpName } from './op-registry.js';
export { Storage } from './storage.js';
export { GradNode, installAutograd, autogradHooks, type AutogradHooks, type InputMeta, type SaveSpec } from './autograd-core.js';
export {
  assertTensor,
  sameBackend,
  kernelFor,
  runKernel,
  kernelTensor,
  wrapResult,
  fromArray,
  scalarTensor,
  castUntracked,
  cloneUntracked,
  record,
  decompose,
  unaryOp,
  binaryOp,
  resultTypeOf,
  shapeError,
  type UnaryOptions,
  type BinaryKind,
} from './engine.js';
export { parseReduceArgs, reduceDims, parseShapeArgs, splitOptionalTensors, optionalTensors } from './args.js';
export { contiguousStrides, isContiguousLayout, stridedOffsets, broadcastStrides, normalizeDim, reducedShape } from './shape.js';
export { convOutSize, poolOutSize } from './ops/conv-args.js';
export { signature, parseArgs, checkOptionKeys, nearestKey, isOptionsObject, refuseUnsupported, type Signature } from './signature.js';
export { maskPositions } from './ops/masked-select.js';
export { CallableInstance } from './callable.js';
// detection (Vision II): the ops behind @tensorgrad/vision's roiAlign, roiPool and nms, and the
// per-RoI geometry shared by the backends that compute it on the host
export { roiAlign, type RoiAlignOpOptions } from './ops/roi-align.js';
export { roiAlignBackward, type RoiAlignBackwardOptions } from './ops/roi-align-backward.js';
export { roiPool, type RoiPoolOpOptions } from './ops/roi-pool.js';
export { roiPoolBackward, type RoiPoolBackwardOptions } from './ops/roi-pool-backward.js';
export { nms, type NmsOpOptions } from './ops/nms.js';
export { roiAlignSamples, roiPoolBins, nmsKeep, type RoiAlignParams, type RoiAlignSamples, type RoiPoolBin } from './detection-geometry.js';
