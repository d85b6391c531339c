// Chapter 11: t-SNE written with tensorgrad ops, checked against independent computations: the
// perplexity of each row of P, the closed-form t-SNE gradient (plain JS), and on separated
// clusters the embedding keeps them apart while the KL divergence falls.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, memory, randn, readImage, tensor, tidy } from 'tensorgrad';
import { conditionalProbabilities, jointProbabilities, pcaScores, squaredDistances, TSNE, tsneObjective } from '../src/chapter11/tsne.js';
import { scatterPlot, spectralColors } from '../src/chapter11/scatter-plot.js';
import { parseTsneArgs, runTsneLatents } from '../src/chapter11/tsne-latents.js';
import { loadFashionImages } from '../src/chapter11/data.js';
import { settledTensorCount, withLeakWatch } from './settled-memory.js';

/** Plain-JS squared distances of row-major points. */
function jsDistances(x: number[][]): Float64Array {
  const n = x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) d[i * n + j] = x[i]!.reduce((s, v, c) => s + (v - x[j]![c]!) ** 2, 0);
  return d;
}

/** Points of `k` Gaussian clusters in `dim` dimensions, `per` each, centres far apart. */
function clusters(k: number, per: number, dim: number, seed: number): { x: number[][]; labels: number[] } {
  let s = seed;
  const uniform = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s + 0.5) / 2147483648;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => 10 * normal()));
  const x: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < k; c++)
    for (let i = 0; i < per; i++) {
      x.push(centres[c]!.map((m) => m + normal()));
      labels.push(c);
    }
  return { x, labels };
}

describe('chapter 11: t-SNE with tensorgrad ops and autodiff', () => {
  it("each row of P has the requested perplexity (2^H within 1e-3), and P is sklearn's symmetrised joint distribution", async () => {
    const before = memory().numTensors;
    const { x } = clusters(3, 20, 5, 7);
    const n = x.length;
    for (const perplexity of [5, 30]) {
      const { P: cond, beta } = conditionalProbabilities(jsDistances(x), n, perplexity);
      for (let i = 0; i < n; i++) {
        let h = 0;
        let total = 0;
        for (let j = 0; j < n; j++) {
          const p = cond[i * n + j]!;
          total += p;
          if (p > 0) h -= p * Math.log2(p);
        }
        expect(total).toBeCloseTo(1, 12);
        expect(cond[i * n + i]).toBe(0);
        expect(Math.abs(2 ** h - perplexity)).toBeLessThan(1e-3);
      }
      // the joint P: (p_{j|i} + p_{i|j}) / 2N
      const x64 = tensor(x, { dtype: 'float64' });
      const { P, meanSigma } = await jointProbabilities(x64, perplexity);
      x64.dispose();
      // scikit-learn's "[t-SNE] Mean sigma": np.mean(math.sqrt(n_samples / beta_sum)), not the mean of √(1/β)
      expect(meanSigma).toBeCloseTo(Math.sqrt(n / beta.reduce((a, b) => a + b, 0)), 10);
      const joint = await P.data();
      for (const [i, j] of [[0, 1], [5, 40], [59, 2]] as const)
        expect(joint[i * n + j]).toBeCloseTo((cond[i * n + j]! + cond[j * n + i]!) / (2 * n), 14);
      P.dispose();
    }
    // squared distances with a matmul equal the plain sums
    const xt = tensor(x);
    const dt = squaredDistances(xt);
    const d = await dt.data();
    const ref = jsDistances(x);
    for (let i = 0; i < ref.length; i++) expect(Math.abs(d[i]! - ref[i]!)).toBeLessThan(1e-3 * (1 + ref[i]!));
    xt.dispose();
    dt.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('the autodiff gradient equals the closed-form gradient 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + |y_i − y_j|²)⁻¹, exaggerated P included', async () => {
    const n = 7;
    const g = new Generator(3);
    const [yt, rawt] = [randn([n, 2], { generator: g, dtype: 'float64' }), randn([n, n], { generator: g, dtype: 'float64' })];
    const yValues = (await yt.array()) as number[][];
    const raw = (await rawt.array()) as number[][];
    yt.dispose();
    rawt.dispose();
    // any symmetric P with zero diagonal, summing to 1
    const p = raw.map((r, i) => r.map((_, j) => (i === j ? 0 : Math.abs(raw[i]![j]!) + Math.abs(raw[j]![i]!))));
    const total = p.flat().reduce((a, b) => a + b, 0);
    const P = p.map((r) => r.map((v) => v / total));
    for (const alpha of [1, 12]) {
      const before = memory().numTensors;
      const y = tensor(yValues, { dtype: 'float64', requiresGrad: true });
      const Pt = tidy(() => tensor(P, { dtype: 'float64' }).mul(alpha));
      const [gradT, objective] = tidy(() => {
        const { objective } = tsneObjective(y, Pt);
        objective.backward();
        return [y.grad!.clone(), objective.detach()];
      });
      const auto = (await gradT.array()) as number[][];
      // closed form, plain JS
      const w = yValues.map((a, i) => yValues.map((b, j) => (i === j ? 0 : 1 / (1 + (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2))));
      const Z = w.flat().reduce((s, v) => s + v, 0);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 2; c++) {
          let expected = 0;
          for (let j = 0; j < n; j++) expected += 4 * (alpha * P[i]![j]! - w[i]![j]! / Z) * (yValues[i]![c]! - yValues[j]![c]!) * w[i]![j]!;
          expect(Math.abs(auto[i]![c]! - expected)).toBeLessThan(1e-12);
        }
      // with α = 1 the objective plus Σ P log P is KL(P‖Q)
      if (alpha === 1) {
        let kl = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) kl += P[i]![j]! * Math.log(P[i]![j]! / (w[i]![j]! / Z));
        let plogp = 0;
        for (const v of P.flat()) if (v > 0) plogp += v * Math.log(v);
        expect(Math.abs(plogp + Number(await objective.item()) - kl)).toBeLessThan(1e-12);
      }
      for (const t of [y, Pt, objective, gradT]) t.dispose();
      expect(memory().numTensors).toBe(before);
    }
  });

  it('keeps well-separated Gaussian clusters apart in 2-D (1-NN accuracy ≥ 0.95) and the KL divergence falls', async () => {
    const { x, labels } = clusters(4, 25, 10, 11);
    const lines: string[] = [];
    const before = await settledTensorCount();
    const tsne = new TSNE(2, { perplexity: 10, maxIter: 400, randomState: 0, verbose: 2, log: (l) => lines.push(l) });
    const input = tensor(x);
    const y = await tsne.fitTransform(input);
    expect(y.shape).toEqual([100, 2]);
    expect(y.dtype).toBe('float32');
    const e = (await y.array()) as number[][];
    let correct = 0;
    for (let i = 0; i < e.length; i++) {
      let best = Infinity;
      let nearest = -1;
      for (let j = 0; j < e.length; j++) {
        if (j === i) continue;
        const d = (e[i]![0]! - e[j]![0]!) ** 2 + (e[i]![1]! - e[j]![1]!) ** 2;
        if (d < best) [best, nearest] = [d, j];
      }
      if (labels[nearest] === labels[i]) correct++;
    }
    expect(correct / e.length).toBeGreaterThanOrEqual(0.95);
    // learning rate 'auto': max(100 / 12 / 4, 50)
    expect(tsne.learningRate_).toBe(50);
    expect(tsne.nIter_).toBe(399);
    // the error reported every 50 iterations falls within each phase, and the final KL is small
    const errors = lines.flatMap((l) => /Iteration (\d+): error = ([\d.]+)/.exec(l)?.slice(1, 3).map(Number) ?? []);
    const after = errors.filter((_, i) => i % 2 === 0).map((it, i) => [it, errors[2 * i + 1]!] as const).filter(([it]) => it > 250);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.at(-1)![1]).toBeLessThanOrEqual(after[0]![1]);
    expect(lines.some((l) => l.startsWith('[t-SNE] KL divergence after 250 iterations with early exaggeration'))).toBe(true);
    expect(tsne.klDivergence_).toBeGreaterThan(0);
    expect(tsne.klDivergence_).toBeLessThan(1);
    // the KL of the final embedding, recomputed here from P and the returned embedding
    const { P } = await jointProbabilities(input, 10);
    const p = await P.data();
    const n = e.length;
    let Z = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) Z += 1 / (1 + (e[i]![0]! - e[j]![0]!) ** 2 + (e[i]![1]! - e[j]![1]!) ** 2);
    let kl = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i !== j) kl += p[i * n + j]! * Math.log(p[i * n + j]! / (1 / (1 + (e[i]![0]! - e[j]![0]!) ** 2 + (e[i]![1]! - e[j]![1]!) ** 2) / Z));
    // the reported KL is that of the embedding before the last step's update: close, not equal
    expect(Math.abs(kl - tsne.klDivergence_)).toBeLessThan(0.02);
    for (const t of [y, input, P]) t.dispose();
    tsne.embedding_!.dispose();
    tsne.embedding_ = null;
    expect(await settledTensorCount()).toBe(before);
  }, 60_000);

  it("init 'pca': the scores on the principal components of data built from two known orthogonal directions", async () => {
    // x = a·u + b·v + c with var(a) ≫ var(b): the components are u and v, the scores a − ā and b − b̄ (up to sign)
    const u = [0.8, 0.6, 0, 0];
    const v = [0, 0, 0.6, 0.8];
    const { x: ab } = clusters(1, 40, 2, 5);
    const mean = (t: number[]) => t.reduce((p, q) => p + q, 0) / t.length;
    const a = ab.map((r) => 3 * r[0]!);
    // b made exactly uncorrelated with a (in the sample), so the sample's components are exactly u and v
    const ac = a.map((ai) => ai - mean(a));
    const b0 = ab.map((r) => 0.5 * r[1]!);
    const proj = b0.reduce((s2, bi, i) => s2 + bi * ac[i]!, 0) / ac.reduce((s2, q) => s2 + q * q, 0);
    const b = b0.map((bi, i) => bi - proj * ac[i]!);
    const x = a.map((ai, i) => u.map((uc, c) => ai * uc + b[i]! * v[c]! + [1, -2, 3, 0][c]!));
    const xt = tensor(x, { dtype: 'float64' });
    const scores = await pcaScores(xt, 2);
    xt.dispose();
    for (const [col, ref] of [[0, a], [1, b]] as const) {
      const centred = ref.map((r) => r - mean(ref));
      const got = centred.map((_, i) => scores[i * 2 + col]!);
      // the sign: svd_flip makes each component's largest entry positive (0.8 in u and in v)
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - centred[i]!)).toBeLessThan(1e-8);
    }
  });

  it("takes scikit-learn's names and defaults, and refuses what it does not implement", async () => {
    const t = new TSNE();
    expect([t.nComponents, t.perplexity, t.earlyExaggeration, t.learningRate, t.maxIter, t.init, t.nIterWithoutProgress, t.minGradNorm]).toEqual([
      2, 30, 12, 'auto', 1000, 'pca', 300, 1e-7,
    ]);
    expect(new TSNE(3, { nIter: 500 }).maxIter).toBe(500);
    expect(() => new TSNE({ n_components: 2 } as never)).toThrow(/unknown option 'n_components'; did you mean 'nComponents'/);
    expect(() => new TSNE({ method: 'barnes_hut' } as never)).toThrow(/method 'barnes_hut' is not implemented; only method: 'exact'/);
    expect(() => new TSNE({ maxIter: 100 })).toThrow(/maxIter must be an integer ≥ 250, got 100/);
    expect(() => new TSNE({ learningRate: -1 })).toThrow(/learningRate/);
    const three = tensor([[0, 1], [1, 0], [2, 2]]);
    await expect(new TSNE({ perplexity: 30 }).fitTransform(three)).rejects.toThrow(/perplexity must be less than n_samples, got perplexity 30 for 3 samples/);
    three.dispose();
  });

  // scikit-learn is not a Debian package here; where it is installed, its exact t-SNE's KL on the
  // same data and settings must be in the same range (different random streams: not equal)
  const sklearn = existsSync('/usr/bin/python3') && (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!sklearn)('KL divergence comparable to scikit-learn TSNE(method="exact") on the same clusters (skipped: /usr/bin/python3 has no scikit-learn)', async () => {
    const { x } = clusters(4, 25, 10, 11);
    const script = `import json,sys,numpy as np
from sklearn.manifold import TSNE
x=np.array(json.loads(sys.stdin.read()),dtype=np.float32)
t=TSNE(2,perplexity=10,max_iter=400,method='exact',random_state=0,init='pca')
t.fit_transform(x)
print(t.kl_divergence_)`;
    const ref = Number(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(x) }).toString().trim());
    const tsne = new TSNE(2, { perplexity: 10, maxIter: 400, randomState: 0 });
    (await tsne.fitTransform(tensor(x))).dispose();
    expect(Math.abs(tsne.klDivergence_ - ref)).toBeLessThan(0.1 + 0.2 * ref);
  }, 60_000);

  it("scatterPlot: matplotlib's Spectral colours, points where the data put them, a legend swatch per class", async () => {
    // ColorBrewer's Spectral nodes at 0, 0.5 and 1 (matplotlib's colormap data)
    const c11 = spectralColors(11);
    expect([c11[0], c11[5], c11[10]]).toEqual([[158, 1, 66], [255, 255, 191], [94, 79, 162]]);
    // 3 classes: the colormap at 0, 1/2, 1
    expect(spectralColors(3)).toEqual([[158, 1, 66], [255, 255, 191], [94, 79, 162]]);
    const before = memory().numTensors;
    // three points: bottom-left, centre, top-right of the data's box
    const [points, labels] = [tensor([[-2, 10], [0, 15], [2, 20]]), tensor([0, 1, 2], { dtype: 'int32' })];
    const image = await scatterPlot(points, labels, { classes: ['a', 'b', 'c'], width: 300, height: 200 });
    expect(image.shape).toEqual([3, 200, 300]);
    const px = (await image.array()) as number[][][];
    const at = (x: number, y: number) => [0, 1, 2].map((c) => px[c]![y]![x]!);
    // the plot area: x from 10 to 300 − legend − 20, y from 10 to 190; the data box padded by 5 %
    const legend = 1 * 6 * 1 + 16 * 1; // the widest name (1 character) at scale 1, plus the swatch
    const [x0, y0, x1, y1] = [10, 10, 300 - legend - 20, 190];
    const toPixel = (fx: number, fy: number) => [Math.round(x0 + ((fx + 0.05 * 1) / 1.1) * (x1 - x0)), Math.round(y1 - ((fy + 0.05) / 1.1) * (y1 - y0))] as const;
    expect(at(...toPixel(0, 0))).toEqual([158, 1, 66]);
    expect(at(...toPixel(0.5, 0.5))).toEqual([255, 255, 191]);
    expect(at(...toPixel(1, 1))).toEqual([94, 79, 162]);
    // the frame is black, the background white
    expect(at(x0, 100)).toEqual([0, 0, 0]);
    expect(at(x0 + 5, y0 + 5)).toEqual([255, 255, 255]);
    // each class colour appears in the legend column (right of the plot)
    for (const color of spectralColors(3)) {
      let found = false;
      for (let y = 0; y < 200 && !found; y++) for (let x = x1 + 1; x < 300 && !found; x++) found = at(x, y).every((v, c) => v === color[c]);
      expect(found).toBe(true);
    }
    for (const t of [image, points, labels]) t.dispose();
    expect(memory().numTensors).toBe(before);
    const [one, bad] = [tensor([[0, 0]]), tensor([[0, 0, 0]])];
    await expect(scatterPlot(one, [0], { classes: ['é'] })).rejects.toThrow(/no glyph for "é"/);
    await expect(scatterPlot(bad, [0])).rejects.toThrow(/expected points \[N, 2\], got \[1, 3\]/);
    one.dispose();
    bad.dispose();
  });

  it('the chapter 11 program: a short run trains the 50,161-parameter ConvAutoEncoder, embeds its latents and writes the plot', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tensorgrad-ch11-tsne-'));
    // a slice of the test split (no 60,000-image load): the first 128 images train, the next 100 validate and are embedded
    const all = await loadFashionImages({ train: false, limit: 228 });
    const train = { images: all.images.narrow(0, 0, 128), labels: all.labels.narrow(0, 0, 128) };
    const val = { images: all.images.narrow(0, 128, 100), labels: all.labels.narrow(0, 128, 100) };
    // tensors made before the run (and a model) must outlive it: the program frees only its own
    const sentinel = tensor([1, 2, 3]);
    const before = await settledTensorCount();
    try {
      const lines: string[] = [];
      const { result: r, leaks } = await withLeakWatch(() => runTsneLatents({ train, val, epochs: 1, points: 100, perplexity: 10, maxIter: 250, out: join(out, 'tsne.png'), log: (l) => lines.push(l) }));
      expect(leaks).toEqual([]);
      // the book's parameter count (PyTorch's, checked against torch in chapter11-autoencoders.test.ts)
      expect(r.params).toBe(50161);
      expect(lines.some((l) => l.includes('Total params: 50,161'))).toBe(true);
      expect(r.shape).toEqual([100, 256]);
      expect(r.valLosses.length).toBe(1);
      expect(r.klDivergence).toBeGreaterThan(0);
      expect(r.klDivergence).toBeLessThan(5);
      expect(lines.some((l) => l.startsWith('[t-SNE] KL divergence after 250 iterations with early exaggeration'))).toBe(true);
      for (const a of [r.neighbourAccuracy.input, r.neighbourAccuracy.embedding]) expect(a > 0.1 && a <= 1).toBe(true);
      const png = await readImage(r.picture);
      expect(png.shape).toEqual([3, 600, 760]);
      png.dispose();
      expect(await settledTensorCount()).toBe(before);
      expect([sentinel, all.images, all.labels, train.images, val.labels].map((t) => t.isDisposed)).toEqual([false, false, false, false, false]);
      // a perplexity the points cannot carry is refused before any training, leaving nothing behind
      await expect(runTsneLatents({ train, val, points: 8, perplexity: 10, out: join(out, 'no.png') })).rejects.toThrow(/perplexity must be less than the number of points embedded, got perplexity 10 for 8 points/);
      expect(await settledTensorCount()).toBe(before);
    } finally {
      for (const t of [sentinel, train.images, train.labels, val.images, val.labels, all.images, all.labels]) t.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('parses its command line and refuses bad arguments', () => {
    expect(parseTsneArgs(['--epochs', '3', '--train-limit', '500', '--points', '300', '--max-iter', '500', '--out', 'x.png'])).toEqual({ epochs: 3, trainLimit: 500, points: 300, maxIter: 500, out: 'x.png' });
    expect(parseTsneArgs(['-h'])).toBeNull();
    expect(() => parseTsneArgs(['--max-iter', '100'])).toThrow(/--max-iter: expected an integer ≥ 250, got 100/);
    expect(() => parseTsneArgs(['--input', 'codes'])).toThrow(/--input: expected latents or pixels, got codes/);
    expect(() => parseTsneArgs(['--point', '5'])).toThrow(/Unknown option '--point'/);
  });
});
