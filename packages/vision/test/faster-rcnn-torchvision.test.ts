// Faster R-CNN against Debian's torchvision 0.14: a fasterrcnn_resnet50_fpn-shaped state dict with
// random weights (FrozenBatchNorm2d, as the COCO checkpoint) loads strictly and gives torchvision's
// transform output, features, RPN proposals, detections and training losses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad, type Tensor } from '@tensorgrad/tensor';
import { loadSafetensors, loadTorch } from '@tensorgrad/io';
import '@tensorgrad/backend-cpu';
import { fasterrcnnResnet50Fpn, type Detection, type FasterRCNN } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision Faster R-CNN cross-check: ${missing}`);

// The same architecture and options on both sides. The two samplers draw random subsets; with
// batch sizes larger than any anchor or proposal count they keep every positive and negative, so
// the training losses are deterministic on both sides (torchvision's own randperm picks them all).
const OPTIONS = { minSize: 320, maxSize: 512, boxScoreThresh: 0.0, rpnBatchSizePerImage: 1_000_000, boxBatchSizePerImage: 1_000_000 };

const SCRIPT = `
import sys, torch
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models import resnet50
from torchvision.ops.misc import FrozenBatchNorm2d
d = sys.argv[1]
torch.manual_seed(0)
model = FasterRCNN(_resnet_fpn_extractor(resnet50(norm_layer=FrozenBatchNorm2d), 3), 91, min_size=320, max_size=512,
                   box_score_thresh=0.0, rpn_batch_size_per_image=1000000, box_batch_size_per_image=1000000)
g = torch.Generator().manual_seed(1)
with torch.no_grad():
    # non-trivial frozen statistics, as a trained checkpoint has
    for m in model.modules():
        if isinstance(m, FrozenBatchNorm2d):
            n = m.weight.numel()
            m.weight.copy_(0.5 + 0.3 * torch.rand(n, generator=g))
            m.bias.copy_(0.1 * torch.randn(n, generator=g))
            m.running_mean.copy_(0.1 * torch.randn(n, generator=g))
            m.running_var.copy_(0.5 + torch.rand(n, generator=g))
    # wider logits than the default init, so scores and objectness are well separated
    model.rpn.head.cls_logits.weight.normal_(0, 0.1, generator=g)
    model.roi_heads.box_predictor.cls_score.weight.normal_(0, 0.2, generator=g)
img = torch.rand(3, 150, 200, generator=g)
boxes = torch.tensor([[20.0, 30.0, 80.0, 100.0], [100.0, 40.0, 180.0, 140.0]])
labels = torch.tensor([3, 7])
torch.save(model.state_dict(), d + '/fasterrcnn.pth')
model.eval()
with torch.no_grad():
    il, _ = model.transform([img])
    feats = model.backbone(il.tensors)
    props, _ = model.rpn(il, feats)
    det = model([img])[0]
model.train()
with torch.no_grad():
    losses = model([img], [{'boxes': boxes, 'labels': labels}])
out = {'img': img, 'tensors': il.tensors, 'proposals': props[0], 'boxes': det['boxes'], 'labels': det['labels'].int(), 'scores': det['scores'], 'gt_boxes': boxes, 'gt_labels': labels.int()}
for k, v in feats.items():
    out['feat_' + k] = v
for k, v in losses.items():
    out[k] = v.reshape(1)
save(d + '/io.safetensors', out)
`;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

describe.skipIf(missing !== null)(`fasterrcnnResnet50Fpn against torchvision 0.14 (skipped when ${missing ?? 'torch is missing'})`, () => {
  let dir = '';
  let io: Record<string, Tensor> = {};
  let model: FasterRCNN;
  beforeAll(async () => {
    // TG_FRCNN_REF=<dir>: reuse the files a previous run of the script wrote there (development)
    dir = process.env.TG_FRCNN_REF ?? mkdtempSync(join(tmpdir(), 'tensorgrad-frcnn-'));
    if (!process.env.TG_FRCNN_REF) runPython(SCRIPT, [dir], 600_000);
    io = (await loadSafetensors(join(dir, 'io.safetensors'))).tensors;
    model = fasterrcnnResnet50Fpn(OPTIONS);
  }, 900_000);
  afterAll(() => {
    if (dir && !process.env.TG_FRCNN_REF) rmSync(dir, { recursive: true, force: true });
  });

  it("loads torchvision's state dict strictly (FrozenBatchNorm2d buffers, no num_batches_tracked)", async () => {
    const sd = await loadTorch(join(dir, 'fasterrcnn.pth'));
    expect(Object.keys(sd).length).toBe(Object.keys(model.stateDict()).length);
    const r = model.loadStateDict(sd, { strict: true });
    expect(r.missingKeys).toEqual([]);
    expect(r.unexpectedKeys).toEqual([]);
    expect(Object.keys(sd).some((k) => k.endsWith('num_batches_tracked'))).toBe(false);
  }, 300_000);

  it("eval: torchvision's resized batch, FPN features, RPN proposals and detections", () => {
    model.eval();
    noGrad(() => {
      const img = io.img!;
      const [il] = model.transform([img]);
      expect(il.imageSizes).toEqual([[320, 426]]);
      expect(il.tensors.shape).toEqual(io.tensors!.shape);
      // bilinear resizing with torchvision's scale: float32 rounding only
      expect(maxAbsDiff(il.tensors.dataSync(), io.tensors!.dataSync())).toBeLessThan(1e-4);
      const feats = model.backbone(il.tensors) as Record<string, Tensor>;
      expect(Object.keys(feats)).toEqual(['0', '1', '2', '3', 'pool']);
      for (const [k, f] of Object.entries(feats)) {
        const want = io[`feat_${k}`]!.dataSync();
        // 50+ float32 convolutions summed in a different order than PyTorch's: relative 1e-4 of the range
        expect(maxAbsDiff(f.dataSync(), want) / maxAbs(want), k).toBeLessThan(1e-4);
      }
      const [proposals] = model.rpn(il, feats);
      const got = proposals[0]!.dataSync();
      const want = io.proposals!.dataSync();
      expect(proposals[0]!.shape).toEqual(io.proposals!.shape);
      // proposals come sorted by objectness; two whose objectness differs by less than the
      // float32 noise can swap ranks, so each of torchvision's first 300 must be one of ours
      // at a rank within ±3, to 0.01 px (image coordinates up to 448)
      let matched = 0;
      for (let i = 0; i < 300; i++) {
        for (let j = Math.max(0, i - 3); j <= Math.min(got.length / 4 - 1, i + 3); j++) {
          if (maxAbsDiff(got.subarray(4 * j, 4 * j + 4), want.subarray(4 * i, 4 * i + 4)) < 1e-2) {
            matched++;
            break;
          }
        }
      }
      expect(matched).toBe(300);
    });
    const [det] = noGrad(() => model.call([io.img!])) as Detection[];
    const n = io.scores!.shape[0]!;
    expect(det!.scores.shape[0]).toBe(n);
    const gs = det!.scores.dataSync();
    const gl = det!.labels.dataSync();
    const gb = det!.boxes.dataSync();
    const ws = io.scores!.dataSync();
    const wl = io.labels!.dataSync();
    const wb = io.boxes!.dataSync();
    // the top 50 detections by score: same label, score to 1e-5, box to 0.01 px in the original
    // 150×200 image; a detection whose score ties another's within float32 noise may swap with it
    for (let i = 0; i < 50; i++) {
      let ok = false;
      for (let j = Math.max(0, i - 3); j <= Math.min(gs.length - 1, i + 3) && !ok; j++) {
        ok = gl[j] === wl[i] && Math.abs(gs[j]! - ws[i]!) < 1e-5 && maxAbsDiff(gb.subarray(4 * j, 4 * j + 4), wb.subarray(4 * i, 4 * i + 4)) < 1e-2;
      }
      expect(ok, `torchvision's detection ${i}: label ${wl[i]}, score ${ws[i]}`).toBe(true);
    }
    // the scores are not all alike: a model ignoring its input could not pass
    expect(ws[0]! - ws[49]!).toBeGreaterThan(1e-3);
  }, 600_000);

  it("train: torchvision's loss dict on a fixed image and target, every sampled anchor and proposal kept", () => {
    model.train();
    const losses = noGrad(() => model.call([io.img!], [{ boxes: io.gt_boxes!, labels: io.gt_labels! }])) as Record<string, Tensor>;
    expect(Object.keys(losses).sort()).toEqual(['loss_box_reg', 'loss_classifier', 'loss_objectness', 'loss_rpn_box_reg']);
    for (const k of Object.keys(losses)) {
      const got = losses[k]!.dataSync()[0]!;
      const want = io[k]!.dataSync()[0]!;
      // means over ~10⁴ anchors / 2000 proposals of float32 terms: relative 1e-4
      expect(Math.abs(got - want) / Math.abs(want), `${k}: ${got} vs ${want}`).toBeLessThan(1e-4);
    }
  }, 600_000);
});
