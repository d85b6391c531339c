// The CPU reference meets tighter tolerances than the suite's defaults (which every backend must
// meet): copies and gathers are exact up to float32 rounding, its reductions, GEMMs and
// convolutions accumulate close to PyTorch's, and its float64 convolutions and normalisations
// agree to 1e-12. These were the tensor package's own golden runs; the conformance suite now runs
// each golden case once per CPU configuration, at these tolerances.
import { toleranceFor, type ToleranceOverride } from '@tensorgrad/conformance';

const EXACT_MOVES = new Set(['reshape', 'view', 'flatten', 'permute', 'transpose', 'squeeze', 'unsqueeze', 'expand', 'select', 'narrow', 'cat', 'stack', 'gather', 'indexSelect', 'oneHot', 'pad']);
const NN = ['conv2d', 'convTranspose2d', 'maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d', 'batchNorm', 'layerNorm', 'dropout', 'interpolate'];
const CLOSE_ACCUMULATION = new Set(['matmul', 'mm', 'bmm', 'mean', 'max', 'min', 'argmax', 'argmin', 'std', 'var', 'softmax', 'logSoftmax', ...NN]);
const FLOAT64_NN = new Set(NN);

/** The CPU backend's tolerances where they are tighter than the suite's (never looser). */
export const cpuTolerance: ToleranceOverride = (op, dtype, kind) => {
  let tight: { rtol: number; atol: number } | undefined;
  if (dtype === 'float32' && EXACT_MOVES.has(op)) tight = { rtol: 1e-6, atol: 1e-6 };
  else if (dtype === 'float32' && CLOSE_ACCUMULATION.has(op)) tight = { rtol: 1e-4, atol: 1e-6 };
  else if (dtype === 'float64' && FLOAT64_NN.has(op)) tight = { rtol: 1e-10, atol: 1e-12 };
  if (!tight) return undefined;
  const base = toleranceFor(dtype, kind);
  return { rtol: Math.min(base.rtol, tight.rtol), atol: Math.min(base.atol, tight.atol) };
};
