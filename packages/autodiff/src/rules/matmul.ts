import type { Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// dA = g·Bᵀ, dB = Aᵀ·g on the operands as matmul sees them: 1-D operands become a [1, K] row /
// [K, 1] column (and g gets the dropped dim back), and broadcast batch dims are summed out.
export const matmul: GradRule<'matmul'> = {
  backward: ({ saved: [a, b], inputs, needsGrad }, g) => {
    const aShape = inputs[0]!.shape;
    const bShape = inputs[1]!.shape;
    const aVec = aShape.length === 1;
    const bVec = bShape.length === 1;
    const A = aVec ? a!.unsqueeze(0) : a!;
    const B = bVec ? b!.unsqueeze(1) : b!;
    let G: Tensor = g;
    if (aVec && bVec) G = g.reshape([1, 1]);
    else if (aVec) G = g.unsqueeze(-2);
    else if (bVec) G = g.unsqueeze(-1);
    let dA: Tensor | null = null;
    let dB: Tensor | null = null;
    if (needsGrad[0]) {
      dA = sumToShape(G.matmul(B.transpose(-1, -2)), A.shape).reshape([...aShape]);
    }
    if (needsGrad[1]) {
      if (B.ndim === 2 && (A.ndim > 2 || transposedLayout(B))) {
        // one weight matrix shared by a batch (x[B,T,K]·W): fold the batch into the rows
        // instead of materialising a [B, K, N] gradient and summing it
        const k = A.shape[A.ndim - 1]!;
        const n = G.shape[G.ndim - 1]!;
        // the row count is explicit: reshape cannot infer a -1 when k or n is 0 (a zero-size operand)
        const m = A.shape.slice(0, -1).reduce((p, d) => p * d, 1);
        const rows = A.reshape([m, k]);
        const cols = G.reshape([m, n]);
        // B a transposed view (Linear's x·Wᵀ): compute (Gᵀ·A)ᵀ so that the gradient has the
        // layout of the stored weight, and reaches W.grad without a transposing copy
        const d = transposedLayout(B) ? cols.transpose(0, 1).matmul(rows).transpose(0, 1) : rows.transpose(0, 1).matmul(cols);
        dB = d.reshape([...bShape]);
      } else {
        dB = sumToShape(A.transpose(-1, -2).matmul(G), B.shape).reshape([...bShape]);
      }
    }
    return [dA, dB];
  },
};

// A [K, N] view stored column-major (the transpose of a contiguous [N, K] tensor).
function transposedLayout(t: Tensor): boolean {
  const [k, n] = t.shape as [number, number];
  const [s0, s1] = t.stride() as [number, number];
  return k > 1 && n > 1 && s0 === 1 && s1 === k;
}
