import { pad as padOp } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// padding and cropping are inverse: crop what was padded, zero-pad what was cropped
export const pad: GradRule<'pad'> = {
  save: { inputs: false, outputs: false },
  backward: ({ attrs }, g) => [padOp(g, attrs.pad.map((p) => -p))],
};
