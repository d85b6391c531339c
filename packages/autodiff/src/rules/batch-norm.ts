import type { GradRule } from '../rule.js';

// saved: input x, weight w; outputs [y, mean, std] with mean/std shaped [1, C, 1, …] (batch
// statistics in training mode, running ones in evaluation mode). With x̂ = (x - mean) / std and
// ĝ = g·w: training dx = (ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)) / std (means over every dim but C),
// evaluation dx = ĝ / std; dw = Σ g·x̂, db = Σ g. Running statistics get no gradient.
export const batchNorm: GradRule<'batchNorm'> = {
  save: { inputs: [0, 3], outputs: true },
  backward: ({ saved: [x, , , w], outputs: [, mean, std], attrs: { training }, needsGrad }, g) => {
    const dims = [0, ...Array.from({ length: g.ndim - 2 }, (_, i) => i + 2)];
    const xhat = x!.sub(mean!).div(std!);
    const gw = needsGrad[3] ? g.mul(xhat).sum(dims) : null;
    const gb = needsGrad[4] ? g.sum(dims) : null;
    let gx = null;
    if (needsGrad[0]) {
      const gh = w ? g.mul(w.reshape([...mean!.shape])) : g;
      gx = training
        ? gh.sub(gh.mean({ dim: dims, keepdim: true })).sub(xhat.mul(gh.mul(xhat).mean({ dim: dims, keepdim: true }))).div(std!)
        : gh.div(std!);
    }
    return [gx, null, null, gw, gb];
  },
};
