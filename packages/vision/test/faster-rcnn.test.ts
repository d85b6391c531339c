// Faster R-CNN's parts on small inputs: values against independent computations (torchvision's
// formulas written out here), state-dict names, and the errors for bad arguments and bad targets.
import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, rand, tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import { Conv2d, ReLU, Sequential } from '@tensorgrad/layers';
import '@tensorgrad/backend-cpu';
import {
  AnchorGenerator,
  FasterRCNN,
  fasterrcnnResnet50Fpn,
  FastRCNNPredictor,
  FeaturePyramidNetwork,
  FrozenBatchNorm2d,
  GeneralizedRCNNTransform,
  ImageList,
  IntermediateLayerGetter,
  MultiScaleRoIAlign,
  TwoMLPHead,
  type Detection,
} from '@tensorgrad/vision';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  return '';
};

function tinyModel(options: Record<string, unknown> = {}): FasterRCNN {
  const backbone = Object.assign(new Sequential(new Conv2d(3, 8, 3, { stride: 4, padding: 1 }), new ReLU()), { outChannels: 8 });
  return new FasterRCNN(backbone, {
    numClasses: 3,
    minSize: 64,
    maxSize: 64,
    rpnAnchorGenerator: new AnchorGenerator({ sizes: [[16, 32]], aspectRatios: [[0.5, 1, 2]] }),
    boxRoiPool: new MultiScaleRoIAlign(['0'], 7, 2),
    ...options,
  });
}

describe('FrozenBatchNorm2d', () => {
  it('computes (x − mean) / sqrt(var + eps) · w + b per channel, in training mode too, with no parameters', () => {
    const bn = new FrozenBatchNorm2d(2, { eps: 0.5 });
    bn.weight.copy_(tensor([2, -1]));
    bn.bias.copy_(tensor([0.5, 1]));
    bn.running_mean.copy_(tensor([1, -2]));
    bn.running_var.copy_(tensor([3.5, 0.5]));
    const x = tensor([[[[3]], [[0]]]]);
    bn.train();
    const y = Array.from(bn(x).dataSync());
    // (3 − 1) / sqrt(4) · 2 + 0.5 = 2.5; (0 + 2) / sqrt(1) · −1 + 1 = −1
    expect(y[0]).toBeCloseTo(2.5, 6);
    expect(y[1]).toBeCloseTo(-1, 6);
    expect(bn.parameters()).toEqual([]);
    expect(message(() => bn(zeros([1, 3, 1, 1])))).toMatch(/RangeError: FrozenBatchNorm2d: expected an \[N, 2, H, W\] input, got shape \[1, 3, 1, 1\]/);
    expect(message(() => new FrozenBatchNorm2d(2, { epss: 1 } as never))).toMatch(/unknown option 'epss'; did you mean 'eps'/);
  });
});

describe('AnchorGenerator', () => {
  it("gives torchvision's rounded cell anchors (round half to even) shifted by the stride", () => {
    // torchvision: h = sqrt(r), w = 1 / h; anchors round([−w·s, −h·s, w·s, h·s] / 2)
    const cells = AnchorGenerator.generateAnchors([32], [0.5, 1, 2]);
    const expected: number[] = [];
    for (const r of [0.5, 1, 2]) {
      const h = Math.fround(Math.sqrt(r));
      const w = Math.fround(1 / h);
      const half = (v: number): number => {
        const x = Math.fround(Math.fround(v * 32) / 2);
        const f = Math.floor(x);
        return x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
      };
      expected.push(-half(w), -half(h), half(w), half(h));
    }
    expect(Array.from(cells)).toEqual(expected.map((v) => v + 0));
    expect(Array.from(AnchorGenerator.generateAnchors([5], [1]))).toEqual([-2, -2, 2, 2]); // ±2.5 rounds to ±2
    const gen = new AnchorGenerator({ sizes: [[8], [16]], aspectRatios: [1] });
    const images = new ImageList(zeros([2, 3, 16, 16]), [[16, 16], [12, 16]]);
    const anchors = gen(images, [zeros([2, 4, 4, 4]), zeros([2, 4, 2, 2])]);
    expect(anchors.length).toBe(2);
    expect(anchors[0]!.shape).toEqual([16 + 4, 4]);
    const a = anchors[0]!.arraySync() as number[][];
    expect(a[1]).toEqual([4 - 4, -4, 4 + 4, 4]); // level 0, position (y 0, x 1), stride 4
    expect(a[16 + 3]).toEqual([8 - 8, 8 - 8, 8 + 8, 8 + 8]); // level 1, position (1, 1), stride 8
    expect(message(() => gen(images, [zeros([2, 4, 4, 4])]))).toMatch(/RangeError: AnchorGenerator: got 1 feature maps but sizes\/aspectRatios for 2/);
  });
});

describe('GeneralizedRCNNTransform', () => {
  it("resizes with torchvision's float32 scale, scales the boxes, pads to multiples of 32 and maps detections back", () => {
    const t = new GeneralizedRCNNTransform(100, 150, [0, 0, 0], [1, 1, 1]).eval();
    // scale = min(100 / 70, 150 / 130) = 1.1538461 → floor(70 · s) = 80, floor(130 · s) = 149
    const [list, targets] = t([rand([3, 70, 130])], [{ boxes: tensor([[13, 7, 26, 14]]), labels: tensor([1], { dtype: 'int32' }) }]);
    expect(list.imageSizes).toEqual([[80, 149]]);
    expect(list.tensors.shape).toEqual([1, 3, 96, 160]);
    const rh = Math.fround(80 / 70);
    const rw = Math.fround(149 / 130);
    const b = Array.from(targets![0]!.boxes.dataSync());
    [13 * rw, 7 * rh, 26 * rw, 14 * rh].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
    const back = t.postprocess([{ boxes: targets![0]!.boxes }], list.imageSizes, [[70, 130]]);
    Array.from(back[0]!.boxes.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([13, 7, 26, 14][i]!, 3));
    expect(message(() => t([tensor([[[1]]], { dtype: 'int32' })]))).toMatch(/TypeError: GeneralizedRCNNTransform: expected input images to be of floating type/);
    expect(message(() => t([rand([70, 130])]))).toMatch(/RangeError: .*3-D tensors of shape \[C, H, W\], got shape \[70, 130\]/);
  });
});

describe('FeaturePyramidNetwork and IntermediateLayerGetter', () => {
  it("has torchvision's keys and adds the upsampled coarser level to each lateral", () => {
    manualSeed(1);
    const fpn = new FeaturePyramidNetwork([2, 3], 4);
    expect(Object.keys(fpn.stateDict())).toEqual([
      'inner_blocks.0.0.weight',
      'inner_blocks.0.0.bias',
      'inner_blocks.1.0.weight',
      'inner_blocks.1.0.bias',
      'layer_blocks.0.0.weight',
      'layer_blocks.0.0.bias',
      'layer_blocks.1.0.weight',
      'layer_blocks.1.0.bias',
    ]);
    const x0 = rand([1, 2, 4, 4]);
    const x1 = rand([1, 3, 2, 2]);
    const out = noGrad(() => fpn({ a: x0, b: x1 }));
    expect(Object.keys(out)).toEqual(['a', 'b']);
    // independent computation of level a: layer_blocks[0](inner0(x0) + nearest-upsampled inner1(x1))
    const inner0 = fpn.inner_blocks.at(0)(x0) as Tensor;
    const inner1 = (fpn.inner_blocks.at(1)(x1) as Tensor).arraySync() as number[][][][];
    const up = tensor([inner1[0]!.map((ch) => [0, 0, 1, 1].map((y) => [0, 0, 1, 1].map((x) => ch[y]![x]!)))]);
    const want = (fpn.layer_blocks.at(0)(inner0.add(up)) as Tensor).dataSync();
    const got = out.a!.dataSync();
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
    expect(message(() => fpn({ a: x0 }))).toMatch(/RangeError: FeaturePyramidNetwork: expected 2 feature maps/);
    expect(message(() => new IntermediateLayerGetter(new Sequential(new ReLU()), { layer9: 'x' }))).toMatch(/RangeError: .*returnLayers are not present in model: layer9/);
  });
});

describe('FasterRCNN', () => {
  it('trains (four losses with gradients) and infers on a composed small model', () => {
    manualSeed(0);
    const model = tinyModel();
    const losses = model.call([rand([3, 64, 64]), rand([3, 48, 64])], [
      { boxes: tensor([[10, 10, 30, 40]]), labels: tensor([1], { dtype: 'int32' }) },
      { boxes: zeros([0, 4]), labels: zeros([0], { dtype: 'int32' }) },
    ]) as Record<string, Tensor>;
    expect(Object.keys(losses).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']);
    const total = Object.values(losses).reduce((a, b) => a.add(b));
    expect(Number.isFinite(total.dataSync()[0]!)).toBe(true);
    total.backward();
    expect(model.backbone.parameters().every((p) => p.grad !== null)).toBe(true);
    model.eval();
    const det = noGrad(() => model.call([rand([3, 64, 96])])) as Detection[];
    expect(Object.keys(det[0]!)).toEqual(['boxes', 'labels', 'scores']);
    const boxes = det[0]!.boxes.arraySync() as number[][];
    // back in the original 64×96 image
    expect(boxes.every((b) => b[0]! >= 0 && b[2]! <= 96 + 1e-3 && b[3]! <= 64 + 1e-3 && b[2]! > b[0]!)).toBe(true);
  });

  it('refuses degenerate target boxes, missing targets, weights, and conflicting numClasses / boxPredictor', () => {
    const model = tinyModel();
    expect(message(() => model.call([rand([3, 64, 64])], [{ boxes: tensor([[30, 10, 20, 40]]), labels: tensor([1], { dtype: 'int32' }) }]))).toMatch(
      /RangeError: FasterRCNN: all bounding boxes should have positive height and width. Found invalid box \[30, 10, 20, 40\] for target at index 0/,
    );
    expect(message(() => model.call([rand([3, 64, 64])]))).toMatch(/TypeError: FasterRCNN: targets should be given in training mode/);
    expect(message(() => model.call([rand([3, 64, 64])], [{ boxes: tensor([1, 2, 3, 4]), labels: tensor([1], { dtype: 'int32' }) }]))).toMatch(/expected target boxes to be a tensor of shape \[N, 4\], got \[4\]/);
    expect(message(() => model.call([rand([3, 64, 64])], [{ boxes: tensor([[1, 2, 30, 40]]), labels: tensor([1]) }]))).toMatch(/TypeError: RoIHeads: target labels must be int32/);
    expect(message(() => fasterrcnnResnet50Fpn({ weights: 'COCO_V1' as never }))).toMatch(/loadTorch\('fasterrcnn_resnet50_fpn_coco-258fb6c6.pth'\)/);
    expect(message(() => fasterrcnnResnet50Fpn({ numClass: 3 } as never))).toMatch(/unknown option 'numClass'; did you mean 'numClasses'/);
    expect(message(() => tinyModel({ boxPredictor: new FastRCNNPredictor(1024, 3) }))).toMatch(/RangeError: new FasterRCNN: numClasses should be null when boxPredictor is given/);
    expect(message(() => tinyModel({ numClasses: null }))).toMatch(/give numClasses \(the background included\) or a boxPredictor/);
    expect(message(() => new FasterRCNN(new ReLU() as never, { numClasses: 2 }))).toMatch(/backbone should have a property outChannels/);
    expect(message(() => tinyModel({ boxHead: new TwoMLPHead(8 * 49, 16), boxPredictor: new FastRCNNPredictor(16, 3), numClasses: null, rpnBatchSizePerImag: 3 }))).toMatch(
      /unknown option 'rpnBatchSizePerImag'; did you mean 'rpnBatchSizePerImage'/,
    );
  });
});
