// Chapter 13's SRGAN: the reference implementation's models (sgrvinod/a-PyTorch-Tutorial-to-
// Super-Resolution, models.py) with the book's parameter counts, the same state-dict keys, shapes
// and outputs as the same modules written in PyTorch here (Debian's torch 1.13 on /usr/bin/python3,
// skipped with a message without it), a generator .pth saved by PyTorch loading into ours, and a
// short run of the two training stages on synthetic garments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, loadTorch, memory, noGrad, tensor, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import { Discriminator, Generator, SRResNet, TruncatedVGG19, bicubicUpsample, psnr, runSrgan, superResolutionPairs } from '../src/chapter13/srgan.js';
import { parseSrganArgs } from '../src/chapter13/srgan-main.js';

const PYTHON = '/usr/bin/python3';
const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);

// finds the packages without importing them (an import of torch costs seconds of CPU; the
// reference script below imports it once)
function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', "import importlib.util as u, sys; sys.exit(0 if u.find_spec('torch') and u.find_spec('torchvision') else 1)"], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `${PYTHON} cannot find torch and torchvision; install Debian's python3-torch and python3-torchvision (scripts/ensure-torch.sh)`;
  return null;
}
const missing = torchMissing();
if (missing) console.warn(`skipping the PyTorch cross-checks of the SRGAN models: ${missing}`);

// The reference's models.py, written again for this test (same module names, so the same keys).
const REFERENCE = String.raw`
import json, math, struct, sys, torch, torchvision
from torch import nn

def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous().float() if t.is_floating_point() else t.detach().contiguous()
        b = t.numpy().tobytes()
        header[k] = {'dtype': 'F32' if t.dtype == torch.float32 else 'I64', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs: f.write(b)

class ConvolutionalBlock(nn.Module):
    def __init__(self, cin, cout, k, stride=1, batch_norm=False, activation=None):
        super().__init__()
        layers = [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2)]
        if batch_norm: layers.append(nn.BatchNorm2d(cout))
        if activation == 'prelu': layers.append(nn.PReLU())
        elif activation == 'leakyrelu': layers.append(nn.LeakyReLU(0.2))
        elif activation == 'tanh': layers.append(nn.Tanh())
        self.conv_block = nn.Sequential(*layers)
    def forward(self, x): return self.conv_block(x)

class SubPixelConvolutionalBlock(nn.Module):
    def __init__(self, k=3, c=64, s=2):
        super().__init__()
        self.conv = nn.Conv2d(c, c * s * s, k, padding=k // 2)
        self.pixel_shuffle = nn.PixelShuffle(s)
        self.prelu = nn.PReLU()
    def forward(self, x): return self.prelu(self.pixel_shuffle(self.conv(x)))

class ResidualBlock(nn.Module):
    def __init__(self, k=3, c=64):
        super().__init__()
        self.conv_block1 = ConvolutionalBlock(c, c, k, batch_norm=True, activation='prelu')
        self.conv_block2 = ConvolutionalBlock(c, c, k, batch_norm=True)
    def forward(self, x): return self.conv_block2(self.conv_block1(x)) + x

class SRResNet(nn.Module):
    def __init__(self, large=9, small=3, c=64, n_blocks=16, s=4):
        super().__init__()
        self.conv_block1 = ConvolutionalBlock(3, c, large, activation='prelu')
        self.residual_blocks = nn.Sequential(*[ResidualBlock(small, c) for _ in range(n_blocks)])
        self.conv_block2 = ConvolutionalBlock(c, c, small, batch_norm=True)
        self.subpixel_convolutional_blocks = nn.Sequential(*[SubPixelConvolutionalBlock(small, c, 2) for _ in range(int(math.log2(s)))])
        self.conv_block3 = ConvolutionalBlock(c, 3, large, activation='tanh')
    def forward(self, x):
        y = self.conv_block1(x)
        return self.conv_block3(self.subpixel_convolutional_blocks(self.conv_block2(self.residual_blocks(y)) + y))

class Generator(nn.Module):
    def __init__(self, **kw):
        super().__init__(); self.net = SRResNet(**kw)
    def forward(self, x): return self.net(x)

class Discriminator(nn.Module):
    def __init__(self, k=3, c=64, n_blocks=8, fc_size=1024):
        super().__init__()
        blocks, cin = [], 3
        for i in range(n_blocks):
            cout = (c if i == 0 else cin * 2) if i % 2 == 0 else cin
            blocks.append(ConvolutionalBlock(cin, cout, k, stride=1 if i % 2 == 0 else 2, batch_norm=i != 0, activation='leakyrelu'))
            cin = cout
        self.conv_blocks = nn.Sequential(*blocks)
        self.adaptive_pool = nn.AdaptiveAvgPool2d((6, 6))
        self.fc1 = nn.Linear(cout * 6 * 6, fc_size)
        self.leaky_relu = nn.LeakyReLU(0.2)
        self.fc2 = nn.Linear(fc_size, 1)
    def forward(self, x):
        return self.fc2(self.leaky_relu(self.fc1(self.adaptive_pool(self.conv_blocks(x)).view(x.size(0), -1))))

class TruncatedVGG19(nn.Module):
    def __init__(self, i, j):
        super().__init__()
        features = torchvision.models.vgg.make_layers(torchvision.models.vgg.cfgs['E'])  # vgg19().features
        pools = convs = at = 0
        for layer in features.children():
            at += 1
            if isinstance(layer, nn.Conv2d): convs += 1
            if isinstance(layer, nn.MaxPool2d): pools += 1; convs = 0
            if pools == i - 1 and convs == j: break
        self.truncated_vgg19 = nn.Sequential(*list(features.children())[:at + 1])
    def forward(self, x): return self.truncated_vgg19(x)

def randomise(m):
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.2, 0.2)
            if isinstance(mod, nn.PReLU): mod.weight.uniform_(-0.5, 0.5)
    return m

torch.manual_seed(0)
out = sys.argv[1]
count = lambda m: sum(p.numel() for p in m.parameters())
shapes = lambda m: [[k, list(t.shape)] for k, t in m.state_dict().items()]
g = randomise(Generator()).eval()
d = Discriminator()  # the book's size: keys, shapes and count
v = TruncatedVGG19(5, 4)
info = {'counts': [count(g), count(d), count(v)], 'g': shapes(g), 'd': shapes(d), 'v': shapes(v)}
del d, v
# outputs on loaded weights: the generator at the book's size, a narrower discriminator, VGG19 to (2, 2)
d = randomise(Discriminator(c=8, fc_size=32)).eval()
with torch.no_grad():
    d.fc2.weight.mul_(1e4)  # logits that differ by about 1, so the comparison can fail
v = TruncatedVGG19(2, 2).eval()
gen = torch.Generator().manual_seed(1)
lr = torch.randn(2, 3, 6, 6, generator=gen)
img = torch.randn(2, 3, 24, 24, generator=gen)
with torch.no_grad():
    io = {'lr': lr, 'img': img, 'g': g(lr), 'd': d(img), 'v': v(img)}
# (before the train-mode pass updates the running statistics) the book's srgan.pth.tar is a pickled
# checkpoint dict holding the Generator object, which loadTorch refuses; the guide's recipe re-saves
# its state_dict() in PyTorch, and that file loads
torch.save({'epoch': 0, 'generator': g}, out + '/srgan.pth.tar')
torch.save(torch.load(out + '/srgan.pth.tar', map_location='cpu')['generator'].state_dict(), out + '/generator.pth')
with torch.no_grad():
    g.train(); io['g_train'] = g(lr); g.eval()
save(out + '/d.safetensors', d.state_dict())
# torchvision's vgg19 keys (features.N.weight)
save(out + '/vgg.safetensors', {k.replace('truncated_vgg19.', 'features.'): t for k, t in v.state_dict().items()})
save(out + '/io.safetensors', io)
print(json.dumps(info))
`;

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

const shapesOf = (m: AnyModule): [string, number[]][] => {
  const sd = m.stateDict();
  const out = Object.entries(sd).map(([k, t]): [string, number[]] => [k, [...t.shape]]);
  for (const t of Object.values(sd)) t.dispose();
  return out;
};

// first, so that no tensor of the big models' tests awaits garbage collection while memory() is counted
describe('chapter 13: SRGAN data and training', () => {
  it('pairs, bicubic baseline and PSNR', () => {
    // a bright square on black: 28×28 → 7×7 → 28×28 loses the edges
    const img = tensor([Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (x >= 8 && x < 20 && y >= 6 && y < 22 ? 255 : 0)))]);
    const p = superResolutionPairs(img, 4);
    expect([p.hr.shape, p.lr.shape]).toEqual([[1, 3, 28, 28], [1, 3, 7, 7]]);
    const hr01 = tidy(() => p.hr.add(1).div(2));
    const up = bicubicUpsample(p.lr, 28);
    const db = psnr(up, hr01);
    // independent: the MSE of the bicubic image against the square, from its values
    const [ma, mb] = [up.mean(1), hr01.mean(1)];
    const a = ma.dataSync();
    const b = mb.dataSync();
    let mse = 0;
    for (let i = 0; i < a.length; i++) mse += (a[i]! - b[i]!) ** 2 / a.length;
    expect(db).toBeCloseTo(10 * Math.log10(1 / mse), 4);
    expect(db).toBeGreaterThan(8);
    expect(db).toBeLessThan(30);
    expect(psnr(hr01, hr01)).toBe(100);
    expect(() => superResolutionPairs(img, 3)).toThrow(/divisible by scalingFactor 3, got 28×28/);
    for (const t of [img, p.hr, p.lr, hr01, up, ma, mb]) t.dispose();
  });

  it('a short run of both stages: the SRResNet loss falls, losses and PSNR are finite, the grid is written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-srgan-run-'));
    // rectangles of several sizes and brightness: no data set needed
    const garments = (n: number, seed: number): Tensor =>
      tensor(
        Array.from({ length: n }, (_, k) => {
          const r = (seed * 31 + k * 17) % 11;
          return Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => (x >= 4 + r && x < 24 - (r >> 1) && y >= 3 + (r >> 1) && y < 25 - r ? 120 + 12 * r : 0)));
        }),
      );
    const data = { train: garments(24, 1), test: garments(4, 2) };
    // the test above disposes what it makes, so no garbage can be collected meanwhile: exactly the
    // tensors live before (runSrgan used to leave two views undisposed, and the count only passed
    // when the garbage collector happened to free them)
    const before = memory().numTensors;
    try {
      const r = await runSrgan({ data, nChannels: 8, nBlocks: 1, discChannels: 4, fcSize: 16, srresnetEpochs: 4, ganSteps: 2, batchSize: 8, lr: 3e-3, vgg: [1, 1], out, gridSize: 4 });
      expect(r.srresnetLosses.length).toBe(4);
      expect(r.srresnetLosses[3]!).toBeLessThan(r.srresnetLosses[0]! * 0.7);
      expect(r.ganLosses.length).toBe(2);
      for (const l of r.ganLosses) for (const v of Object.values(l)) expect(Number.isFinite(v)).toBe(true);
      expect(r.pretrainedVgg).toBe(false);
      expect(r.parameters.truncatedVgg19).toBe(3 * 64 * 9 + 64);
      expect(r.summaries.generator).toContain('PixelShuffle');
      expect(r.summaries.generator).toContain(`Total params: ${r.parameters.generator.toLocaleString('en-US')}`);
      for (const v of Object.values(r.psnr)) expect(v > 5 && v < 60).toBe(true);
      const png = readFileSync(r.grid!);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // 4 rows (garments) of 4 tiles of 28×28 (bicubic, SRResNet, SRGAN, high resolution), padding 2
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([4 * 30 + 2, 4 * 30 + 2]);
      expect(memory().numTensors).toBe(before);
    } finally {
      data.train.dispose();
      data.test.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

});

describe("chapter 13: SRGAN (the reference implementation's models)", () => {
  let g: Generator;
  let d: Discriminator;
  let v: TruncatedVGG19;
  beforeAll(() => {
    g = new Generator();
    d = new Discriminator();
    v = new TruncatedVGG19(5, 4);
  }, 60_000);
  afterAll(() => {
    for (const m of [g, d, v]) m?.dispose();
  });

  it("the book's sizes: generator 1,549,462, discriminator 23,565,505, TruncatedVGG19(5, 4) 20,024,384 parameters", () => {
    expect(count(g)).toBe(1_549_462);
    const bare = new SRResNet({ nBlocks: 0, scalingFactor: 2 });
    expect(count(bare)).toBe(3 * 64 * 81 + 64 + 1 + 64 * 64 * 9 + 64 + 128 + 64 * 256 * 9 + 256 + 1 + 64 * 3 * 81 + 3);
    bare.dispose();
    expect(count(d)).toBe(23_565_505);
    expect(count(v)).toBe(20_024_384);
    expect(v.truncated_vgg19.length).toBe(36);
    expect(v.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(() => new TruncatedVGG19(2, 3)).toThrow(/i=2, j=3 is not a convolution of VGG19/);
    expect(() => new SRResNet({ scalingFactor: 3 })).toThrow(/expected scalingFactor 2, 4 or 8/);
    expect(() => new Generator({ n_blocks: 2 } as never)).toThrow(/unknown option 'n_blocks'/);
    expect(() => tidy(() => g.call(tensor([[[[0]]]])))).toThrow(/expected images \[N, 3, H, W\], got \[1, 1, 1, 1\]/);
  });

  it.skipIf(missing !== null)('equal PyTorch: keys, shapes, counts and outputs on loaded weights; a generator .pth saved by PyTorch loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-srgan-'));
    const dSmall = new Discriminator({ nChannels: 8, fcSize: 32 });
    const vSmall = new TruncatedVGG19(2, 2);
    try {
      const r = spawnSync(PYTHON, ['-c', REFERENCE, dir], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
      if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
      const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as { counts: number[]; g: [string, number[]][]; d: [string, number[]][]; v: [string, number[]][] };
      expect(ref.counts).toEqual([1_549_462, 23_565_505, 20_024_384]);
      expect([count(g), count(d), count(v)]).toEqual(ref.counts);
      expect(shapesOf(g)).toEqual(ref.g);
      expect(shapesOf(d)).toEqual(ref.d);
      expect(shapesOf(v)).toEqual(ref.v);
      await expect(loadTorch(join(dir, 'srgan.pth.tar'))).rejects.toThrow(
        /the file's pickle refers to the global '__main__\.Generator', which is not allowed.*re-save its state dict with torch\.save\(model\.state_dict\(\), path\)/,
      );
      const gsd = await loadTorch(join(dir, 'generator.pth'));
      expect(g.loadStateDict(gsd, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const { tensors: dsd } = await loadSafetensors(join(dir, 'd.safetensors'));
      dSmall.loadStateDict(dsd, { strict: true });
      const { tensors: vsd } = await loadSafetensors(join(dir, 'vgg.safetensors'));
      vSmall.loadVgg19StateDict(vsd);
      expect(() => v.loadVgg19StateDict(vsd)).toThrow(/the state dict has no 'features\.10\.weight'; expected torchvision's vgg19 weights/);
      const { tensors: io } = await loadSafetensors(join(dir, 'io.safetensors'));
      g.eval();
      dSmall.eval();
      // (tidy frees the forward's intermediates)
      const [yg, yd, yv] = tidy(() => noGrad(() => [g(io.lr!), dSmall(io.img!), vSmall(io.img!)]));
      expect(yg.shape).toEqual([2, 3, 24, 24]);
      expect(await maxDiff(yg, io.g!)).toBeLessThan(1e-5);
      expect(await maxDiff(yd, io.d!)).toBeLessThan(2e-3);
      expect(await maxDiff(yv, io.v!)).toBeLessThan(1e-4);
      const ygTrain = tidy(() => noGrad(() => g.train()(io.lr!)));
      g.eval();
      expect(await maxDiff(ygTrain, io.g_train!)).toBeLessThan(1e-5);
      // the outputs vary, so the comparisons can fail
      for (const k of ['g', 'd', 'v']) {
        const want = Array.from(await io[k]!.data());
        expect(Math.max(...want) - Math.min(...want), k).toBeGreaterThan(0.05);
      }
      for (const t of [yg, yd, yv, ygTrain, ...Object.values(gsd), ...Object.values(dsd), ...Object.values(vsd), ...Object.values(io)]) t.dispose();
    } finally {
      dSmall.dispose();
      vSmall.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('parses its command line and refuses bad arguments', () => {
    expect(parseSrganArgs(['--epochs', '2', '--gan-steps', '50', '--limit', '100', '--scale', '2', '--vgg', '2,2', '--out', 'x'])).toEqual({ srresnetEpochs: 2, ganSteps: 50, train: 100, scalingFactor: 2, vgg: [2, 2], out: 'x' });
    expect(() => parseSrganArgs(['--vgg', '5'])).toThrow(/--vgg: expected I,J \(e\.g\. 5,4\), got '5'/);
    expect(parseSrganArgs(['--help'])).toBeNull();
    expect(() => parseSrganArgs(['--epochs', 'two'])).toThrow(/--epochs: expected a non-negative integer, got 'two'/);
    expect(() => parseSrganArgs(['--scale', '3'])).toThrow(/--scale: expected 2, 4 or 8, got 3/);
    expect(() => parseSrganArgs(['--epoch', '1'])).toThrow(/Unknown option '--epoch'/);
  });
});
