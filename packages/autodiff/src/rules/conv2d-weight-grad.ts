import { conv2d, conv2dInputGrad, narrow, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// linear in both arguments: d/dx = conv2dInputGrad(x.shape, dy, g), d/dg = conv2d(x, dy) (cropped to g's size)
export const conv2dWeightGrad: GradRule<'conv2dWeightGrad'> = {
  save: { inputs: true, outputs: false },
  backward: ({ saved: [x, gOut], inputs, attrs: { stride, padding, dilation, groups }, needsGrad }, dy) => {
    const gs = inputs[1]!.shape;
    let dg: Tensor | null = null;
    if (needsGrad[1]) {
      dg = conv2d(x!, dy, null, { stride, padding, dilation, groups });
      if (dg.shape[2]! > gs[2]!) dg = narrow(dg, 2, 0, gs[2]!);
      if (dg.shape[3]! > gs[3]!) dg = narrow(dg, 3, 0, gs[3]!);
    }
    return [needsGrad[0] ? conv2dInputGrad([...inputs[0]!.shape], dy, gOut!, { stride, padding, dilation, groups }) : null, dg];
  },
};
