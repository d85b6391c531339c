import type { GradRule } from '../rule.js';

// saved: input x, weight w; outputs [y, mean, std] (kept over the normalised trailing dims).
// With x̂ = (x - mean) / std and ĝ = g·w: dx = (ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)) / std (means over the
// normalised dims); dw = Σ g·x̂ and db = Σ g over the leading dims.
export const layerNorm: GradRule<'layerNorm'> = {
  save: { inputs: [0, 1], outputs: true },
  backward: ({ saved: [x, w], outputs: [, mean, std], attrs: { normalizedShape }, needsGrad }, g) => {
    const k = normalizedShape.length;
    const norm = Array.from({ length: k }, (_, i) => g.ndim - k + i);
    const lead = Array.from({ length: g.ndim - k }, (_, i) => i);
    const xhat = x!.sub(mean!).div(std!);
    const gw = needsGrad[1] ? (lead.length > 0 ? g.mul(xhat).sum(lead) : g.mul(xhat)) : null;
    const gb = needsGrad[2] ? (lead.length > 0 ? g.sum(lead) : g.mul(1)) : null;
    let gx = null;
    if (needsGrad[0]) {
      const gh = w ? g.mul(w) : g;
      gx = gh
        .sub(gh.mean({ dim: norm, keepdim: true }))
        .sub(xhat.mul(gh.mul(xhat).mean({ dim: norm, keepdim: true })))
        .div(std!);
    }
    return [gx, gw, gb];
  },
};
