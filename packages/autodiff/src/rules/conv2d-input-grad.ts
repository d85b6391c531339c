import { conv2d, conv2dWeightGrad, narrow, type Conv2dOptions, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// linear in both arguments: d/dg = conv2d(dy, W) (cropped to g's size), d/dW = conv2dWeightGrad(dy, W.shape, g)
export const conv2dInputGrad: GradRule<'conv2dInputGrad'> = {
  save: { inputs: true, outputs: false },
  backward: ({ saved: [gOut, w], inputs, attrs: { stride, padding, dilation, groups }, needsGrad }, dy) => {
    const opts = { stride, padding, dilation, groups } as unknown as Conv2dOptions;
    const gs = inputs[0]!.shape;
    let dg: Tensor | null = null;
    if (needsGrad[0]) {
      dg = conv2d(dy, w!, null, opts);
      if (dg.shape[2]! > gs[2]!) dg = narrow(dg, 2, 0, gs[2]!);
      if (dg.shape[3]! > gs[3]!) dg = narrow(dg, 3, 0, gs[3]!);
    }
    return [dg, needsGrad[1] ? conv2dWeightGrad(dy, [...inputs[1]!.shape], gOut!, { stride, padding, dilation, groups }) : null];
  },
};
