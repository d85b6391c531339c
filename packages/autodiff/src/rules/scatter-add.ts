import { gather, pad } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// input passes through; src element j reads the gradient where it was added. src may be larger
// than the index: the unused part gets zeros (pad on the right)
export const scatterAdd: GradRule<'scatterAdd'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ inputs, saved, attrs: { dim }, needsGrad }, g) => {
    let gSrc = null;
    if (needsGrad[2]) {
      const index = saved[1]!;
      const srcShape = inputs[2]!.shape;
      const picked = gather(g, index, { dim });
      const p: number[] = [];
      for (let d = srcShape.length - 1; d >= 0; d--) p.push(0, srcShape[d]! - index.shape[d]!);
      gSrc = p.some((v) => v !== 0) ? pad(picked, p) : picked;
    }
    return [needsGrad[0] ? g : null, null, gSrc];
  },
};
