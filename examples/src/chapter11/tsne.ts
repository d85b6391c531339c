/**
 * t-SNE (van der Maaten and Hinton, 2008) written with tensorgrad: the chapter 11 notebook
 * (`Chapter11/conv_auto_encoder.ipynb`) embeds the convolutional autoencoder's latent vectors in
 * two dimensions with `sklearn.manifold.TSNE(2).fit_transform(latent_vectors)` and plots them
 * coloured by class. This module is scikit-learn's exact method with its names and defaults.
 *
 * Why not an npm library: the t-SNE packages on npm (`tsne-js`, `tsne`, `@keckelt/tsne`) are
 * unmaintained, use other defaults than scikit-learn (no PCA initialisation, no `'auto'` learning
 * rate, different gain and momentum schedules), and adding a dependency for one plot is not worth
 * it when the objective is twenty lines of tensor ops. It is also a showcase: the KL divergence
 * is an objective over all pairs of points, not a network, and `backward()` differentiates it
 * like any loss; the tests check the autodiff gradient against t-SNE's closed-form gradient.
 */
import { div, fromTypedArray, Generator, log, matmul, noGrad, randn, tidy, where, type Tensor } from 'tensorgrad';

/** numpy's `np.finfo(np.double).eps`, scikit-learn's floor for P and Q. */
export const MACHINE_EPSILON = 2.220446049250313e-16;

/** The options of {@link TSNE}: scikit-learn's keyword arguments in camelCase, with its defaults. */
export interface TSNEOptions {
  /** Dimension of the embedding (default 2). */
  nComponents?: number;
  /** The effective number of neighbours each point's Gaussian is tuned to (default 30; below the number of samples). */
  perplexity?: number;
  /** Factor applied to P during the first 250 iterations (default 12). */
  earlyExaggeration?: number;
  /** Step size: a positive number, or `'auto'` (default): `max(N / earlyExaggeration / 4, 50)`, scikit-learn ≥ 1.2. */
  learningRate?: number | 'auto';
  /** Iterations in all, the 250 of early exaggeration included (default 1000; at least 250). */
  maxIter?: number;
  /** The name of `maxIter` before scikit-learn 1.5 (give one of the two). */
  nIter?: number;
  /** Stop after this many iterations without a lower KL divergence, checked every 50 (default 300). */
  nIterWithoutProgress?: number;
  /** Stop when the gradient's norm falls below this (default 1e-7). */
  minGradNorm?: number;
  /**
   * The initial embedding: `'pca'` (default since scikit-learn 1.2: the first principal components
   * scaled so the first has standard deviation 1e-4), `'random'` (N(0, 1e-4²) per coordinate), or
   * a tensor `[N, nComponents]`.
   */
  init?: 'pca' | 'random' | Tensor;
  /** Only `'exact'`: scikit-learn's default `'barnes_hut'` is not implemented (see the error). */
  method?: 'exact';
  /** Only `'euclidean'` (squared distances in the input space, as scikit-learn). */
  metric?: 'euclidean';
  /** Seed (or generator) of the random initialisation; `null` (default) uses the global generator. */
  randomState?: number | Generator | null;
  /** 0 (default) prints nothing; 1 or more prints scikit-learn's progress lines through `log`. */
  verbose?: number;
  /** Where verbose lines go (default `console.log`). */
  log?: (line: string) => void;
}

const OPTION_KEYS = [
  'nComponents', 'perplexity', 'earlyExaggeration', 'learningRate', 'maxIter', 'nIter', 'nIterWithoutProgress',
  'minGradNorm', 'init', 'method', 'metric', 'randomState', 'verbose', 'log',
] as const;

// scikit-learn's private constants (_t_sne.py)
const EXPLORATION_N_ITER = 250;
const N_ITER_CHECK = 50;

function snakeToCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function checkOptions(options: object): void {
  for (const key of Object.keys(options)) {
    if ((OPTION_KEYS as readonly string[]).includes(key)) continue;
    const camel = snakeToCamel(key);
    const nearest = (OPTION_KEYS as readonly string[]).includes(camel)
      ? camel
      : [...OPTION_KEYS].sort((a, b) => editDistance(key.toLowerCase(), a.toLowerCase()) - editDistance(camel.toLowerCase(), b.toLowerCase()))[0]!;
    throw new TypeError(`new TSNE: unknown option '${key}'; did you mean '${nearest}'? Valid options: ${OPTION_KEYS.join(', ')}`);
  }
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`new TSNE: ${name} must be a positive number, got ${String(v)}`);
  return v;
}

function positiveInt(name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RangeError(`new TSNE: ${name} must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

/**
 * Squared Euclidean distances between the rows of `x` `[N, D]`, computed as
 * `|x_i|² + |x_j|² − 2 x_i·x_j` with a matmul, clamped at 0, in float64: `[N, N]`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { squaredDistances } from './tsne.js';
 * await squaredDistances(tensor([[0, 0], [3, 4]])).array(); // [[0, 25], [25, 0]]
 * ```
 */
export function squaredDistances(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new RangeError(`squaredDistances: expected a matrix [N, D], got shape [${x.shape.join(', ')}]; flatten each sample first (x.view(N, -1))`);
  return tidy(() => {
    const x64 = x.to('float64');
    const sq = x64.square().sum(1, true);
    return sq.add(sq.T).sub(matmul(x64, x64.T).mul(2)).clamp({ min: 0 });
  });
}

/**
 * scikit-learn's `_binary_search_perplexity`: for each row i of the squared distances `[N, N]`
 * (row-major), the conditional probabilities `p_{j|i} ∝ exp(−d_ij · β_i)` (`p_{i|i} = 0`) with
 * β_i found by bisection so that the row's entropy is `ln(perplexity)` within 1e-5 nats (at most
 * 100 steps, β starting at 1). Returns the `[N, N]` matrix (row-major) and the β of each row.
 *
 * @example
 * ```ts
 * import { conditionalProbabilities } from './tsne.js';
 * // three points, perplexity 2: each row spreads its mass over the two others
 * const { P } = conditionalProbabilities(new Float64Array([0, 1, 4, 1, 0, 1, 4, 1, 0]), 3, 2);
 * [P[0], P[4], P[8]]; // [0, 0, 0]
 * Math.abs(P[3]! + P[5]! - 1) < 1e-12; // true
 * P[3] === P[5]; // true
 * ```
 */
export function conditionalProbabilities(distances: Float64Array, n: number, perplexity: number): { P: Float64Array; beta: Float64Array } {
  if (distances.length !== n * n) throw new RangeError(`conditionalProbabilities: expected ${n}×${n} = ${n * n} distances, got ${distances.length}`);
  const P = new Float64Array(n * n);
  const betas = new Float64Array(n);
  const desiredEntropy = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let betaMin = -Infinity;
    let betaMax = Infinity;
    let beta = 1;
    const row = i * n;
    for (let step = 0; step < 100; step++) {
      let sumP = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const p = Math.exp(-distances[row + j]! * beta);
        P[row + j] = p;
        sumP += p;
      }
      if (sumP === 0) sumP = 1e-8; // scikit-learn's EPSILON_DBL
      let sumDistP = 0;
      for (let j = 0; j < n; j++) {
        P[row + j]! /= sumP;
        sumDistP += distances[row + j]! * P[row + j]!;
      }
      const entropyDiff = Math.log(sumP) + beta * sumDistP - desiredEntropy;
      if (Math.abs(entropyDiff) <= 1e-5) break;
      if (entropyDiff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    betas[i] = beta;
  }
  return { P, beta: betas };
}

/**
 * scikit-learn's `_joint_probabilities`: the conditional probabilities of
 * {@link conditionalProbabilities} symmetrised, `p_ij = (p_{j|i} + p_{i|j}) / 2N`, floored at
 * machine epsilon off the diagonal (the diagonal is 0). Returns the float64 `[N, N]` tensor and
 * the "mean sigma" that scikit-learn prints, `√(N / Σβ)` (a bandwidth from the mean precision).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { jointProbabilities } from './tsne.js';
 * const { P } = await jointProbabilities(tensor([[0, 0], [1, 0], [0, 2], [5, 5]]), 2);
 * Math.abs((await P.sum().item()) - 1) < 1e-12; // true
 * await P.sub(P.T).abs().max().item(); // 0
 * ```
 */
export async function jointProbabilities(x: Tensor, perplexity: number): Promise<{ P: Tensor; meanSigma: number }> {
  const n = x.shape[0]!;
  const d = squaredDistances(x);
  const dist = Float64Array.from(await d.data());
  d.dispose();
  const { P: cond, beta } = conditionalProbabilities(dist, n, perplexity);
  const joint = new Float64Array(n * n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total += cond[i * n + j]! + cond[j * n + i]!;
  total = Math.max(total, MACHINE_EPSILON);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) joint[i * n + j] = Math.max((cond[i * n + j]! + cond[j * n + i]!) / total, MACHINE_EPSILON);
  // scikit-learn prints np.mean(math.sqrt(n_samples / beta_sum)): √(N / Σβ), one number (not the mean of the per-point σ)
  let betaSum = 0;
  for (const b of beta) betaSum += b;
  return { P: fromTypedArray(joint, [n, n]), meanSigma: Math.sqrt(n / betaSum) };
}

/** The pieces of the t-SNE objective at one embedding, see {@link tsneObjective}. */
export interface TSNEObjective {
  /**
   * `−Σ_ij P_ij log w_ij + log Z`, the part of KL(P‖Q) that depends on Y, with
   * `w_ij = (1 + |y_i − y_j|²/ν)^(−(ν+1)/2)`, `Z = Σ_{k≠l} w_kl`, `q_ij = w_ij / Z`: its gradient
   * is t-SNE's gradient `2(ν+1)/ν Σ_j (p_ij − q_ij)(y_i − y_j) w_ij^(2/(ν+1))` (for ν = 1,
   * `4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + |y_i − y_j|²)⁻¹`) also when P is exaggerated.
   */
  objective: Tensor;
  /** `−Σ_ij P_ij log w_ij` (a scalar tensor). */
  attraction: Tensor;
  /** `log Z` (a scalar tensor). */
  logZ: Tensor;
}

/**
 * The t-SNE objective at the embedding `y` `[N, k]` for the joint probabilities `P` `[N, N]`
 * (float64, diagonal 0) with Student-t kernel of `degreesOfFreedom` ν (scikit-learn:
 * `max(nComponents − 1, 1)`), as differentiable tensor ops (about ten passes over `[N, N]`
 * forward: the cost of an iteration).
 *
 * KL(P‖Q) = Σ P log P − Σ P log w + (Σ P) log Z. With P a distribution (ΣP = 1) the objective
 * (plus the constant Σ P log P) is the KL divergence; during early exaggeration P sums to α, and
 * writing `log Z` with coefficient 1 rather than α is what makes autodiff give scikit-learn's
 * exaggerated gradient `4 Σ (α p_ij − q_ij)…` (differentiating α·KL would scale the repulsion too).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { tsneObjective } from './tsne.js';
 * // two points at distance 1: w = 1/2 each way, Z = 1, q = 1/2 = p, so the gradient is 0
 * const y = tensor([[0, 0], [1, 0]], { dtype: 'float64', requiresGrad: true });
 * const P = tensor([[0, 0.5], [0.5, 0]], { dtype: 'float64' });
 * const { objective } = tsneObjective(y, P);
 * objective.backward();
 * await y.grad!.abs().max().item(); // 0
 * ```
 */
export function tsneObjective(y: Tensor, P: Tensor, degreesOfFreedom = 1): TSNEObjective {
  const n = y.shape[0]!;
  if (P.ndim !== 2 || P.shape[0] !== n || P.shape[1] !== n)
    throw new RangeError(`tsneObjective: expected P of shape [${n}, ${n}] for ${n} points, got [${P.shape.join(', ')}]`);
  const nu = degreesOfFreedom;
  const sq = y.square().sum(1, true);
  // |y_i − y_j|² = |y_i|² + |y_j|² − 2 y_i·y_j, the −2 applied on the [N, k] side of the matmul
  const d2 = matmul(y.mul(-2), y.T).add(sq).add(sq.T);
  // u = 1 + d²/ν: log w = −(ν+1)/2 · log u is finite on the diagonal too (where P is 0)
  const u = nu === 1 ? d2.add(1) : d2.div(nu).add(1);
  const logU = log(u);
  const w = nu === 1 ? div(1, u) : logU.mul(-(nu + 1) / 2).exp();
  // the diagonal's w_ii = 1 (d_ii = 0) is left out of Z by subtracting N, cheaper than a mask
  const logZ = log(w.sum().sub(n));
  const attraction = P.mul(logU).sum().mul((nu + 1) / 2);
  return { objective: attraction.add(logZ), attraction, logZ };
}

function plogp(P: Float64Array, scale: number): number {
  let s = 0;
  for (const p of P) if (p > 0) s += scale * p * Math.log(scale * p);
  return s;
}

/**
 * The scores of the rows of `x` `[N, D]` on their first `k` principal components (`[N·k]`
 * row-major, float64): the centred data times the top-k eigenvectors of its scatter matrix, found
 * by orthogonal iteration, each component's sign chosen as scikit-learn's `svd_flip` does (its
 * largest entry positive). What `init: 'pca'` starts from (scikit-learn:
 * `PCA(n_components).fit_transform(X)`).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { pcaScores } from './tsne.js';
 * // points on the line y = 2x: one component along (1, 2)/√5, scores (x − x̄)·√5
 * const s = await pcaScores(tensor([[0, 0], [1, 2], [2, 4]]), 1);
 * Array.from(s, (v) => Math.round(v * 1e6) / 1e6); // [-2.236068, 0, 2.236068]
 * ```
 */
export async function pcaScores(x: Tensor, k: number): Promise<Float64Array> {
  if (x.ndim !== 2 || !(k >= 1 && k <= x.shape[1]!))
    throw new RangeError(`pcaScores: expected a matrix [N, D] and 1 ≤ k ≤ D, got shape [${x.shape.join(', ')}] and k = ${k}`);
  const d = x.shape[1]!;
  const centred = tidy(() => {
    const x64 = x.to('float64');
    return x64.sub(x64.mean(0, true));
  });
  const cov = tidy(() => matmul(centred.T, centred));
  const C = Float64Array.from(await cov.data());
  cov.dispose();
  // deterministic start: the identity's first k columns plus a small spread, so no component is orthogonal to it
  let V = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let c = 0; c < k; c++) V[i * k + c] = (i % k === c ? 1 : 0) + 1e-3 * Math.sin(1 + i * (c + 1));
  for (let iter = 0; iter < 500; iter++) {
    const W = new Float64Array(d * k);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        const cij = C[i * d + j]!;
        if (cij === 0) continue;
        for (let c = 0; c < k; c++) W[i * k + c]! += cij * V[j * k + c]!;
      }
    // Gram–Schmidt on the columns
    for (let c = 0; c < k; c++) {
      for (let b = 0; b < c; b++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += W[i * k + c]! * W[i * k + b]!;
        for (let i = 0; i < d; i++) W[i * k + c]! -= dot * W[i * k + b]!;
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += W[i * k + c]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < d; i++) W[i * k + c]! /= norm;
    }
    let change = 0;
    for (let i = 0; i < d * k; i++) change = Math.max(change, Math.abs(Math.abs(W[i]!) - Math.abs(V[i]!)));
    V = W;
    if (change < 1e-10) break;
  }
  // scikit-learn's svd_flip (≥ 1.5): each component's largest absolute entry is positive
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let i = 0; i < d; i++) if (Math.abs(V[i * k + c]!) > Math.abs(best)) best = V[i * k + c]!;
    if (best < 0) for (let i = 0; i < d; i++) V[i * k + c] = -V[i * k + c]!;
  }
  const projected = tidy(() => matmul(centred, fromTypedArray(V, [d, k])));
  centred.dispose();
  const out = Float64Array.from(await projected.data());
  projected.dispose();
  return out;
}

/**
 * scikit-learn's `sklearn.manifold.TSNE` with `method='exact'`: embeds the rows of a matrix
 * `[N, D]` in `nComponents` dimensions so that neighbours stay neighbours.
 *
 * The steps are scikit-learn's: squared Euclidean distances; per point a bisection on the
 * Gaussian's precision β so that the conditional distribution's perplexity is `perplexity`;
 * P symmetrised; Q a Student-t kernel with ν = max(nComponents − 1, 1) degrees of freedom; the
 * KL divergence minimised by gradient descent with momentum 0.5 for the first 250 iterations (with
 * P multiplied by `earlyExaggeration`) and 0.8 after, per-coordinate gains (+0.2 when the gradient
 * changes sign against the update, ×0.8 otherwise, floored at 0.01), and the error checked every
 * 50 iterations (stopping after `nIterWithoutProgress` iterations without improvement or when the
 * gradient's norm is below `minGradNorm`). The gradient comes from `backward()` on the objective
 * written with tensor ops ({@link tsneObjective}), not from a hand-written formula. For the
 * book's 2-D embeddings (ν = 1) that is scikit-learn's gradient exactly; for `nComponents` ≥ 3
 * (ν ≥ 2) it is the true gradient of the KL divergence, whereas scikit-learn's exact method
 * weights each pair by `w_ij` instead of `w_ij^(2/(ν+1))`, so the two optimise differently there.
 *
 * The exact method costs O(N²) memory and time per iteration: a few thousand points. The
 * arithmetic is float64; the embedding is returned as float32. Random numbers come from
 * tensorgrad's generator, so a seed gives other (equally good) embeddings than scikit-learn's.
 *
 * After `fitTransform`, `embedding_`, `klDivergence_`, `nIter_` (the last iteration's index, as
 * scikit-learn) and `learningRate_` hold the results.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { TSNE } from './tsne.js';
 * // two tight groups of three points in 3-D
 * const x = tensor([[0, 0, 0], [0.1, 0, 0], [0, 0.1, 0], [5, 5, 5], [5.1, 5, 5], [5, 5.1, 5]]);
 * const tsne = new TSNE(2, { perplexity: 2, maxIter: 300, randomState: 0 });
 * const y = await tsne.fitTransform(x);
 * y.shape; // [6, 2]
 * tsne.learningRate_; // 50
 * tsne.klDivergence_ < 0.5; // true
 * ```
 */
export class TSNE {
  /** Dimension of the embedding. */
  readonly nComponents: number;
  /** Target perplexity. */
  readonly perplexity: number;
  /** Factor on P during the first 250 iterations. */
  readonly earlyExaggeration: number;
  /** The learning rate as given (`'auto'` or a number). */
  readonly learningRate: number | 'auto';
  /** Iterations in all. */
  readonly maxIter: number;
  /** Patience, in iterations, of the convergence check. */
  readonly nIterWithoutProgress: number;
  /** Gradient-norm threshold of the convergence check. */
  readonly minGradNorm: number;
  /** The initialisation. */
  readonly init: 'pca' | 'random' | Tensor;
  /** Always `'exact'`. */
  readonly method = 'exact' as const;
  /** Always `'euclidean'`. */
  readonly metric = 'euclidean' as const;
  /** Seed or generator of the random initialisation. */
  readonly randomState: number | Generator | null;
  /** Verbosity (0: silent). */
  readonly verbose: number;
  /** The embedding of the last fit, float32 `[N, nComponents]` (`null` before a fit). */
  embedding_: Tensor | null = null;
  /** KL(P‖Q) of the last fit's final embedding. */
  klDivergence_ = NaN;
  /** Index of the last iteration run (scikit-learn's `n_iter_`). */
  nIter_ = 0;
  /** The learning rate used by the last fit (`'auto'` resolved). */
  learningRate_ = NaN;
  /** Number of input features of the last fit. */
  nFeaturesIn_ = 0;
  private readonly out: (line: string) => void;

  /**
   * `new TSNE(2)` as the book's `TSNE(2)`, `new TSNE({ perplexity: 50 })` or
   * `new TSNE(2, { perplexity: 50 })`.
   *
   * @example
   * ```ts
   * import { TSNE } from './tsne.js';
   * const t = new TSNE(2);
   * [t.perplexity, t.earlyExaggeration, t.learningRate, t.maxIter, t.init]; // [30, 12, 'auto', 1000, 'pca']
   * ```
   */
  constructor(nComponents?: number | TSNEOptions, options: TSNEOptions = {}) {
    if (typeof nComponents === 'object' && nComponents !== null) {
      options = nComponents;
      nComponents = undefined;
    }
    checkOptions(options);
    if (nComponents !== undefined && options.nComponents !== undefined)
      throw new TypeError('new TSNE: nComponents given twice (positionally and in the options); give it once');
    this.nComponents = positiveInt('nComponents', nComponents ?? options.nComponents ?? 2);
    this.perplexity = positive('perplexity', options.perplexity ?? 30);
    this.earlyExaggeration = positive('earlyExaggeration', options.earlyExaggeration ?? 12);
    const lr = options.learningRate ?? 'auto';
    this.learningRate = lr === 'auto' ? 'auto' : positive("learningRate (a positive number or 'auto')", lr);
    if (options.maxIter !== undefined && options.nIter !== undefined)
      throw new TypeError('new TSNE: give maxIter or its old name nIter, not both');
    this.maxIter = positiveInt('maxIter', options.maxIter ?? options.nIter ?? 1000, EXPLORATION_N_ITER);
    this.nIterWithoutProgress = positiveInt('nIterWithoutProgress', options.nIterWithoutProgress ?? 300);
    const mg = options.minGradNorm ?? 1e-7;
    if (typeof mg !== 'number' || !(mg >= 0)) throw new RangeError(`new TSNE: minGradNorm must be a number ≥ 0, got ${String(mg)}`);
    this.minGradNorm = mg;
    const init = options.init ?? 'pca';
    if (init !== 'pca' && init !== 'random' && !(typeof init === 'object' && 'shape' in init))
      throw new RangeError(`new TSNE: init must be 'pca', 'random' or a tensor [N, nComponents], got ${String(init)}`);
    this.init = init;
    const method = options.method ?? 'exact';
    if (method !== 'exact')
      throw new RangeError(`new TSNE: method '${String(method)}' is not implemented; only method: 'exact' (O(N²), fine for a few thousand points) — subsample larger data sets`);
    const metric = options.metric ?? 'euclidean';
    if (metric !== 'euclidean') throw new RangeError(`new TSNE: metric '${String(metric)}' is not implemented; only 'euclidean'`);
    this.randomState = options.randomState ?? null;
    this.verbose = options.verbose ?? 0;
    this.out = options.log ?? ((line) => console.log(line));
  }

  /**
   * Fits the embedding of `x` `[N, D]` and returns it (float32 `[N, nComponents]`, also kept in
   * `embedding_`; the caller owns the returned tensor, `embedding_` is a separate copy). Async
   * because the perplexity search reads the distances back.
   *
   * @example
   * ```ts
   * import { randn } from 'tensorgrad';
   * import { TSNE } from './tsne.js';
   * const y = await new TSNE({ perplexity: 5, maxIter: 250, init: 'random', randomState: 1 }).fitTransform(randn([20, 4]));
   * y.shape; // [20, 2]
   * ```
   */
  async fitTransform(x: Tensor): Promise<Tensor> {
    if (x.ndim !== 2) throw new RangeError(`TSNE.fitTransform: expected a matrix [N, D], got shape [${x.shape.join(', ')}]; flatten each sample first (x.view(N, -1))`);
    const [n, d] = [x.shape[0]!, x.shape[1]!];
    if (!(this.perplexity < n))
      throw new RangeError(`TSNE.fitTransform: perplexity must be less than n_samples, got perplexity ${this.perplexity} for ${n} samples; lower it or give more samples`);
    const k = this.nComponents;
    this.nFeaturesIn_ = d;
    this.learningRate_ = this.learningRate === 'auto' ? Math.max(n / this.earlyExaggeration / 4, 50) : this.learningRate;
    const say = (line: string) => {
      if (this.verbose > 0) this.out(line);
    };
    say('[t-SNE] Computing pairwise distances...');
    const { P, meanSigma } = await jointProbabilities(x, this.perplexity);
    say(`[t-SNE] Computed conditional probabilities for sample ${n} / ${n}`);
    say(`[t-SNE] Mean sigma: ${meanSigma.toFixed(6)}`);
    const pValues = Float64Array.from(await P.data());

    let y = await this.initialEmbedding(x, n, k);
    const nu = Math.max(k - 1, 1);
    const runs: [number, number, number, number][] = [
      // [first iteration, end, momentum, patience]
      [0, EXPLORATION_N_ITER, 0.5, EXPLORATION_N_ITER],
      [0, this.maxIter, 0.8, this.nIterWithoutProgress],
    ];
    let it = 0;
    let error = NaN;
    try {
      for (const [phase, run] of runs.entries()) {
        const exaggeration = phase === 0 ? this.earlyExaggeration : 1;
        const start = phase === 0 ? 0 : it + 1;
        const end = run[1];
        if (phase === 1 && !(it < EXPLORATION_N_ITER || this.maxIter - EXPLORATION_N_ITER > 0)) break;
        const entropy = plogp(pValues, exaggeration);
        if (start >= end) {
          // maxIter 250: no iteration after the exaggeration, but klDivergence_ is still KL(P‖Q)
          // of the embedding (scikit-learn would report its initial "error" here, float max)
          const objective = tidy(() => noGrad(() => tsneObjective(y, P, nu).objective));
          error = entropy + Number(await objective.item());
          objective.dispose();
          break;
        }
        const Pe = exaggeration === 1 ? P : noGrad(() => P.mul(exaggeration));
        const result = await this.gradientDescent(y, Pe, entropy, exaggeration, nu, start, end, run[2], run[3]);
        if (Pe !== P) Pe.dispose();
        y.dispose();
        y = result.y;
        it = result.it;
        error = result.error;
        if (phase === 0) say(`[t-SNE] KL divergence after ${it + 1} iterations with early exaggeration: ${error.toFixed(6)}`);
      }
    } finally {
      P.dispose();
    }
    say(`[t-SNE] KL divergence after ${it + 1} iterations: ${error.toFixed(6)}`);
    this.klDivergence_ = error;
    this.nIter_ = it;
    const embedding = y.to('float32');
    y.dispose();
    this.embedding_?.dispose();
    this.embedding_ = embedding.clone();
    return embedding;
  }

  /** The starting embedding, float64 `[N, k]`. */
  private async initialEmbedding(x: Tensor, n: number, k: number): Promise<Tensor> {
    if (this.init === 'random') {
      const g = this.randomState instanceof Generator ? this.randomState : this.randomState === null ? undefined : new Generator(this.randomState);
      return tidy(() => randn([n, k], { dtype: 'float64', ...(g ? { generator: g } : {}) }).mul(1e-4));
    }
    if (this.init === 'pca') {
      if (x.shape[1]! < k) throw new RangeError(`TSNE.fitTransform: init 'pca' needs at least nComponents = ${k} features, got ${x.shape[1]}; use init: 'random'`);
      const proj = await pcaScores(x, k);
      // scikit-learn: PCA scores scaled so that the first component has standard deviation 1e-4
      let mean = 0;
      for (let i = 0; i < n; i++) mean += proj[i * k]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (proj[i * k]! - mean) ** 2;
      const std = Math.sqrt(v / n) || 1;
      for (let i = 0; i < proj.length; i++) proj[i] = (proj[i]! / std) * 1e-4;
      return fromTypedArray(proj, [n, k]);
    }
    const t = this.init;
    if (t.ndim !== 2 || t.shape[0] !== n || t.shape[1] !== k)
      throw new RangeError(`TSNE.fitTransform: init tensor must have shape [${n}, ${k}], got [${t.shape.join(', ')}]`);
    return t.to('float64').detach().clone();
  }

  /** scikit-learn's `_gradient_descent` (fresh update and gains on each call, as there). */
  private async gradientDescent(
    y0: Tensor,
    P: Tensor,
    entropy: number,
    exaggeration: number,
    nu: number,
    start: number,
    end: number,
    momentum: number,
    patience: number,
  ): Promise<{ y: Tensor; it: number; error: number }> {
    let y = y0.clone();
    let update = tidy(() => y.mul(0));
    let gains = tidy(() => y.mul(0).add(1));
    let error = Number.MAX_VALUE;
    let bestError = Number.MAX_VALUE;
    let bestIter = start;
    let i = start;
    let tic = performance.now();
    const lr = this.learningRate_;
    for (i = start; i < end; i++) {
      const check = (i + 1) % N_ITER_CHECK === 0;
      const computeError = check || i === end - 1;
      const step = tidy(() => {
        const leaf = y.detach().requiresGrad_();
        const { objective, attraction, logZ } = tsneObjective(leaf, P, nu);
        objective.backward();
        const g = leaf.grad!;
        const inc = update.mul(g).lt(0);
        const newGains = where(inc, gains.add(0.2), gains.mul(0.8)).clamp({ min: 0.01 });
        const scaled = g.mul(newGains);
        const newUpdate = update.mul(momentum).sub(scaled.mul(lr));
        return { y: y.add(newUpdate), update: newUpdate, gains: newGains, attraction: attraction.detach(), logZ: logZ.detach(), gradNormSq: scaled.square().sum() };
      });
      y.dispose();
      update.dispose();
      gains.dispose();
      ({ y, update, gains } = step);
      // scikit-learn's reported error: Σ αP log(αP/Q) = Σ αP log αP − Σ αP log w + α log Z
      if (computeError) error = entropy + Number(await step.attraction.item()) + exaggeration * Number(await step.logZ.item());
      const gradNorm = check ? Math.sqrt(Number(await step.gradNormSq.item())) : NaN;
      step.attraction.dispose();
      step.logZ.dispose();
      step.gradNormSq.dispose();
      if (check) {
        const toc = performance.now();
        if (this.verbose >= 2)
          this.out(`[t-SNE] Iteration ${i + 1}: error = ${error.toFixed(7)}, gradient norm = ${gradNorm.toFixed(7)} (${N_ITER_CHECK} iterations in ${((toc - tic) / 1000).toFixed(3)}s)`);
        tic = toc;
        if (error < bestError) {
          bestError = error;
          bestIter = i;
        } else if (i - bestIter > patience) {
          if (this.verbose >= 2) this.out(`[t-SNE] Iteration ${i + 1}: did not make any progress during the last ${patience} episodes. Finished.`);
          break;
        }
        if (gradNorm <= this.minGradNorm) {
          if (this.verbose >= 2) this.out(`[t-SNE] Iteration ${i + 1}: gradient norm ${gradNorm}. Finished.`);
          break;
        }
      }
    }
    update.dispose();
    gains.dispose();
    return { y, it: Math.min(i, end - 1), error };
  }
}
