// Chapter 11: the book's dense autoencoder, convolutional autoencoder and VAE — parameter counts
// against the book's numbers and against the same modules built in PyTorch (state-dict keys and
// shapes, outputs on the same loaded weights), the VAE loss against an independent computation,
// a few training steps on a tiny Fashion-MNIST subset, encodeDataset and the command lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keep, loadSafetensors, manualSeed, memory, noGrad, summary, tensor, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import { AutoEncoder, ConvAutoEncoder, VAE, vaeLoss } from '../src/chapter11/models.js';
import { encodeDataset, imageSet, loadFashionImages, type ImageSet } from '../src/chapter11/data.js';
import { parseChapter11Args } from '../src/chapter11/main.js';
import { parseVAEArgs } from '../src/chapter11/vae.js';
import { runVAE } from '../src/chapter11/variational.js';
import { seeded, trainAutoEncoder, trainVAE, validationLoss } from '../src/chapter11/train.js';
import { settledTensorCount, withLeakWatch } from './settled-memory.js';
import { runPython, torchMissingReason } from '../../packages/vision/test/torchvision.js';

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
const shapes = (m: AnyModule): Record<string, number[]> => {
  const sd = m.stateDict();
  const out = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, [...t.shape]]));
  for (const t of Object.values(sd)) t.dispose();
  return out;
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
if (missing) console.warn(`skipping the PyTorch cross-checks of chapter 11's autoencoders: ${missing}`);

// The notebooks' three models, written out in PyTorch (torch 1.13), with the inputs and outputs
// the TypeScript models must reproduce on the same weights.
const REFERENCE = `
import sys, json, torch
import torch.nn as nn
import torch.nn.functional as F
out = sys.argv[1]

class AutoEncoder(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 128), nn.ReLU(True), nn.Linear(128, 64), nn.ReLU(True), nn.Linear(64, latent_dim))
        self.decoder = nn.Sequential(nn.Linear(latent_dim, 64), nn.ReLU(True), nn.Linear(64, 128), nn.ReLU(True), nn.Linear(128, 784), nn.Tanh())
    def forward(self, x):
        return self.decoder(self.encoder(x.view(len(x), -1))).view(len(x), 1, 28, 28)

class ConvAutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 3, stride=3, padding=1), nn.ReLU(True), nn.MaxPool2d(2, stride=2),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(True), nn.MaxPool2d(2, stride=1))
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 3, stride=2), nn.ReLU(True),
            nn.ConvTranspose2d(32, 16, 5, stride=3, padding=1), nn.ReLU(True),
            nn.ConvTranspose2d(16, 1, 2, stride=2, padding=1), nn.Tanh())
    def forward(self, x):
        return self.decoder(self.encoder(x))

class VAE(nn.Module):
    def __init__(self, x_dim, h_dim1, h_dim2, z_dim):
        super().__init__()
        self.d1 = nn.Linear(x_dim, h_dim1); self.d2 = nn.Linear(h_dim1, h_dim2)
        self.d31 = nn.Linear(h_dim2, z_dim); self.d32 = nn.Linear(h_dim2, z_dim)
        self.d4 = nn.Linear(z_dim, h_dim2); self.d5 = nn.Linear(h_dim2, h_dim1); self.d6 = nn.Linear(h_dim1, x_dim)
    def encoder(self, x):
        h = F.relu(self.d2(F.relu(self.d1(x))))
        return self.d31(h), self.d32(h)
    def decoder(self, z):
        return torch.sigmoid(self.d6(F.relu(self.d5(F.relu(self.d4(z))))))

def loss_function(recon_x, x, mean, log_var):
    recon = F.mse_loss(recon_x, x.view(-1, 784), reduction='sum')
    kld = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp())
    return recon + kld, recon, kld

g = torch.Generator().manual_seed(0)
x = torch.rand(4, 1, 28, 28, generator=g) * 2 - 1
info = {}
torch.manual_seed(1)
for latent in [2, 3, 5, 10, 50]:
    m = AutoEncoder(latent).eval()
    info[f'ae{latent}'] = {'count': sum(p.numel() for p in m.parameters()), 'shapes': {k: list(v.shape) for k, v in m.state_dict().items()}}
    if latent in (3, 50):
        with torch.no_grad():
            y = m(x)
        save(f'{out}/ae{latent}.safetensors', m.state_dict())
        save(f'{out}/ae{latent}_io.safetensors', {'x': x, 'y': y, 'code': m.encoder(x.view(4, -1))})
m = ConvAutoEncoder().eval()
info['conv'] = {'count': sum(p.numel() for p in m.parameters()), 'shapes': {k: list(v.shape) for k, v in m.state_dict().items()}}
with torch.no_grad():
    save(f'{out}/conv.safetensors', m.state_dict())
    save(f'{out}/conv_io.safetensors', {'x': x, 'y': m(x), 'code': m.encoder(x)})
m = VAE(x_dim=784, h_dim1=512, h_dim2=256, z_dim=50).eval()
info['vae'] = {'count': sum(p.numel() for p in m.parameters()), 'shapes': {k: list(v.shape) for k, v in m.state_dict().items()}}
xu = (x + 1) / 2
z = torch.randn(4, 50, generator=g)
with torch.no_grad():
    mean, log_var = m.encoder(xu.view(-1, 784))
    recon = m.decoder(z)
    loss, rec, kld = loss_function(recon, xu, mean, log_var)
save(f'{out}/vae.safetensors', m.state_dict())
save(f'{out}/vae_io.safetensors', {'x': xu, 'z': z, 'mean': mean, 'log_var': log_var, 'recon': recon, 'loss': loss.reshape(1), 'rec': rec.reshape(1), 'kld': kld.reshape(1)})
print(json.dumps(info))
`;

describe('chapter 11: the book’s autoencoders', () => {
  // every test frees what it makes (tidy or dispose): a tensor leaked here would be reclaimed by the
  // garbage collector during a later test and lower memory() under that test's own leak check
  it('have the book’s parameter counts (latent 3: 218,643; conv: 50,161) and print torchsummary-like tables', () => tidy(() => {
    const ae = new AutoEncoder(3);
    const conv = new ConvAutoEncoder();
    const vae = new VAE({ xDim: 784, hDim1: 512, hDim2: 256, zDim: 50 });
    try {
      expect(count(ae)).toBe(218_643);
      expect(count(conv)).toBe(50_161);
      // the book's torchsummary rows of the dense autoencoder (latent 3)
      const s = summary(ae, [1, 28, 28]);
      expect(s.layers.map((l) => l.params)).toEqual([100_480, 0, 8_256, 0, 195, 256, 0, 8_320, 0, 101_136, 0]);
      expect(s.totalParams).toBe(218_643);
      // … and of the convolutional one, with its output shapes
      const c = summary(conv, [1, 28, 28]);
      expect(c.layers.map((l) => l.params)).toEqual([320, 0, 0, 18_496, 0, 0, 18_464, 0, 12_816, 0, 65, 0]);
      expect(c.layers.map((l) => l.outputShape)).toEqual([
        [-1, 32, 10, 10], [-1, 32, 10, 10], [-1, 32, 5, 5], [-1, 64, 3, 3], [-1, 64, 3, 3], [-1, 64, 2, 2],
        [-1, 32, 5, 5], [-1, 32, 5, 5], [-1, 16, 15, 15], [-1, 16, 15, 15], [-1, 1, 28, 28], [-1, 1, 28, 28],
      ]);
      // 784·512+512 + 512·256+256 + 2·(256·50+50) + 50·256+256 + 256·512+512 + 512·784+784
      expect(count(vae)).toBe(401_920 + 131_328 + 2 * 12_850 + 13_056 + 131_584 + 402_192);
      expect(() => new AutoEncoder(0)).toThrow(/latentDim to be a positive integer.*got 0/);
      expect(() => new VAE({ xDim: 784, hDim1: 512, hDim2: 256, z_dim: 50 } as never)).toThrow(/unknown option 'z_dim'/);
      expect(() => conv(tensor([[1, 2]]))).toThrow(/expected 28×28 grey images \[N, 1, 28, 28\], got \[1, 2\]/);
      expect(() => vae(tensor([[1, 2]]))).toThrow(/VAE: expected images \[N, 1, 28, 28\] or rows \[N, 784\].*got \[1, 2\]/);
      expect(() => ae.encode(tensor([[1, 2]]))).toThrow(/AutoEncoder: expected 28×28 grey images \[N, 1, 28, 28\] or flat rows \[N, 784\], got \[1, 2\]/);
    } finally {
      for (const m of [ae, conv, vae]) m.dispose();
    }
  }));

  it.skipIf(missing !== null)('equal the book’s PyTorch modules: counts, state-dict keys and shapes, outputs on loaded weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch11-'));
    try {
      await tidy(async () => {
        const ref = JSON.parse(runPython(REFERENCE, [dir]).trim().split('\n').pop()!) as Record<string, { count: number; shapes: Record<string, number[]> }>;
        for (const latent of [2, 3, 5, 10, 50]) {
          const m = new AutoEncoder(latent);
          expect(count(m)).toBe(ref[`ae${latent}`]!.count);
          expect(shapes(m)).toEqual(ref[`ae${latent}`]!.shapes);
          expect(Object.keys(shapes(m))).toEqual(Object.keys(ref[`ae${latent}`]!.shapes));
          m.dispose();
        }
        expect(ref.ae3!.count).toBe(218_643);
        const load = async (m: AnyModule, name: string): Promise<Record<string, Tensor>> => {
          const { tensors: sd } = await loadSafetensors(join(dir, `${name}.safetensors`));
          expect(m.loadStateDict(sd, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
          for (const t of Object.values(sd)) t.dispose();
          return (await loadSafetensors(join(dir, `${name}_io.safetensors`))).tensors;
        };
        for (const latent of [3, 50]) {
          const m = new AutoEncoder(latent).eval();
          const io = await load(m, `ae${latent}`);
          const [y, code] = noGrad(() => [m(io.x!), m.encode(io.x!)]);
          expect(await maxDiff(y, io.y!)).toBeLessThan(1e-5);
          expect(await maxDiff(code, io.code!)).toBeLessThan(1e-5);
          m.dispose();
        }
        const conv = new ConvAutoEncoder().eval();
        expect(count(conv)).toBe(ref.conv!.count);
        expect(shapes(conv)).toEqual(ref.conv!.shapes);
        const cio = await load(conv, 'conv');
        expect(await maxDiff(noGrad(() => conv(cio.x!)), cio.y!)).toBeLessThan(1e-5);
        expect(await maxDiff(noGrad(() => conv.encoder.call(cio.x!) as Tensor), cio.code!)).toBeLessThan(1e-5);
        // the outputs vary, so the comparisons can fail
        const y = Array.from(await cio.y!.data());
        expect(Math.max(...y) - Math.min(...y)).toBeGreaterThan(0.01);
        conv.dispose();

        const vae = new VAE(784, 512, 256, 50).eval();
        expect(count(vae)).toBe(ref.vae!.count);
        expect(shapes(vae)).toEqual(ref.vae!.shapes);
        expect(Object.keys(shapes(vae))).toEqual(Object.keys(ref.vae!.shapes));
        const vio = await load(vae, 'vae');
        const [mean, logVar] = noGrad(() => vae.encoder(vio.x!.reshape([-1, 784])));
        expect(await maxDiff(mean, vio.mean!)).toBeLessThan(1e-5);
        expect(await maxDiff(logVar, vio.log_var!)).toBeLessThan(1e-5);
        const recon = noGrad(() => vae.decoder(vio.z!));
        expect(await maxDiff(recon, vio.recon!)).toBeLessThan(1e-5);
        const l = vaeLoss(recon, vio.x!, mean, logVar);
        for (const [mine, theirs] of [[l.loss, vio.loss!], [l.recon, vio.rec!], [l.kld, vio.kld!]] as const) {
          const want = (await theirs.data())[0]!;
          expect(Math.abs((await mine.item()) as number - want)).toBeLessThan(1e-4 * Math.abs(want) + 1e-3);
        }
        vae.dispose();
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('vaeLoss is the summed squared error plus −½Σ(1 + logVar − mean² − exp(logVar)), computed independently', async () => {
    const recon = [0.1, 0.9, 0.4, 0.3, 0.7, 0.2];
    const x = [0, 1, 0.5, 0.25, 1, 0];
    const mean = [0.5, -1, 0.2, 0];
    const logVar = [0, -0.5, 0.3, -2];
    let rec = 0;
    for (let i = 0; i < 6; i++) rec += (recon[i]! - x[i]!) ** 2;
    let kld = 0;
    for (let i = 0; i < 4; i++) kld += -0.5 * (1 + logVar[i]! - mean[i]! ** 2 - Math.exp(logVar[i]!));
    const l = vaeLoss(tensor([recon.slice(0, 3), recon.slice(3)]), tensor([x.slice(0, 3), x.slice(3)]), tensor([mean.slice(0, 2), mean.slice(2)]), tensor([logVar.slice(0, 2), logVar.slice(2)]));
    expect((await l.recon.item()) as number).toBeCloseTo(rec, 5);
    expect((await l.kld.item()) as number).toBeCloseTo(kld, 5);
    expect((await l.loss.item()) as number).toBeCloseTo(rec + kld, 5);
    expect(() => vaeLoss(tensor([[1, 2]]), tensor([[1, 2, 3]]), tensor([[0]]), tensor([[0]]))).toThrow(/vaeLoss: expected reconX \[N, D\] and x with N·D values/);
    // the reparameterisation: z = mean + ε·exp(½ logVar); with logVar → −∞ it is the mean
    const vae = new VAE(4, 3, 3, 2);
    const z = vae.sampling(tensor([[1, -2]]), tensor([[-80, -80]]));
    expect(await z.array()).toEqual([[1, -2]]);
    vae.dispose();
  });

  describe('on a tiny Fashion-MNIST subset', () => {
    let val: ImageSet;
    let valUnit: ImageSet;
    beforeAll(async () => {
      // the 10,000 test images load faster than the training split; the first 64 train, the next 64 validate
      val = await loadFashionImages({ train: false, limit: 128 });
      // the VAE's [0, 1] images from the same pixels (one load of the test split, not two)
      valUnit = tidy(() => ({ images: keep(val.images.add(1).div(2)), labels: keep(val.labels.clone()) }));
    }, 60_000);
    afterAll(() => {
      for (const t of [val?.images, val?.labels, valUnit?.images, valUnit?.labels]) t?.dispose();
    });
    const split = (s: ImageSet, from: number): ImageSet => ({ images: s.images.narrow(0, from, 64), labels: s.labels.narrow(0, from, 64) });

    it('the dense and convolutional autoencoders’ losses fall in a few AdamW steps; encodeDataset gives the codes', async () => {
      const before = await settledTensorCount();
      const train = split(val, 0);
      const held = split(val, 64);
      for (const build of [() => new AutoEncoder(10), () => new ConvAutoEncoder()]) {
        const m = seeded(0, build) as AutoEncoder | ConvAutoEncoder;
        const start = validationLoss(m, held);
        const h = trainAutoEncoder(m, train, held, { epochs: 4, batchSize: 16, lr: 3e-3 });
        expect(h.stepLosses.length).toBe(16);
        expect(h.epochs.length).toBe(4);
        const first = h.stepLosses.slice(0, 2).reduce((a, v) => a + v, 0) / 2;
        const last = h.stepLosses.slice(-2).reduce((a, v) => a + v, 0) / 2;
        expect(last).toBeLessThan(first * 0.8);
        expect(h.valLoss).toBeLessThan(start);
        const { latents, labels } = encodeDataset(m, held, { limit: 10, batchSize: 4 });
        expect(latents.shape).toEqual([10, m instanceof AutoEncoder ? 10 : 256]);
        expect(labels.arraySync()).toEqual((held.labels.arraySync() as number[]).slice(0, 10));
        // the same codes as one pass of the encoder
        const direct = tidy(() => keep(noGrad(() => m.encode(held.images.narrow(0, 0, 10)))));
        const a = latents.dataSync();
        const b = direct.dataSync();
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
        for (const t of [latents, labels, direct]) t.dispose();
        m.dispose();
      }
      for (const t of [train.images, train.labels, held.images, held.labels]) t.dispose();
      expect(await settledTensorCount()).toBe(before);
    }, 60_000);

    it('the VAE’s loss falls in a few steps', () => {
      const train = split(valUnit, 0);
      const held = split(valUnit, 64);
      manualSeed(0);
      const vae = new VAE({ xDim: 784, hDim1: 64, hDim2: 32, zDim: 8 });
      const h = trainVAE(vae, train, held, { epochs: 3, batchSize: 16, lr: 3e-3 });
      expect(h.stepLosses.length).toBe(12);
      const e = h.epochs;
      expect(e[2]!.trainLoss).toBeLessThan(e[0]!.trainLoss * 0.8);
      expect(e[2]!.valLoss).toBeLessThan(e[0]!.valLoss);
      for (const r of e) expect(r.trainLoss).toBeCloseTo(r.trainRecon + r.trainKld, 2);
      vae.dispose();
      for (const t of [train.images, train.labels, held.images, held.labels]) t.dispose();
    }, 60_000);
  });
});

describe('chapter 11: the programs', () => {
  it('parse their command lines and refuse bad arguments', () => {
    expect(parseChapter11Args(['--epochs', '3', '--limit', '500', '--val-limit', '100', '--latents', '2,50', '--seed', '1', '--out', 'x'])).toEqual({
      epochs: 3, train: 500, val: 100, latents: [2, 50], seed: 1, out: 'x',
    });
    expect(parseChapter11Args(['--no-conv'])).toEqual({ conv: false });
    expect(parseChapter11Args(['--help'])).toBeNull();
    expect(() => parseChapter11Args(['--epochs', 'two'])).toThrow(/--epochs: expected a positive integer, got two/);
    expect(() => parseChapter11Args(['--latents', '2,,5'])).toThrow(/--latents: expected comma-separated positive integers/);
    expect(() => parseChapter11Args(['--epoch', '1'])).toThrow(/Unknown option '--epoch'[\s\S]*usage:/);
    expect(parseVAEArgs(['--epochs', '10', '--limit', '60000', '--val-limit', '10000'])).toEqual({ epochs: 10, train: 60000, val: 10000 });
    expect(() => parseVAEArgs(['--limit', '0'])).toThrow(/--limit: expected a positive integer, got 0/);
  });

  it('the VAE run writes the prior-sample grid (8×8 tiles) and the reconstructions (inputs over outputs)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-ch11-vae-'));
    try {
      const data = imageSet(Float32Array.from({ length: 8 * 784 }, (_, i) => (i % 9) / 9), new Int32Array(8));
      const before = await settledTensorCount();
      const { result: r, leaks } = await withLeakWatch(() => runVAE({ train: data, val: data, epochs: 1, hDim1: 16, hDim2: 8, zDim: 2, out }));
      expect(leaks).toEqual([]);
      expect(await settledTensorCount()).toBe(before); // the program frees what it made, and only that
      expect([data.images.isDisposed, data.labels.isDisposed]).toEqual([false, false]);
      expect(r.pictures.map((p) => p.slice(out.length + 1))).toEqual(['vae-samples.png', 'vae-reconstructions.png']);
      const size = (p: string): number[] => {
        const png = readFileSync(p);
        return [png.readUInt32BE(16), png.readUInt32BE(20)];
      };
      expect(size(r.pictures[0]!)).toEqual([8 * 30 + 2, 8 * 30 + 2]);
      expect(size(r.pictures[1]!)).toEqual([8 * 30 + 2, 2 * 30 + 2]);
      for (const t of [data.images, data.labels]) t.dispose();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
