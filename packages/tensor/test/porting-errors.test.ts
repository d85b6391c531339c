// Errors met when porting PyTorch code: each says what to write instead.
import { describe, expect, it } from 'vitest';
import { setBackend, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';

const asData = (t: unknown): number[] => t as number[];

describe('porting errors say what to write', () => {
  it('tensor(aTensor) says to clone it', () => {
    using t = tensor([1, 2]);
    expect(() => tensor(asData(t))).toThrow(
      /^tensor: expected nested arrays of numbers or booleans, got a Tensor \(shape \[2\], float32\); to copy a tensor write t\.clone\(\) \(t\.detach\(\)\.clone\(\) to also drop its autograd history\)/,
    );
  });

  it('tensor([a, b]) of tensors says to stack them', () => {
    using a = tensor(1);
    using b = tensor(2);
    expect(() => tensor(asData([a, b]))).toThrow(
      /^tensor: expected a number or boolean at index \[0\], got a Tensor \(shape \[\]\); to combine tensors write stack\(\[a, b\]\) \(or cat\(\[a, b\]\)/,
    );
  });

  it(".to('cuda') says there is no CUDA backend and lists the available ones", () => {
    using t = tensor([1]);
    const msg = errorOf(() => t.to('cuda'));
    expect(msg).toMatch(/^backend 'cuda' does not exist: tensorgrad has no CUDA backend; it reaches the GPU through WebGPU\. Registered backends: 'cpu'/);
    expect(msg).toContain("'webgpu' (the GPU: import '@tensorgrad/backend-webgpu', then await setBackend('webgpu') or await t.toAsync('webgpu'))");
    expect(msg).toContain("'tfjs' and 'tfjs-wasm' (TensorFlow.js engines: import '@tensorgrad/backend-tfjs'");
    expect(msg).toContain("'cpu' (import '@tensorgrad/backend-cpu'");
    expect(msg).not.toContain('@tensorgrad/backend-cuda');
    expect(errorOf(() => t.to('cuda:0'))).toMatch(/^backend 'cuda:0' does not exist: tensorgrad has no CUDA backend/);
    expect(errorOf(() => t.to('mps'))).toMatch(/^backend 'mps' does not exist: tensorgrad has no MPS backend/);
  });

  it("'cpu:0' says backends have no device index", async () => {
    using t = tensor([1]);
    expect(errorOf(() => t.to('cpu:0'))).toMatch(/^backend 'cpu:0' is not registered: backends have no device index; write 'cpu'/);
    await expect(setBackend('cpu:0')).rejects.toThrow(/write 'cpu'/);
  });

  it('a published backend that was not imported says which package to import', () => {
    using t = tensor([1]);
    expect(errorOf(() => t.to('webgpu'))).toMatch(/^backend 'webgpu' is not registered \(registered backends: 'cpu'.*\); it is 'webgpu' \(the GPU: import '@tensorgrad\/backend-webgpu'/);
  });

  it('an unknown backend no longer suggests a package that does not exist', () => {
    using t = tensor([1]);
    const msg = errorOf(() => t.to('nope'));
    expect(msg).toMatch(/^backend 'nope' is not registered; registered backends: 'cpu'.*\. Available backends: 'cpu'/);
    expect(msg).not.toContain('@tensorgrad/backend-nope');
  });

  it('item() on a multi-element tensor says how to get one value', async () => {
    using t = tensor([[1, 2, 3]]);
    await expect(t.item()).rejects.toThrow(
      /^item: a tensor with 3 elements \(shape \[1,3\]\) cannot be converted to a scalar; expected exactly one element\. Reduce it first \(t\.sum\(\)\.item\(\), t\.mean\(\)\.item\(\)\), pick one element \(t\.flatten\(\)\.select\(0, i\)\.item\(\)\), or read every element with await t\.array\(\)$/,
    );
    expect(() => t.itemSync()).toThrow(/t\.sum\(\)\.itemSync\(\).*or read every element with t\.arraySync\(\)$/);
  });
});

function errorOf(fn: () => Tensor | unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, nothing was thrown');
}
