import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, noGrad, randn, zeros, type Tensor } from '@tensorgrad/tensor';
import { ConvTranspose2d, type AnyModule } from '@tensorgrad/layers';
import { loadSafetensors } from '@tensorgrad/io';
import '@tensorgrad/backend-cpu';
import { UNet, UNetVgg16Bn } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';

const REFERENCE = readFileSync(new URL('./unet_reference.py', import.meta.url), 'utf8');
const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

const missing = torchMissingReason();
if (missing) console.warn(`skipping the PyTorch cross-checks of the U-Nets: ${missing}`);

describe('UNetVgg16Bn (the book’s chapter 9 U-Net)', () => {
  let m: UNetVgg16Bn;
  beforeAll(() => {
    manualSeed(0);
    m = new UNetVgg16Bn({ outChannels: 3 });
  }, 600_000);
  afterAll(() => m?.dispose());

  it('has the book’s blocks sharing the vgg16_bn encoder, and checks its input and options', () => {
    expect(m.block1.length + m.block2.length + m.block3.length + m.block4.length + m.block5.length + m.bottleneck.length).toBe(44);
    expect(m.block2.at(1)).toBe(m.encoder.at(7));
    expect(m.bottleneck.at(9)).toBe(m.encoder.at(43));
    // the notebook's up_conv is a bare ConvTranspose2d (no ReLU, no Sequential): keys up_convK.weight/bias
    expect(m.up_conv6).toBeInstanceOf(ConvTranspose2d);
    expect([m.up_conv6.inChannels, m.up_conv6.outChannels, m.up_conv10.inChannels, m.up_conv10.outChannels]).toEqual([1024, 512, 64, 32]);
    const sd = m.stateDict();
    const decoderKeys = Object.keys(sd).filter((k) => k.startsWith('up_conv'));
    expect(decoderKeys).toEqual([6, 7, 8, 9, 10].flatMap((i) => [`up_conv${i}.weight`, `up_conv${i}.bias`]));
    for (const t of Object.values(sd)) t.dispose();
    expect(message(() => m(zeros([1, 3, 48, 64])))).toMatch(/multiples of 32.*got 48×64/);
    expect(message(() => m(zeros([1, 1, 32, 32])))).toMatch(/expected images \[N, 3, H, W\], got \[1, 1, 32, 32\]/);
    expect(message(() => new UNetVgg16Bn({ pretrained: true as never }))).toMatch(/pretrained.*vgg16_bn-6c64b313\.pth/s);
    expect(message(() => new UNetVgg16Bn({ outChannels: 0 }))).toMatch(/outChannels to be a positive integer, got 0/);
    expect(message(() => new UNetVgg16Bn({ out_channels: 3 } as never))).toMatch(/outChannels/);
  });

  it.skipIf(missing !== null)('parameter count, state-dict keys and eval/train outputs equal the book’s PyTorch model on loaded random weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-unet-vgg-'));
    try {
      const out = runPython(
        REFERENCE +
          `
import sys, json
torch.manual_seed(1)
model = BookUNet(pretrained=False, out_channels=3)
# non-trivial batch-norm statistics, so eval mode is checked with them
with torch.no_grad():
    for mod in model.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.1, 0.1); mod.running_var.uniform_(0.5, 1.5)
            mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.1, 0.1)
x = torch.randn(2, 3, 64, 32, generator=torch.Generator().manual_seed(2))
model.eval()
with torch.no_grad():
    y_eval = model(x)
save(sys.argv[1] + '/sd.safetensors', model.state_dict())  # before the train-mode pass updates the running statistics
model.train()
with torch.no_grad():
    y_train = model(x)
save(sys.argv[1] + '/io.safetensors', {'x': x, 'y_eval': y_eval, 'y_train': y_train})
print(json.dumps({'count': sum(p.numel() for p in model.parameters()), 'keys': list(model.state_dict().keys())}))
`,
        [dir],
        300_000,
      );
      const ref = JSON.parse(out.trim().split('\n').pop()!) as { count: number; keys: string[] };
      expect(count(m)).toBe(ref.count);
      const sdMine = m.stateDict();
      expect(Object.keys(sdMine)).toEqual(ref.keys);
      for (const t of Object.values(sdMine)) t.dispose();
      const { tensors: sd } = await loadSafetensors(join(dir, 'sd.safetensors'));
      expect(m.loadStateDict(sd, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const t of Object.values(sd)) t.dispose();
      const { tensors: io } = await loadSafetensors(join(dir, 'io.safetensors'));
      const yEval = noGrad(() => m.eval()(io.x!));
      expect(await maxDiff(yEval, io.y_eval!)).toBeLessThan(2e-3);
      const yTrain = noGrad(() => m.train()(io.x!));
      expect(await maxDiff(yTrain, io.y_train!)).toBeLessThan(2e-3);
      m.eval();
      // the outputs vary: the comparison can fail
      const want = Array.from(await io.y_eval!.data());
      expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.1);
      // a state dict without the block aliases is refused under strict, accepted otherwise
      const partial = m.stateDict();
      delete partial['block1.0.weight'];
      expect(message(() => m.loadStateDict(partial))).toMatch(/missing keys: 'block1\.0\.weight'/);
      expect(m.loadStateDict(partial, { strict: false }).missingKeys).toEqual(['block1.0.weight']);
      for (const t of Object.values(partial)) t.dispose();
      for (const t of [yEval, yTrain, ...Object.values(io)]) t.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});

describe('UNet (classic, milesial/Pytorch-UNet names)', () => {
  it('the paper’s size: 31,037,698 parameters (3 channels, 2 classes), 17,263,042 bilinear, as PyTorch gives them', () => {
    // counts printed by unet_reference.py's UNet(3, 2) and UNet(3, 2, bilinear=True) with torch 1.13
    const big = new UNet();
    expect(count(big)).toBe(31_037_698);
    expect(big.namedChildren().map(([n]) => n)).toEqual(['inc', 'down1', 'down2', 'down3', 'down4', 'up1', 'up2', 'up3', 'up4', 'outc']);
    big.dispose();
    const bil = new UNet(3, 2, true);
    expect(count(bil)).toBe(17_263_042);
    bil.dispose();
  }, 300_000);

  it('checks its options and input', () => {
    expect(message(() => new UNet({ numClasses: -1 }))).toMatch(/numClasses to be a positive integer, got -1/);
    expect(message(() => new UNet({ baseChannels: 7 }))).toMatch(/baseChannels to be even .*got 7/);
    expect(message(() => new UNet({ bilinear: 1 as never }))).toMatch(/bilinear to be a boolean/);
    expect(message(() => new UNet({ n_classes: 2 } as never))).toMatch(/n_classes/);
    const small = new UNet({ inChannels: 1, numClasses: 3, baseChannels: 4, depth: 2 });
    expect(message(() => small(zeros([1, 3, 16, 16])))).toMatch(/expected images \[N, 1, H, W\], got \[1, 3, 16, 16\]/);
    expect(message(() => small(zeros([1, 1, 3, 16])))).toMatch(/at least 4 .*got 3×16/);
    small.dispose();
  });

  it.skipIf(missing !== null)('small U-Nets (transposed and bilinear, odd sizes) have PyTorch’s keys, counts and outputs on loaded random weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-unet-'));
    const configs = [
      { inChannels: 1, numClasses: 4, bilinear: false, baseChannels: 8, depth: 3 },
      { inChannels: 3, numClasses: 2, bilinear: true, baseChannels: 6, depth: 2 },
    ];
    try {
      const out = runPython(
        REFERENCE +
          `
import sys, json
configs = json.loads(sys.argv[2])
res = []
for i, c in enumerate(configs):
    torch.manual_seed(10 + i)
    model = UNet(c['inChannels'], c['numClasses'], c['bilinear'], c['baseChannels'], c['depth'])
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.1, 0.1); mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.1, 0.1)
    x = torch.randn(2, c['inChannels'], 30, 27, generator=torch.Generator().manual_seed(i))
    model.eval()
    with torch.no_grad():
        y_eval = model(x)
    save(sys.argv[1] + f'/sd{i}.safetensors', model.state_dict())  # before the train-mode pass
    model.train()
    with torch.no_grad():
        y_train = model(x)
    save(sys.argv[1] + f'/io{i}.safetensors', {'x': x, 'y_eval': y_eval, 'y_train': y_train})
    res.append({'count': sum(p.numel() for p in model.parameters()), 'keys': list(model.state_dict().keys())})
print(json.dumps(res))
`,
        [dir, JSON.stringify(configs)],
        300_000,
      );
      const refs = JSON.parse(out.trim().split('\n').pop()!) as { count: number; keys: string[] }[];
      for (const [i, c] of configs.entries()) {
        const m = new UNet(c);
        expect(count(m), `config ${i}`).toBe(refs[i]!.count);
        const mine = m.stateDict();
        expect(Object.keys(mine)).toEqual(refs[i]!.keys);
        for (const t of Object.values(mine)) t.dispose();
        const { tensors: sd } = await loadSafetensors(join(dir, `sd${i}.safetensors`));
        m.loadStateDict(sd, { strict: true });
        const { tensors: io } = await loadSafetensors(join(dir, `io${i}.safetensors`));
        const yEval = noGrad(() => m.eval()(io.x!));
        expect(yEval.shape).toEqual([2, c.numClasses, 30, 27]);
        expect(await maxDiff(yEval, io.y_eval!), `config ${i} eval`).toBeLessThan(1e-4);
        const yTrain = noGrad(() => m.train()(io.x!));
        expect(await maxDiff(yTrain, io.y_train!), `config ${i} train`).toBeLessThan(1e-4);
        const want = Array.from(await io.y_eval!.data());
        expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.01);
        for (const t of [yEval, yTrain, ...Object.values(io), ...Object.values(sd)]) t.dispose();
        m.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('gradients reach every parameter', () => {
    manualSeed(4);
    const m = new UNet({ inChannels: 1, numClasses: 3, baseChannels: 4, depth: 2 });
    const y = m(randn([2, 1, 12, 12]));
    y.square().mean().backward();
    for (const [k, p] of m.namedParameters()) expect(p.grad, k).not.toBeNull();
    m.dispose();
  });
});
