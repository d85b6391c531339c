// The benchmark cases of issue #6, described once and implemented by every library module
// (src/libs/*.mjs) with the same math and the same sizes. A case is plain data: its id, group,
// label, flop count (where GFLOP/s makes sense) and sizes; a library turns it into a run function.

/** Fashion-MNIST's training set: 60,000 images of 28×28, 10 classes; an epoch at batch 32 is 1875 steps. */
export const FASHION = { trainSize: 60000, side: 28, classes: 10, batch: 32 };

export const GROUPS = [
  { id: 'matmul', title: 'matmul (float32, square n×n)' },
  { id: 'elementwise', title: 'element-wise relu(x·a + b), float32, scalar a and b' },
  { id: 'conv2d', title: "conv2d of the chapter 4 CNN's second layer (N=32, 64→128, 13×13, k=3, bias)" },
  { id: 'train-step', title: 'one training step, batch 32 (forward, loss, backward, optimizer step, loss read back)' },
  { id: 'epoch', title: 'one Fashion-MNIST epoch: 1875 steps of batch 32 on random data of the Fashion-MNIST shape' },
];

/**
 * The sizes of every case. `tiny` shrinks them so the test can run each library's case functions
 * in a second; the benchmark itself always uses `full`.
 */
export function sizes(scale = 'full') {
  if (scale === 'tiny') {
    return {
      matmul: [8, 16],
      elementwise: [1000],
      conv: { n: 2, cin: 4, cout: 8, hw: 7, k: 3 },
      mlp: { batch: 4, features: 784, hidden: 16, classes: 10, lr: 1e-2 },
      cnn: { batch: 4, side: 28, channels: [1, 4, 8], hidden: 16, classes: 10, lr: 1e-3 },
      epochSteps: 3,
    };
  }
  return {
    matmul: [128, 256, 512, 1024],
    elementwise: [1e6, 1e7],
    conv: { n: 32, cin: 64, cout: 128, hw: 13, k: 3 },
    // chapter 3: Linear(784,1000)-ReLU-Linear(1000,10), cross-entropy, SGD lr 1e-2
    mlp: { batch: FASHION.batch, features: 784, hidden: 1000, classes: FASHION.classes, lr: 1e-2 },
    // chapter 4: Conv2d(1,64,3)-MaxPool2d(2)-ReLU-Conv2d(64,128,3)-MaxPool2d(2)-ReLU-Flatten-
    // Linear(3200,256)-ReLU-Linear(256,10), cross-entropy, Adam lr 1e-3
    cnn: { batch: FASHION.batch, side: FASHION.side, channels: [1, 64, 128], hidden: 256, classes: FASHION.classes, lr: 1e-3 },
    epochSteps: FASHION.trainSize / FASHION.batch,
  };
}

/** Spatial side after the CNN's two (valid 3×3 conv, 2×2 max-pool) stages: 28 → 26 → 13 → 11 → 5. */
export function cnnFlatFeatures(cnn) {
  let s = cnn.side;
  for (let i = 0; i < 2; i++) s = Math.floor((s - 2) / 2);
  return cnn.channels[2] * s * s;
}

const MATMUL_VARIANTS = [
  { id: 'ab', label: 'A·B' },
  // the two products a Linear layer's backward pass computes (weight and input gradients)
  { id: 'atb', label: 'Aᵀ·B' },
  { id: 'abt', label: 'A·Bᵀ' },
];

/**
 * Every case, in table order. `quick` keeps every case; the quick mode cuts runs, not cases,
 * except that epochs are extrapolated from the step time (see suite.mjs).
 */
export function caseList(scale = 'full') {
  const s = sizes(scale);
  const cases = [];
  for (const n of s.matmul) {
    for (const v of MATMUL_VARIANTS) {
      cases.push({ id: `matmul-${v.id}-${n}`, group: 'matmul', kind: 'matmul', label: `${v.label} n=${n}`, variant: v.id, n, flop: 2 * n ** 3 });
    }
  }
  for (const n of s.elementwise) {
    cases.push({ id: `elementwise-${n}`, group: 'elementwise', kind: 'elementwise', label: `relu(x·a+b) ${fmtCount(n)} floats`, n, a: 1.5, b: -0.25 });
  }
  const c = s.conv;
  const out = c.hw - c.k + 1;
  const convFlop = 2 * c.n * c.cout * out * out * c.cin * c.k * c.k;
  const convLabel = `N=${c.n} ${c.cin}→${c.cout} ${c.hw}×${c.hw} k${c.k}`;
  cases.push({ id: 'conv2d-fwd', group: 'conv2d', kind: 'conv2d', label: `forward ${convLabel}`, backward: false, ...c, flop: convFlop });
  // backward = the input gradient and the weight gradient, each as many flops as the forward
  cases.push({ id: 'conv2d-fwdbwd', group: 'conv2d', kind: 'conv2d', label: `forward + backward ${convLabel}`, backward: true, ...c, flop: 3 * convFlop });
  cases.push({ id: 'mlp-step', group: 'train-step', kind: 'mlp-step', label: 'chapter 3 MLP, SGD lr 1e-2', ...s.mlp });
  cases.push({ id: 'cnn-step', group: 'train-step', kind: 'cnn-step', label: 'chapter 4 CNN, Adam lr 1e-3', ...s.cnn });
  cases.push({ id: 'mlp-epoch', group: 'epoch', kind: 'mlp-epoch', label: 'chapter 3 MLP epoch', step: 'mlp-step', steps: s.epochSteps, ...s.mlp });
  cases.push({ id: 'cnn-epoch', group: 'epoch', kind: 'cnn-epoch', label: 'chapter 4 CNN epoch', step: 'cnn-step', steps: s.epochSteps, ...s.cnn });
  return cases;
}

function fmtCount(n) {
  const e = Math.log10(n);
  return n >= 1e6 && Number.isInteger(e) ? `1e${e}` : String(n);
}

/**
 * Deterministic pseudo-random float32 values in [-0.5, 0.5) (a linear congruential generator),
 * so every library times the same inputs.
 */
export function randomFloats(size, seed = 1) {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return out;
}

/** PyTorch's default Linear/Conv2d initialisation: uniform in ±1/√fanIn. */
export function uniformInit(size, fanIn, seed) {
  const out = randomFloats(size, seed);
  const bound = 2 / Math.sqrt(fanIn);
  for (let i = 0; i < size; i++) out[i] *= bound;
  return out;
}

/** Class labels in [0, classes). */
export function randomLabels(size, classes, seed = 7) {
  const out = new Int32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 16) % classes;
  }
  return out;
}

/** Pixel-like inputs: multiples of 1/255 in [0, 1], like Fashion-MNIST scaled by 1/255. */
export function randomImages(size, seed = 3) {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s >>> 16) % 256) / 255;
  }
  return out;
}

/** A shuffled order of 0 … n-1 (Fisher–Yates with the same generator), as a DataLoader would draw. */
export function permutation(n, seed = 11) {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = Math.floor(((s >>> 8) / 2 ** 24) * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
