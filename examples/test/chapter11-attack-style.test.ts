// Chapter 11: the FGSM adversarial attack and neural style transfer. The attack against an
// independent finite-difference gradient and against PyTorch's on the same weights; the style
// transfer's Gram matrix against a hand computation, VGG19's layers, a PyTorch `.pth` and the
// book's forward (torchvision's in-place ReLUs included) against PyTorch, and the loss falling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, Linear, loadSafetensors, loadTorch, makeLayers, manualSeed, memory, noGrad, randn, Sequential, tensor, tidy, vggConfigs, type Tensor } from 'tensorgrad';
import { ImageSplits } from '../src/chapter3/data.js';
import { trainEpoch } from '../src/chapter3/train.js';
import { attackAccuracy, CHAPTER4_CNN_PARAMETERS, chapter4Cnn, fgsm, runFgsm, targetedAttack } from '../src/chapter11/adversarial.js';
import { parseFgsmArgs } from '../src/chapter11/fgsm.js';
import { parseStyleArgs } from '../src/chapter11/style.js';
import { CONTENT_LAYERS, GramMatrix, GramMSELoss, runStyleTransfer, STYLE_LAYERS, STYLE_WEIGHTS, stylePattern, VGG19Modified } from '../src/chapter11/style-transfer.js';
import { settledTensorCount, withLeakWatch } from './settled-memory.js';
import { runPython, torchMissingReason } from '../../packages/vision/test/torchvision.js';

const noTorch = torchMissingReason();
if (noTorch) console.warn(`chapter 11 attack/style: PyTorch cross-checks skipped: ${noTorch}`);

const values = (t: Tensor): number[] => Array.from(t.dataSync() as Float32Array, Number);

describe('chapter 11: FGSM', () => {
  // every test frees what it makes (tidy or dispose): a tensor leaked here would be reclaimed by the
  // garbage collector during a later test and lower memory() under that test's own leak check
  it('moves every pixel by ε along the sign of a finite-difference gradient of the cross-entropy', () => tidy(() => {
    manualSeed(3);
    const model = new Linear(5, 3);
    const W = values(model.weight.detach());
    const b = values(model.bias!.detach());
    const x = [0.3, 0.55, 0.7, 0.41, 0.62];
    const label = 2;
    // cross-entropy of the linear model, written out in doubles
    const loss = (v: number[]): number => {
      const z = [0, 1, 2].map((k) => b[k]! + v.reduce((s, xi, i) => s + W[k * 5 + i]! * xi, 0));
      const m = Math.max(...z);
      return Math.log(z.reduce((s, zk) => s + Math.exp(zk - m), 0)) + m - z[label]!;
    };
    const h = 1e-6;
    const fd = x.map((_, i) => (loss(x.map((v, j) => (j === i ? v + h : v))) - loss(x.map((v, j) => (j === i ? v - h : v)))) / (2 * h));
    const xs = tensor([x]);
    const y = tensor([label], { dtype: 'int32' });
    const eps = 0.05;
    const adv = values(fgsm(model, xs, y, { epsilon: eps }));
    adv.forEach((v, i) => expect(v).toBeCloseTo(x[i]! + eps * Math.sign(fd[i]!), 6));
    const toward = values(fgsm(model, xs, y, { epsilon: eps, targeted: true }));
    toward.forEach((v, i) => expect(v).toBeCloseTo(x[i]! - eps * Math.sign(fd[i]!), 6));
    // a large step is clamped to the valid range, or not at all with null bounds
    const big = values(fgsm(model, xs, y, { epsilon: 2 }));
    big.forEach((v, i) => expect(v).toBe(fd[i]! > 0 ? 1 : 0));
    const free = values(fgsm(model, xs, y, { epsilon: 2, clampMin: null, clampMax: null }));
    free.forEach((v, i) => expect(v).toBeCloseTo(x[i]! + 2 * Math.sign(fd[i]!), 5));
    // the parameters' gradients are untouched
    expect(model.weight.grad).toBeNull();
    expect(() => fgsm(model, xs, y, { epsilon: -1 })).toThrow(/epsilon to be a finite number ≥ 0/);
    expect(() => fgsm(model, xs, tensor([0, 1], { dtype: 'int32' }), { epsilon: 0.1 })).toThrow(/expected int32 labels \[1\]/);
    expect(() => fgsm(model, xs, y, { epsilon: 0.1, eps: 1 } as never)).toThrow(/unknown option 'eps'/);
    model.dispose();
  }));

  it('the accuracy of a trained model does not rise as ε grows, and the targeted attack raises the target probability', () => tidy(() => {
    const raw = ImageSplits.synthetic({ train: 256, val: 128, features: 20, seed: 2 });
    const data = raw.scaled(255);
    manualSeed(0);
    const model = new Linear(20, 10);
    const optimizer = new Adam(model.parameters(), { lr: 0.05 });
    for (let epoch = 0; epoch < 30; epoch++) trainEpoch(model, optimizer, data.trainX, data.trainY, { batchSize: 64, epoch });
    const rows = attackAccuracy(model, data.valX, data.valY, [0, 0.01, 0.02, 0.05, 0.1, 0.2], { chunkSize: 50 });
    const acc = rows.map((r) => r.accuracy);
    expect(acc[0]!).toBeGreaterThan(0.5);
    for (let i = 1; i < acc.length; i++) expect(acc[i]!).toBeLessThanOrEqual(acc[i - 1]!);
    expect(acc.at(-1)!).toBeLessThan(acc[0]! / 2);
    const one = data.valX.narrow(0, 0, 1);
    const label = (data.valY.dataSync() as Int32Array)[0]!;
    const target = (label + 1) % 10;
    const r = targetedAttack(model, one, target, { epsilon: 0.02, steps: 10 });
    expect(r.predictions.length).toBe(11);
    expect(r.losses.length).toBe(10);
    expect(r.targetProbabilities.at(-1)!).toBeGreaterThan(r.targetProbabilities[0]!);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
    r.image.dispose();
    for (const o of [optimizer, model, data, raw]) o.dispose();
  }));
});

describe.skipIf(noTorch !== null)('chapter 11 against PyTorch (Debian torch 1.13 / torchvision 0.14)', () => {
  let dir = '';
  let pythonOut = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tensorgrad-ch11-'));
    pythonOut = runPython(
      `
import sys, torch, torch.nn as nn, torch.nn.functional as F
from torchvision.models.vgg import make_layers, cfgs
d = sys.argv[1]
torch.manual_seed(0)
# the book's chapter 4 CNN and its FGSM step
cnn = nn.Sequential(nn.Conv2d(1, 64, 3), nn.MaxPool2d(2), nn.ReLU(), nn.Conv2d(64, 128, 3), nn.MaxPool2d(2), nn.ReLU(),
                    nn.Flatten(), nn.Linear(3200, 256), nn.ReLU(), nn.Linear(256, 10)).eval()
x = torch.rand(4, 1, 28, 28)
y = torch.tensor([0, 3, 7, 9])
xg = x.clone().requires_grad_()
logits = cnn(xg)
F.cross_entropy(logits, y).backward()
adv = (x + 0.1 * xg.grad.sign()).clamp(0, 1)
save(d + '/cnn.safetensors', {**cnn.state_dict(), 'x': x, 'y': y.int(), 'logits': logits, 'adv': adv, 'grad': xg.grad,
     'count': torch.tensor([sum(p.numel() for p in cnn.parameters())])})
# torchvision's vgg19().features (make_layers(cfgs['E'])): the modules, and the first 30 saved as vgg19-dcbb9e9d.pth's keys
features = make_layers(cfgs['E'], batch_norm=False)
kinds = ' '.join(type(features[i]).__name__ + ':' + ('x'.join(map(str, features[i].weight.shape)) if hasattr(features[i], 'weight') else '-') for i in [0, 5, 10, 19, 21, 28])
print(kinds, sum(p.numel() for p in features.parameters()), len(features))
part = nn.Sequential(*list(features)[:30])
torch.save({'features.' + k: v for k, v in part.state_dict().items()}, d + '/vgg19-part.pth')
# the book's vgg19_modified forward (ModuleList, results kept before the in-place ReLUs run)
img = torch.randn(1, 3, 32, 32) * 50
layers = [0, 5, 10, 19, 28, 21]
import numpy as np
order = np.argsort(layers)
_results, results = [], []
with torch.no_grad():
    h = img
    for ix, m in enumerate(nn.ModuleList(list(part))):
        h = m(h)
        if ix in layers: _results.append(h)
    for o in order: results.append(_results[o])
save(d + '/vgg-out.safetensors', {'img': img, **{f'out{i}': r for i, r in enumerate(results)}})
`,
      [dir],
      120_000,
    );
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the chapter 4 CNN: PyTorch's parameter count, keys and shapes, its logits and its FGSM images on the same weights", async () => {
    const { tensors } = await loadSafetensors(join(dir, 'cnn.safetensors'));
    const cnn = chapter4Cnn();
    expect(cnn.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(CHAPTER4_CNN_PARAMETERS);
    expect(Number((tensors.count!.dataSync() as unknown as ArrayLike<number | bigint>)[0])).toBe(CHAPTER4_CNN_PARAMETERS);
    const { x, y, logits, adv, grad, count: _count, ...sd } = tensors;
    expect(Object.fromEntries(Object.entries(cnn.stateDict()).map(([k, v]) => [k, v.shape]))).toEqual(Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape])));
    cnn.loadStateDict(sd, { strict: true });
    cnn.eval();
    const ours = tidy(() => noGrad(() => values(cnn(x!))));
    values(logits!).forEach((v, i) => expect(ours[i]!).toBeCloseTo(v, 4));
    const mine = tidy(() => values(fgsm(cnn, x!, y!, { epsilon: 0.1 })));
    const theirs = values(adv!);
    const g = values(grad!);
    // the same image wherever PyTorch's gradient is not within float rounding of zero; where it
    // is exactly zero (pixels no max-pool window picked) the pixel stays
    let compared = 0;
    let zeros = 0;
    let zerosKept = 0;
    const xs = values(x!);
    mine.forEach((v, i) => {
      if (g[i] === 0) {
        zeros++;
        if (v === xs[i]) zerosKept++;
      }
      if (Math.abs(g[i]!) < 1e-7) return;
      compared++;
      expect(v).toBeCloseTo(theirs[i]!, 6);
    });
    expect(compared).toBeGreaterThan(mine.length * 0.5);
    expect(zerosKept).toBeGreaterThanOrEqual(zeros * 0.99);

    // the program's --weights: PyTorch's state dict is loaded instead of training (the file's other
    // tensors are ignored), and the clean accuracy is that of the loaded network
    const raw = ImageSplits.synthetic({ train: 32, val: 16, seed: 5 });
    const before = await settledTensorCount();
    const { result: run, leaks } = await withLeakWatch(() => runFgsm({ data: raw, weights: join(dir, 'cnn.safetensors'), epsilons: [0], targetSteps: 1 }));
    expect(leaks).toEqual([]); // (it once dropped the state dict it read the key names from)
    expect(await settledTensorCount()).toBe(before); // the program frees what it made, and only that
    expect(run.trainLosses).toEqual([]);
    const scaled = raw.scaled(255);
    const images = scaled.valX.reshape([16, 1, 28, 28]);
    const predicted = noGrad(() => cnn(images).argmax(-1));
    const expectedAccuracy = (predicted.eq(scaled.valY).sum().itemSync() as number) / 16;
    expect(run.rows[0]!.accuracy).toBeCloseTo(expectedAccuracy, 6);
    await expect(runFgsm({ data: raw, weights: join(dir, 'vgg-out.safetensors'), epsilons: [0] })).rejects.toThrow(/expected the state dict of the book's chapter 4 CNN .*0\.weight, 0\.bias.* are missing/);
    for (const o of [images, predicted, scaled, raw, cnn]) o.dispose();
    for (const t of Object.values(tensors)) t.dispose();
  });

  it("VGG19's layers at the book's indices, a PyTorch .pth loaded, and the book's forward (in-place ReLUs) reproduced", async () => {
    const out = pythonOut.trim();
    const full = makeLayers(vggConfigs.E);
    const mods = [...full];
    const kinds = [0, 5, 10, 19, 21, 28].map((i) => {
      const m = mods[i]! as unknown as { constructor: { name: string }; weight?: Tensor };
      return `${m.constructor.name}:${m.weight ? m.weight.shape.join('x') : '-'}`;
    });
    expect(`${kinds.join(' ')} ${full.parameters().reduce((n, p) => n + p.numel(), 0)} ${mods.length}`).toBe(out);
    expect([...STYLE_LAYERS, ...CONTENT_LAYERS]).toEqual([0, 5, 10, 19, 28, 21]);
    expect(STYLE_WEIGHTS.map((w) => +w.toFixed(6))).toEqual([0.244141, 0.061035, 0.015259, 0.003815, 0.003815]);

    // modules 0–29 (up to conv5_1 and its ReLU), the keys of the truncated vgg19 state dict; the
    // same modules as full's (no second VGG19 built), freed with it at the end
    const part = new Sequential(...mods.slice(0, 30));
    const sd = await loadTorch(join(dir, 'vgg19-part.pth'));
    const stripped = Object.fromEntries(Object.entries(sd).map(([k, v]) => [k.replace(/^features\./, ''), v]));
    part.loadStateDict(stripped, { strict: true });
    const vgg = new VGG19Modified(part);
    expect(Object.keys(vgg.stateDict())[0]).toBe('features.0.weight');
    const { tensors } = await loadSafetensors(join(dir, 'vgg-out.safetensors'));
    const outs = tidy(() => noGrad(() => vgg(tensors.img!, [0, 5, 10, 19, 28, 21])));
    outs.forEach((o, i) => {
      const ref = tensors[`out${i}`]!;
      expect(o.shape).toEqual(ref.shape);
      const a = values(o);
      const r = values(ref);
      const scale = Math.max(...r.map(Math.abs));
      expect(Math.min(...a)).toBe(0); // after the in-place ReLU, as in the book
      // one expect for the whole map (an expect per value costs a second of CPU over the six maps)
      let worst = 0;
      a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - r[j]!))));
      expect(worst).toBeLessThan(1e-4 * scale + 1e-5);
    });
    for (const o of outs) o.dispose();

    // style transfer on these (random) weights at 16×16 (the smallest size that reaches conv5_1, 1×1
    // there): the loss falls over a few LBFGS steps
    const content = stylePattern(20); // resized to 16×16 like the style image
    const style = stylePattern(16);
    const before = await settledTensorCount();
    const { result: r, leaks } = await withLeakWatch(() => runStyleTransfer({ features: [...part], content, style, size: 16, maxIters: 6, maxIter: 3 }));
    expect(leaks).toEqual([]);
    expect(r.losses.length).toBeGreaterThanOrEqual(6);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.9);
    expect(r.pretrained).toBe(false);
    expect(await settledTensorCount()).toBe(before);
    expect(part.parameters().every((p) => p.requiresGrad)).toBe(true); // the caller's flags are put back
    full.dispose(); // part's and vgg's modules are full's
    for (const t of [content, style, ...Object.values(sd), ...Object.values(tensors)]) t.dispose();
  }, 60_000);
});

describe('chapter 11: Gram matrix and command lines', () => {
  it('the Gram matrix and GramMSELoss equal a hand computation', () => tidy(() => {
    manualSeed(1);
    const x = randn([2, 3, 4, 5]);
    const g = values(new GramMatrix()(x));
    const v = values(x);
    const at = (b: number, c: number, p: number): number => v[b * 60 + c * 20 + p]!;
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let p = 0; p < 20; p++) s += at(b, i, p) * at(b, j, p);
          expect(g[b * 9 + i * 3 + j]!).toBeCloseTo(s / 20, 5);
        }
      }
    }
    const target = randn([2, 3, 3]);
    const t = values(target);
    const expected = g.reduce((s, gi, i) => s + (gi - t[i]!) ** 2, 0) / 18;
    expect(new GramMSELoss()(x, target).itemSync() as number).toBeCloseTo(expected, 5);
  }));

  it('parses the command lines and refuses bad arguments', () => {
    expect(parseFgsmArgs(['--limit', '600', '--epsilons', '0,0.05', '--target-epsilon', '0.02', '--out', 'x'])).toEqual({ limit: 600, epsilons: [0, 0.05], targetEpsilon: 0.02, out: 'x' });
    expect(() => parseFgsmArgs(['--epochs', 'two'])).toThrow(/--epochs: expected a whole number ≥ 1, got two/);
    expect(() => parseFgsmArgs(['--epsilons', '0,-1'])).toThrow(/--epsilons: expected a number ≥ 0, got -1/);
    expect(() => parseFgsmArgs(['--epoch', '1'])).toThrow(/Unknown option '--epoch'/);
    expect(parseStyleArgs(['--size', '64', '--iters', '40', '--content', 'a.png'])).toEqual({ content: 'a.png', size: 64, maxIters: 40 });
    expect(() => parseStyleArgs(['--size', '8'])).toThrow(/--size: expected a whole number ≥ 16, got 8/);
    expect(() => parseStyleArgs(['--style'])).toThrow(/argument missing|--style/);
  });
});
