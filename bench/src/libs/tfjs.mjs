// TF.js 4.22 with its `cpu` (plain JavaScript) or `wasm` (XNNPACK, SIMD, single-threaded in Node)
// backend: NHWC layout, the fused ops tf.layers would use (conv + bias, matmul + bias + relu),
// gradients with tf.grads / optimizer.minimize, every iteration inside tf.tidy.
//
// `@tensorflow/tfjs-core`'s Node bundle registers no gradients: the union package
// `@tensorflow/tfjs` does (its Node bundle registers every gradient with the shared core), so it
// is imported for that side effect, as any TF.js program that trains in Node does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { cnnFlatFeatures, permutation, randomFloats, randomImages, randomLabels, uniformInit } from '../cases.mjs';

const require = createRequire(import.meta.url);

function packageVersion(name) {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

// tf.variable keeps its initial tensor alive (they share the data): free it at once
function variable(t) {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

function dense(fanIn, fanOut, seed) {
  return {
    w: variable(tf.tensor2d(uniformInit(fanIn * fanOut, fanIn, seed), [fanIn, fanOut])),
    b: variable(tf.tensor1d(uniformInit(fanOut, fanIn, seed + 1))),
  };
}

function conv(cin, cout, k, seed) {
  const fanIn = cin * k * k;
  return {
    w: variable(tf.tensor4d(uniformInit(k * k * cin * cout, fanIn, seed), [k, k, cin, cout])),
    b: variable(tf.tensor1d(uniformInit(cout, fanIn, seed + 1))),
  };
}

/** A model's loss function, its optimizer and a `step(x, y)` returning the loss as a number. */
function trainer(k, isCnn) {
  let params;
  let logits;
  if (isCnn) {
    const [c0, c1, c2] = k.channels;
    params = [conv(c0, c1, 3, 10), conv(c1, c2, 3, 20), dense(cnnFlatFeatures(k), k.hidden, 30), dense(k.hidden, k.classes, 40)];
    const [c1p, c2p, f1, f2] = params;
    logits = (x) => {
      let h = tf.fused.conv2d({ x, filter: c1p.w, bias: c1p.b, strides: 1, pad: 'valid' });
      h = tf.relu(tf.maxPool(h, 2, 2, 'valid'));
      h = tf.fused.conv2d({ x: h, filter: c2p.w, bias: c2p.b, strides: 1, pad: 'valid' });
      h = tf.relu(tf.maxPool(h, 2, 2, 'valid'));
      h = tf.reshape(h, [h.shape[0], -1]);
      h = tf.fused.matMul({ a: h, b: f1.w, bias: f1.b, activation: 'relu' });
      return tf.fused.matMul({ a: h, b: f2.w, bias: f2.b });
    };
  } else {
    params = [dense(k.features, k.hidden, 10), dense(k.hidden, k.classes, 20)];
    const [l1, l2] = params;
    logits = (x) => tf.fused.matMul({ a: tf.fused.matMul({ a: x, b: l1.w, bias: l1.b, activation: 'relu' }), b: l2.w, bias: l2.b });
  }
  // PyTorch's Adam epsilon (TF.js defaults to 1e-7)
  const opt = isCnn ? tf.train.adam(k.lr, 0.9, 0.999, 1e-8) : tf.train.sgd(k.lr);
  return {
    inputShape: isCnn ? [k.side, k.side, 1] : [k.features],
    step(x, y) {
      const cost = tf.tidy(() => opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y, k.classes), logits(x)), true));
      const v = cost.dataSync()[0];
      cost.dispose();
      return v;
    },
    dispose() {
      opt.dispose();
      for (const p of params) {
        p.w.dispose();
        p.b.dispose();
      }
    },
  };
}

function make(k) {
  switch (k.kind) {
    case 'matmul': {
      const a = tf.tensor2d(randomFloats(k.n * k.n, 1), [k.n, k.n]);
      const b = tf.tensor2d(randomFloats(k.n * k.n, 2), [k.n, k.n]);
      const [ta, tb] = k.variant === 'atb' ? [true, false] : k.variant === 'abt' ? [false, true] : [false, false];
      return { run: () => tf.matMul(a, b, ta, tb).dispose(), dispose: () => tf.dispose([a, b]) };
    }
    case 'elementwise': {
      const x = tf.tensor1d(randomFloats(k.n, 1));
      const a = tf.scalar(k.a);
      const b = tf.scalar(k.b);
      return { run: () => tf.tidy(() => tf.relu(tf.add(tf.mul(x, a), b))).dispose(), dispose: () => tf.dispose([x, a, b]) };
    }
    case 'conv2d': {
      const x = tf.tensor4d(randomFloats(k.n * k.cin * k.hw * k.hw, 1), [k.n, k.hw, k.hw, k.cin]);
      const w = tf.tensor4d(randomFloats(k.cout * k.cin * k.k * k.k, 2), [k.k, k.k, k.cin, k.cout]);
      const bias = tf.tensor1d(randomFloats(k.cout, 3));
      const out = k.hw - k.k + 1;
      const g = tf.tensor4d(randomFloats(k.n * k.cout * out * out, 4), [k.n, out, out, k.cout]);
      const f = (xx, ww, bb) => tf.fused.conv2d({ x: xx, filter: ww, bias: bb, strides: 1, pad: 'valid' });
      const gradients = tf.grads(f);
      const run = k.backward ? () => tf.dispose(tf.tidy(() => gradients([x, w, bias], g))) : () => f(x, w, bias).dispose();
      return { run, dispose: () => tf.dispose([x, w, bias, g]) };
    }
    case 'mlp-step':
    case 'cnn-step': {
      const t = trainer(k, k.kind === 'cnn-step');
      const x = tf.tensor(randomImages(k.batch * t.inputShape.reduce((p, q) => p * q, 1)), [k.batch, ...t.inputShape]);
      const y = tf.tensor1d(randomLabels(k.batch, k.classes), 'int32');
      return {
        run: () => t.step(x, y),
        dispose: () => {
          t.dispose();
          tf.dispose([x, y]);
        },
      };
    }
    case 'mlp-epoch':
    case 'cnn-epoch': {
      const t = trainer(k, k.kind === 'cnn-epoch');
      const n = k.steps * k.batch;
      const perImage = t.inputShape.reduce((p, q) => p * q, 1);
      const images = tf.tensor(randomImages(n * perImage), [n, ...t.inputShape]);
      const labels = tf.tensor1d(randomLabels(n, k.classes), 'int32');
      const order = permutation(n);
      return {
        run: () => {
          for (let s = 0; s < k.steps; s++) {
            const [x, y] = tf.tidy(() => {
              const idx = tf.tensor1d(order.subarray(s * k.batch, (s + 1) * k.batch), 'int32');
              return [tf.gather(images, idx), tf.gather(labels, idx)];
            });
            t.step(x, y);
            tf.dispose([x, y]);
          }
        },
        dispose: () => {
          t.dispose();
          tf.dispose([images, labels]);
        },
      };
    }
    default:
      throw new Error(`tfjs bench: case kind '${k.kind}' is not supported yet`);
  }
}

/** `backend` is 'cpu' or 'wasm'. */
export async function createLibrary(backend) {
  if (backend === 'wasm') {
    // the .wasm binaries ship in the package's dist folder; Node reads them from disk
    setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
    await import('@tensorflow/tfjs-backend-wasm');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
  await tf.ready();
  const settings = backend === 'wasm' ? { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 1 } : { threads: 1 };
  return {
    name: `tfjs-${backend}`,
    info: {
      library: `@tensorflow/tfjs-backend-${backend}`,
      version: packageVersion(`@tensorflow/tfjs-backend-${backend}`),
      core: packageVersion('@tensorflow/tfjs-core'),
      backend: tf.getBackend(),
      settings,
    },
    make,
    liveTensors: () => tf.memory().numTensors,
  };
}
