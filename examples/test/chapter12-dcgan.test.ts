// Chapter 12 DCGAN: the book's parameter counts, the same networks built in PyTorch (state-dict
// keys and shapes, outputs on the loaded weights in eval and train mode), the book's
// weights_init statistics, one training step, and the command line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, manualSeed, noGrad, rand, randn, readImage, tidy, zeros, type AnyModule, type BatchNorm2d, type ConvTranspose2d, type Tensor } from 'tensorgrad';
import { saveEpochGrid } from '../src/chapter12/gan-utils.js';
import { dcganParts, dcganTrainStep, Discriminator, Generator, trainDcgan, weightsInit, type DcganSize } from '../src/chapter12/dcgan.js';
import { parseDcganArgs } from '../src/chapter12/dcgan-main.js';
import { settledTensorCount } from './settled-memory.js';

const PYTHON = '/usr/bin/python3';
const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);

function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `${PYTHON} cannot import torch; install Debian's python3-torch (scripts/ensure-torch.sh)`;
  return null;
}
const missing = torchMissing();
if (missing) console.warn(`skipping the PyTorch cross-checks of the DCGAN: ${missing}`);

// The book's networks written in PyTorch from the notebook's layer lists, and the 28×28 variant
// with the same design; saves the state dicts, inputs and outputs as safetensors by hand.
const DEFINITIONS = `
import json, struct, sys, torch, torch.nn as nn
def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        b = t.detach().contiguous().float().numpy().tobytes() if t.dtype != torch.int64 else t.numpy().tobytes()
        header[k] = {'dtype': 'I64' if t.dtype == torch.int64 else 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs: f.write(b)
def disc(size, c, f):
    blk = lambda i, o, k: [nn.Conv2d(i, o, k, 2, 1, bias=False), nn.BatchNorm2d(o), nn.LeakyReLU(0.2)]
    if size == 64:
        layers = [nn.Conv2d(c, f, 4, 2, 1, bias=False), nn.LeakyReLU(0.2), *blk(f, 2*f, 4), *blk(2*f, 4*f, 4), *blk(4*f, 8*f, 4), nn.Conv2d(8*f, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
    else:
        layers = [nn.Conv2d(c, f, 4, 2, 1, bias=False), nn.LeakyReLU(0.2), *blk(f, 2*f, 4), *blk(2*f, 4*f, 3), nn.Conv2d(4*f, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
    m = nn.Module(); m.model = nn.Sequential(*layers); return m
def gen(size, c, f, nz=100):
    blk = lambda i, o, k, s, p: [nn.ConvTranspose2d(i, o, k, s, p, bias=False), nn.BatchNorm2d(o), nn.ReLU(True)]
    if size == 64:
        layers = [*blk(nz, 8*f, 4, 1, 0), *blk(8*f, 4*f, 4, 2, 1), *blk(4*f, 2*f, 4, 2, 1), *blk(2*f, f, 4, 2, 1), nn.ConvTranspose2d(f, c, 4, 2, 1, bias=False), nn.Tanh()]
    else:
        layers = [*blk(nz, 4*f, 4, 1, 0), *blk(4*f, 2*f, 3, 2, 1), *blk(2*f, f, 4, 2, 1), nn.ConvTranspose2d(f, c, 4, 2, 1, bias=False), nn.Tanh()]
    m = nn.Module(); m.model = nn.Sequential(*layers); return m
`;
const REFERENCE = `${DEFINITIONS}
size, c, f, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.manual_seed(0)
report = {}
for name, m, x in [('d', disc(size, c, f), torch.randn(2, c, size, size).clamp(-1, 1)), ('g', gen(size, c, f), torch.randn(2, 100, 1, 1))]:
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.1, 0.1); mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5); mod.bias.uniform_(-0.1, 0.1)
    sd = m.state_dict()
    save(f'{out}/{name}-sd.safetensors', sd)
    m.eval()
    with torch.no_grad(): y_eval = m.model(x)
    m.train()
    with torch.no_grad(): y_train = m.model(x)
    save(f'{out}/{name}-io.safetensors', {'x': x, 'y_eval': y_eval, 'y_train': y_train})
    report[name] = {'count': sum(p.numel() for p in m.parameters()), 'keys': [[k, list(v.shape)] for k, v in sd.items()]}
print(json.dumps(report))
`;

// The book's training loop in PyTorch, step for step: its weights_init, BCELoss, Adam(lr 0.0002,
// betas (0.5, 0.999)), discriminator_train_step and generator_train_step as in the notebook
// (predictions squeezed against torch.ones/zeros(len(data)), the fake data of the discriminator
// step detached, both networks in training mode). Saves the initial state dicts, the real batches
// and the noise, the losses after every step and the final state dicts.
const LOCKSTEP = `${DEFINITIONS}
size, c, f, batch, steps, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)
torch.manual_seed(1)
discriminator, generator = disc(size, c, f), gen(size, c, f)
discriminator.apply(weights_init); generator.apply(weights_init)
save(f'{out}/d0.safetensors', discriminator.state_dict()); save(f'{out}/g0.safetensors', generator.state_dict())
real = torch.rand(steps, batch, c, size, size) * 2 - 1
z_d, z_g = torch.randn(steps, batch, 100, 1, 1), torch.randn(steps, batch, 100, 1, 1)
loss = nn.BCELoss()
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))
g_optimizer = torch.optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
def discriminator_train_step(real_data, fake_data):
    d_optimizer.zero_grad()
    prediction_real = discriminator.model(real_data)
    error_real = loss(prediction_real.squeeze(), torch.ones(len(real_data)))
    error_real.backward()
    prediction_fake = discriminator.model(fake_data)
    error_fake = loss(prediction_fake.squeeze(), torch.zeros(len(fake_data)))
    error_fake.backward()
    d_optimizer.step()
    return error_real + error_fake
def generator_train_step(fake_data):
    g_optimizer.zero_grad()
    prediction = discriminator.model(fake_data)
    error = loss(prediction.squeeze(), torch.ones(len(fake_data)))
    error.backward()
    g_optimizer.step()
    return error
losses = []
for i in range(steps):
    real_data = real[i]
    fake_data = generator.model(z_d[i]).detach()
    d_loss = discriminator_train_step(real_data, fake_data)
    fake_data = generator.model(z_g[i])
    g_loss = generator_train_step(fake_data)
    losses.append([d_loss.item(), g_loss.item()])
save(f'{out}/data.safetensors', {'real': real, 'z_d': z_d, 'z_g': z_g})
save(f'{out}/d1.safetensors', discriminator.state_dict()); save(f'{out}/g1.safetensors', generator.state_dict())
print(json.dumps(losses))
`;

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('chapter 12: DCGAN', () => {
  // the book's 64×64 networks, built once (6.3 M parameters): counted, their initialisation
  // checked, then overwritten with PyTorch's weights by the 64×64 comparison, in that order
  let d64: Discriminator;
  let g64: Generator;
  beforeAll(() => {
    d64 = new Discriminator();
    g64 = new Generator();
  });
  afterAll(() => {
    d64?.dispose();
    g64?.dispose();
  });

  it('has the book’s parameter counts at 64×64 and the stated ones at 28×28, and checks its inputs', () => {
    const [d, g] = [d64, g64];
    // the book's torchsummary: Total params 2,765,568 and 3,576,704
    expect([count(d), count(g)]).toEqual([2_765_568, 3_576_704]);
    // the book's layers: no bias in any convolution
    expect(d.namedParameters().filter(([k]) => k.endsWith('bias')).map(([k]) => k)).toEqual(['model.3.bias', 'model.6.bias', 'model.9.bias']);
    expect(() => tidy(() => d(zeros([1, 1, 64, 64])))).toThrow(/expected images \[N, 3, 64, 64\], got \[1, 1, 64, 64\]/);
    expect(() => tidy(() => g(zeros([1, 100])))).toThrow(/expected noise \[N, 100, 1, 1\], got \[1, 100\]/);
    const ds = new Discriminator({ size: 28 });
    const gs = new Generator({ size: 28 });
    expect([count(ds), count(gs)]).toEqual([109_440, 312_256]);
    ds.dispose();
    gs.dispose();
    expect(() => new Generator({ size: 32 as DcganSize })).toThrow(/expected size 64 .* or 28 .*, got 32/);
    expect(() => new Generator({ nz: 100 } as never)).toThrow(/unknown option 'nz'/);
  });

  it('weights_init: convolution weights ~ N(0, 0.02), batch-norm weights ~ N(1, 0.02) and zero biases', async () => {
    const g = g64;
    // model.3: ConvTranspose2d(512, 256, 4, 4): 2,097,152 weights
    const w = g.model.at(3) as ConvTranspose2d;
    const v = await w.weight.data();
    let s = 0;
    let ss = 0;
    for (const x of v) s += x;
    const mean = s / v.length;
    for (const x of v) ss += (x - mean) ** 2;
    const std = Math.sqrt(ss / v.length);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.abs(std - 0.02)).toBeLessThan(2e-4);
    const bn = g.model.at(1) as BatchNorm2d;
    const bw = Array.from(await bn.weight!.data());
    const bmean = bw.reduce((a, x) => a + x, 0) / bw.length;
    expect(Math.abs(bmean - 1)).toBeLessThan(0.01);
    expect(Math.max(...bw) - Math.min(...bw)).toBeGreaterThan(0.02); // not all ones: drawn
    expect(Array.from(await bn.bias!.data()).every((x) => x === 0)).toBe(true);
    // a module that is neither a convolution nor a batch norm is left alone
    expect(() => weightsInit(g.model.at(2) as AnyModule)).not.toThrow();
  });

  for (const size of [64, 28] as const) {
    it.skipIf(missing !== null)(`${size}×${size}: state-dict keys, shapes, counts and eval/train outputs equal PyTorch's on loaded weights`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-dcgan-'));
      const [c, f] = size === 64 ? [3, 64] : [1, 32];
      try {
        const r = spawnSync(PYTHON, ['-c', REFERENCE, String(size), String(c), String(f), dir], { encoding: 'utf8', timeout: 120_000 });
        if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
        const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<'d' | 'g', { count: number; keys: [string, number[]][] }>;
        for (const [name, m] of [
          ['d', size === 64 ? d64 : new Discriminator({ size })],
          ['g', size === 64 ? g64 : new Generator({ size })],
        ] as const) {
          expect(count(m)).toBe(ref[name].count);
          const mine = m.stateDict();
          expect(Object.entries(mine).map(([k, t]) => [k, t.shape])).toEqual(ref[name].keys);
          for (const t of Object.values(mine)) t.dispose();
          const { tensors: sd } = await loadSafetensors(join(dir, `${name}-sd.safetensors`));
          // num_batches_tracked is int64 in PyTorch; tensorgrad loads it too
          expect(m.loadStateDict(sd, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
          for (const t of Object.values(sd)) t.dispose();
          const { tensors: io } = await loadSafetensors(join(dir, `${name}-io.safetensors`));
          const yEval = tidy(() => noGrad(() => m.eval()(io.x!)));
          expect(await maxDiff(yEval, io.y_eval!)).toBeLessThan(1e-4);
          const yTrain = tidy(() => noGrad(() => m.train()(io.x!)));
          expect(await maxDiff(yTrain, io.y_train!)).toBeLessThan(1e-4);
          // the outputs vary, so the comparison can fail
          const want = Array.from(await io.y_train!.data());
          expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.05);
          for (const t of [yEval, yTrain, ...Object.values(io)]) t.dispose();
          if (size !== 64) m.dispose();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }

  it.skipIf(missing !== null)('28×28: three training steps in lock-step with PyTorch (the losses of every step, then every parameter and batch-norm statistic)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-dcgan-lockstep-'));
    const [features, batch, steps] = [8, 8, 3];
    const before = await settledTensorCount();
    const discriminator = new Discriminator({ size: 28, features });
    const generator = new Generator({ size: 28, features });
    const gan = dcganParts(discriminator, generator);
    let disposed = false;
    const dispose = (): void => {
      if (disposed) return;
      disposed = true;
      gan.dOptimizer.dispose();
      gan.gOptimizer.dispose();
      discriminator.dispose();
      generator.dispose();
    };
    try {
      const r = spawnSync(PYTHON, ['-c', LOCKSTEP, '28', '1', String(features), String(batch), String(steps), dir], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
      const want = JSON.parse(r.stdout.trim().split('\n').pop()!) as [number, number][];
      for (const [net, file] of [[discriminator, 'd0'], [generator, 'g0']] as const) {
        const { tensors } = await loadSafetensors(join(dir, `${file}.safetensors`));
        expect(net.loadStateDict(tensors, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
        for (const t of Object.values(tensors)) t.dispose();
      }
      const { tensors: data } = await loadSafetensors(join(dir, 'data.safetensors'));
      const got: number[][] = [];
      for (let i = 0; i < steps; i++) {
        const step = tidy(() => dcganTrainStep(gan, generator, data.real!.select(0, i), data.z_d!.select(0, i), data.z_g!.select(0, i)));
        got.push([step.dLoss, step.gLoss]);
      }
      for (const t of Object.values(data)) t.dispose();
      // float32 through three Adam steps: 1e-5 relative per step on the losses
      for (let i = 0; i < steps; i++) {
        for (let k = 0; k < 2; k++) expect(Math.abs(got[i]![k]! - want[i]![k]!)).toBeLessThan(1e-5 * (i + 1) * Math.abs(want[i]![k]!));
      }
      // the losses move, so equal losses are not a coincidence of untrained networks
      expect(Math.abs(want[2]![1]! - want[0]![1]!)).toBeGreaterThan(1e-3);
      for (const [net, start, end] of [[discriminator, 'd0', 'd1'], [generator, 'g0', 'g1']] as const) {
        const { tensors: sd0 } = await loadSafetensors(join(dir, `${start}.safetensors`));
        const { tensors: sd1 } = await loadSafetensors(join(dir, `${end}.safetensors`));
        const mine = net.stateDict();
        expect(Object.keys(mine)).toEqual(Object.keys(sd1));
        for (const [key, t] of Object.entries(mine)) {
          const x = await t.data();
          const y = await sd1[key]!.data();
          const y0 = await sd0[key]!.data();
          // how far PyTorch moved the tensor in three steps, and how far apart the two are
          let moved = 0;
          let apart = 0;
          let scale = 0;
          for (let j = 0; j < y.length; j++) {
            moved = Math.max(moved, Math.abs(Number(y[j]!) - Number(y0[j]!)));
            apart = Math.max(apart, Math.abs(Number(x[j]!) - Number(y[j]!)));
            scale = Math.max(scale, Math.abs(Number(y[j]!)));
          }
          expect(moved, `${key} changed in PyTorch`).toBeGreaterThan(0);
          // measured: at most 4e-7 apart (the generator's first layer), 6e-8 elsewhere, for moves of 6e-4
          expect(apart, `${key}: |tensorgrad - PyTorch| after ${steps} steps (PyTorch moved it by ${moved})`).toBeLessThanOrEqual(1e-4 * scale + 1e-7);
          expect(apart, `${key}: within 1% of PyTorch's move`).toBeLessThanOrEqual(0.01 * moved);
        }
        for (const t of [...Object.values(mine), ...Object.values(sd0), ...Object.values(sd1)]) t.dispose();
      }
      dispose();
      expect(await settledTensorCount()).toBe(before);
    } finally {
      dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('grids: eval mode (the book’s) draws each sample alone, train mode with its batch’s statistics and leaves the running statistics as they were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-dcgan-grid-'));
    manualSeed(3);
    const g = new Generator({ size: 28, features: 4 });
    const z = randn([4, 100, 1, 1]);
    const z2 = tidy(() => z.narrow(0, 0, 2).contiguous());
    try {
      // running statistics away from their initial zeros and ones
      tidy(() => noGrad(() => g(randn([8, 100, 1, 1]).mul(3))));
      const buffers = async (): Promise<number[][]> => Promise.all(g.buffers().map(async (b) => Array.from(await b.data(), Number)));
      const before = await buffers();
      // the first tile (rows and columns 2–29 of the grid, fixed [-1, 1] scaling) for a batch of 4 and of 2
      const tile = async (noise: Tensor, mode: 'eval' | 'train', name: string): Promise<number[]> => {
        const path = await saveEpochGrid(g, noise, join(dir, name), { imageShape: [1, 28, 28], scale: 'tanh', mode });
        const img = await readImage(path);
        const px = tidy(() => img.narrow(1, 2, 28).narrow(2, 2, 28).contiguous());
        const out = Array.from(await px.data(), Number);
        img.dispose();
        px.dispose();
        return out;
      };
      const eval4 = await tile(z, 'eval', 'e4.png');
      const eval2 = await tile(z2, 'eval', 'e2.png');
      const train4 = await tile(z, 'train', 't4.png');
      const train2 = await tile(z2, 'train', 't2.png');
      expect(eval2).toEqual(eval4);
      expect(train2).not.toEqual(train4);
      expect(train4).not.toEqual(eval4);
      expect(await buffers()).toEqual(before);
      expect(g.training).toBe(true);
      await expect(saveEpochGrid(g, z, join(dir, 'x.png'), { mode: 'test' as 'eval' })).rejects.toThrow(/expected mode 'eval' or 'train', got test/);
    } finally {
      g.dispose();
      z.dispose();
      z2.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one training step on a few images runs, updates both networks and writes the grid', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-dcgan-train-'));
    const images = tidy(() => rand([16, 1, 28, 28]).mul(2).sub(1));
    const before = await settledTensorCount();
    try {
      const r = await trainDcgan({ images, size: 28, features: 8, epochs: 2, batchSize: 8, maxSteps: 3, out, gridSamples: 16, gridMode: 'both' });
      expect(r.steps.length).toBe(3);
      expect(r.history.map((e) => e.epoch)).toEqual([1, 2]);
      for (const s of r.steps) {
        // BCE of a sigmoid output: finite and positive; the discriminator's is a sum of two
        expect(s.dLoss).toBeGreaterThan(0);
        expect(s.gLoss).toBeGreaterThan(0);
        expect(Number.isFinite(s.dLoss + s.gLoss)).toBe(true);
      }
      // the networks change between steps: the generator's loss differs step to step
      expect(new Set(r.steps.map((s) => s.gLoss)).size).toBe(3);
      expect(r.parameters).toEqual({ discriminator: 8 * 16 + 8 * 16 * 16 + 32 + 16 * 32 * 9 + 64 + 32 * 16, generator: 100 * 32 * 16 + 64 + 32 * 16 * 9 + 32 + 16 * 8 * 16 + 16 + 8 * 16 });
      expect(r.summaries.discriminator.totalParams).toBe(r.parameters.discriminator);
      expect(r.summaries.generator.text).toContain('ConvTranspose2d');
      // the grid: 16 samples, 8 per row, 28×28 tiles with padding 2
      const png = readFileSync(r.history[0]!.grid!);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([8 * 30 + 2, 2 * 30 + 2]);
      // gridMode 'both': the book's eval-mode grid and a train-mode one beside it
      expect(r.history.map((e) => [e.grid, e.trainGrid])).toEqual([1, 2].map((e) => [join(out, `epoch-0${e}.png`), join(out, `epoch-0${e}-train.png`)]));
      expect(readFileSync(r.history[1]!.trainGrid!).equals(readFileSync(r.history[1]!.grid!))).toBe(false);
      expect(await settledTensorCount()).toBe(before);
    } finally {
      images.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('parses its command line and refuses bad arguments', () => {
    expect(parseDcganArgs(['--epochs', '3', '--limit', '500', '--batch-size', '32', '--size', '28', '--out', 'x'])).toEqual({ epochs: 3, images: 500, batchSize: 32, size: 28, out: 'x' });
    expect(parseDcganArgs(['-h'])).toBeNull();
    expect(() => parseDcganArgs(['--epochs', 'two'])).toThrow(/--epochs: expected an integer ≥ 1, got two/);
    expect(() => parseDcganArgs(['--size', '32'])).toThrow(/--size: expected 28 or 64, got 32/);
    expect(() => parseDcganArgs(['--epoch', '1'])).toThrow(/Unknown option '--epoch'/);
    expect(parseDcganArgs(['--grid-mode', 'both'])).toEqual({ gridMode: 'both' });
    expect(() => parseDcganArgs(['--grid-mode', 'test'])).toThrow(/--grid-mode: expected eval, train or both, got test/);
  });
});
