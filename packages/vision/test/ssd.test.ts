// SSD (torchvision's models/detection/ssd.py) checked against Debian's torchvision 0.14.1 run at
// test time: default boxes; ssd300_vgg16's state-dict keys and shapes and, with its random weights
// loaded strictly, its eval detections on a fixed image; and, on a small SSD built identically in
// both (a narrow backbone, two feature maps, sharper scores), the training losses and detections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import { Conv2d, Module, ReLU, Sequential } from '@tensorgrad/layers';
import { loadSafetensors } from '@tensorgrad/io';
import '@tensorgrad/backend-cpu';
import { DefaultBoxGenerator, SSD, ssd300Vgg16, type DetectionPrediction, type SSDLosses } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision cross-checks: ${missing}`);

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

/** The small SSD's backbone, as the Python class `Backbone` below: two feature maps (stride 4 and 8). */
class Backbone extends Module<[Tensor], Record<string, Tensor>> {
  declare body: Sequential;
  declare extra: Sequential;
  readonly outChannels = [16, 16];
  constructor() {
    super();
    this.registerModule('body', new Sequential(new Conv2d(3, 8, 3, { stride: 2, padding: 1 }), new ReLU(), new Conv2d(8, 16, 3, { stride: 2, padding: 1 }), new ReLU()));
    this.registerModule('extra', new Sequential(new Conv2d(16, 16, 3, { stride: 2, padding: 1 }), new ReLU()));
  }
  override forward(x: Tensor): Record<string, Tensor> {
    const a = this.body(x) as Tensor;
    return { '0': a, '1': this.extra(a) as Tensor };
  }
}

const PY_SMALL = `
import sys, json, torch, torchvision
from collections import OrderedDict
from torch import nn
from torchvision.models.detection.ssd import SSD
from torchvision.models.detection.anchor_utils import DefaultBoxGenerator
from torchvision.models.detection.image_list import ImageList
class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU())
        self.extra = nn.Sequential(nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.ReLU())
        self.out_channels = [16, 16]
    def forward(self, x):
        a = self.body(x)
        return OrderedDict([('0', a), ('1', self.extra(a))])
out = sys.argv[1]
torch.manual_seed(0)
gen = DefaultBoxGenerator([[2], [2, 3]], steps=[4, 8])
model = SSD(Backbone(), gen, (64, 64), 4, score_thresh=0.2, detections_per_img=30, topk_candidates=50)
with torch.no_grad():
    # sharper, more varied scores than the initialisation gives, so the ranking is well defined
    for m in model.head.classification_head.module_list:
        m.weight.mul_(8.0)
        m.bias.uniform_(-1, 1)
    for m in model.head.regression_head.module_list:
        m.weight.mul_(3.0)
g = torch.Generator().manual_seed(1)
images = [torch.rand(3, 60, 72, generator=g), torch.rand(3, 64, 64, generator=g)]
targets = [
    {'boxes': torch.tensor([[4.0, 6.0, 30.0, 40.0], [36.0, 10.0, 70.0, 28.0]]), 'labels': torch.tensor([1, 3])},
    {'boxes': torch.tensor([[10.0, 12.0, 50.0, 60.0]]), 'labels': torch.tensor([2])},
]
model.train()
losses = model(images, targets)
model.eval()
with torch.no_grad():
    dets = model(images)
# the default boxes of a 300x300 batch with SSD300's generator
g300 = DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]], scales=[0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05], steps=[8, 16, 32, 64, 100, 300])
sizes = [38, 19, 10, 5, 3, 1]
il = ImageList(torch.zeros(1, 3, 300, 300), [(300, 300)])
a300 = g300(il, [torch.zeros(1, 1, s, s) for s in sizes])[0]
gd = DefaultBoxGenerator([[2, 3], [2]], min_ratio=0.2, max_ratio=0.8, clip=False)
ad = gd(ImageList(torch.zeros(1, 3, 40, 50), [(40, 50)]), [torch.zeros(1, 1, 5, 6), torch.zeros(1, 1, 2, 3)])[0]
t = {'img0': images[0], 'img1': images[1], 'a300': a300, 'ad': ad}
for i, tg in enumerate(targets):
    t[f'boxes{i}'] = tg['boxes']
    t[f'labels{i}'] = tg['labels'].int()
for i, d in enumerate(dets):
    t[f'det_boxes{i}'] = d['boxes']
    t[f'det_scores{i}'] = d['scores']
    t[f'det_labels{i}'] = d['labels'].int()
save(out + '/io.safetensors', t)
save(out + '/model.safetensors', model.state_dict())
print(json.dumps({k: v.item() for k, v in losses.items()}))
`;

const PY_SSD300 = `
import sys, json, torch, torchvision
torch.manual_seed(0)
m = torchvision.models.detection.ssd300_vgg16(weights=None, weights_backbone=None).eval()
image = torch.rand(3, 240, 320, generator=torch.Generator().manual_seed(2))
with torch.no_grad():
    d = m([image])[0]
save(sys.argv[1] + '/ssd300.safetensors', m.state_dict())
save(sys.argv[1] + '/ssd300-io.safetensors', {'image': image, 'boxes': d['boxes'], 'scores': d['scores'], 'labels': d['labels'].int()})
print(json.dumps([[k, list(v.shape)] for k, v in m.state_dict().items()]))
`;

async function maxAbsDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(Number(x[i]) - Number(y[i])));
  return d;
}

describe.skipIf(missing !== null)('SSD against torchvision', () => {
  let dir = '';
  let losses: Record<string, number> = {};
  let io: Record<string, Tensor> = {};
  let model: SSD;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ssd-'));
    losses = JSON.parse(runPython(PY_SMALL, [dir]).trim().split('\n').pop()!) as Record<string, number>;
    io = (await loadSafetensors(join(dir, 'io.safetensors'))).tensors;
    model = new SSD(new Backbone(), new DefaultBoxGenerator([[2], [2, 3]], { steps: [4, 8] }), [64, 64], 4, { scoreThresh: 0.2, detectionsPerImg: 30, topkCandidates: 50 });
    const { tensors: sd } = await loadSafetensors(join(dir, 'model.safetensors'));
    const r = model.loadStateDict(sd, { strict: true });
    expect(r.missingKeys).toEqual([]);
    expect(r.unexpectedKeys).toEqual([]);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("DefaultBoxGenerator gives torchvision's default boxes (SSD300's 8732, and default scales without clipping)", async () => {
    const g = new DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]], { scales: [0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05], steps: [8, 16, 32, 64, 100, 300] });
    const maps = [38, 19, 10, 5, 3, 1].map((s) => zeros([1, 1, s, s]));
    const [a300] = g.call({ tensors: zeros([1, 3, 300, 300]), imageSizes: [[300, 300]] }, maps);
    expect(a300!.shape).toEqual([8732, 4]);
    // float32 pixels up to 300: a few ulps
    expect(await maxAbsDiff(a300!, io.a300!)).toBeLessThan(1e-4);
    const gd = new DefaultBoxGenerator([[2, 3], [2]], { minRatio: 0.2, maxRatio: 0.8, clip: false });
    expect(gd.scales).toEqual([0.2, 0.8, 1]);
    const [ad] = gd.call({ tensors: zeros([1, 3, 40, 50]), imageSizes: [[40, 50]] }, [zeros([1, 1, 5, 6]), zeros([1, 1, 2, 3])]);
    expect(await maxAbsDiff(ad!, io.ad!)).toBeLessThan(1e-4);
  });

  it("training losses { bbox_regression, classification } equal torchvision's (matching, hard negative mining 3:1)", () => {
    model.train();
    const images = [io.img0!, io.img1!];
    const targets = [0, 1].map((i) => ({ boxes: io[`boxes${i}`]!, labels: io[`labels${i}`]! }));
    const out = model.call(images, targets) as SSDLosses;
    expect(Object.keys(out)).toEqual(['bbox_regression', 'classification']);
    // float32 sums over ~1000 default boxes: relative 1e-5
    expect(out.bbox_regression.itemSync()).toBeCloseTo(losses.bbox_regression!, 4);
    expect(Math.abs(Number(out.bbox_regression.itemSync()) / losses.bbox_regression! - 1)).toBeLessThan(1e-5);
    expect(Math.abs(Number(out.classification.itemSync()) / losses.classification! - 1)).toBeLessThan(1e-5);
    // the losses are differentiable in the head and the backbone
    out.classification.add(out.bbox_regression).backward();
    expect(model.head.parameters().every((p) => p.grad !== null)).toBe(true);
    expect((model.backbone as Backbone).body.parameters().every((p) => p.grad !== null)).toBe(true);
    model.zeroGrad();
  });

  it("eval detections equal torchvision's: boxes mapped back to each image's size, scores, labels", async () => {
    model.eval();
    const dets = model.call([io.img0!, io.img1!]) as DetectionPrediction[];
    expect(dets.length).toBe(2);
    for (let i = 0; i < 2; i++) {
      const d = dets[i]!;
      const want = io[`det_scores${i}`]!;
      expect(want.shape[0]).toBeGreaterThan(5); // the case has detections to compare
      expect(d.scores.shape).toEqual(want.shape);
      expect(await maxAbsDiff(d.scores, want)).toBeLessThan(1e-5);
      expect(Array.from(d.labels.dataSync())).toEqual(Array.from(io[`det_labels${i}`]!.dataSync()));
      // boxes in pixels of a ≤ 72-pixel image, through float32 decoding and resizing: 1e-3 px
      expect(await maxAbsDiff(d.boxes, io[`det_boxes${i}`]!)).toBeLessThan(1e-3);
      expect(d.labels.dtype).toBe('int32');
    }
  });
});

describe.skipIf(missing !== null)('ssd300Vgg16', () => {
  it("has torchvision's state-dict keys and shapes (35,641,826 parameters with 91 classes) and, with its random weights, its eval detections", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ssd300-'));
    const want = JSON.parse(runPython(PY_SSD300, [dir], 300_000).trim().split('\n').pop()!) as [string, number[]][];
    const t0 = Date.now();
    const m = ssd300Vgg16({ trainableBackboneLayers: 3 });
    const ms = Date.now() - t0;
    // the VGG stages before the last 3 are frozen (torchvision's _vgg_extractor: layers 0–8)
    const sd = Object.fromEntries(m.namedParameters());
    expect(['backbone.features.0.weight', 'backbone.features.7.bias'].map((k) => sd[k]!.requiresGrad)).toEqual([false, false]);
    expect(['backbone.features.10.weight', 'backbone.extra.0.1.weight', 'backbone.scale_weight'].map((k) => sd[k]!.requiresGrad)).toEqual([true, true, true]);
    const got = Object.entries(m.stateDict()).map(([k, v]) => [k, [...v.shape]]);
    expect(got).toEqual(want);
    expect(m.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(35_641_826);
    expect(m.anchor_generator.numAnchorsPerLocation()).toEqual([4, 6, 6, 6, 4, 4]);
    console.log(`ssd300Vgg16() built in ${ms} ms`);
    try {
      const { tensors: sd } = await loadSafetensors(join(dir, 'ssd300.safetensors'));
      expect(m.loadStateDict(sd, { strict: true }).missingKeys).toEqual([]);
      const { tensors: io } = await loadSafetensors(join(dir, 'ssd300-io.safetensors'));
      const t1 = Date.now();
      const [d] = m.eval().call([io.image!]) as DetectionPrediction[];
      console.log(`ssd300Vgg16 eval on a 240×320 image: ${Date.now() - t1} ms`);
      // random weights give nearly uniform scores over the 91 classes (about 1/91 each), so
      // detections a few 1e-7 apart may trade places: the 20 best of torchvision's must each be
      // among ours with the same label, a score within 1e-5 and a box within 0.01 pixel
      const n = io.scores!.shape[0]!;
      expect(n).toBeGreaterThan(20);
      expect(d!.scores.shape[0]).toBe(n);
      const [ws, wl, wb] = [io.scores!.dataSync(), io.labels!.dataSync(), io.boxes!.dataSync()];
      const [gs, gl, gb] = [d!.scores.dataSync(), d!.labels.dataSync(), d!.boxes.dataSync()];
      expect(Math.abs(gs[0]! - ws[0]!)).toBeLessThan(1e-5);
      for (let k = 0; k < Math.min(20, n); k++) {
        const found = Array.from({ length: gs.length }, (_, j) => j).some(
          (j) => gl[j] === wl[k] && Math.abs(gs[j]! - ws[k]!) < 1e-5 && [0, 1, 2, 3].every((c) => Math.abs(gb[4 * j + c]! - wb[4 * k + c]!) < 0.01),
        );
        expect(found, `torchvision's detection ${k}`).toBe(true);
      }
    } finally {
      m.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('SSD argument checks', () => {
  const small = (): SSD => new SSD(new Backbone(), new DefaultBoxGenerator([[2], [2, 3]]), [32, 32], 3);
  it('refuses bad constructor arguments with what was expected', () => {
    expect(message(() => new SSD(new Backbone(), new DefaultBoxGenerator([[2]]), [32, 32], 3))).toMatch(/output channels from the backbone \(2\) do not match .* aspect ratios \(1\)/);
    expect(message(() => new SSD(new Backbone(), new DefaultBoxGenerator([[2], [2]]), [32] as never, 3))).toMatch(/size to be \[width, height\]/);
    expect(message(() => new SSD(new Backbone(), new DefaultBoxGenerator([[2], [2]]), [32, 32], 3, { positiveFraction: 0 }))).toMatch(/positiveFraction to be a number in \(0, 1\], got 0/);
    expect(message(() => new SSD(new Backbone(), new DefaultBoxGenerator([[2], [2]]), [32, 32], 3, { nmsTresh: 0.5 } as never))).toMatch(/nmsThresh/);
    expect(message(() => new DefaultBoxGenerator([[2], [2]], { steps: [8] }))).toMatch(/aspectRatios and steps should have the same length, got 2 and 1/);
    expect(message(() => new DefaultBoxGenerator([[2]], { scales: [0.1] }))).toMatch(/2 numbers for 1 aspect-ratio lists\), got 1/);
    expect(message(() => ssd300Vgg16({ weightsBackbone: 'IMAGENET1K_FEATURES' as never }))).toMatch(/weightsBackbone .* not supported/);
    expect(message(() => ssd300Vgg16({ trainableBackboneLayers: 6 }))).toMatch(/trainableBackboneLayers to be an integer in \[0, 5\], got 6/);
  });
  it("refuses bad targets as torchvision does: missing in training, degenerate boxes, integer images", () => {
    const m = small();
    const img = zeros([3, 32, 32]);
    expect(message(() => m.call([img]))).toMatch(/targets should not be none when in training mode/);
    expect(message(() => m.call([img], [{ boxes: tensor([1, 2, 3, 4]), labels: tensor([1], { dtype: 'int32' }) }]))).toMatch(/shape \[N, 4\], got \[4\]/);
    expect(message(() => m.call([img], [{ boxes: tensor([[5, 2, 3, 4]]), labels: tensor([1], { dtype: 'int32' }) }]))).toMatch(
      /All bounding boxes should have positive height and width. Found invalid box \[5, 2, 3, 4\] for target at index 0/,
    );
    expect(message(() => m.eval().call([zeros([3, 32, 32], { dtype: 'int32' })]))).toMatch(/floating type/);
  });
  it('an image without boxes trains on background only (its regression loss is 0)', () => {
    const m = small();
    const out = m.call([zeros([3, 32, 32])], [{ boxes: zeros([0, 4]), labels: zeros([0], { dtype: 'int32' }) }]) as SSDLosses;
    expect(out.bbox_regression.itemSync()).toBe(0);
    expect(out.classification.itemSync()).toBe(0); // no positives, so no negatives are mined either
  });
});
