// Chapter 13: pix2pix and CycleGAN — parameter counts at the book’s sizes, state-dict keys, shapes
// and outputs equal to the same modules built in PyTorch, two steps of the book’s training loops
// equal to PyTorch’s, the image pool, and a few training steps.
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, Conv2d, InstanceNorm2d, loadSafetensors, manualSeed, memory, noGrad, rand, tensor, tidy, zeros, type AnyModule, type Tensor } from 'tensorgrad';
import { PY_SAVE_SAFETENSORS } from '../../packages/vision/test/torchvision.js';

const PYTHON = '/usr/bin/python3';
import { Discriminator, GeneratorUNet, generatorL1, pix2pixTrainStep, sobelEdges } from '../src/chapter13/pix2pix.js';
import { createCycleGAN, cycleGANTrainStep, Discriminator as CycleDiscriminator, disposeCycleGAN, GeneratorResNet, ReplayBuffer } from '../src/chapter13/cyclegan.js';
import { parsePix2PixArgs } from '../src/chapter13/pix2pix-main.js';
import { parseCycleGANArgs } from '../src/chapter13/cyclegan-main.js';

const REFERENCE = readFileSync(new URL('./chapter13_reference.py', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch13-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One Python run for every PyTorch cross-check of this file, started now so that PyTorch's import
// and work overlap the tests that need no PyTorch: the narrow builds' state dicts, inputs and
// outputs; two steps of the book's pix2pix and CycleGAN loops from saved weights; PyTorch's counts
// of the book-size models (built with the initialisers stubbed out: a count needs shapes, not values).
const PY_RUN = `
import sys, json, itertools, contextlib
out = sys.argv[1]
torch.manual_seed(0)
g = torch.Generator().manual_seed(1)
models = {'unet': GeneratorUNet(3, 3, 8, 2), 'patch': Pix2PixDiscriminator(3, 2), 'resnet': GeneratorResNet(9, 3, 2), 'cycled': CycleDiscriminator(3, 2)}
info = {}
io = {'x256': torch.rand(1, 3, 256, 256, generator=g) * 2 - 1, 'y64': torch.rand(2, 3, 64, 64, generator=g) * 2 - 1, 'z64': torch.rand(2, 3, 64, 64, generator=g) * 2 - 1,
      'x32': torch.rand(2, 3, 32, 32, generator=g) * 2 - 1}
for name, m in models.items():
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-0.3, 0.3, generator=g)
    m.eval()
    save(out + '/' + name + '.safetensors', m.state_dict())
    info[name] = {'count': sum(p.numel() for p in m.parameters()), 'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()]}
with torch.no_grad():
    io['unet'] = models['unet'](io['x256'])
    io['patch'] = models['patch'](io['y64'], io['z64'])
    io['resnet'] = models['resnet'](io['x32'])
    io['cycled'] = models['cycled'](io['y64'])
save(out + '/io.safetensors', io)

def state(prefix, ms):
    return {prefix + n + '.' + k: v.detach().clone() for n, m in ms.items() for k, v in m.state_dict().items()}

# pix2pix: the notebook's loop (3 levels: no dropout, so both sides compute the same thing)
criterion_GAN, criterion_pixelwise, lambda_pixel = torch.nn.MSELoss(), torch.nn.L1Loss(), 100
generator, discriminator = GeneratorUNet(1, 1, 3, 4), Pix2PixDiscriminator(1, 4)
generator.apply(weights_init_normal_pix2pix)
discriminator.apply(weights_init_normal_pix2pix)
steps = {'p2p_src': torch.rand(2, 1, 32, 32, generator=g) * 2 - 1, 'p2p_trg': torch.rand(2, 1, 32, 32, generator=g) * 2 - 1}
steps.update(state('p2p0.', {'g': generator, 'd': discriminator}))
g_optimizer = torch.optim.Adam(generator.parameters(), lr=0.0002, betas=(0.5, 0.999))
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=0.0002, betas=(0.5, 0.999))
real_src, real_trg = steps['p2p_src'], steps['p2p_trg']
p2p = []
for _ in range(2):
    fake_trg = generator(real_src)
    d_optimizer.zero_grad()
    prediction_real = discriminator(real_trg, real_src)
    error_real = criterion_GAN(prediction_real, torch.ones(len(real_src), 1, 2, 2))
    error_real.backward()
    prediction_fake = discriminator(fake_trg.detach(), real_src)
    error_fake = criterion_GAN(prediction_fake, torch.zeros(len(real_src), 1, 2, 2))
    error_fake.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    prediction = discriminator(fake_trg, real_src)
    loss_GAN = criterion_GAN(prediction, torch.ones(len(real_src), 1, 2, 2))
    loss_pixel = criterion_pixelwise(fake_trg, real_trg)
    loss_G = loss_GAN + lambda_pixel * loss_pixel
    loss_G.backward()
    g_optimizer.step()
    p2p.append([(error_real + error_fake).item(), loss_G.item(), loss_GAN.item(), loss_pixel.item()])
steps.update(state('p2p2.', {'g': generator, 'd': discriminator}))

# CycleGAN: the notebook's generator_train_step and discriminator_train_step (3 channels, its ReflectionPad2d(channels))
criterion_cycle, criterion_identity, lambda_cyc, lambda_id = torch.nn.L1Loss(), torch.nn.L1Loss(), 10.0, 5.0
G_AB, G_BA, D_A, D_B = GeneratorResNet(1, 3, 2), GeneratorResNet(1, 3, 2), CycleDiscriminator(3, 2), CycleDiscriminator(3, 2)
cg = {'G_AB': G_AB, 'G_BA': G_BA, 'D_A': D_A, 'D_B': D_B}
steps.update({'cyc_A': torch.rand(1, 3, 32, 32, generator=g) * 2 - 1, 'cyc_B': torch.rand(1, 3, 32, 32, generator=g) * 2 - 1})
steps.update(state('cyc0.', cg))
optimizer_G = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=0.0002, betas=(0.5, 0.999))
optimizer_D_A = torch.optim.Adam(D_A.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizer_D_B = torch.optim.Adam(D_B.parameters(), lr=0.0002, betas=(0.5, 0.999))
def discriminator_train_step(D, real_data, fake_data, optimizer):
    optimizer.zero_grad()
    loss_real = criterion_GAN(D(real_data), torch.ones(len(real_data), 1, 2, 2))
    loss_fake = criterion_GAN(D(fake_data.detach()), torch.zeros(len(real_data), 1, 2, 2))
    loss_D = (loss_real + loss_fake) / 2
    loss_D.backward()
    optimizer.step()
    return loss_D
real_A, real_B = steps['cyc_A'], steps['cyc_B']
cyc = []
for _ in range(2):
    optimizer_G.zero_grad()
    loss_identity = (criterion_identity(G_BA(real_A), real_A) + criterion_identity(G_AB(real_B), real_B)) / 2
    fake_B = G_AB(real_A)
    loss_GAN_AB = criterion_GAN(D_B(fake_B), torch.ones(len(real_A), 1, 2, 2))
    fake_A = G_BA(real_B)
    loss_GAN_BA = criterion_GAN(D_A(fake_A), torch.ones(len(real_A), 1, 2, 2))
    loss_GAN = (loss_GAN_AB + loss_GAN_BA) / 2
    loss_cycle = (criterion_cycle(G_BA(fake_B), real_A) + criterion_cycle(G_AB(fake_A), real_B)) / 2
    loss_G = loss_GAN + lambda_cyc * loss_cycle + lambda_id * loss_identity
    loss_G.backward()
    optimizer_G.step()
    loss_D_A = discriminator_train_step(D_A, real_A, fake_A, optimizer_D_A)
    loss_D_B = discriminator_train_step(D_B, real_B, fake_B, optimizer_D_B)
    cyc.append([((loss_D_A + loss_D_B) / 2).item(), loss_G.item(), loss_GAN.item(), loss_cycle.item(), loss_identity.item()])
steps.update(state('cyc2.', cg))
save(out + '/steps.safetensors', steps)
info['steps'] = {'p2p': p2p, 'cyc': cyc}

@contextlib.contextmanager
def no_init():
    names = ['kaiming_uniform_', 'uniform_', 'normal_', 'constant_']
    saved = {n: getattr(nn.init, n) for n in names}
    for n in names:
        setattr(nn.init, n, lambda t, *a, **k: t)
    try:
        yield
    finally:
        for n, f in saved.items():
            setattr(nn.init, n, f)
c = lambda m: sum(p.numel() for p in m.parameters())
with no_init():
    info['book'] = [c(GeneratorUNet()), c(Pix2PixDiscriminator()), c(GeneratorResNet()), c(CycleDiscriminator())]
print(json.dumps(info))
`;

interface Reference {
  info: Record<'unet' | 'patch' | 'resnet' | 'cycled', { count: number; keys: [string, number[]][] }> & {
    book: number[];
    steps: { p2p: number[][]; cyc: number[][] };
  };
}
/** The Python run's result, or why it cannot run here (no torch): the tests that need it skip then. */
const reference: Promise<Reference | { missing: string }> = new Promise((resolve, reject) => {
  const child = spawn(PYTHON, ['-c', PY_SAVE_SAFETENSORS + REFERENCE + PY_RUN, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('error', (e) => resolve({ missing: `${PYTHON} cannot run (${e.message}); install Debian's python3-torch (scripts/ensure-torch.sh)` }));
  child.on('close', (code) => {
    if (code === 0) resolve({ info: JSON.parse(stdout.trim().split('\n').pop()!) as Reference['info'] });
    else if (/No module named 'torch'/.test(stderr)) resolve({ missing: `${PYTHON} cannot import torch; install Debian's python3-torch (scripts/ensure-torch.sh)` });
    else reject(new Error(`python failed (${code}):\n${stderr}`));
  });
});
reference.catch(() => {}); // reported by the tests that await it
/** The reference, or skips the calling test with the reason (listed in the output). */
async function needReference(ctx: TestContext): Promise<Reference['info']> {
  const r = await reference;
  if ('missing' in r) {
    console.warn(`skipping a PyTorch cross-check of chapter 13: ${r.missing}`);
    ctx.skip(r.missing);
  }
  return (r as Reference).info;
}

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);
function countOf(make: () => AnyModule): number {
  const m = make();
  const n = count(m);
  m.dispose();
  return n;
}
/**
 * The parameter count at width `w` from builds at widths 1, 2 and 3: every weight is in·out·k² with
 * in and out each a multiple of the width or a constant, every bias a multiple of the width or a
 * constant, so the count is a quadratic in the width and three values fix it (Lagrange).
 */
function extrapolate(make: (width: number) => AnyModule, w: number): number {
  const [f1, f2, f3] = [1, 2, 3].map((x) => countOf(() => make(x))) as [number, number, number];
  return (f1 * (w - 2) * (w - 3)) / 2 - f2 * (w - 1) * (w - 3) + (f3 * (w - 1) * (w - 2)) / 2;
}

async function maxDiff(a: Tensor, b: Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const x = await a.data();
  const y = await b.data();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

describe('chapter 13: parameter counts at the book’s sizes (3 channels, 256×256)', () => {
  // the literals are PyTorch's sum(p.numel() for p in m.parameters()) for the reference modules
  // (chapter13_reference.py, torch 1.13); building the 54 M-parameter U-Net here would take half a
  // minute, so each count comes from three narrow builds of the same classes (see extrapolate)
  it('GeneratorUNet 54,404,099, pix2pix Discriminator 2,767,808, GeneratorResNet(9) 11,378,179, CycleGAN Discriminator 2,764,737', () => {
    expect(extrapolate((w) => new GeneratorUNet({ ngf: w }), 64)).toBe(54_404_099);
    expect(extrapolate((w) => new Discriminator({ ndf: w }), 64)).toBe(2_767_808);
    expect(extrapolate((w) => new GeneratorResNet(9, { ngf: w }), 64)).toBe(11_378_179);
    expect(extrapolate((w) => new CycleDiscriminator({ ndf: w }), 64)).toBe(2_764_737);
    // the extrapolation reproduces a count it can check directly (width 8, built for real)
    expect(extrapolate((w) => new GeneratorResNet(9, { ngf: w }), 8)).toBe(countOf(() => new GeneratorResNet(9, { ngf: 8 })));
    // the run's small models (1 channel, 32×32), as PyTorch counts them
    expect(countOf(() => new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 5, ngf: 16 }))).toBe(1_041_153);
    expect(countOf(() => new Discriminator({ inChannels: 1, ndf: 16 }))).toBe(174_832);
  });
});

describe('chapter 13: the book’s structures and steps equal PyTorch’s', () => {
  it('keys, shapes, counts and outputs of narrow builds (the book’s layers, 2 filters wide); PyTorch’s counts at the book’s sizes', async (ctx) => {
    const info = await needReference(ctx);
    const before = memory().numTensors;
    // PyTorch's counts of the book's models (3 channels, 256×256), the literals of the test above
    expect(info.book).toEqual([54_404_099, 2_767_808, 11_378_179, 2_764_737]);
    const mine: Record<string, AnyModule> = {
      unet: new GeneratorUNet({ ngf: 2 }),
      patch: new Discriminator({ ndf: 2 }),
      resnet: new GeneratorResNet(9, { ngf: 2 }),
      cycled: new CycleDiscriminator({ ndf: 2 }),
    };
    // PyTorch's counts of these builds
    expect({ unet: info.unet.count, patch: info.patch.count, resnet: info.resnet.count, cycled: info.cycled.count }).toEqual({ unet: 53_411, patch: 3_166, resnet: 11_843, cycled: 3_071 });
    const { tensors: io } = await loadSafetensors(join(dir, 'io.safetensors'));
    for (const [name, m] of Object.entries(mine)) {
      const theirs = info[name as 'unet' | 'patch' | 'resnet' | 'cycled'];
      expect(count(m)).toBe(theirs.count);
      const sd = m.stateDict();
      expect(Object.entries(sd).map(([k, v]) => [k, v.shape])).toEqual(theirs.keys);
      for (const t of Object.values(sd)) t.dispose();
      const { tensors: weights } = await loadSafetensors(join(dir, `${name}.safetensors`));
      expect(m.loadStateDict(weights, { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const t of Object.values(weights)) t.dispose();
      m.eval();
    }
    const got = tidy(() => noGrad(() => ({
      unet: (mine.unet as GeneratorUNet)(io.x256!),
      patch: (mine.patch as Discriminator)(io.y64!, io.z64!),
      resnet: (mine.resnet as GeneratorResNet)(io.x32!),
      cycled: (mine.cycled as CycleDiscriminator)(io.y64!),
    })));
    expect(got.unet.shape).toEqual([1, 3, 256, 256]);
    expect(got.patch.shape).toEqual([2, 1, 4, 4]);
    for (const name of ['unet', 'patch', 'resnet', 'cycled'] as const) {
      expect(await maxDiff(got[name], io[name]!)).toBeLessThan(1e-4);
      // the outputs vary, so the comparison can fail
      const v = await io[name]!.data();
      let [lo, hi] = [Infinity, -Infinity];
      for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
      expect(hi - lo).toBeGreaterThan(0.05);
    }
    for (const t of [...Object.values(got), ...Object.values(io)]) t.dispose();
    for (const m of Object.values(mine)) m.dispose();
    expect(memory().numTensors).toBe(before);
  }, 120_000);

  it('two steps of the book’s pix2pix and CycleGAN loops from PyTorch’s weights give PyTorch’s losses and weights', async (ctx) => {
    const info = await needReference(ctx);
    const before = memory().numTensors;
    const { tensors: t } = await loadSafetensors(join(dir, 'steps.safetensors'));
    const part = (prefix: string): Record<string, Tensor> =>
      Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    const load = (m: AnyModule, prefix: string): void => {
      expect(m.loadStateDict(part(prefix), { strict: true })).toEqual({ missingKeys: [], unexpectedKeys: [] });
    };
    /**
     * The biases of convolutions followed by an `InstanceNorm2d`: the norm subtracts each channel's
     * mean, so their gradient is zero in exact arithmetic and rounding noise of either sign, which
     * Adam's first steps turn into moves of up to ±lr, different in each library.
     */
    const noiseOnly = (m: AnyModule): Set<string> => {
      const keys = new Set<string>();
      for (const [name, mod] of m.namedModules()) {
        const children = mod.namedChildren();
        children.forEach(([n, c], i) => {
          if (c instanceof Conv2d && c.bias && children[i + 1]?.[1] instanceof InstanceNorm2d) keys.add(name ? `${name}.${n}.bias` : `${n}.bias`);
        });
      }
      return keys;
    };
    /**
     * The largest |ours − PyTorch's| over a model's parameters after the steps, the largest move
     * PyTorch's steps made, and the largest move of a noise-only bias (see noiseOnly), ours or PyTorch's.
     */
    async function drift(m: AnyModule, start: string, end: string): Promise<{ diff: number; moved: number; noise: number }> {
      const [s0, s2, loose] = [part(start), part(end), noiseOnly(m)];
      let [diff, moved, noise] = [0, 0, 0];
      for (const [k, p] of m.namedParameters()) {
        const [a, b, c] = [await p.data(), await s2[k]!.data(), await s0[k]!.data()];
        for (let i = 0; i < a.length; i++) {
          if (loose.has(k)) noise = Math.max(noise, Math.abs(a[i]! - c[i]!), Math.abs(b[i]! - c[i]!));
          else {
            diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
            moved = Math.max(moved, Math.abs(b[i]! - c[i]!));
          }
        }
      }
      return { diff, moved, noise };
    }
    /** Losses within 1e-4 of PyTorch's, relatively. */
    const close = (ours: number[], theirs: number[]): void => {
      expect(ours).toHaveLength(theirs.length);
      ours.forEach((v, j) => expect(Math.abs(v - theirs[j]!)).toBeLessThanOrEqual(1e-4 * Math.abs(theirs[j]!)));
    };
    const adam = { lr: 2e-4, betas: [0.5, 0.999] as [number, number] };
    // pix2pix: 3 levels (no dropout), 4 filters, 1 channel, 32×32, batch 2
    const generator = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 3, ngf: 4 });
    const discriminator = new Discriminator({ inChannels: 1, ndf: 4 });
    load(generator, 'p2p0.g.');
    load(discriminator, 'p2p0.d.');
    const p = { generator, discriminator, optimizerG: new Adam(generator.parameters(), adam), optimizerD: new Adam(discriminator.parameters(), adam) };
    const p2p = [0, 1].map(() => pix2pixTrainStep(p, t.p2p_src!, t.p2p_trg!));
    p2p.forEach((l, i) => close([l.lossD, l.lossG, l.lossGAN, l.lossPixel], info.steps.p2p[i]!));
    for (const [m, k] of [[generator, 'g.'], [discriminator, 'd.']] as const) {
      const { diff, moved, noise } = await drift(m, `p2p0.${k}`, `p2p2.${k}`);
      expect(moved).toBeGreaterThan(3e-4); // two Adam steps of 2e-4 moved the weights
      expect(diff).toBeLessThan(2e-5);
      expect(noise).toBeLessThan(2.2 * 2e-4); // two Adam steps: about lr each at most (1.05·lr for the second)
    }
    p.optimizerG.dispose();
    p.optimizerD.dispose();
    generator.dispose();
    discriminator.dispose();
    // CycleGAN: the notebook's steps (no image pool), 3 channels, 1 residual block, 2 filters, 32×32, batch 1
    const m = createCycleGAN({ generator: { numResidualBlocks: 1, channels: 3, ngf: 2 }, discriminator: { channels: 3, ndf: 2 }, pool: false });
    for (const k of ['G_AB', 'G_BA', 'D_A', 'D_B'] as const) load(m[k], `cyc0.${k}.`);
    const cyc = [0, 1].map(() => cycleGANTrainStep(m, t.cyc_A!, t.cyc_B!));
    cyc.forEach((l, i) => close([l.lossD, l.lossG, l.lossGAN, l.lossCycle, l.lossIdentity], info.steps.cyc[i]!));
    for (const k of ['G_AB', 'G_BA', 'D_A', 'D_B'] as const) {
      const { diff, moved, noise } = await drift(m[k], `cyc0.${k}.`, `cyc2.${k}.`);
      expect(moved).toBeGreaterThan(3e-4);
      expect(diff).toBeLessThan(2e-5);
      expect(noise).toBeLessThan(2.2 * 2e-4);
    }
    disposeCycleGAN(m);
    for (const v of Object.values(t)) v.dispose();
    expect(memory().numTensors).toBe(before);
  }, 60_000);
});

describe('chapter 13: ReplayBuffer (the reference’s image pool)', () => {
  it('stores at most maxSize, returns the inputs while filling, then replaces about half at random', async () => {
    const before = memory().numTensors;
    let s = 12345;
    const random = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const pool = new ReplayBuffer({ maxSize: 50, random });
    expect(new ReplayBuffer().maxSize).toBe(50);
    expect(() => new ReplayBuffer(0)).toThrow(/maxSize to be a positive integer.*got 0/);
    // images are constant [1, 2, 2] tensors holding their number: 0…59 while filling (batches of 6)
    for (let b = 0; b < 10; b++) {
      const batch = tidy(() => tensor(Array.from({ length: 6 }, (_, i) => b * 6 + i)).reshape([6, 1, 1, 1]).expand([6, 1, 2, 2]));
      const out = pool.pushAndPop(batch);
      const got = Array.from(await out.data()).filter((_, i) => i % 4 === 0);
      if (b < 8) expect(got).toEqual([0, 1, 2, 3, 4, 5].map((i) => b * 6 + i)); // 48 stored: all returned as given
      expect(pool.length).toBe(Math.min(50, (b + 1) * 6));
      batch.dispose();
      out.dispose();
    }
    // full: 2000 more images, one by one; count those swapped for a stored (older) one
    let replaced = 0;
    const seen = new Set<number>();
    for (let k = 0; k < 2000; k++) {
      const id = 1000 + k;
      const image = tidy(() => zeros([1, 1, 2, 2]).add(id));
      const out = pool.pushAndPop(image);
      image.dispose();
      const v = (await out.data())[0]!;
      if (v !== id) {
        replaced++;
        expect(v).toBeLessThan(id); // an older image
        expect(seen.has(v)).toBe(false); // each stored image comes back at most once
        seen.add(v);
      }
      out.dispose();
      expect(pool.length).toBe(50);
    }
    // Binomial(2000, ½): mean 1000, standard deviation ≈ 22
    expect(replaced).toBeGreaterThan(900);
    expect(replaced).toBeLessThan(1100);
    pool.dispose();
    expect(pool.length).toBe(0);
    // nothing leaks once the pool is disposed (its stored copies are freed)
    expect(memory().numTensors).toBe(before);
  });
});

describe('chapter 13: training steps', () => {
  it('pix2pix: a few steps on a tiny fixed edge→image set lower the generator’s L1 to the targets', () => {
    const before = memory().numTensors;
    manualSeed(0);
    // 4 fixed "garments": bright rectangles of different sizes on a dark 32×32 canvas, and their edges
    const [src, trg] = tidy(() => {
      const rects = [[6, 24, 8, 22], [4, 28, 10, 20], [10, 20, 4, 26], [8, 26, 8, 26]] as const;
      const data = new Float32Array(4 * 1024);
      rects.forEach(([r0, r1, c0, c1], i) => {
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) data[i * 1024 + r * 32 + c] = 0.4 + 0.015 * (r + c);
      });
      const x = tensor(Array.from(data)).reshape([4, 1, 32, 32]);
      return [sobelEdges(x).mul(2).sub(1), x.mul(2).sub(1)].map((t) => t.clone()) as [Tensor, Tensor];
    });
    const generator = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 4, ngf: 8 });
    const discriminator = new Discriminator({ inChannels: 1, ndf: 8 });
    const adam = { lr: 2e-3, betas: [0.5, 0.999] as [number, number] };
    const m = { generator, discriminator, optimizerG: new Adam(generator.parameters(), adam), optimizerD: new Adam(discriminator.parameters(), adam) };
    const l0 = generatorL1(generator, src, trg);
    // 6 steps (the step itself is checked against PyTorch's above): the L1 falls to about 0.43 of its start here
    const losses = Array.from({ length: 6 }, () => pix2pixTrainStep(m, src, trg));
    const l1 = generatorL1(generator, src, trg);
    for (const l of losses) {
      expect(Number.isFinite(l.lossD) && Number.isFinite(l.lossG)).toBe(true);
      expect(l.lossG).toBeCloseTo(l.lossGAN + 100 * l.lossPixel, 3);
    }
    expect(l1).toBeLessThan(l0 * 0.7);
    m.optimizerG.dispose();
    m.optimizerD.dispose();
    generator.dispose();
    discriminator.dispose();
    src.dispose();
    trg.dispose();
    expect(memory().numTensors).toBe(before);
  }, 60_000);

  it('CycleGAN: a few steps with the image pool lower the cycle and identity losses', () => {
    const before = memory().numTensors;
    manualSeed(1);
    let s = 7;
    const random = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const m = createCycleGAN({ generator: { numResidualBlocks: 1, channels: 1, ngf: 4 }, discriminator: { channels: 1, ndf: 4 }, lr: 2e-3, random });
    const [a, b] = tidy(() => [rand([1, 1, 32, 32]).mul(2).sub(1).clone(), rand([1, 1, 32, 32]).mul(0.5).clone()]);
    // 4 steps: both losses fall to about 0.74 of the first step's here
    const losses = Array.from({ length: 4 }, () => cycleGANTrainStep(m, a!, b!));
    for (const l of losses) expect(l.lossG).toBeCloseTo(l.lossGAN + 10 * l.lossCycle + 5 * l.lossIdentity, 3);
    expect(losses.at(-1)!.lossCycle).toBeLessThan(losses[0]!.lossCycle * 0.9);
    expect(losses.at(-1)!.lossIdentity).toBeLessThan(losses[0]!.lossIdentity * 0.9);
    expect(m.fakeABuffer!.length).toBe(4);
    disposeCycleGAN(m);
    a!.dispose();
    b!.dispose();
    expect(memory().numTensors).toBe(before);
  }, 60_000);
});

describe('chapter 13: command lines', () => {
  it('parse with node:util and refuse bad arguments', () => {
    expect(parsePix2PixArgs(['--epochs', '3', '--limit', '500', '--num-downs', '5', '--out', 'x'])).toEqual({ epochs: 3, train: 500, numDowns: 5, out: 'x' });
    expect(() => parsePix2PixArgs(['--epochs', 'two'])).toThrow(/--epochs: expected a positive integer, got two/);
    expect(() => parsePix2PixArgs(['--epoch', '1'])).toThrow(/Unknown option '--epoch'/);
    expect(parseCycleGANArgs(['--class-a', '0', '--class-b', '6', '--no-pool', '--residual-blocks', '9'])).toEqual({ classA: 0, classB: 6, pool: false, numResidualBlocks: 9 });
    expect(() => parseCycleGANArgs(['--class-a', '10'])).toThrow(/--class-a: expected a Fashion-MNIST class 0–9, got 10/);
    expect(parseCycleGANArgs(['-h'])).toBeNull();
  });
});
