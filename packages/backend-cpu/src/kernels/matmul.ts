import type { KernelMap } from '@tensorgrad/tensor';
import type { CpuBuffer } from '../backend.js';
import { matmulInto, type MatmulOperand } from '../matmul-core.js';
import { result } from '../util.js';

type GemmArray = MatmulOperand['data'];

/**
 * Batched matrix product: `a` `[B, M, K]` × `b` `[B, K, N]` → `[B, M, N]`, honouring every stride
 * (a batch stride of 0 broadcasts one matrix over the batch; swapped strides read a transpose
 * without copying it).
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[1, 2], [3, 4]]]);
 * const y = wrapResult(b, b.kernels.matmul!(kernelTensor(x), kernelTensor(x)));
 * await y.array(); // [[[7, 10], [15, 22]]]
 * ```
 */
export const matmul: KernelMap['matmul'] = (a, b) => {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const { out, data } = result([batch, m, n], a.dtype);
  const A = (a.handle as CpuBuffer).array as GemmArray;
  const B = (b.handle as CpuBuffer).array as GemmArray;
  const C = data as GemmArray;
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  // one shared right-hand matrix and stacked left-hand rows (x[B,T,K] · W): a single tall GEMM
  // packs W once instead of once per batch entry
  if (batch > 1 && (bbs === 0) && abs === m * ars) {
    matmulInto(
      batch * m, n, k,
      { data: A, offset: a.offset, rowStride: ars, colStride: acs },
      { data: B, offset: b.offset, rowStride: brs, colStride: bcs },
      { data: C, offset: 0, rowStride: n, colStride: 1 },
    );
    return out;
  }
  for (let i = 0; i < batch; i++) {
    matmulInto(
      m, n, k,
      { data: A, offset: a.offset + i * abs, rowStride: ars, colStride: acs },
      { data: B, offset: b.offset + i * bbs, rowStride: brs, colStride: bcs },
      { data: C, offset: i * m * n, rowStride: n, colStride: 1 },
    );
  }
  return out;
};
