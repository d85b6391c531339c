import { describe, expect, it } from 'vitest';
import { memory } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { resnetFpnBackbone } from '../src/index.js';

// The backbone builders make a whole ResNet and keep layer1–layer4: the dropped avgpool/fc must not
// stay allocated (torchvision relies on Python's garbage collector for that).
// fasterrcnnResnet50Fpn builds its backbone through the same resnetFpnExtractor
describe('resnetFpnBackbone ownership', () => {
  it('holds exactly the tensors of the returned module, and frees them all on dispose', () => {
    const before = memory().numTensors;
    const bb = resnetFpnBackbone({ backboneName: 'resnet18', trainableLayers: 1 });
    const own = bb.parameters().length + bb.buffers().length;
    expect(memory().numTensors - before).toBe(own);
    bb.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
