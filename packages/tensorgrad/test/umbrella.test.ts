import { describe, expect, it } from 'vitest';
import { getBackend, tensor, grad, gradcheck, matmul, pad, functional, Resize, type Tensor } from 'tensorgrad';

describe('tensorgrad umbrella', () => {
  it('makes cpu the default backend and loads autodiff', () => {
    expect(getBackend().name).toBe('cpu');
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([[1], [1]]);
    const loss = matmul(w, x).sum();
    loss.backward();
    expect(w.grad!.arraySync()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    for (const t of [w, x, loss]) t.dispose();
  });

  it('re-exports grad and gradcheck', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    const [g] = grad((t: Tensor) => t.mul(t).sum(), [x]);
    expect(g!.arraySync()).toEqual([2, 4]);
    expect(gradcheck((t: Tensor) => t.exp().sum(), [x])).toBe(true);
    g!.dispose();
    x.dispose();
  });

  // vision transforms: the top-level pad is torch.nn.functional.pad (last dim first); the image
  // pad of torchvision.transforms.functional is functional.pad
  it("keeps tensor's pad at the top level and vision's as functional.pad", () => {
    const x = tensor([[[1, 2]]]);
    expect(pad(x, [1, 0]).arraySync()).toEqual([[[0, 1, 2]]]);
    expect(functional.pad(x, [1, 0]).arraySync()).toEqual([[[0, 1, 2, 0]]]);
    expect(new Resize([1, 4])(x).shape).toEqual([1, 1, 4]);
  });
});
