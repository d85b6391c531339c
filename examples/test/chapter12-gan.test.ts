// Chapter 12: the book's GAN and the conditional GAN. Parameter counts against the book's and
// against the same modules built in PyTorch (Debian's /usr/bin/python3: equal state-dict keys and
// shapes, equal outputs on the loaded weights), one discriminator and one generator step moving
// their losses the right way, the per-epoch grids, the Fashion-MNIST scaling and the command line.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Adam,
  BCELoss,
  encodeIdx,
  keep,
  loadSafetensors,
  manualSeed,
  noGrad,
  rand,
  randn,
  readImage,
  tensor,
  tidy,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';
import { BOOK_DISCRIMINATOR_PARAMETERS, BOOK_GENERATOR_PARAMETERS, Discriminator, formatGan, Generator, runGan } from '../src/chapter12/gan.js';
import { ConditionalDiscriminator, ConditionalGenerator, runConditionalGan } from '../src/chapter12/conditional-gan.js';
import { discriminatorTrainStep, generatorTrainStep, loadFashionMnistGanData } from '../src/chapter12/gan-utils.js';
import { parseGanArgs } from '../src/chapter12/cli.js';
import { settledTensorCount } from './settled-memory.js';

const PYTHON = '/usr/bin/python3';
const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
const torchMissing = ((): string | null => {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `${PYTHON} cannot import torch; install Debian's python3-torch (scripts/ensure-torch.sh)`;
  return null;
})();
if (torchMissing) console.warn(`skipping the PyTorch cross-checks of the chapter 12 GANs: ${torchMissing}`);

// The book's two networks (Chapter12/Handwritten_digit_generation_using_GAN.ipynb) and the
// conditional layout (label_emb = Embedding(10, 10) concatenated to the input), in PyTorch; the
// state dicts, inputs and eval-mode outputs are written as safetensors (written by hand: no
// safetensors package needed).
const DEFINITIONS = String.raw`
import json, struct, sys, torch, torch.nn as nn
def save(path, tensors):
    names = {torch.float32: 'F32', torch.int32: 'I32'}
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        b = t.detach().contiguous().numpy().tobytes()
        header[k] = {'dtype': names[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs: f.write(b)
def d_layers(n_in):
    return nn.Sequential(nn.Linear(n_in, 1024), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(1024, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
                         nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(256, 1), nn.Sigmoid())
def g_layers(n_in):
    return nn.Sequential(nn.Linear(n_in, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2), nn.Linear(512, 1024), nn.LeakyReLU(0.2),
                         nn.Linear(1024, 784), nn.Tanh())
class Discriminator(nn.Module):
    def __init__(self):
        super().__init__(); self.model = d_layers(784)
    def forward(self, x): return self.model(x)
class Generator(nn.Module):
    def __init__(self):
        super().__init__(); self.model = g_layers(100)
    def forward(self, x): return self.model(x)
class ConditionalDiscriminator(nn.Module):
    def __init__(self):
        super().__init__(); self.label_emb = nn.Embedding(10, 10); self.model = d_layers(794)
    def forward(self, x, labels): return self.model(torch.cat([x, self.label_emb(labels)], 1))
class ConditionalGenerator(nn.Module):
    def __init__(self):
        super().__init__(); self.label_emb = nn.Embedding(10, 10); self.model = g_layers(110)
    def forward(self, z, labels): return self.model(torch.cat([z, self.label_emb(labels)], 1))
out = sys.argv[1]
`;
const REFERENCE = String.raw`
torch.manual_seed(0)
info = {}
x = torch.rand(5, 784) * 2 - 1
z = torch.randn(5, 100)
labels = torch.tensor([0, 3, 9, 3, 7])
io = {'x': x, 'z': z, 'labels': labels.int()}
for name, m, args in [('d', Discriminator(), (x,)), ('g', Generator(), (z,)), ('cd', ConditionalDiscriminator(), (x, labels)), ('cg', ConditionalGenerator(), (z, labels))]:
    m.eval()
    with torch.no_grad():
        io[name] = m(*args)
    save(out + '/' + name + '.safetensors', m.state_dict())
    info[name] = {'count': sum(p.numel() for p in m.parameters()), 'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()]}
save(out + '/io.safetensors', io)
print(json.dumps(info))
`;

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('chapter 12: the book’s GAN and the conditional GAN', () => {
  it('have the book’s parameter counts (the conditional ones: the book’s plus the label embedding and inputs)', () => {
    const nets = [new Discriminator(), new Generator(), new ConditionalDiscriminator(), new ConditionalGenerator()];
    try {
      expect(nets.map(count)).toEqual([
        BOOK_DISCRIMINATOR_PARAMETERS,
        BOOK_GENERATOR_PARAMETERS,
        // Embedding(10, 10) and Linear(794, 1024) instead of Linear(784, 1024)
        BOOK_DISCRIMINATOR_PARAMETERS + 10 * 10 + 10 * 1024,
        // Embedding(10, 10) and Linear(110, 256) instead of Linear(100, 256)
        BOOK_GENERATOR_PARAMETERS + 10 * 10 + 10 * 256,
      ]);
      expect([BOOK_DISCRIMINATOR_PARAMETERS, BOOK_GENERATOR_PARAMETERS]).toEqual([1_460_225, 1_486_352]);
      tidy(() => {
        expect(() => (nets[0] as Discriminator)(randn([2, 28, 28]))).toThrow(/expected flat 28×28 images \[N, 784\], got \[2, 28, 28\]/);
        expect(() => (nets[3] as ConditionalGenerator)(randn([2, 100]), tensor([1, 2]))).toThrow(/expected int32 class labels \[2\].*got float32 \[2\]/);
      });
    } finally {
      for (const m of nets) m.dispose();
    }
  });

  it.skipIf(torchMissing !== null)('equal PyTorch’s modules: counts, state-dict keys and shapes, outputs on the loaded weights', async () => {
    const before = await settledTensorCount();
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch12-'));
    try {
      const r = spawnSync(PYTHON, ['-c', DEFINITIONS + REFERENCE, dir], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
      const info = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { count: number; keys: [string, number[]][] }>;
      const { tensors: io } = await loadSafetensors(join(dir, 'io.safetensors'));
      const nets: [string, AnyModule, Tensor[]][] = [
        ['d', new Discriminator(), [io.x!]],
        ['g', new Generator(), [io.z!]],
        ['cd', new ConditionalDiscriminator(), [io.x!, io.labels!]],
        ['cg', new ConditionalGenerator(), [io.z!, io.labels!]],
      ];
      for (const [name, m, inputs] of nets) {
        expect(count(m)).toBe(info[name]!.count);
        const mine = m.stateDict();
        expect(Object.entries(mine).map(([k, v]) => [k, [...v.shape]])).toEqual(info[name]!.keys);
        for (const t of Object.values(mine)) t.dispose();
        const { tensors: sd } = await loadSafetensors(join(dir, `${name}.safetensors`));
        expect(m.loadStateDict(sd, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
        for (const t of Object.values(sd)) t.dispose();
        m.eval();
        const y = tidy(() => noGrad(() => (m as unknown as (...xs: Tensor[]) => Tensor)(...inputs)));
        expect(await maxDiff(y, io[name]!)).toBeLessThan(1e-5);
        // the outputs vary from sample to sample: the comparison can fail
        const want = Array.from(await io[name]!.data());
        expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(1e-3);
        y.dispose();
        m.dispose();
      }
      for (const t of Object.values(io)) t.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await settledTensorCount()).toBe(before);
  }, 120_000);

  // ROUNDS rounds from one start, twice: with the discriminator in eval mode (no dropout) and in
  // training mode, where both sides reseed their generator (manualSeed(5) / torch.manual_seed(5))
  // before the first round, so tensorgrad's Dropout draws PyTorch's masks and the two runs compute
  // the same thing — dropout's masks, scaling and masked gradients included.
  const ROUNDS = 6;
  it.skipIf(torchMissing !== null)(`${ROUNDS} rounds of the book’s D and G steps give PyTorch’s losses and weights (same start, batches and noise; dropout off and on)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch12-steps-'));
    try {
      const script =
        DEFINITIONS +
        String.raw`
torch.manual_seed(3)
D, G = Discriminator(), Generator()
save(out + '/d0.safetensors', D.state_dict()); save(out + '/g0.safetensors', G.state_dict())
R = ${ROUNDS}
real = [torch.rand(16, 784) * 2 - 1 for _ in range(R)]
z = [torch.randn(16, 100) for _ in range(2 * R)]
batches = {}
for k in range(R): batches['real%d' % k] = real[k]
for k in range(2 * R): batches['z%d' % k] = z[k]
save(out + '/batches.safetensors', batches)
# copies: a state dict holds the parameters themselves, which the first run updates in place
d0 = {k: v.clone() for k, v in D.state_dict().items()}; g0 = {k: v.clone() for k, v in G.state_dict().items()}
loss = nn.BCELoss()
result = {}
for mode in ['eval', 'train']:
    D.load_state_dict(d0); G.load_state_dict(g0); D.train(mode == 'train')
    d_opt = torch.optim.Adam(D.parameters(), lr=0.0002); g_opt = torch.optim.Adam(G.parameters(), lr=0.0002)
    torch.manual_seed(5)
    losses = []
    for k in range(R):
        fake = G(z[2 * k]).detach()
        d_opt.zero_grad()
        er = loss(D(real[k]), torch.ones(16, 1)); er.backward()
        ef = loss(D(fake), torch.zeros(16, 1)); ef.backward()
        d_opt.step()
        g_opt.zero_grad()
        eg = loss(D(G(z[2 * k + 1])), torch.ones(16, 1)); eg.backward()
        g_opt.step()
        losses.append([(er + ef).item(), eg.item()])
    save(out + '/d-' + mode + '.safetensors', D.state_dict()); save(out + '/g-' + mode + '.safetensors', G.state_dict())
    result[mode] = losses
print(json.dumps(result))
`.replace('${ROUNDS}', String(ROUNDS));
      const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
      const want = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<'eval' | 'train', [number, number][]>;
      const load = async (name: string): Promise<Record<string, Tensor>> => (await loadSafetensors(join(dir, `${name}.safetensors`))).tensors;
      const b = await load('batches');
      for (const mode of ['eval', 'train'] as const) {
        const discriminator = new Discriminator().train(mode === 'train');
        const generator = new Generator();
        for (const [m, name] of [[discriminator, 'd0'], [generator, 'g0']] as const) {
          const sd = await load(name);
          m.loadStateDict(sd);
          for (const t of Object.values(sd)) t.dispose();
        }
        const dOptimizer = new Adam(discriminator.parameters(), { lr: 0.0002 });
        const gOptimizer = new Adam(generator.parameters(), { lr: 0.0002 });
        const gan = { discriminator, dOptimizer, gOptimizer, loss: new BCELoss() };
        manualSeed(5);
        const got: [number, number][] = [];
        for (let k = 0; k < ROUNDS; k++) {
          const fake = tidy(() => generator(b[`z${2 * k}`]!).detach());
          const dLoss = discriminatorTrainStep(gan, b[`real${k}`]!, fake);
          fake.dispose();
          const gLoss = tidy(() => generatorTrainStep(gan, generator(b[`z${2 * k + 1}`]!)));
          got.push([dLoss, gLoss]);
        }
        got.flat().forEach((v, i) => expect(v, `${mode} loss ${i}`).toBeCloseTo(want[mode].flat()[i]!, 4));
        for (const [m, name] of [[discriminator, `d-${mode}`], [generator, `g-${mode}`]] as const) {
          const sd = await load(name);
          const mine = m.stateDict();
          for (const k of Object.keys(sd)) expect(await maxDiff(mine[k]!, sd[k]!), `${name} ${k}`).toBeLessThan(1e-5);
          for (const t of [...Object.values(sd), ...Object.values(mine)]) t.dispose();
        }
        dOptimizer.dispose();
        gOptimizer.dispose();
        discriminator.dispose();
        generator.dispose();
      }
      // dropout changes the run: the comparison in training mode is not the eval one again
      expect(Math.abs(want.train[0]![0] - want.eval[0]![0])).toBeGreaterThan(1e-3);
      for (const t of Object.values(b)) t.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('one discriminator step lowers its loss on the batch, one generator step lowers the generator’s; each moves only its own network', async () => {
    manualSeed(1);
    const before = await settledTensorCount();
    const discriminator = new Discriminator().eval(); // no dropout: the losses before and after compare
    const generator = new Generator();
    const dOptimizer = new Adam(discriminator.parameters(), { lr: 0.0002 });
    const gOptimizer = new Adam(generator.parameters(), { lr: 0.0002 });
    const gan = { discriminator, dOptimizer, gOptimizer, loss: new BCELoss() };
    const real = tidy(() => keep(rand([16, 784]).mul(2).sub(1)));
    const z = randn([16, 100]);
    // the BCE written out: -mean(log D(real)) - mean(log(1 - D(fake)))
    const dLossByHand = (): number =>
      tidy(() => {
        const fake = generator(z);
        const pr = discriminator(real);
        const pf = discriminator(fake);
        return pr.log().mean().neg().sub(pf.neg().add(1).log().mean()).itemSync() as number;
      });
    const gLossByHand = (): number => tidy(() => discriminator(generator(z)).log().mean().neg().itemSync() as number);
    const snapshot = (m: AnyModule): number[] => Array.from(m.parameters()[0]!.dataSync().subarray(0, 50));
    try {
      const d0 = dLossByHand();
      const g0 = gLossByHand();
      const gBefore = snapshot(generator);
      const fake = tidy(() => generator(z).detach());
      const dLoss = discriminatorTrainStep(gan, real, fake);
      fake.dispose();
      expect(dLoss).toBeCloseTo(d0, 5); // the loss of the batch before the step, as the book returns it
      const d1 = dLossByHand();
      expect(d1).toBeLessThan(d0 - 1e-3);
      expect(snapshot(generator)).toEqual(gBefore);
      const g1 = gLossByHand();
      expect(g1).not.toBe(g0); // the generator's loss depends on the discriminator just trained
      const dBefore = snapshot(discriminator);
      const gLoss = tidy(() => generatorTrainStep(gan, generator(z)));
      expect(gLoss).toBeCloseTo(g1, 5);
      const g2 = gLossByHand();
      expect(g2).toBeLessThan(g1 - 1e-3);
      expect(snapshot(discriminator)).toEqual(dBefore);
    } finally {
      for (const t of [real, z]) t.dispose();
      dOptimizer.dispose();
      gOptimizer.dispose();
      discriminator.dispose();
      generator.dispose();
    }
    expect(await settledTensorCount()).toBe(before);
  });

  it('trains for an epoch of a tiny set and writes one grid per epoch (8×8 samples; the conditional: 10 classes × 8)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-ch12-grid-'));
    manualSeed(2);
    const before = await settledTensorCount();
    const data = { images: tidy(() => keep(rand([8, 1, 28, 28]).mul(2).sub(1))), labels: tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' }) };
    try {
      const lines: string[] = [];
      const r = await runGan({ data, epochs: 2, batchSize: 4, out: join(out, 'gan'), log: (l) => lines.push(l) });
      expect(r.steps.length).toBe(4);
      expect(r.history.map((e) => e.steps)).toEqual([2, 2]);
      for (const s of r.steps) {
        // ln 2 ≈ 0.69 per BCE term at the start: D's two terms near 1.39, G's near 0.69
        expect(s.dLoss).toBeGreaterThan(0.8);
        expect(s.dLoss).toBeLessThan(2.2);
        expect(s.gLoss).toBeGreaterThan(0.3);
        expect(s.gLoss).toBeLessThan(1.2);
      }
      expect(r.history[0]!.means.dLoss).toBeCloseTo((r.steps[0]!.dLoss + r.steps[1]!.dLoss) / 2, 10);
      expect(lines[0]).toContain('Linear-1');
      expect(lines[0]).toContain('Total params: 1,460,225');
      expect(lines[0]).toContain('Total params: 1,486,352');
      expect(r.grids).toEqual([join(out, 'gan', 'epoch-001.png'), join(out, 'gan', 'epoch-002.png')]);
      const grid = await readImage(r.grids[1]!);
      expect(grid.shape).toEqual([3, 8 * 30 + 2, 8 * 30 + 2]);
      // generated pixels, not a blank image
      let [lo, hi] = [255, 0];
      for (const v of grid.dataSync()) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      expect(hi - lo).toBeGreaterThan(100);
      grid.dispose();
      expect(formatGan(r)).toContain('Discriminator: 1,460,225 parameters (the book: 1,460,225)');

      const c = await runConditionalGan({ data, epochs: 1, batchSize: 4, out: join(out, 'cgan') });
      expect(c.steps.length).toBe(2);
      expect(c.summaries.discriminator.totalParams).toBe(1_470_565);
      expect(c.summaries.generator.totalParams).toBe(1_489_012);
      const cgrid = await readImage(c.grids[0]!);
      expect(cgrid.shape).toEqual([3, 10 * 30 + 2, 8 * 30 + 2]);
      cgrid.dispose();
    } finally {
      data.images.dispose();
      data.labels.dispose();
      rmSync(out, { recursive: true, force: true });
    }
    expect(await settledTensorCount()).toBe(before);
  }, 60_000);

  it('scales Fashion-MNIST pixels to [-1, 1] as the book’s Normalize((0.5,), (0.5,)), keeping the labels', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tensorgrad-ch12-fmnist-'));
    try {
      const pixels = new Uint8Array(3 * 784);
      pixels[0] = 255;
      pixels[1] = 51;
      pixels[784] = 102;
      writeFileSync(join(root, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx(pixels, [3, 28, 28])));
      writeFileSync(join(root, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx(new Uint8Array([9, 0, 3]), [3])));
      const { images, labels } = await loadFashionMnistGanData({ root, limit: 2 });
      expect(images.shape).toEqual([2, 1, 28, 28]);
      const v = images.dataSync();
      expect([v[0], v[1], v[2], v[784]].map((x) => Number(x!.toFixed(5)))).toEqual([1, -0.6, -1, -0.2]);
      expect(Array.from(labels.dataSync())).toEqual([9, 0]);
      images.dispose();
      labels.dispose();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('parses its command line and refuses bad arguments', () => {
    expect(parseGanArgs(['--epochs', '3', '--limit', '6000', '--batch-size', '64', '--lr', '0.001', '--seed', '4', '--max-steps', '9', '--out', 'x'], 'USAGE')).toEqual({
      epochs: 3,
      limit: 6000,
      batchSize: 64,
      lr: 0.001,
      seed: 4,
      maxSteps: 9,
      out: 'x',
    });
    expect(parseGanArgs(['--help'], 'USAGE')).toBeNull();
    expect(() => parseGanArgs(['--epochs', 'two'], 'USAGE')).toThrow(/--epochs: expected an integer ≥ 1, got two\nUSAGE/);
    expect(() => parseGanArgs(['--lr', '0'], 'USAGE')).toThrow(/--lr: expected a positive number, got 0/);
    expect(() => parseGanArgs(['--epoch', '1'], 'USAGE')).toThrow(/Unknown option '--epoch'.*\nUSAGE/s);
  });
});
