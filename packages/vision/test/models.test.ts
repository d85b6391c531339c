import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, noGrad, randn, type Tensor } from '@tensorgrad/tensor';
import { BatchNorm2d, Conv2d, Dropout, GELU, Linear, Sequential, type AnyModule } from '@tensorgrad/layers';
import { loadSafetensors, loadTorch } from '@tensorgrad/io';
import '@tensorgrad/backend-cpu';
import {
  BasicBlock,
  Bottleneck,
  makeLayers,
  ResNet,
  resnet18,
  resnet34,
  resnet50,
  VGG,
  vgg11,
  vgg16,
  vgg16Bn,
  vggConfigs,
  type VGGConfigEntry,
} from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

/** VGG parameters from the layer shapes alone (no allocation): 3×3 convs, BN affine pairs, the 3 linear layers. */
function vggCountFromShapes(cfg: readonly VGGConfigEntry[], batchNorm: boolean, numClasses = 1000): number {
  let n = 0;
  let c = 3;
  for (const v of cfg) {
    if (v === 'M') continue;
    n += 9 * c * v + v + (batchNorm ? 2 * v : 0);
    c = v;
  }
  return n + (25088 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * numClasses + numClasses);
}

async function stats(t: Tensor): Promise<{ mean: number; std: number }> {
  const v = Array.from(await t.data());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}

const missing = torchMissingReason();
if (missing) console.warn(`skipping the torchvision cross-checks: ${missing}`);

// Building a model allocates and initialises every parameter, which is slow on a busy CPU: each
// architecture is built once and shared by the checks below.
describe('VGG (one vgg11 built, shared)', () => {
  let m: VGG;
  beforeAll(() => {
    manualSeed(3);
    m = vgg11();
  }, 600_000);
  afterAll(() => m?.dispose());

  it('vgg11: 132,863,336 parameters, with the shapes torchvision gives its layers', () => {
    expect(count(m)).toBe(132_863_336);
    expect(count(m)).toBe(vggCountFromShapes(vggConfigs.A, false));
    const shapes = Object.fromEntries(m.namedParameters().map(([k, p]) => [k, p.shape]));
    expect(Object.keys(shapes).length).toBe(22);
    expect(shapes['features.0.weight']).toEqual([64, 3, 3, 3]);
    expect(shapes['features.18.bias']).toEqual([512]);
    expect(shapes['classifier.0.weight']).toEqual([4096, 25088]);
    expect(shapes['classifier.3.weight']).toEqual([4096, 4096]);
    expect(shapes['classifier.6.bias']).toEqual([1000]);
    expect((m.classifier.at(2) as Dropout).p).toBe(0.5);
  });

  it('initialisation: conv kaiming normal (fan_out, relu), zero biases, linear N(0, 0.01²) and zero biases', async () => {
    const conv = (m.features as Sequential).at(16) as Conv2d; // 512 → 512
    const s = await stats(conv.weight);
    expect(s.std).toBeCloseTo(Math.sqrt(2 / (512 * 9)), 3); // fan_out = 512 · 9
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect((await stats(((m.features as Sequential).at(0) as Conv2d).weight)).std).toBeCloseTo(Math.sqrt(2 / (64 * 9)), 2);
    expect(Array.from(await conv.bias!.data()).every((v) => v === 0)).toBe(true);
    const fc = m.classifier.at(3) as Linear;
    expect((await stats(fc.weight)).std).toBeCloseTo(0.01, 4);
    expect(Array.from(await fc.bias!.data()).every((v) => v === 0)).toBe(true);
  }, 120_000);

  it('vgg16: 138,357,544 and vgg16Bn: 138,365,992 from the layer shapes; their features are built for real', () => {
    // the classifier is the same three Linear layers as vgg11's (counted above); the chapter-5
    // example builds the whole of vgg16()
    expect(vggCountFromShapes(vggConfigs.D, false)).toBe(138_357_544);
    expect(vggCountFromShapes(vggConfigs.D, true)).toBe(138_365_992);
    const head = count(m.classifier);
    const f = makeLayers(vggConfigs.D);
    expect(count(f) + head).toBe(138_357_544);
    f.dispose();
    const fb = makeLayers(vggConfigs.D, { batchNorm: true });
    expect(count(fb) + head).toBe(138_365_992);
    expect(fb.namedBuffers().map(([k]) => k).slice(0, 3)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    fb.dispose();
  }, 120_000);

  it('runs on a 32×32 image (the smallest torchvision allows) and checks its options before building', () => {
    const x = randn([1, 3, 32, 32]);
    const y = noGrad(() => m.eval()(x));
    expect(y.shape).toEqual([1, 1000]);
    y.dispose();
    x.dispose();
    expect(message(() => new VGG(null as never))).toMatch(/expected features to be a Module/);
    // PyTorch's positional order VGG(features, num_classes, init_weights, dropout)
    expect(message(() => new VGG(makeLayers([8]), 5, 'no' as never))).toMatch(/expected initWeights to be a boolean/);
    expect(message(() => new VGG(makeLayers([8]), 5, true, 2))).toMatch(/dropout to be a probability in \[0, 1\], got 2/);
    expect(message(() => new VGG(makeLayers([8]), { numClasses: 0 }))).toMatch(/numClasses to be a positive integer, got 0/);
    expect(message(() => makeLayers([64, 'X' as never]))).toMatch(/cfg\[1\].*got "X"/);
  }, 120_000);
  it.skipIf(missing !== null)(`vgg11 after manualSeed(3) has torchvision's initial weights and gives its eval logits (skipped when ${missing ?? 'torch is missing'})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-vision-vgg-'));
    try {
      runPython(
        `
import sys, torch, torchvision
torch.manual_seed(3)
m = torchvision.models.vgg11().eval()
x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    y = m(x)
save(sys.argv[1] + '/vgg11.safetensors', m.state_dict())
save(sys.argv[1] + '/vgg11-io.safetensors', {'x': x, 'y': y})
`,
        [dir],
        300_000,
      );
      const { tensors: sd } = await loadSafetensors(join(dir, 'vgg11.safetensors'));
      const mine = m.stateDict();
      for (const [k, t] of Object.entries(sd)) {
        const a = await mine[k]!.data();
        const b = await t.data();
        let d = 0;
        for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
        expect(d, k).toBeLessThan(1e-6);
      }
      expect(m.loadStateDict(sd, { strict: true }).missingKeys).toEqual([]);
      for (const t of Object.values(sd)) t.dispose();
      const { tensors: io } = await loadSafetensors(join(dir, 'vgg11-io.safetensors'));
      const y = noGrad(() => m.eval()(io.x!));
      const got = await y.data();
      const want = await io.y!.data();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst).toBeLessThan(1e-3);
      expect(Math.max(...Array.from(want)) - Math.min(...Array.from(want))).toBeGreaterThan(1e-3);
      y.dispose();
      for (const t of Object.values(io)) t.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});

describe('ResNet', () => {
  let r18: ResNet;
  beforeAll(() => {
    manualSeed(0);
    r18 = resnet18();
  }, 600_000);
  afterAll(() => r18?.dispose());

  it("resnet18: 11,689,512 parameters and torchvision's names", () => {
    expect(count(r18)).toBe(11_689_512);
    const keys = Object.keys(r18.stateDict());
    expect(keys.length).toBe(122);
    expect(keys.slice(0, 7)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked', 'layer1.0.conv1.weight']);
    expect(keys).toContain('layer2.0.downsample.0.weight');
    expect(keys).toContain('layer2.0.downsample.1.running_var');
    expect(keys).not.toContain('layer1.0.downsample.0.weight');
    expect(keys.slice(-2)).toEqual(['fc.weight', 'fc.bias']);
  });

  it('resnet50: 25,557,032 parameters; zeroInitResidual zeroes every bn3; replaceStrideWithDilation keeps the resolution', () => {
    const m = resnet50({ zeroInitResidual: true, replaceStrideWithDilation: [false, true, true] });
    expect(count(m)).toBe(25_557_032);
    const b = m.layer4.at(0) as Bottleneck;
    expect(b.namedChildren().map(([n]) => n)).toEqual(['conv1', 'bn1', 'conv2', 'bn2', 'conv3', 'bn3', 'relu', 'downsample']);
    expect(b.conv2.options.dilation).toBe(2); // the first block of a stage keeps the previous stage's dilation
    expect((m.layer4.at(1) as Bottleneck).conv2.options.dilation).toBe(4);
    for (const layer of [m.layer1, m.layer2, m.layer3, m.layer4]) {
      for (const blk of layer) {
        const w = ((blk as Bottleneck).bn3 as BatchNorm2d).weight!.dataSync();
        expect(w.every((v) => v === 0)).toBe(true);
      }
    }
    expect((b.bn2 as BatchNorm2d).weight!.dataSync().every((v) => v === 1)).toBe(true);
    let shape: number[] = [];
    m.layer4.registerForwardHook((_m, _i, out) => {
      shape = [...(out as Tensor).shape];
    });
    const x = randn([1, 3, 32, 32]);
    noGrad(() => m.eval()(x)).dispose();
    expect(shape).toEqual([1, 2048, 4, 4]); // output stride 8 instead of 32
    x.dispose();
    m.dispose();
  }, 600_000);

  it('blocks: zeroInitResidual for BasicBlock, grouped and wide Bottlenecks, normLayer as a class or a function', () => {
    const made: number[] = [];
    const m = new ResNet(BasicBlock, [1, 1, 1, 1], {
      numClasses: 3,
      zeroInitResidual: true,
      normLayer: (n) => {
        made.push(n);
        return new BatchNorm2d(n, { eps: 1e-3 });
      },
    });
    expect(made.slice(0, 3)).toEqual([64, 64, 64]);
    expect((m.bn1 as BatchNorm2d).eps).toBe(1e-3);
    for (const layer of [m.layer1, m.layer2, m.layer3, m.layer4]) {
      expect(((layer.at(0) as BasicBlock).bn2 as BatchNorm2d).weight!.dataSync().every((v) => v === 0)).toBe(true);
    }
    m.dispose();
    const grouped = new Bottleneck(64, 64, { groups: 32, baseWidth: 4 }); // ResNeXt-50 32×4d
    expect(grouped.conv2.weight.shape).toEqual([128, 4, 3, 3]);
    const wide = new Bottleneck(64, 64, 1, null, 1, 128); // Wide ResNet-50-2, positionally
    expect(wide.conv2.weight.shape).toEqual([128, 128, 3, 3]);
    const k = new BasicBlock(4, 4, { normLayer: BatchNorm2d });
    expect(k.bn1).toBeInstanceOf(BatchNorm2d);
    expect(message(() => new BasicBlock(4, 4, { normLayer: () => 3 as never }))).toMatch(/normLayer\(4\) should return a Module, got number/);
    for (const b of [grouped, wide, k]) b.dispose();
  }, 600_000);

  it('refuses weights (explaining how to load a downloaded .pth), unknown keys and bad arguments', () => {
    expect(message(() => resnet18({ weights: 'IMAGENET1K_V1' as never }))).toMatch(
      /resnet18: weights = 'IMAGENET1K_V1' is not supported.*downloads nothing.*resnet18-f37072fd\.pth.*resnet18\(\); model\.loadStateDict\(await loadTorch\('resnet18-f37072fd\.pth'\)/,
    );
    expect(message(() => vgg16Bn({ weights: 'DEFAULT' as never }))).toMatch(/vgg16Bn: weights = 'DEFAULT'.*vgg16_bn-6c64b313\.pth/);
    expect(message(() => resnet34({ num_classes: 10 } as never))).toMatch(/resnet34: unknown option 'num_classes'; did you mean 'numClasses'\?/);
    expect(message(() => vgg16({ numClass: 10 } as never))).toMatch(/did you mean 'numClasses'/);
    expect(message(() => (resnet18 as (...a: unknown[]) => unknown)(10))).toMatch(/resnet18: takes at most 0 positional arguments/);
    expect(message(() => resnet18({ progress: 'yes' as never }))).toMatch(/expected progress to be a boolean/);
    expect(message(() => new ResNet(BasicBlock, [2, 2, 2] as never))).toMatch(/expected layers to be 4 positive block counts/);
    expect(message(() => new ResNet(GELU as never, [1, 1, 1, 1]))).toMatch(/expected block to be BasicBlock or Bottleneck/);
    expect(message(() => new ResNet(BasicBlock, [1, 1, 1, 1], 0))).toMatch(/numClasses to be a positive integer, got 0/);
    expect(message(() => new BasicBlock(8, 8, { groups: 2 }))).toMatch(/BasicBlock only supports groups = 1 and baseWidth = 64/);
    expect(message(() => new BasicBlock(8, 8, { dilation: 2 }))).toMatch(/dilation > 1 is not supported in BasicBlock/);
    expect(message(() => new ResNet(BasicBlock, [1, 1, 1, 1], { replaceStrideWithDilation: [true] as never }))).toMatch(/replaceStrideWithDilation should be null or 3 booleans/);
  });
  describe.skipIf(missing !== null)(`torchvision's weights and logits (skipped when ${missing ?? 'torch is missing'})`, () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tensorgrad-vision-models-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("resnet18 loads torchvision's state dict (a .pth written by torch.save, ZIP and legacy formats) strictly and gives its eval logits to 1e-3; manualSeed(0) gives torchvision's initial weights", async () => {
    runPython(
      `
import sys, torch, torchvision
torch.manual_seed(0)
m = torchvision.models.resnet18()
init = {k: v.clone() for k, v in m.state_dict().items()}
# random affine parameters and running statistics, so eval-mode batch norm is not the identity
g = torch.Generator().manual_seed(1)
for mod in m.modules():
    if isinstance(mod, torch.nn.BatchNorm2d):
        n = mod.num_features
        mod.weight.data = 1 + 0.2 * torch.randn(n, generator=g)
        mod.bias.data = 0.1 * torch.randn(n, generator=g)
        mod.running_mean.data = 0.1 * torch.randn(n, generator=g)
        mod.running_var.data = 0.5 + torch.rand(n, generator=g)
        mod.num_batches_tracked.fill_(7)
m.eval()
x = torch.randn(2, 3, 64, 64, generator=g)
with torch.no_grad():
    y = m(x)
# PyTorch's own checkpoint files: torch.save's ZIP format and the legacy format of older weights
torch.save(m.state_dict(), sys.argv[1] + '/resnet18.pth')
torch.save(m.state_dict(), sys.argv[1] + '/resnet18-legacy.pth', _use_new_zipfile_serialization=False)
save(sys.argv[1] + '/resnet18-init.safetensors', init)
save(sys.argv[1] + '/resnet18-io.safetensors', {'x': x, 'y': y})
`,
      [dir],
    );
    // torchvision draws its random numbers in module order and tensorgrad's generator is PyTorch's:
    // r18 was built right after manualSeed(0), as torchvision's after torch.manual_seed(0)
    const { tensors: init } = await loadSafetensors(join(dir, 'resnet18-init.safetensors'));
    const mine = r18.stateDict();
    expect(Object.keys(mine)).toEqual(Object.keys(init));
    for (const [k, t] of Object.entries(init)) {
      const a = await mine[k]!.data();
      const b = await t.data();
      let d = 0;
      for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
      expect(d, k).toBeLessThan(1e-6);
      t.dispose();
    }

    const sd = await loadTorch(join(dir, 'resnet18.pth'));
    const legacy = await loadTorch(join(dir, 'resnet18-legacy.pth'));
    expect(Object.keys(legacy)).toEqual(Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) expect(Array.from(await legacy[k]!.data()), k).toEqual(Array.from(await t.data()));
    for (const t of Object.values(legacy)) t.dispose();
    const { tensors: io } = await loadSafetensors(join(dir, 'resnet18-io.safetensors'));
    const result = r18.loadStateDict(sd, { strict: true });
    expect(result.missingKeys).toEqual([]);
    expect(result.unexpectedKeys).toEqual([]);
    r18.eval();
    const y = noGrad(() => r18(io.x!));
    expect(y.shape).toEqual([2, 1000]);
    const got = await y.data();
    const want = await io.y!.data();
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(1e-3);
    // the logits vary: a model that ignored its input would not pass
    expect(Math.max(...Array.from(want)) - Math.min(...Array.from(want))).toBeGreaterThan(0.1);
    y.dispose();
    for (const t of [...Object.values(sd), ...Object.values(io)]) t.dispose();
  }, 300_000);
  });
});
