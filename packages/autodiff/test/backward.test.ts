import { describe, expect, it } from 'vitest';
import { memory, noGrad, enableGrad, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { grad, gradcheck } from '@tensorgrad/autodiff';

describe('backward', () => {
  it('accumulates into .grad across calls, like PyTorch', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    tidy(() => x.mul(x).sum().backward());
    expect(x.grad!.arraySync()).toEqual([2, 4, 6]);
    tidy(() => x.mul(3).sum().backward());
    expect(x.grad!.arraySync()).toEqual([5, 7, 9]);
    x.dispose();
  });

  it('a tensor used twice gets the sum of both paths', () => {
    const x = tensor([2], { requiresGrad: true });
    // y = x*x + exp(x) -> dy/dx = 2x + exp(x)
    tidy(() => x.mul(x).add(x.exp()).sum().backward());
    expect(x.grad!.itemSync()).toBeCloseTo(4 + Math.exp(2), 5);
    x.dispose();
  });

  it('propagates requiresGrad and gradFn; leaves have none', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    const y = x.mul(c);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn?.name).toBe('mul');
    expect(x.isLeaf).toBe(true);
    const z = c.mul(2);
    expect(z.requiresGrad).toBe(false);
    expect(z.gradFn).toBeNull();
    for (const t of [x, c, y, z]) t.dispose();
  });

  it('frees saved tensors after backward, and a second backward explains retainGraph', () => {
    const before = memory().numTensors;
    const x = tensor([1, 2], { requiresGrad: true });
    const sq = x.mul(x);
    const loss = sq.sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(/second time.*retainGraph: true/);
    for (const t of [loss, sq, x]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('retainGraph keeps the graph for a second backward', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const loss = x.mul(x).sum();
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(x.grad!.arraySync()).toEqual([4, 8]);
    loss.dispose();
    x.dispose();
  });

  it('an abandoned graph frees its saved tensors when its outputs are disposed', () => {
    const before = memory().numTensors;
    const x = tensor([1, 2], { requiresGrad: true });
    tidy(() => {
      x.mul(x).exp().sum();
    });
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('backward on a non-scalar needs a gradient of the same shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/implicitly only for a one-element output, got shape \[2\]/);
    // says what to write: reduce the loss, or pass a gradient
    expect(() => y.backward()).toThrow(
      /reduce it to a scalar first \(loss\.mean\(\)\.backward\(\) or loss\.sum\(\)\.backward\(\); a loss computed with reduction 'none' is per element\), or pass a gradient of the same shape: out\.backward\(onesLike\(out\)\)$/,
    );
    expect(() => y.backward(tensor([1, 2, 3]))).toThrow(/gradient has shape \[3\], expected the output's shape \[2\]/);
    y.backward(tensor([1, 10]));
    expect(x.grad!.arraySync()).toEqual([2, 20]);
    y.dispose();
    x.dispose();
  });

  it('backward on a tensor that does not require grad is an error', () => {
    using t = tensor([1]);
    expect(() => t.backward()).toThrow(/does not require grad/);
  });

  it('noGrad stops recording; enableGrad re-enables it', () => {
    const x = tensor([1], { requiresGrad: true });
    const a = noGrad(() => x.mul(2));
    const b = noGrad(() => enableGrad(() => x.mul(2)));
    expect(a.requiresGrad).toBe(false);
    expect(b.requiresGrad).toBe(true);
    for (const t of [x, a, b]) t.dispose();
  });

  it('detach cuts the graph', () => {
    const x = tensor([3], { requiresGrad: true });
    tidy(() => x.mul(x.detach()).sum().backward());
    expect(x.grad!.itemSync()).toBe(3);
    x.dispose();
  });

  it('gradients of a tensor used by two leaves never share storage', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    tidy(() => a.add(b).sum().backward());
    expect(a.grad!._storage).not.toBe(b.grad!._storage);
    a.dispose();
    b.dispose();
  });

  it('does not leak through a training-style loop', () => {
    const before = memory().numTensors;
    const w = tensor([0.5, -0.5], { requiresGrad: true });
    for (let i = 0; i < 5; i++) {
      tidy(() => {
        const loss = w.mul(w).sum();
        loss.backward();
        const next = noGrad(() => w.sub(w.grad!.mul(0.1)));
        next.dispose();
      });
    }
    w.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = grad((t: Tensor) => t.mul(t).sum(), [x]);
    expect(g!.arraySync()).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
    g!.dispose();
    x.dispose();
  });

  it('gives zeros for inputs that do not influence the output', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    const [ga, gb] = grad((p: Tensor) => p.sum(), [a, b]);
    expect(ga!.arraySync()).toEqual([1, 1]);
    expect(gb!.arraySync()).toEqual([0, 0]);
    for (const t of [a, b, ga!, gb!]) t.dispose();
  });
});

describe('gradcheck', () => {
  it('passes for correct rules', () => {
    const x = tensor([0.3, -1.2, 2.1], { dtype: 'float64' });
    expect(gradcheck((t: Tensor) => t.mul(t).exp().sum(), [x])).toBe(true);
    x.dispose();
  });

  it('catches a wrong gradient (detached path) and says where', () => {
    const x = tensor([0.3, -1.2], { dtype: 'float64' });
    expect(() => gradcheck((t: Tensor) => t.mul(t.detach()), [x])).toThrow(/Jacobian mismatch for output 0 with respect to inputs\[0\] element 0/);
    expect(gradcheck((t: Tensor) => t.mul(t.detach()), [x], { raiseException: false })).toBe(false);
    x.dispose();
  });
});

describe('grad() inside tidy', () => {
  it('its results are freed by the caller’s tidy unless returned', () => {
    const x = tensor([1, 2]);
    const before = memory().numTensors;
    const kept = tidy(() => {
      const [a] = grad((t: Tensor) => t.mul(2).sum(), [x]);
      grad((t: Tensor) => t.mul(3).sum(), [x]);
      return a!;
    });
    expect(memory().numTensors).toBe(before + 1);
    expect(kept.arraySync()).toEqual([2, 2]);
    kept.dispose();
    x.dispose();
  });
});
