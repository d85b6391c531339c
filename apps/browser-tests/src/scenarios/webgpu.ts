// The WebGPU backend in a browser page (the "webgpu" scenario): `navigator.gpu` gives an adapter
// (SwiftShader in headless Chromium without a GPU), `await setBackend('webgpu')` takes it, a sample
// of ops computed on webgpu and read back with `await t.data()` agrees with the same ops on the
// cpu backend in the same page (float32 tolerances of ARCHITECTURE.md, Numerics), and five SGD steps of a small
// MLP (784-64-10, synthetic data) on webgpu give the losses of the same steps on cpu from the same
// initial weights. A check whose kernels the webgpu backend has not registered yet is skipped and
// listed (with the kernels it lacks), never failed; so is one that the front-end rejects with its
// "not supported yet on backend 'webgpu'" error.
import {
  crossEntropy,
  findBackend,
  Linear,
  manualSeed,
  matmul,
  mseLoss,
  noGrad,
  randint,
  randn,
  ReLU,
  relu,
  Sequential,
  setBackend,
  SGD,
  softmax,
  logSoftmax,
  tensor,
  tidy,
  type Tensor,
} from 'tensorgrad';
import '@tensorgrad/backend-webgpu';

/** Arguments of the webgpu scenario. */
export interface WebgpuArgs {
  /** SGD steps of the MLP (default 5). */
  steps?: number;
}

/** The adapter `navigator.gpu.requestAdapter()` gave the page. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Whether the webgpu backend classed it as a software adapter (kernels pick CPU-friendly variants). */
  softwareAdapter: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** One op computed on webgpu and on cpu. */
export interface OpComparison {
  name: string;
  /** Elements compared. */
  size: number;
  /** Largest |webgpu − cpu|. */
  maxAbsErr: number;
  /** Largest |webgpu − cpu| / |cpu| over elements with |cpu| > atol. */
  maxRelErr: number;
  /** The tolerance: |webgpu − cpu| ≤ atol + rtol·|cpu| for every element. */
  rtol: number;
  atol: number;
  /** Elements outside the tolerance (NaN on one side only counts too). */
  violations: number;
  /** Whether the shapes agree. */
  sameShape: boolean;
}

/** A check that did not run, and why. */
export interface SkippedCheck {
  name: string;
  /** Kernels the webgpu backend lacks (empty when the front-end refused for another reason). */
  missing: string[];
  reason: string;
}

/** The MLP's losses on both backends. */
export interface TrainingComparison {
  /** `crossEntropy`, or `mseLoss` against one-hot targets while crossEntropy's kernels are missing. */
  loss: string;
  /** Why crossEntropy was not used (absent when it was). */
  lossFallback?: string;
  cpu: number[];
  webgpu: number[];
  /** Largest |webgpu − cpu| / |cpu| over the steps. */
  maxRelDiff: number;
  /** Whether the initial weights on webgpu read back equal to the cpu ones (bit for bit). */
  sameInitialWeights: boolean;
  /** Wall time per step (the loss read back each step). */
  msPerStep: { cpu: number; webgpu: number };
}

/** What the webgpu scenario reports: `{ skipped }` when the page has no WebGPU adapter. */
export type WebgpuResult =
  | { skipped: string }
  | {
      skipped?: undefined;
      adapter: AdapterSummary;
      ops: OpComparison[];
      skippedChecks: SkippedCheck[];
      training: TrainingComparison | { skipped: SkippedCheck };
      /** The kernels the webgpu backend registers. */
      kernels: string[];
      ms: { setBackend: number; ops: number; training: number };
    };

// deterministic values in [-1, 1), independent of the library's generator
function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Input {
  shape: number[];
  data: number[];
  dtype?: 'float32' | 'int32';
}

interface Check {
  name: string;
  /** Kernels the webgpu backend needs for it (forward and, for gradients, backward). */
  kernels: string[];
  inputs: Input[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Element-wise ops: rtol 1e-5 / atol 1e-6; reductions, matmul: rtol 1e-4 (ARCHITECTURE.md, Numerics). */
  kind: 'elementwise' | 'reduction';
}

const TOL = { elementwise: { rtol: 1e-5, atol: 1e-6 }, reduction: { rtol: 1e-4, atol: 1e-5 } };

const inp = (shape: number[], seed: number, scale = 1): Input => ({ shape, data: values(shape.reduce((a, b) => a * b, 1), seed).map((v) => v * scale) });

const CHECKS: Check[] = [
  { name: 'add broadcast [4,5] + [5]', kernels: ['add'], inputs: [inp([4, 5], 1), inp([5], 2)], fn: (a, b) => a.add(b), kind: 'elementwise' },
  { name: 'mul broadcast [3,1,4] * [1,5,4]', kernels: ['mul'], inputs: [inp([3, 1, 4], 3), inp([1, 5, 4], 4)], fn: (a, b) => a.mul(b), kind: 'elementwise' },
  { name: 'sub broadcast [6,7] - [6,1]', kernels: ['sub'], inputs: [inp([6, 7], 5), inp([6, 1], 6)], fn: (a, b) => a.sub(b), kind: 'elementwise' },
  {
    name: 'div [6,7] / [7] (denominators in [1, 3))',
    kernels: ['div'],
    inputs: [inp([6, 7], 7), { shape: [7], data: values(7, 8).map((v) => 2 + v) }],
    fn: (a, b) => a.div(b),
    kind: 'elementwise',
  },
  { name: 'relu [9,11]', kernels: ['relu'], inputs: [inp([9, 11], 9)], fn: (a) => relu(a), kind: 'elementwise' },
  { name: 'exp [9,11] (values in [-4, 4))', kernels: ['exp'], inputs: [inp([9, 11], 10, 4)], fn: (a) => a.exp(), kind: 'elementwise' },
  { name: 'tanh [9,11] (values in [-3, 3))', kernels: ['tanh'], inputs: [inp([9, 11], 11, 3)], fn: (a) => a.tanh(), kind: 'elementwise' },
  { name: 'sigmoid [9,11] (values in [-6, 6))', kernels: ['sigmoid'], inputs: [inp([9, 11], 12, 6)], fn: (a) => a.sigmoid(), kind: 'elementwise' },
  { name: 'matmul [33,47]·[47,29]', kernels: ['matmul'], inputs: [inp([33, 47], 13), inp([47, 29], 14)], fn: (a, b) => matmul(a, b), kind: 'reduction' },
  { name: 'matmul [33,47]·[29,47]ᵀ (transposed right operand)', kernels: ['matmul'], inputs: [inp([33, 47], 15), inp([29, 47], 16)], fn: (a, b) => matmul(a, b.transpose(0, 1)), kind: 'reduction' },
  { name: 'matmul [47,33]ᵀ·[47,29] (transposed left operand)', kernels: ['matmul'], inputs: [inp([47, 33], 17), inp([47, 29], 18)], fn: (a, b) => matmul(a.transpose(0, 1), b), kind: 'reduction' },
  { name: 'matmul batched [3,17,24]·[24,13]', kernels: ['matmul'], inputs: [inp([3, 17, 24], 19), inp([24, 13], 20)], fn: (a, b) => matmul(a, b), kind: 'reduction' },
  { name: 'sum all [37,41]', kernels: ['sum'], inputs: [inp([37, 41], 21)], fn: (a) => a.sum(), kind: 'reduction' },
  { name: 'sum dim 1 [37,41]', kernels: ['sum'], inputs: [inp([37, 41], 22)], fn: (a) => a.sum(1), kind: 'reduction' },
  { name: 'mean dim 0 [37,41]', kernels: ['sum', 'div'], inputs: [inp([37, 41], 23)], fn: (a) => a.mean(0), kind: 'reduction' },
  { name: 'relu(x + b).sum(1) [5,6] + [6]', kernels: ['add', 'relu', 'sum'], inputs: [inp([5, 6], 24), inp([6], 25)], fn: (x, b) => relu(x.add(b)).sum(1), kind: 'reduction' },
  { name: 'argmax dim 1 [13,10] (int32, exact)', kernels: ['argmax'], inputs: [inp([13, 10], 26)], fn: (a) => a.argmax(1), kind: 'elementwise' },
  { name: 'softmax dim -1 [8,10] (values in [-8, 8))', kernels: ['softmax'], inputs: [inp([8, 10], 27, 8)], fn: (a) => softmax(a, -1), kind: 'reduction' },
  { name: 'logSoftmax dim -1 [8,10] (values in [-8, 8))', kernels: ['logSoftmax'], inputs: [inp([8, 10], 28, 8)], fn: (a) => logSoftmax(a, -1), kind: 'reduction' },
  {
    name: 'crossEntropy [8,10] (mean)',
    kernels: ['logSoftmax', 'gather'],
    inputs: [inp([8, 10], 29, 4), { shape: [8], data: [3, 0, 9, 2, 5, 5, 1, 7], dtype: 'int32' }],
    fn: (logits, y) => crossEntropy(logits, y),
    kind: 'reduction',
  },
  {
    name: 'grad of sum(relu(X·W)) wrt W [6,5]·[5,4]',
    kernels: ['matmul', 'relu', 'sum', 'gt', 'where', 'mul'],
    inputs: [inp([6, 5], 30), inp([5, 4], 31)],
    fn: (x, w) => {
      const wl = w.detach().requiresGrad_();
      tidy(() => relu(matmul(x, wl)).sum().backward());
      const g = wl.grad!;
      return g;
    },
    kind: 'reduction',
  },
];

// the kernels crossEntropy's forward and backward run (logSoftmax, then a gather of the targets'
// log-probabilities; the gradient scatters back)
const CROSS_ENTROPY_KERNELS = ['logSoftmax', 'gather', 'scatterAdd'];

function isNotSupported(e: unknown): e is Error {
  return e instanceof Error && /not supported yet/.test(e.message);
}

async function compute(backend: string, check: Check): Promise<{ shape: number[]; data: number[] }> {
  await setBackend(backend);
  const xs = check.inputs.map((i) => tensor(i.data, { dtype: i.dtype ?? 'float32', backend }).reshape(i.shape));
  try {
    const y = check.fn(...xs);
    if (y.backend !== backend) throw new Error(`${check.name}: the result lives on '${y.backend}', expected '${backend}'`);
    const data = Array.from(await y.data(), Number);
    const shape = [...y.shape];
    y.dispose();
    return { shape, data };
  } finally {
    for (const x of xs) x.dispose();
  }
}

function compare(name: string, kind: Check['kind'], gpu: { shape: number[]; data: number[] }, cpu: { shape: number[]; data: number[] }): OpComparison {
  const { rtol, atol } = TOL[kind];
  let maxAbsErr = 0;
  let maxRelErr = 0;
  let violations = 0;
  const sameShape = gpu.shape.length === cpu.shape.length && gpu.shape.every((d, i) => d === cpu.shape[i]) && gpu.data.length === cpu.data.length;
  for (let i = 0; i < cpu.data.length; i++) {
    const c = cpu.data[i]!;
    const g = gpu.data[i] ?? Number.NaN;
    if (Number.isNaN(c) || Number.isNaN(g)) {
      if (Number.isNaN(c) !== Number.isNaN(g)) violations++;
      continue;
    }
    const err = Math.abs(g - c);
    maxAbsErr = Math.max(maxAbsErr, err);
    if (Math.abs(c) > atol) maxRelErr = Math.max(maxRelErr, err / Math.abs(c));
    if (!(err <= atol + rtol * Math.abs(c))) violations++;
  }
  return { name, size: cpu.data.length, maxAbsErr, maxRelErr, rtol, atol, violations, sameShape };
}

async function checkOps(kernels: Set<string>): Promise<{ ops: OpComparison[]; skipped: SkippedCheck[] }> {
  const ops: OpComparison[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of CHECKS) {
    const missing = check.kernels.filter((k) => !kernels.has(k));
    if (missing.length > 0) {
      skipped.push({ name: check.name, missing, reason: `the webgpu backend has no ${missing.map((k) => `'${k}'`).join(', ')} kernel yet` });
      continue;
    }
    const cpu = await compute('cpu', check);
    let gpu: { shape: number[]; data: number[] };
    try {
      gpu = await compute('webgpu', check);
    } catch (e) {
      if (!isNotSupported(e)) throw e;
      skipped.push({ name: check.name, missing: [], reason: e.message });
      continue;
    }
    ops.push(compare(check.name, check.kind, gpu, cpu));
  }
  await setBackend('cpu');
  return { ops, skipped };
}

// five SGD steps of a 784-64-10 MLP on one fixed synthetic batch, on `backend`, from the weights
// that seed 1234 gives on the cpu backend
async function train(backend: string, steps: number, useCrossEntropy: boolean): Promise<{ losses: number[]; initial: number[]; msPerStep: number }> {
  await setBackend('cpu');
  manualSeed(1234);
  const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, 10));
  const xCpu = randn([32, 784]);
  const yCpu = randint(10, [32]);
  const labels = Array.from(yCpu.dataSync(), Number);
  const onehot = labels.flatMap((l) => Array.from({ length: 10 }, (_, j) => (j === l ? 1 : 0)));
  await setBackend(backend);
  if (backend !== 'cpu') model.to(backend);
  const x = noGrad(() => xCpu.to({ backend }));
  const y = noGrad(() => yCpu.to({ backend }));
  const target = tensor(onehot, { backend }).reshape([32, 10]);
  xCpu.dispose();
  yCpu.dispose();
  const first = model.parameters()[0]!;
  const initial = Array.from(await first.data(), Number);
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const losses: number[] = [];
  const t0 = performance.now();
  try {
    for (let step = 0; step < steps; step++) {
      const loss = tidy(() => {
        opt.zeroGrad();
        const logits = model.call(x);
        const l = useCrossEntropy ? crossEntropy(logits, y) : mseLoss(logits, target);
        l.backward();
        opt.step();
        return l;
      });
      if (loss.backend !== backend) throw new Error(`train: the loss lives on '${loss.backend}', expected '${backend}'`);
      losses.push(Number(await loss.item()));
      loss.dispose();
    }
  } finally {
    for (const t of [x, y, target, ...model.parameters()]) t.dispose();
    await setBackend('cpu');
  }
  return { losses, initial, msPerStep: (performance.now() - t0) / steps };
}

async function checkTraining(kernels: Set<string>, steps: number): Promise<TrainingComparison | { skipped: SkippedCheck }> {
  const ceMissing = CROSS_ENTROPY_KERNELS.filter((k) => !kernels.has(k));
  const useCrossEntropy = ceMissing.length === 0;
  const need = useCrossEntropy ? ['matmul', 'add', 'relu', 'sum'] : ['matmul', 'add', 'relu', 'sum', 'sub', 'square'];
  const missing = need.filter((k) => !kernels.has(k));
  const name = `MLP 784-64-10, ${steps} SGD steps`;
  if (missing.length > 0) return { skipped: { name, missing, reason: `the webgpu backend has no ${missing.map((k) => `'${k}'`).join(', ')} kernel yet` } };
  const cpu = await train('cpu', steps, useCrossEntropy);
  let gpu: Awaited<ReturnType<typeof train>>;
  try {
    gpu = await train('webgpu', steps, useCrossEntropy);
  } catch (e) {
    if (!isNotSupported(e)) throw e;
    return { skipped: { name, missing: [], reason: e.message } };
  }
  let maxRelDiff = 0;
  for (let i = 0; i < steps; i++) maxRelDiff = Math.max(maxRelDiff, Math.abs(gpu.losses[i]! - cpu.losses[i]!) / Math.abs(cpu.losses[i]!));
  const result: TrainingComparison = {
    loss: useCrossEntropy ? 'crossEntropy' : 'mseLoss (one-hot targets)',
    cpu: cpu.losses,
    webgpu: gpu.losses,
    maxRelDiff,
    sameInitialWeights: gpu.initial.length === cpu.initial.length && gpu.initial.every((v, i) => Object.is(v, cpu.initial[i])),
    msPerStep: { cpu: cpu.msPerStep, webgpu: gpu.msPerStep },
  };
  if (!useCrossEntropy) result.lossFallback = `crossEntropy needs the ${ceMissing.map((k) => `'${k}'`).join(', ')} kernel(s), not registered on webgpu yet`;
  return result;
}

/** Runs the scenario (see the file's header). */
export async function run(args: WebgpuArgs = {}): Promise<WebgpuResult> {
  const steps = args.steps ?? 5;
  const nav = navigator as Navigator & { gpu?: GPU };
  if (!nav.gpu) return { skipped: `no navigator.gpu in this page (secure context: ${String(isSecureContext)}): this Chromium does not expose WebGPU with these flags` };
  const adapter = await nav.gpu.requestAdapter();
  if (adapter === null) return { skipped: 'no adapter: navigator.gpu.requestAdapter() returned null' };
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;

  const t0 = performance.now();
  await setBackend('webgpu');
  const backend = await findBackend('webgpu');
  const msSetBackend = performance.now() - t0;
  const kernels = new Set(Object.keys(backend.kernels));
  const adapterSummary: AdapterSummary = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: info?.isFallbackAdapter === true,
    softwareAdapter: (backend as { softwareAdapter?: boolean }).softwareAdapter === true,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };

  const t1 = performance.now();
  const { ops, skipped } = await checkOps(kernels);
  const t2 = performance.now();
  const training = await checkTraining(kernels, steps);
  const t3 = performance.now();
  return {
    adapter: adapterSummary,
    ops,
    skippedChecks: skipped,
    training,
    kernels: [...kernels].sort(),
    ms: { setBackend: msSetBackend, ops: t2 - t1, training: t3 - t2 },
  };
}
