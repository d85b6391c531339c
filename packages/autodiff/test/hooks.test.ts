// Tensor.retainGrad() and Tensor.registerHook(), with PyTorch's semantics: a non-leaf keeps its
// gradient when asked, hooks see (and may replace) a tensor's gradient before it flows on.
import { describe, expect, it } from 'vitest';
import { tensor, noGrad, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { grad } from '@tensorgrad/autodiff';

const values = (t: Tensor | null): number[] => Array.from(t!.dataSync() as Float32Array);

describe('retainGrad', () => {
  it('keeps the gradient of a non-leaf (d sum(y²)/dy = 2y) and accumulates it', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    const y = x.mul(2);
    expect(y.retainsGrad).toBe(false);
    expect(y.retainGrad()).toBe(y);
    expect(y.retainsGrad).toBe(true);
    const z = y.mul(y).sum();
    z.backward(undefined, { retainGraph: true });
    expect(values(y.grad)).toEqual([4, -8, 12]);
    expect(values(x.grad)).toEqual([8, -16, 24]);
    z.backward();
    expect(values(y.grad)).toEqual([8, -16, 24]);
  });

  it('sums the gradients of every path into the non-leaf', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.add(1).retainGrad();
    h.mul(3).add(h.mul(h)).sum().backward();
    // d/dh (3h + h²) = 3 + 2h, h = [2, 3]
    expect(values(h.grad)).toEqual([7, 9]);
  });

  it('is a no-op on a leaf and refuses a tensor without grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.retainGrad().retainsGrad).toBe(false);
    const y = x.mul(2);
    expect(y.grad).toBeNull();
    y.sum().backward();
    expect(y.grad).toBeNull();
    expect(() => tensor([1]).retainGrad()).toThrow(/does not require grad/);
    expect(() => noGrad(() => x.mul(2)).retainGrad()).toThrow(/does not require grad/);
  });

  it('does not fill .grad during grad() (only backward accumulates)', () => {
    let y: Tensor | null = null;
    const [gx] = grad(
      (x) => {
        y = x.mul(2).retainGrad();
        return y.sum();
      },
      [tensor([1, 2])],
    );
    expect(values(gx!)).toEqual([2, 2]);
    expect(y!.grad).toBeNull();
  });
});

describe('registerHook', () => {
  it('runs a leaf\'s hook once, on the gradient summed over every use of the leaf (PyTorch 1.13: [[5, 5]], grad [4, 4])', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const seen: number[][] = [];
    x.registerHook((g) => {
      seen.push(values(g));
      return g.clamp({ max: 4 });
    });
    x.mul(2).add(x.mul(3)).sum().backward();
    expect(seen).toEqual([[5, 5]]);
    expect(values(x.grad!)).toEqual([4, 4]);
    x.dispose();
  });

  it('sees the gradient of a non-leaf and may replace it for everything upstream', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).retainGrad();
    const seen: number[][] = [];
    y.registerHook((g) => {
      seen.push(values(g));
      return g.mul(tensor([1, 0, -1]));
    });
    y.mul(tensor([2, 3, 4])).sum().backward();
    expect(seen).toEqual([[2, 3, 4]]);
    // retained after the hook, as PyTorch 2's retains_grad; x.grad = 2x · hooked gradient
    expect(values(y.grad)).toEqual([2, 0, -4]);
    expect(values(x.grad)).toEqual([4, 0, -24]);
  });

  it('runs a leaf hook before accumulation, in registration order, until removed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const order: string[] = [];
    const a = x.registerHook((g) => {
      order.push('a');
      return g.add(1);
    });
    const seenByB: number[][] = [];
    x.registerHook((g) => {
      order.push('b');
      seenByB.push(values(g));
      return undefined;
    });
    x.mul(3).sum().backward();
    expect(order).toEqual(['a', 'b']);
    expect(seenByB).toEqual([[4, 4]]);
    expect(values(x.grad)).toEqual([4, 4]);
    a.remove();
    a.remove();
    x.mul(3).sum().backward();
    expect(order).toEqual(['a', 'b', 'b']);
    expect(seenByB).toEqual([[4, 4], [3, 3]]);
    expect(values(x.grad)).toEqual([7, 7]);
  });

  it('applies to grad() as well, and to the root itself', () => {
    const [gx] = grad(
      (x) => {
        const y = x.mul(2);
        y.registerHook((g) => g.mul(0.5));
        return y.sum();
      },
      [tensor([1, 2])],
    );
    expect(values(gx!)).toEqual([1, 1]);
    const leaf = tensor([5], { requiresGrad: true });
    leaf.registerHook((g) => g.mul(7));
    leaf.backward();
    expect(values(leaf.grad)).toEqual([7]);
  });

  it('refuses a hook of the wrong shape, a non-function and a tensor without grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.registerHook(() => tensor([1, 2, 3]));
    expect(() => y.sum().backward()).toThrow(/hook \(registerHook\) returned shape \[3\].*expected the gradient's shape \[2\]/);
    expect(() => x.registerHook(42 as never)).toThrow(TypeError);
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(/does not require grad/);
  });
});
