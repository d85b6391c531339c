// jax-js (@jax-js/jax) on its `wasm` device: NCHW layout like JAX, lazy arrays with "move"
// semantics (every op consumes its operands; `.ref` keeps one alive), results awaited with
// blockUntilReady. Matmul, element-wise and conv2d run eagerly; the training steps are `jit`-compiled
// around `valueAndGrad`, as in jax-js's own MNIST demo. jax-js ships no optimizers on npm
// (@jax-js/optax is not published), so SGD and Adam are written out here with PyTorch's update rules.
//
// jax-js also has a `cpu` device, a reference interpreter (a 512² matmul takes seconds), which is
// not measured.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cnnFlatFeatures, permutation, randomFloats, randomImages, randomLabels, uniformInit } from '../cases.mjs';

const require = createRequire(import.meta.url);

let jax;

function packageVersion() {
  // the exports map has no "./package.json": walk up from the entry point
  const entry = require.resolve('@jax-js/jax');
  return JSON.parse(readFileSync(new URL('../package.json', `file://${entry}`), 'utf8')).version;
}

const arr = (data, shape) => jax.numpy.array(data, { shape });

function dense(fanIn, fanOut, seed) {
  return { w: arr(uniformInit(fanIn * fanOut, fanIn, seed), [fanIn, fanOut]), b: arr(uniformInit(fanOut, fanIn, seed + 1), [fanOut]) };
}

function convParams(cin, cout, k, seed) {
  const fanIn = cin * k * k;
  // the bias is [C, 1, 1] so that it broadcasts over NCHW
  return { w: arr(uniformInit(cout * fanIn, fanIn, seed), [cout, cin, k, k]), b: arr(uniformInit(cout, fanIn, seed + 1), [cout, 1, 1]) };
}

function maxPool2x2(x) {
  return jax.lax.reduceWindow(x, jax.numpy.max, [2, 2], [2, 2]);
}

/** Mean cross-entropy of logits [B, C] against integer labels [B]. */
function crossEntropy(logits, y, classes) {
  const batch = y.shape[0];
  return jax.nn.logSoftmax(logits).mul(jax.nn.oneHot(y, classes)).sum().mul(-1 / batch);
}

/** Parameters, a jitted train step and a `step(x, y)` returning the loss as a number. */
function trainer(k, isCnn) {
  const { numpy: np, nn, lax, jit, valueAndGrad, tree } = jax;
  let params;
  let logits;
  if (isCnn) {
    const [c0, c1, c2] = k.channels;
    params = { c1: convParams(c0, c1, 3, 10), c2: convParams(c1, c2, 3, 20), f1: dense(cnnFlatFeatures(k), k.hidden, 30), f2: dense(k.hidden, k.classes, 40) };
    logits = (p, x) => {
      let h = nn.relu(maxPool2x2(lax.convGeneralDilated(x, p.c1.w, [1, 1], 'VALID').add(p.c1.b)));
      h = nn.relu(maxPool2x2(lax.convGeneralDilated(h, p.c2.w, [1, 1], 'VALID').add(p.c2.b)));
      h = h.reshape([h.shape[0], -1]);
      h = nn.relu(np.dot(h, p.f1.w).add(p.f1.b));
      return np.dot(h, p.f2.w).add(p.f2.b);
    };
  } else {
    params = { l1: dense(k.features, k.hidden, 10), l2: dense(k.hidden, k.classes, 20) };
    logits = (p, x) => np.dot(nn.relu(np.dot(x, p.l1.w).add(p.l1.b)), p.l2.w).add(p.l2.b);
  }
  const loss = (p, x, y) => crossEntropy(logits(p, x), y, k.classes);
  let state;
  let update;
  if (isCnn) {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    state = { m: tree.map((p) => np.zerosLike(p.ref), params), v: tree.map((p) => np.zerosLike(p.ref), params) };
    // c1 = 1/(1-β1ᵗ), c2 = 1/(1-β2ᵗ) are arguments so the compiled step does not depend on t
    update = jit((p, s, x, y, c1, c2) => {
      const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y);
      const m = tree.map((mi, gi) => mi.mul(b1).add(gi.mul(1 - b1)), s.m, tree.ref(g));
      const v = tree.map((vi, gi) => vi.mul(b2).add(gi.ref.mul(gi).mul(1 - b2)), s.v, g);
      const next = tree.map(
        (pi, mi, vi) => pi.sub(mi.mul(c1.ref).mul(k.lr).div(np.sqrt(vi.mul(c2.ref)).add(eps))),
        p,
        tree.ref(m),
        tree.ref(v),
      );
      c1.dispose();
      c2.dispose();
      return [l, next, { m, v }];
    });
  } else {
    update = jit((p, s, x, y) => {
      const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y);
      return [l, tree.map((pi, gi) => pi.sub(gi.mul(k.lr)), p, g), s];
    });
    state = {};
  }
  let t = 0;
  return {
    inputShape: isCnn ? [1, k.side, k.side] : [k.features],
    /** Consumes x and y. */
    async step(x, y) {
      t++;
      const extra = isCnn ? [np.array(1 / (1 - 0.9 ** t)), np.array(1 / (1 - 0.999 ** t))] : [];
      const [l, nextParams, nextState] = update(params, state, x, y, ...extra);
      params = nextParams;
      state = nextState;
      await jax.blockUntilReady(params);
      return await l.jsAsync();
    },
    dispose() {
      tree.dispose(params);
      tree.dispose(state);
      update.dispose();
    },
  };
}

function make(k) {
  const { numpy: np, nn, lax, vjp, tree, blockUntilReady } = jax;
  switch (k.kind) {
    case 'matmul': {
      const a = arr(randomFloats(k.n * k.n, 1), [k.n, k.n]);
      const b = arr(randomFloats(k.n * k.n, 2), [k.n, k.n]);
      const op =
        k.variant === 'ab'
          ? () => np.matmul(a.ref, b.ref)
          : k.variant === 'atb'
            ? () => np.matmul(np.matrixTranspose(a.ref), b.ref)
            : () => np.matmul(a.ref, np.matrixTranspose(b.ref));
      return {
        run: async () => (await blockUntilReady(op())).dispose(),
        dispose: () => tree.dispose([a, b]),
      };
    }
    case 'elementwise': {
      const x = arr(randomFloats(k.n, 1), [k.n]);
      return {
        run: async () => (await blockUntilReady(nn.relu(x.ref.mul(k.a).add(k.b)))).dispose(),
        dispose: () => x.dispose(),
      };
    }
    case 'conv2d': {
      const x = arr(randomFloats(k.n * k.cin * k.hw * k.hw, 1), [k.n, k.cin, k.hw, k.hw]);
      const w = arr(randomFloats(k.cout * k.cin * k.k * k.k, 2), [k.cout, k.cin, k.k, k.k]);
      const bias = arr(randomFloats(k.cout, 3), [k.cout, 1, 1]);
      const out = k.hw - k.k + 1;
      const g = arr(randomFloats(k.n * k.cout * out * out, 4), [k.n, k.cout, out, out]);
      const f = (xx, ww, bb) => lax.convGeneralDilated(xx, ww, [1, 1], 'VALID').add(bb);
      const run = k.backward
        ? async () => {
            const [y, back] = vjp(f, [x.ref, w.ref, bias.ref]);
            const grads = back(g.ref);
            await blockUntilReady(grads);
            tree.dispose([y, grads]);
            back.dispose();
          }
        : async () => (await blockUntilReady(f(x.ref, w.ref, bias.ref))).dispose();
      return { run, dispose: () => tree.dispose([x, w, bias, g]) };
    }
    case 'mlp-step':
    case 'cnn-step': {
      const t = trainer(k, k.kind === 'cnn-step');
      const x = arr(randomImages(k.batch * t.inputShape.reduce((p, q) => p * q, 1)), [k.batch, ...t.inputShape]);
      const y = np.array(randomLabels(k.batch, k.classes), { shape: [k.batch], dtype: np.int32 });
      return {
        run: () => t.step(x.ref, y.ref),
        dispose: () => {
          t.dispose();
          tree.dispose([x, y]);
        },
      };
    }
    case 'mlp-epoch':
    case 'cnn-epoch': {
      const t = trainer(k, k.kind === 'cnn-epoch');
      const n = k.steps * k.batch;
      const perImage = t.inputShape.reduce((p, q) => p * q, 1);
      const images = arr(randomImages(n * perImage), [n, ...t.inputShape]);
      const labels = np.array(randomLabels(n, k.classes), { shape: [n], dtype: np.int32 });
      const order = permutation(n);
      return {
        run: async () => {
          for (let s = 0; s < k.steps; s++) {
            const idx = np.array(order.subarray(s * k.batch, (s + 1) * k.batch), { shape: [k.batch], dtype: np.int32 });
            await t.step(images.ref.slice(idx.ref), labels.ref.slice(idx));
          }
        },
        dispose: () => {
          t.dispose();
          tree.dispose([images, labels]);
        },
      };
    }
    default:
      throw new Error(`jax-js bench: case kind '${k.kind}' is not supported yet`);
  }
}

export async function createLibrary() {
  jax = await import('@jax-js/jax');
  // init() without arguments also probes WebGPU through `navigator`, which Node lacks
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error(`jax-js: the wasm device did not initialise (got ${JSON.stringify(devices)})`);
  jax.defaultDevice('wasm');
  return {
    name: 'jax-wasm',
    info: { library: '@jax-js/jax', version: packageVersion(), backend: 'wasm', settings: { threads: 1 } },
    make,
    liveTensors: null,
  };
}
