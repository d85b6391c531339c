// tensorgrad's `cpu` backend (the built umbrella package, as a user imports it): NCHW layout,
// eager ops, autodiff through `backward()`, every iteration inside `tidy`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tg from 'tensorgrad';
import { cpuSimdEnabled, cpuThreads, setCpuSimd, setCpuThreads } from '@tensorgrad/backend-cpu';
import { cnnFlatFeatures, permutation, randomFloats, randomImages, randomLabels } from '../cases.mjs';

// the umbrella's exports map has no "./package.json": read it beside the resolved entry point
const require = createRequire(import.meta.url);
function tensorgradVersion() {
  const entry = require.resolve('tensorgrad');
  return JSON.parse(readFileSync(new URL('../package.json', pathToFileURL(entry)), 'utf8')).version;
}

const f32 = (data, shape) => tg.fromTypedArray(data, shape);

function mlpModel(k) {
  return new tg.Sequential(new tg.Linear(k.features, k.hidden), new tg.ReLU(), new tg.Linear(k.hidden, k.classes));
}

function cnnModel(k) {
  const [c0, c1, c2] = k.channels;
  return new tg.Sequential(
    new tg.Conv2d(c0, c1, 3),
    new tg.MaxPool2d(2),
    new tg.ReLU(),
    new tg.Conv2d(c1, c2, 3),
    new tg.MaxPool2d(2),
    new tg.ReLU(),
    new tg.Flatten(),
    new tg.Linear(cnnFlatFeatures(k), k.hidden),
    new tg.ReLU(),
    new tg.Linear(k.hidden, k.classes),
  );
}

/** A model, its optimizer and a `step(x, y)` returning the loss as a number. */
function trainer(k, isCnn) {
  tg.manualSeed(0);
  const model = isCnn ? cnnModel(k) : mlpModel(k);
  const opt = isCnn ? new tg.Adam(model.parameters(), { lr: k.lr }) : new tg.SGD(model.parameters(), { lr: k.lr });
  model.train();
  const inputShape = isCnn ? [1, k.side, k.side] : [k.features];
  return {
    inputShape,
    step(x, y) {
      const loss = tg.tidy(() => {
        opt.zeroGrad();
        const l = tg.crossEntropy(model.call(x), y);
        l.backward();
        opt.step();
        return l.detach();
      });
      const v = loss.itemSync();
      loss.dispose();
      return v;
    },
    dispose() {
      opt.dispose();
      model.dispose();
    },
  };
}

function make(k) {
  switch (k.kind) {
    case 'matmul': {
      const a = f32(randomFloats(k.n * k.n, 1), [k.n, k.n]);
      const b = f32(randomFloats(k.n * k.n, 2), [k.n, k.n]);
      // transposed operands are views, as autodiff hands them to matmul
      const at = a.transpose(0, 1);
      const bt = b.transpose(0, 1);
      const op = k.variant === 'ab' ? () => a.matmul(b) : k.variant === 'atb' ? () => at.matmul(b) : () => a.matmul(bt);
      return {
        run: () => op().dispose(),
        dispose: () => [a, b, at, bt].forEach((t) => t.dispose()),
      };
    }
    case 'elementwise': {
      const x = f32(randomFloats(k.n, 1), [k.n]);
      return {
        run: () => tg.tidy(() => x.mul(k.a).add(k.b).relu()).dispose(),
        dispose: () => x.dispose(),
      };
    }
    case 'conv2d': {
      const x = f32(randomFloats(k.n * k.cin * k.hw * k.hw, 1), [k.n, k.cin, k.hw, k.hw]);
      const w = f32(randomFloats(k.cout * k.cin * k.k * k.k, 2), [k.cout, k.cin, k.k, k.k]);
      const bias = f32(randomFloats(k.cout, 3), [k.cout]);
      const out = k.hw - k.k + 1;
      const g = f32(randomFloats(k.n * k.cout * out * out, 4), [k.n, k.cout, out, out]);
      const run = k.backward
        ? // the gradients of x, w and bias for the upstream gradient g (autodiff, as in training)
          () => tg.tidy(() => void tg.grad((xx, ww, bb) => tg.conv2d(xx, ww, bb), [x, w, bias], { gradOutput: g }))
        : () => tg.conv2d(x, w, bias).dispose();
      return { run, dispose: () => [x, w, bias, g].forEach((t) => t.dispose()) };
    }
    case 'mlp-step':
    case 'cnn-step': {
      const t = trainer(k, k.kind === 'cnn-step');
      const x = f32(randomImages(k.batch * t.inputShape.reduce((p, q) => p * q, 1)), [k.batch, ...t.inputShape]);
      const y = tg.fromTypedArray(randomLabels(k.batch, k.classes), [k.batch]);
      return {
        run: () => t.step(x, y),
        dispose: () => {
          t.dispose();
          x.dispose();
          y.dispose();
        },
      };
    }
    case 'mlp-epoch':
    case 'cnn-epoch': {
      const t = trainer(k, k.kind === 'cnn-epoch');
      const n = k.steps * k.batch;
      const perImage = t.inputShape.reduce((p, q) => p * q, 1);
      const images = f32(randomImages(n * perImage), [n, ...t.inputShape]);
      const labels = tg.fromTypedArray(randomLabels(n, k.classes), [n]);
      const order = permutation(n);
      return {
        run: () => {
          for (let s = 0; s < k.steps; s++) {
            const [x, y] = tg.tidy(() => {
              const idx = tg.fromTypedArray(order.subarray(s * k.batch, (s + 1) * k.batch), [k.batch]);
              return [tg.indexSelect(images, idx, { dim: 0 }), tg.indexSelect(labels, idx, { dim: 0 })];
            });
            t.step(x, y);
            x.dispose();
            y.dispose();
          }
        },
        dispose: () => {
          t.dispose();
          images.dispose();
          labels.dispose();
        },
      };
    }
    default:
      throw new Error(`tensorgrad bench: case kind '${k.kind}' is not supported yet`);
  }
}

/** The `cpu` backend with SIMD on and `threads` GEMM threads. */
export async function createLibrary(threads = 1) {
  setCpuSimd(true);
  setCpuThreads(threads);
  return {
    name: 'tensorgrad',
    info: {
      library: 'tensorgrad',
      version: tensorgradVersion(),
      backend: tg.getBackend().name,
      settings: { simd: cpuSimdEnabled(), threads: cpuThreads() },
    },
    make,
    liveTensors: () => tg.memory().numTensors,
  };
}
