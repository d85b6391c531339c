// The CPU backend in a browser page: a handful of ops against values computed here with plain
// JavaScript loops (independent of the library), five SGD steps of chapter 3's MLP on synthetic
// data on one thread and on several, and the Web Worker pool of the threaded GEMM: the default
// thread count, a product issued before the workers have started (it must not wait for them),
// large products bit-equal to one thread, and, with `bench`, GFLOP/s of a 1024³ matmul.
import {
  cpuSimdEnabled,
  cpuThreads,
  crossEntropy,
  Linear,
  manualSeed,
  matmul,
  noGrad,
  randint,
  randn,
  ReLU,
  relu,
  Sequential,
  setCpuThreads,
  SGD,
  softmax,
  tensor,
  tidy,
  type Tensor,
} from 'tensorgrad';
import { cpuThreadStats, cpuThreadsReady } from '@tensorgrad/backend-cpu';

const threadedProducts = (): number => cpuThreadStats().threadedProducts;
const readyThreads = (): number => cpuThreadStats().readyThreads;

/** Arguments of the cpu scenario. */
export interface CpuArgs {
  /** Also time a 1024³ float32 matmul on one thread and on the default number (at least 2). */
  bench?: boolean;
}

/** One op checked against an independent computation: the largest error and what it may be. */
export interface OpCheck {
  name: string;
  maxErr: number;
  tol: number;
}

/** A large product on several threads compared with one thread. */
export interface ThreadedProduct {
  name: string;
  /** Threads the backend reported for the run. */
  threads: number;
  /** Products that ran on the threaded path during the run. */
  threadedRuns: number;
  /** Elements whose bits differ from the one-thread result. */
  mismatches: number;
  /** Largest error against a float64 triple loop, relative to Σ|a·b| of the element. */
  maxRelErr: number;
}

/** Five SGD steps of the MLP. */
export interface Training {
  threads: number;
  losses: number[];
  threadedRuns: number;
  msPerStep: number;
}

/** What the cpu scenario reports. */
export interface CpuResult {
  env: { crossOriginIsolated: boolean; sharedArrayBuffer: boolean; hardwareConcurrency: number; simd: boolean; defaultThreads: number };
  ops: OpCheck[];
  /** `setCpuThreads(n)`'s return value, with n the default or 2 if the default is 1. */
  threadsSet: number;
  /** Threads ready right after `setCpuThreads`, before the page yielded (workers start asynchronously). */
  readyAtOnce: number;
  /** Threads ready after awaiting their start-up. */
  readyLater: number;
  /** A large product issued right after `setCpuThreads`, before the workers could start. */
  beforeStart: ThreadedProduct;
  /** The large products on `threadsSet` threads, then the float32 one on one thread more. */
  products: ThreadedProduct[];
  training: { single: Training; threaded: Training };
  bench?: { size: number; gflops: { threads: number; gflops: number; ms: number }[] };
}

// ---------------------------------------------------------------------------------------------
// independent references

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function values(n: number, seed: number): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => r());
}

/** C = A·B in float64 with plain loops, and Σ|a·b| per element (the scale of its rounding error). */
function refMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        const y = x * b[p * n + j]!;
        c[i * n + j] += y;
        mag[i * n + j] += Math.abs(y);
      }
    }
  }
  return { c, mag };
}

function maxAbs(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!));
  return Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
}

// the largest |got - want| / (Σ|a·b| + tiny) over the elements
function maxRel(got: ArrayLike<number>, ref: { c: Float64Array; mag: Float64Array }): number {
  let e = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - ref.c[i]!) / (ref.mag[i]! + 1e-30);
    e = Math.max(e, Number.isNaN(d) ? Number.POSITIVE_INFINITY : d);
  }
  return e;
}

function softmaxRows(x: readonly number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = x.slice(i * cols, (i + 1) * cols);
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ops

async function checkOps(): Promise<OpCheck[]> {
  const checks: OpCheck[] = [];
  const data = (t: Tensor): number[] => {
    const d = Array.from(t.dataSync(), Number);
    t.dispose();
    return d;
  };
  // matmul, both float types, sizes off the micro-tile
  const [m, k, n] = [37, 53, 29];
  const av = values(m * k, 1);
  const bv = values(k * n, 2);
  const ref = refMatmul(av, bv, m, k, n);
  for (const dtype of ['float32', 'float64'] as const) {
    const a = tensor(av, { dtype }).reshape([m, k]);
    const b = tensor(bv, { dtype }).reshape([k, n]);
    const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
    checks.push({ name: `matmul ${dtype} ${m}×${k}·${k}×${n}`, maxErr: maxRel(data(matmul(a, b)), ref), tol: (k + 2) * eps });
    a.dispose();
    b.dispose();
  }
  // softmax along the last dimension
  const sv = values(4 * 7, 3).map((v) => 8 * v);
  const s = tensor(sv).reshape([4, 7]);
  checks.push({ name: 'softmax float32 [4,7] dim -1', maxErr: maxAbs(data(softmax(s, -1)), softmaxRows(sv, 4, 7)), tol: 1e-6 });
  // cross-entropy: the mean of -log softmax at the targets
  const targets = [3, 0, 6, 2];
  const p = softmaxRows(sv, 4, 7);
  const ce = -targets.reduce((acc, t, i) => acc + Math.log(p[i * 7 + t]!), 0) / 4;
  checks.push({ name: 'crossEntropy float32 [4,7]', maxErr: maxAbs(data(crossEntropy(s, tensor(targets, { dtype: 'int32' }))), [ce]), tol: 1e-6 });
  s.dispose();
  // broadcast add, relu, row sums
  const xv = values(5 * 6, 4);
  const bias = values(6, 5);
  const x = tensor(xv).reshape([5, 6]);
  const bt = tensor(bias);
  const want: number[] = [];
  for (let i = 0; i < 5; i++) want.push(xv.slice(i * 6, i * 6 + 6).reduce((acc, v, j) => acc + Math.max(0, v + bias[j]!), 0));
  checks.push({ name: 'relu(x + b).sum(1) float32 [5,6]', maxErr: maxAbs(data(tidy(() => relu(x.add(bt)).sum(1))), want), tol: 1e-6 });
  // a gradient: d/dW sum(relu(X·W)) = Xᵀ·[X·W > 0]
  const [gm, gk, gn] = [6, 5, 4];
  const Xv = values(gm * gk, 6);
  const Wv = values(gk * gn, 7);
  const X = tensor(Xv, { dtype: 'float64' }).reshape([gm, gk]);
  const W = tensor(Wv, { dtype: 'float64' }).reshape([gk, gn]).requiresGrad_();
  tidy(() => relu(matmul(X, W)).sum().backward());
  const XW = refMatmul(Xv, Wv, gm, gk, gn).c;
  const gref = new Array<number>(gk * gn).fill(0);
  for (let i = 0; i < gm; i++) for (let p2 = 0; p2 < gk; p2++) for (let j = 0; j < gn; j++) if (XW[i * gn + j]! > 0) gref[p2 * gn + j]! += Xv[i * gk + p2]!;
  checks.push({ name: 'grad of sum(relu(X·W)) wrt W, float64', maxErr: maxAbs(Array.from(W.grad?.dataSync() ?? [], Number), gref), tol: 1e-12 });
  for (const t of [x, bt, X, W]) t.dispose();
  return checks;
}

// ---------------------------------------------------------------------------------------------
// threads

interface Operands {
  name: string;
  m: number;
  k: number;
  n: number;
  a: Tensor;
  b: Tensor;
  ref: { c: Float64Array; mag: Float64Array };
}

function operands(dtype: 'float32' | 'float64', m: number, k: number, n: number, seed: number): Operands {
  const av = values(m * k, seed);
  const bv = values(k * n, seed + 1);
  const a = tensor(av, { dtype }).reshape([m, k]);
  const b = tensor(bv, { dtype }).reshape([k, n]);
  // the reference multiplies the values the tensors hold (rounded to float32 where they are)
  return { name: `matmul ${dtype} ${m}×${k}·${k}×${n}`, m, k, n, a, b, ref: refMatmul(a.dataSync(), b.dataSync(), m, k, n) };
}

function product(ops: Operands): Float32Array | Float64Array {
  return noGrad(() => {
    const c = matmul(ops.a, ops.b);
    const d = c.dataSync() as Float32Array | Float64Array;
    c.dispose();
    return d;
  });
}

function compare(ops: Operands, one: Float32Array | Float64Array, run: () => Float32Array | Float64Array): ThreadedProduct {
  const n0 = threadedProducts();
  const got = run();
  let mismatches = 0;
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], one[i])) mismatches++;
  return { name: ops.name, threads: cpuThreads(), threadedRuns: threadedProducts() - n0, mismatches, maxRelErr: maxRel(got, ops.ref) };
}

async function train(threads: number): Promise<Training> {
  setCpuThreads(threads);
  await cpuThreadsReady();
  manualSeed(1234);
  const model = new Sequential(new Linear(784, 1000), new ReLU(), new Linear(1000, 10));
  const opt = new SGD(model.parameters(), { lr: 0.05 });
  // synthetic data: one fixed batch of random images and labels, which SGD starts to memorise
  const x = randn([64, 784]);
  const y = randint(10, [64]);
  const n0 = threadedProducts();
  const losses: number[] = [];
  const t0 = performance.now();
  for (let step = 0; step < 5; step++) {
    const loss = tidy(() => {
      opt.zeroGrad();
      const l = crossEntropy(model.call(x), y);
      l.backward();
      opt.step();
      return l;
    });
    losses.push(Number(await loss.item()));
    loss.dispose();
  }
  const msPerStep = (performance.now() - t0) / 5;
  const threadedRuns = threadedProducts() - n0;
  x.dispose();
  y.dispose();
  for (const p of model.parameters()) p.dispose();
  return { threads: cpuThreads(), losses, threadedRuns, msPerStep };
}

async function bench(threadCounts: number[]): Promise<NonNullable<CpuResult['bench']>> {
  const size = 1024;
  const ops = { a: randn([size, size]), b: randn([size, size]) };
  const gflops: { threads: number; gflops: number; ms: number }[] = [];
  for (const t of threadCounts) {
    setCpuThreads(t);
    await cpuThreadsReady();
    let best = Number.POSITIVE_INFINITY;
    for (let rep = 0; rep < 4; rep++) {
      const t0 = performance.now();
      noGrad(() => matmul(ops.a, ops.b).dispose());
      // the first run (rep 0) warms up
      if (rep > 0) best = Math.min(best, performance.now() - t0);
    }
    gflops.push({ threads: cpuThreads(), gflops: (2 * size ** 3) / (best * 1e6), ms: best });
  }
  ops.a.dispose();
  ops.b.dispose();
  return { size, gflops };
}

/** Runs the scenario (see the file's header). */
export async function run(args: CpuArgs = {}): Promise<CpuResult> {
  const hardwareConcurrency = navigator.hardwareConcurrency;
  const env = {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency,
    simd: cpuSimdEnabled(),
    defaultThreads: cpuThreads(),
  };
  const many = Math.max(2, env.defaultThreads);

  setCpuThreads(1);
  const ops = await checkOps();

  // one-thread results of large products (m·n·k ≥ 2²¹, sizes off the blocking)
  const big = [operands('float32', 301, 517, 263, 11), operands('float64', 203, 530, 150, 13)];
  const one = big.map(product);

  // threads on: in a browser the workers start in the background, so a product issued at once must
  // run without them (and give the same bits) instead of waiting for them
  const threadsSet = setCpuThreads(many);
  const readyAtOnce = readyThreads();
  const beforeStart = compare(big[0]!, one[0]!, () => product(big[0]!));
  const readyLater = await cpuThreadsReady();
  const products = big.map((o, i) => compare(o, one[i]!, () => product(o)));
  // another thread count restarts the pool; 3 threads split the row tiles unevenly
  setCpuThreads(many + 1);
  await cpuThreadsReady();
  products.push(compare(big[0]!, one[0]!, () => product(big[0]!)));

  const single = await train(1);
  const threaded = await train(many);
  const result: CpuResult = { env, ops, threadsSet, readyAtOnce, readyLater, beforeStart, products, training: { single, threaded } };
  if (args.bench === true) result.bench = await bench([1, many]);
  for (const o of big) {
    o.a.dispose();
    o.b.dispose();
  }
  setCpuThreads(many);
  return result;
}
