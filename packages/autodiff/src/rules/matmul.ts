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
      if (B.ndim === 2 && A.ndim > 2) {
        // one weight matrix shared by a batch (x[B,T,K]·W): fold the batch into the rows
        // instead of materialising a [B, K, N] gradient and summing it
        const k = A.shape[A.ndim - 1]!;
        const n = G.shape[G.ndim - 1]!;
        dB = A.reshape([-1, k]).transpose(0, 1).matmul(G.reshape([-1, n])).reshape([...bShape]);
      } else {
        dB = sumToShape(A.transpose(-1, -2).matmul(G), B.shape).reshape([...bShape]);
      }
    }
    return [dA, dB];
  },
};
