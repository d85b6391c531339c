import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { Linear } from '@tensorgrad/layers';

type AnyDict = Record<string, Tensor>;

describe('loadStateDict of an object that holds a state dict', () => {
  const state = (): AnyDict => ({ weight: tensor([[1, 2]]), bias: tensor([3]) });

  it("says to pass .tensors for loadSafetensors()'s { tensors, metadata }", () => {
    const fc = new Linear(2, 1);
    const loaded = { tensors: state(), metadata: { format: 'pt' } };
    expect(() => fc.loadStateDict(loaded as unknown as AnyDict)).toThrow(
      /^Linear\.loadStateDict: expected a state dict \(name -> Tensor\), got the result of loadSafetensors\(\), \{ tensors, metadata \}; pass its tensors: model\.loadStateDict\(\(await loadSafetensors\(path\)\)\.tensors\)$/,
    );
    expect(() => fc.loadStateDict(loaded as unknown as AnyDict, { strict: false })).toThrow(/pass its tensors/);
    fc.loadStateDict(loaded.tensors);
    expect(fc.weight.arraySync()).toEqual([[1, 2]]);
  });

  it("says to pass .model for loadCheckpoint()'s { model, optimizer, … }", () => {
    const fc = new Linear(2, 1);
    expect(() => fc.loadStateDict({ model: state(), epoch: 3 } as unknown as AnyDict)).toThrow(
      /got an object holding one under 'model' \(as loadCheckpoint\(\) returns\); pass it: model\.loadStateDict\(\(await loadCheckpoint\(path\)\)\.model\)$/,
    );
  });

  it('names any other wrapper key (a PyTorch-style { state_dict })', () => {
    const fc = new Linear(2, 1);
    expect(() => fc.loadStateDict(new Map([['state_dict', state() as unknown as Tensor]]))).toThrow(
      /got an object holding one under "state_dict"; pass that: model\.loadStateDict\(x\.state_dict\)$/,
    );
  });

  it('still reports missing and unexpected keys of a real (partial) state dict as before', () => {
    const fc = new Linear(2, 1);
    expect(() => fc.loadStateDict({ weight: tensor([[1, 2]]), extra: tensor([1]) })).toThrow(
      /missing keys: 'bias'; unexpected keys: 'extra' \(pass \{ strict: false \}/,
    );
  });
});
