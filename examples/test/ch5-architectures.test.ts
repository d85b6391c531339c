// Chapter 5's architectures against the numbers the book prints (torchsummary in the book's
// notebooks: VGG16 with the book's head 14,780,481 / 65,793 trainable, ResNet18 11,242,305 / 65,793).
import { describe, expect, it } from 'vitest';
import { memory } from 'tensorgrad';
import { architectureSummaries } from '../src/ch5-architectures.js';

describe("chapter 5: the book's VGG16 and ResNet18 classifiers", () => {
  it('VGG16 (frozen) + head: 14,780,481 parameters, 65,793 trainable; torchvision\'s VGG16 has 138,357,544', () => {
    const before = memory().numTensors;
    // the parameter counts do not depend on the image size: a 32×32 image keeps the forward pass short
    const [vgg] = architectureSummaries({ imageSize: 32, models: ['VGG16'] });
    expect(vgg!.torchvision).toEqual({ total: 138_357_544, trainable: 138_357_544 });
    const s = vgg!.summary;
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([14_780_481, 65_793, 14_714_688]);
    expect(s.text).toContain('Total params: 14,780,481');
    expect(s.text).toContain('Trainable params: 65,793');
    // 13 convolutions, 13 ReLUs and 5 pools, then the pool and the head's 6 layers
    expect(s.layers.map((l) => l.name.split('-')[0]).slice(-7)).toEqual(['AdaptiveAvgPool2d', 'Flatten', 'Linear', 'ReLU', 'Dropout', 'Linear', 'Sigmoid']);
    expect(s.layers.filter((l) => l.name.startsWith('Conv2d')).length).toBe(13);
    expect(s.layers.at(-1)!.outputShape).toEqual([-1, 1]);
    expect(memory().numTensors).toBe(before);
  }, 900_000);

  it("ResNet18 (frozen) + head: 11,242,305 parameters, 65,793 trainable; torchvision's ResNet18 has 11,689,512", () => {
    const before = memory().numTensors;
    const [resnet] = architectureSummaries({ imageSize: 64, models: ['ResNet18'] });
    expect(resnet!.torchvision.total).toBe(11_689_512);
    const s = resnet!.summary;
    expect([s.totalParams, s.trainableParams]).toEqual([11_242_305, 65_793]);
    expect(s.text).toContain('Total params: 11,242,305');
    expect(s.layers.filter((l) => l.name.startsWith('Conv2d')).length).toBe(20); // 17 + 3 downsample
    expect(s.layers.filter((l) => l.name.startsWith('BatchNorm2d')).length).toBe(20);
    expect(s.layers.at(-1)!.outputShape).toEqual([-1, 1]);
    expect(memory().numTensors).toBe(before);
  }, 600_000);
});
