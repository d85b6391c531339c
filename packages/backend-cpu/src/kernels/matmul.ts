import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend, CpuBuffer } from '../backend.js';
import type { MatmulOperand } from '../matmul-core.js';

type GemmArray = MatmulOperand['data'];

/**
 * Batched matrix product: `a` `[B, M, K]` × `b` `[B, K, N]` → `[B, M, N]`, honouring every stride
 * (a batch stride of 0 broadcasts one matrix over the batch; swapped strides read a transpose
 * without copying it).
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[1, 2], [3, 4]]]);
 * const y = backend.kernels.matmul!({ backend, shape: [1, 2, 2], dtype: 'float32' }, kernelTensor(x), kernelTensor(x), {});
 * await wrapResult(backend, y).array(); // [[[7, 10], [15, 22]]]
 * ```
 */
export const matmul: Kernel<'matmul', CpuBackend> = (ctx, a, b) => {
  const [batch, m, n] = ctx.shape as [number, number, number];
  const k = a.shape[2]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const A = (a.handle as CpuBuffer).array as GemmArray;
  const B = (b.handle as CpuBuffer).array as GemmArray;
  const C = data as GemmArray;
  const gemm = ctx.backend.gemm;
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  // one shared right-hand matrix and stacked left-hand rows (x[B,T,K] · W): a single tall GEMM
  // packs W once instead of once per batch entry
  if (batch > 1 && (bbs === 0) && abs === m * ars) {
    gemm.matmulInto(
      batch * m, n, k,
      { data: A, offset: a.offset, rowStride: ars, colStride: acs },
      { data: B, offset: b.offset, rowStride: brs, colStride: bcs },
      { data: C, offset: 0, rowStride: n, colStride: 1 },
    );
    return out;
  }
  for (let i = 0; i < batch; i++) {
    gemm.matmulInto(
      m, n, k,
      { data: A, offset: a.offset + i * abs, rowStride: ars, colStride: acs },
      { data: B, offset: b.offset + i * bbs, rowStride: brs, colStride: bcs },
      { data: C, offset: i * m * n, rowStride: n, colStride: 1 },
    );
  }
  return out;
};
