import { zerosLike } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// sign is piecewise constant: PyTorch propagates a zero gradient rather than cutting the graph
export const sign: GradRule<'sign'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [zerosLike(g, { dtype: inputs[0]!.dtype })],
};
